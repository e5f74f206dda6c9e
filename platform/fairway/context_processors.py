from typing import Any

from django.conf import settings
from django.http import HttpRequest

from tenants import access as tenant_access
from tenants.models import COUNCIL_ROLES, PARTNERSHIP_ROLES


def fairway(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)

    def keeps_register() -> bool:
        # Called only by templates that show the case-work menu; memberships are cached per request.
        return user is not None and bool(
            tenant_access.council_ids_for(user, roles=COUNCIL_ROLES | PARTNERSHIP_ROLES)
        )

    return {
        "FAIRWAY_SERVICE_NAME": getattr(settings, "FAIRWAY_SERVICE_NAME", "Fairway"),
        "keeps_register": keeps_register,
    }
