"""Django admin: superusers do not manage other people's authenticator devices."""

from django.contrib import admin
from django_otp.plugins.otp_static import admin as _static_admin  # noqa: F401  (registers first)
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp import admin as _totp_admin  # noqa: F401  (registers first)
from django_otp.plugins.otp_totp.models import TOTPDevice

# Each person sets up their own device through two-factor set-up; no one edits another's.
for _model in (TOTPDevice, StaticDevice):
    if admin.site.is_registered(_model):
        admin.site.unregister(_model)
