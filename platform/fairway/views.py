"""Project-wide views that belong to no app."""

from django.http import HttpRequest, HttpResponse
from django.views.decorators.cache import never_cache


@never_cache
def healthz(request: HttpRequest) -> HttpResponse:
    """Liveness for a load balancer: the Django process answers. Touches no database, so it is
    also the trivial view bench/load.py measures the case page against."""
    return HttpResponse("ok", content_type="text/plain; charset=utf-8")
