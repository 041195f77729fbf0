"""The site's address for absolute links (canonical links, feeds, og:image, emails).

In production it is ``SITE_URL``. In development (``DEBUG`` on and ``SITE_URL``
not set in the environment) it is the address of the request being served, so
that links work whatever port ``runserver`` listens on: a confirmation link
emailed from a form points to the server that sent it. Code that has no request
at hand (an email built in a service) reads the current one, which
:class:`CurrentRequestMiddleware` keeps for the duration of each request;
commands run outside any request use ``SITE_URL``.
"""

from contextvars import ContextVar

from django.conf import settings

from config.env import env_str

_current_base: ContextVar[str | None] = ContextVar("site_url_request_base", default=None)


def from_request() -> bool:
    """Whether absolute links follow the request (development) or ``SITE_URL``."""
    return settings.DEBUG and not env_str("SITE_URL", "")


def request_base(request) -> str:
    return f"{request.scheme}://{request.get_host()}"


def site_url(request=None) -> str:
    """``scheme://host[:port]`` without a trailing slash."""
    if from_request():
        if request is not None:
            return request_base(request)
        current = _current_base.get()
        if current:
            return current
    return settings.SITE_URL


class CurrentRequestMiddleware:
    """Keeps the request's address for :func:`site_url` while it is served."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _current_base.set(request_base(request) if from_request() else None)
        try:
            return self.get_response(request)
        finally:
            _current_base.reset(token)
