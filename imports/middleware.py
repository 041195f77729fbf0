"""Old addresses answer where their article or image is now.

``OldAddressMiddleware`` is a fallback, like ``django.contrib.redirects``'
``RedirectFallbackMiddleware``: it looks a request up only when the site
answered 404, so a page that exists always wins. It sits last in
``MIDDLEWARE``, inside ``LocaleMiddleware`` (the language of ``/en/`` addresses
is active, so an article's URL is reversed in it) and inside
``CommonMiddleware`` (an address without its final slash is found at once,
rather than after an extra redirect to a slash that may not exist).

The page cache (``config/pagecache.py``) stores only 200 responses, so an old
address is looked up afresh on every request: a photo withdrawn since answers
410 at once. The responses tell browsers and proxies to ask again each time.
"""

from django.http import HttpResponseGone, HttpResponsePermanentRedirect
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _

from imports import addresses
from photos.models import Photo

READ_METHODS = ("GET", "HEAD")


class OldAddressMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method not in READ_METHODS:
            return self.get_response(request)
        if request.path_info == "/" and request.META.get("QUERY_STRING"):
            # The home page answers 200 whatever the query string: the old
            # site's ``/?p=123`` addresses are looked up before it.
            answer = self.answer(request)
            if answer is not None:
                return answer
            return self.get_response(request)
        response = self.get_response(request)
        if response.status_code != 404:
            return response
        return self.answer(request) or response

    def answer(self, request):
        """301 or 410 for an old address, None to let the page answer."""
        keys = addresses.lookup_keys(request.path_info, _raw_query(request))
        address = addresses.find(keys)
        if address is None:
            return None
        response = _for_article(address) if address.article_id else _for_photo(address)
        if response is not None:
            patch_cache_control(response, public=True, max_age=0, must_revalidate=True)
        return response


def _for_article(address):
    if not address.article_published:
        return None  # a draft's old address must not reveal it
    return HttpResponsePermanentRedirect(address.article.get_absolute_url())


def _for_photo(address):
    photo = address.photo
    if photo.status == Photo.Status.WITHDRAWN:
        return _gone(photo)
    if not address.photo_visible:
        return None
    if address.rendition:
        return HttpResponsePermanentRedirect(addresses.rendition_url(address.rendition))
    if photo.image:
        return HttpResponsePermanentRedirect(photo.image.url)
    return None


def _gone(photo):
    if photo.withdrawn_case:
        message = _("Photo retirée à la suite d'une réclamation (dossier n° %(ref)s)") % {
            "ref": photo.withdrawn_case
        }
    else:
        message = _("Cette photo a été retirée.")
    return HttpResponseGone(message, content_type="text/plain; charset=utf-8")


def _raw_query(request) -> bytes:
    """The query string's bytes as the client sent them (WSGI hands them over
    as latin-1 text)."""
    raw = request.META.get("QUERY_STRING", "")
    try:
        return raw.encode("iso-8859-1")
    except UnicodeEncodeError:
        return raw.encode()
