from typing import Any

from django.conf import settings
from django.http import HttpRequest

from fairway.casework.register import register_council_ids
from tenants.models import User


def fairway(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)

    def keeps_register() -> bool:
        # Called only by templates that show the case-work menu; memberships are cached per request.
        return isinstance(user, User) and bool(register_council_ids(user=user))

    return {
        "FAIRWAY_SERVICE_NAME": getattr(settings, "FAIRWAY_SERVICE_NAME", "Fairway"),
        "keeps_register": keeps_register,
    }
