from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache

from . import health


@login_not_required
@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """The process is up and answers; it touches nothing else (a liveness probe)."""
    return JsonResponse({"status": "ok"})


@login_not_required
@never_cache
def readyz(request: HttpRequest) -> JsonResponse:
    """Ready for traffic: database reachable, migrations applied, storage writable, a
    task worker alive. 503 names the failing checks and nothing more."""
    results = health.run_checks()
    ready = all(results.values())
    return JsonResponse(
        {
            "status": "ok" if ready else "unavailable",
            "checks": {name: "ok" if ok else "failing" for name, ok in results.items()},
        },
        status=200 if ready else 503,
    )
