from typing import Any

from django.conf import settings
from django.http import HttpRequest


def fairway(request: HttpRequest) -> dict[str, Any]:
    return {"FAIRWAY_SERVICE_NAME": getattr(settings, "FAIRWAY_SERVICE_NAME", "Fairway")}
