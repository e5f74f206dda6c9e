"""Sign-ins, failed sign-ins, sign-outs and lockouts go to the audit log of each council involved."""

from typing import Any

from axes.signals import user_locked_out
from django.contrib.admin.models import ADDITION, CHANGE, DELETION, LogEntry
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models.signals import post_save
from django.dispatch import receiver
from django.http import HttpRequest

from .models import AuditEvent, User
from .services import audit_record, audit_record_for_person


def _person_by_email(email: str) -> User | None:
    return User.objects.filter(email__iexact=email.strip()).first() if email else None


@receiver(user_logged_in, dispatch_uid="tenants_audit_sign_in")
def on_sign_in(sender: Any, request: HttpRequest | None, user: User, **kwargs: Any) -> None:
    audit_record_for_person(person=user, action=AuditEvent.Action.SIGN_IN, request=request)


@receiver(user_logged_out, dispatch_uid="tenants_audit_sign_out")
def on_sign_out(sender: Any, request: HttpRequest | None, user: User | None, **kwargs: Any) -> None:
    if user is not None:
        audit_record_for_person(person=user, action=AuditEvent.Action.SIGN_OUT, request=request)


@receiver(user_login_failed, dispatch_uid="tenants_audit_sign_in_failed")
def on_sign_in_failed(
    sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    email = str(credentials.get("username") or credentials.get("email") or "")
    audit_record_for_person(
        person=_person_by_email(email),
        action=AuditEvent.Action.SIGN_IN_FAILED,
        request=request,
        actor_email=email[:254],
    )


@receiver(user_locked_out, dispatch_uid="tenants_audit_locked_out")
def on_locked_out(
    sender: Any, request: HttpRequest | None, username: str | None, ip_address: str, **kwargs: Any
) -> None:
    email = username or ""
    audit_record_for_person(
        person=_person_by_email(email),
        action=AuditEvent.Action.LOCKED_OUT,
        request=request,
        actor_email=email[:254],
    )


@receiver(post_save, sender=LogEntry, dispatch_uid="tenants_audit_django_admin")
def on_django_admin_change(sender: Any, instance: LogEntry, created: bool, **kwargs: Any) -> None:
    # Django admin writes a LogEntry for every add, change and delete: copy each one into the
    # append-only audit log, which an admin user cannot edit.
    if not created:
        return
    action = (
        AuditEvent.Action.RECORD_CREATED
        if instance.action_flag == ADDITION
        else AuditEvent.Action.RECORD_CHANGED
    )
    verb = {ADDITION: "added", CHANGE: "changed", DELETION: "deleted"}.get(
        instance.action_flag, "changed"
    )
    content_type = instance.content_type
    audit_record(
        actor=User.objects.filter(pk=instance.user_id).first(),
        council=None,
        action=action,
        object_type=(content_type.model if content_type else "")[:60],
        object_id=str(instance.object_id or "")[:60],
        summary=f"Django admin: {verb} {instance.object_repr}. {instance.get_change_message()}",
    )
