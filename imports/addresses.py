"""The addresses articles and images had on the magazine's old site: which ones to
remember, remembering them a batch at a time, and finding one again.

An old address is kept as a path with its query string (``/2019/07/31/mon-film/``,
``/?p=123``), never a domain, with its percent-encoding made canonical: the same
address is stored once, and found whether a browser sent ``/été/`` or
``/%C3%A9t%C3%A9/``. ``OldAddressMiddleware`` answers for them.
"""

import re
from collections.abc import Iterable
from urllib.parse import quote, unquote, unquote_to_bytes, urlsplit

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef, Subquery
from django.urls import Resolver404, resolve
from django.utils import translation

from articles.models import Article
from config import pagecache
from imports.models import OldAddress
from imports.statements import whole_statements
from photos.models import Photo, Rendition

ARTICLE, PHOTO = "article", "photo"
TARGET_FIELDS = {ARTICLE: "article_id", PHOTO: "photo_id"}
MAX_LENGTH = OldAddress._meta.get_field("path").max_length
# Paths read back per query; a batch of 1,000 articles and their images fits in one.
READ_CHUNK = 10_000

# RFC 3986: characters that never need encoding, and those a path or a query may
# hold as they are (``quote`` always keeps letters, digits and ``_.-~``).
UNRESERVED = frozenset(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
PATH_SAFE = "/:@!$&'()*+,;="
QUERY_SAFE = UNRESERVED | frozenset(PATH_SAFE.encode() + b"?")
QUERY_TOKEN = re.compile(rb"%[0-9A-Fa-f]{2}|.", re.DOTALL)


# -- Canonical form ---------------------------------------------------------------


def canonical_path(path: str) -> str:
    """The path fully decoded, then encoded the one way (UTF-8, upper-case hex).

    Fully decoded because that is all a request tells: the server decodes the
    path before Django sees it, so ``%2B`` and ``+`` reach the view alike."""
    return quote(unquote_to_bytes(path), safe=PATH_SAFE) or "/"


def canonical_query(query: str | bytes) -> str:
    """The query string with RFC 3986 normalisation: escapes of unreserved
    characters decoded, other escapes in upper case, anything else a query may
    not hold as it is (spaces, accents) encoded. Reserved characters keep their
    form: ``a%26b`` and ``a&b`` are different queries."""
    raw = query if isinstance(query, bytes) else query.encode()
    return "".join(_query_token(match.group()) for match in QUERY_TOKEN.finditer(raw))


def _query_token(token: bytes) -> str:
    if len(token) == 3:
        byte = int(token[1:], 16)
        return chr(byte) if byte in UNRESERVED else token.decode().upper()
    return chr(token[0]) if token[0] in QUERY_SAFE else f"%{token[0]:02X}"


def lookup_keys(path_info: str, query: str | bytes) -> list[str]:
    """What a request may have been remembered as, best match first: the full
    path with its query string, then the path alone; each as sent, then with
    the final slash added or removed."""
    path = canonical_path(path_info)
    paths = [path]
    if path != "/":
        paths.append(path[:-1] if path.endswith("/") else path + "/")
    query = canonical_query(query)
    keys = [f"{p}?{query}" for p in paths] if query else []
    return keys + [p for p in paths if p != "/"]


# -- What to remember ---------------------------------------------------------------


def old_path(url: str) -> str | None:
    """The path (and ``?query``) to remember for an old URL, or None.

    None when the URL is not http(s), is on a domain that is neither the site's
    own (``SITE_URL``) nor one of ``OLD_SITE_DOMAINS`` (an agency's page), is
    too long to store, or when the path is ``/`` itself or a page of this site
    (see ``is_live``). A relative URL is a path on the old site. With a query
    string, a page of this site is kept only when it is ``/`` (``/?p=123``, which
    the middleware looks up before the home page): any other page would answer
    first, while a path that is no page (``/index.php?id=7``) is kept."""
    try:
        parts = urlsplit((url or "").strip())
    except ValueError:
        return None
    elsewhere = parts.scheme not in ("http", "https", "") or not _is_own_host(parts.hostname)
    if (parts.scheme or parts.netloc) and elsewhere:
        return None
    path = canonical_path("/" + parts.path.lstrip("/"))
    query = canonical_query(parts.query)
    if not (query and path == "/") and is_live(path):
        return None
    remembered = f"{path}?{query}" if query else path
    return remembered if len(remembered) <= MAX_LENGTH else None


def _is_own_host(host: str | None) -> bool:
    own = [urlsplit(settings.SITE_URL).hostname or "", *settings.OLD_SITE_DOMAINS]
    return bool(host) and _bare(host) in {_bare(domain) for domain in own}


def _bare(domain: str) -> str:
    """``www.revue.fr`` and ``revue.fr`` are one site."""
    return domain.strip().lower().rstrip(".").removeprefix("www.")


def is_live(path: str) -> bool:
    """Whether a path is a page of this site whatever the database holds.

    It is when the URL conf resolves it (in some language, with or without a
    final slash) without capturing anything (``/``, ``/recherche/``, ``/en/``,
    ``/sitemap.xml``), or to the admin. A path with captured values (a date, a
    slug) may be remembered: whether that page exists depends on the database,
    and the middleware only answers for addresses that are 404, so a page that
    exists always wins over an old address."""
    plain = unquote(path)
    candidates = {plain, plain if plain.endswith("/") else plain + "/"}
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            for candidate in candidates:
                try:
                    match = resolve(candidate)
                except Resolver404:
                    continue
                if "admin" in match.namespaces or not (match.args or match.captured_kwargs):
                    return True
    return False


# -- Remembering ------------------------------------------------------------------


def remember(entries: Iterable[tuple[str, str, int]]) -> int:
    """Remember old addresses given as ``(url, kind, id)``, kind "article" or
    "photo"; returns how many were added.

    A path already remembered keeps its target, unless that target is of the
    same kind (an article re-imported, or its image): then it points to the new
    one. Within one call, the first entry for a path wins. A constant number of
    queries whatever the number of entries: one read, one insert, one update."""
    wanted = _wanted(entries)
    if not wanted:
        return 0
    existing = _existing(list(wanted))
    new, changed = [], []
    for path, (kind, pk) in wanted.items():
        current = existing.get(path)
        if current is None:
            new.append(OldAddress(path=path, **{TARGET_FIELDS[kind]: pk}))
        elif getattr(current, TARGET_FIELDS[kind]) not in (None, pk):
            setattr(current, TARGET_FIELDS[kind], pk)
            changed.append(current)
    with whole_statements():
        OldAddress.objects.bulk_create(new, ignore_conflicts=True)
        OldAddress.objects.bulk_update(changed, ["article", "photo"])
    if new or changed:
        # A cached home page must not stand in for a new ``/?p=123`` address.
        transaction.on_commit(pagecache.invalidate)
    return len(new)


def _wanted(entries: Iterable[tuple[str, str, int]]) -> dict[str, tuple[str, int]]:
    wanted: dict[str, tuple[str, int]] = {}
    for url, kind, pk in entries:
        if kind in TARGET_FIELDS and pk and (path := old_path(url)) is not None:
            wanted.setdefault(path, (kind, pk))
    return wanted


def _existing(paths: list[str]) -> dict[str, OldAddress]:
    found = {}
    for start in range(0, len(paths), READ_CHUNK):
        rows = OldAddress.objects.filter(path__in=paths[start : start + READ_CHUNK]).only(
            "path", "article_id", "photo_id"
        )
        found.update((row.path, row) for row in rows)
    return found


# -- Finding ------------------------------------------------------------------------


def find(keys: list[str]) -> OldAddress | None:
    """The old address matching the first key that matches, in one query on the
    unique index, with what an answer needs: ``article_published``,
    ``photo_visible`` (from the querysets that hold those rules) and
    ``rendition``, the file name of the photo's largest JPEG rendition."""
    if not keys:
        return None
    published = Article.objects.published().filter(pk=OuterRef("article_id"))
    visible = Photo.objects.visible().filter(pk=OuterRef("photo_id"))
    largest = Rendition.objects.filter(
        photo=OuterRef("photo_id"), format=Rendition.Format.JPEG
    ).order_by("-width")
    rows = (
        OldAddress.objects.filter(path__in=keys)
        .select_related("article", "photo")
        .only(
            "path",
            "article__slug",
            "article__publication_date",
            "photo__status",
            "photo__image",
            "photo__withdrawn_case",
        )  # fmt: skip
        .annotate(
            article_published=Exists(published),
            photo_visible=Exists(visible),
            rendition=Subquery(largest.values("file")[:1]),
        )
    )
    by_path = {row.path: row for row in rows}
    return next((by_path[key] for key in keys if key in by_path), None)


def rendition_url(name: str) -> str:
    """The public URL of a rendition file, from its stored name."""
    return Rendition(file=name).file.url
