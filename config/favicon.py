"""/favicon.ico at the root, where browsers, feed readers and crawlers ask for it
whatever a page's ``<link rel="icon">`` says. The file is the one in
``site/static/`` (pages link to its hashed copy)."""

from functools import cache

from django.contrib.staticfiles import finders
from django.http import HttpResponse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe


@cache
def _icon() -> bytes:
    with open(finders.find("favicon.ico"), "rb") as file:
        return file.read()


@require_safe
@cache_control(public=True, max_age=7 * 24 * 3600)
def favicon(request):
    return HttpResponse(_icon(), content_type="image/x-icon")
