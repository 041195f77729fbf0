"""Reading a WXR file as a stream: each child of ``<channel>`` in turn, dropped
once used, its namespaced names made short (``wp:post_id``), its parts kept as
plain strings (``Item``), and XML errors told in French (``FileError``)."""

import functools
import html
from collections.abc import Iterator
from pathlib import Path

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import ParseError, iterparse
from django.utils.translation import gettext as _

from imports.records import RecordError

NAMESPACES = {
    "http://purl.org/rss/1.0/modules/content/": "content",
    "http://purl.org/dc/elements/1.1/": "dc",
    "http://wellformedweb.org/CommentAPI/": "wfw",
}
WP_EXPORT = "http://wordpress.org/export/"  # then 1.1/ or 1.2/, and …/excerpt/


def _reason(error: ParseError) -> str:
    reason = str(error).split(":")[0]
    french = {
        "mismatched tag": _("balise fermante inattendue"),
        "not well-formed (invalid token)": _("caractère ou balise invalide"),
        "no element found": _("fichier vide ou tronqué"),
        "unclosed token": _("balise non fermée"),
        "junk after document element": _("contenu après la fin du document"),
        "undefined entity": _("entité inconnue"),
    }
    return french.get(reason, reason)


@functools.lru_cache(maxsize=512)
def _name(tag: str) -> str:
    """``{namespace}local`` -> ``prefix:local`` whatever the WXR version."""
    if not tag.startswith("{"):
        return tag
    uri, local = tag[1:].split("}", 1)
    if uri.startswith(WP_EXPORT):
        return f"{'excerpt' if uri.rstrip('/').endswith('excerpt') else 'wp'}:{local}"
    return f"{NAMESPACES.get(uri, 'ns')}:{local}"


class Item:
    """The parts of one ``<item>`` (or header element) that matter, as plain strings."""

    def __init__(self, element):
        self.fields: dict[str, str] = {}
        self.categories: list[tuple[str, str]] = []
        self.meta: dict[str, str] = {}
        for child in element:
            name = _name(child.tag)
            if name == "category":
                self.categories.append((child.get("domain", ""), plain(child.text)))
            elif name == "wp:postmeta":
                pair = {_name(c.tag): (c.text or "") for c in child}
                self.meta.setdefault(pair.get("wp:meta_key", ""), pair.get("wp:meta_value", ""))
            else:
                self.fields.setdefault(name, child.text or "")

    def get(self, name: str) -> str:
        return self.fields.get(name, "").strip()


def plain(text: str | None) -> str:
    return " ".join(html.unescape(text or "").split())


class FileError(RecordError):
    """The whole file cannot be read; ``where`` says where."""

    def __init__(self, message: str, where: str = ""):
        super().__init__(message)
        self.where = where


def stream(path: Path) -> Iterator[tuple[str, object]]:
    """(name, element) for each child of ``<channel>``, dropped once used."""
    try:
        yield from _children_of_channel(path)
    except ParseError as exc:
        line, column = getattr(exc, "position", (0, 0))
        message = _("XML illisible (%(reason)s), ligne %(line)s, colonne %(column)s")
        raise FileError(
            message % {"reason": _reason(exc), "line": line, "column": column},
            _("ligne %(line)s") % {"line": line},
        ) from None
    except DefusedXmlException as exc:
        raise FileError(
            _("le fichier déclare des entités ou références XML (%(what)s) : refusé par sécurité")
            % {"what": type(exc).__name__}
        ) from None
    except OSError as exc:
        raise FileError(_("fichier illisible : %(error)s") % {"error": exc.strerror}) from None


def _children_of_channel(path: Path):
    depth, channel = 0, None
    for event, element in iterparse(str(path), events=("start", "end"), forbid_dtd=False):
        if event == "start":
            depth += 1
            if depth == 1 and _name(element.tag) != "rss":
                raise FileError(_("ce fichier XML n'est pas un export WordPress (WXR)"))
            if depth == 2:
                channel = element
            continue
        depth -= 1
        if depth == 2:
            yield _name(element.tag), element
            del channel[-1]
