"""``/healthz``: is each part this process depends on answering?"""

import logging
import time

from django.core.cache import cache
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

logger = logging.getLogger(__name__)


def check_database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def check_cache() -> None:
    key = "healthz-probe"
    cache.set(key, "ok", 10)
    if cache.get(key) != "ok":
        raise RuntimeError("cache did not return what was stored")


def check_index() -> None:
    from search.backends import backend_for
    from search.query import parse

    backend_for("articles").search(parse("healthz"), page=1, per_page=1, facets=False)


CHECKS = {"database": check_database, "cache": check_cache, "index": check_index}


@never_cache
@require_GET
def healthz(request):
    report, healthy = {}, True
    for name, check in CHECKS.items():
        started = time.perf_counter()
        try:
            check()
        except Exception as error:  # noqa: BLE001 - any failure is a failed check
            logger.warning("health check %s failed: %s", name, error)
            report[name] = {"ok": False, "error": type(error).__name__}
            healthy = False
        else:
            report[name] = {"ok": True, "ms": round((time.perf_counter() - started) * 1000, 1)}
    return JsonResponse({"ok": healthy, "checks": report}, status=200 if healthy else 503)
