"""Reading credits written by people: a credit at the end of a caption, and the
photographer and rights holder named in a credit line."""

import re

# A credit at the end of a caption (or the whole caption): « © Agence / Photo : Nom »,
# « (c) Nom », « Crédit(s) (photo) : X », « Photo : X », « DR ».
CREDIT = re.compile(
    r"(?:^|(?<=[\s(\[.,;:|/–—-]))(?:"
    r"(?P<copy>©|\(c\))"
    r"|(?P<label>cr[ée]dits?(?:\s+photos?)?|photos?\s+cr[ée]dits?)\s*:"
    r"|(?P<photo>photos?\s*:)"
    r"|(?P<dr>(?-i:D\.?\s?R\.?))(?=[\s)\]]*$)"
    r")",
    re.I,
)
SEPARATORS = " \t\n\u00a0\u202f-–—|/,;:(["
PHOTO_CREDIT_MAX = 80  # « Photo : … » longer than this is a description, not a name


def credit_from_caption(text: str) -> tuple[str, str]:
    """Split a caption into (caption without its credit, credit); the credit is
    "" when the caption names none."""
    text = " ".join((text or "").split())
    for match in CREDIT.finditer(text):
        credit = text[match.start() :] if not match.group("label") else text[match.end() :]
        credit = credit.strip(" :")
        if match.group("copy"):
            credit = re.sub(r"^\(c\)\s*", "© ", credit, flags=re.I)
        caption = text[: match.start()]
        if caption.rstrip().endswith(("(", "[")) and credit.endswith((")", "]")):
            credit = credit[:-1].strip()
        if not credit or (match.group("photo") and len(credit) > PHOTO_CREDIT_MAX):
            continue
        return _trim_caption(caption), credit
    return text, ""


def _trim_caption(caption: str) -> str:
    caption = caption.rstrip(SEPARATORS)
    if caption.endswith(".") and not caption.endswith(".."):
        caption = caption[:-1]
    return caption.rstrip(SEPARATORS)


_CREDIT_PARTS = re.compile(r"\s+[/|–—-]\s+|\s*[/;]\s*")
_PHOTOGRAPHER_LABEL = re.compile(
    r"^(?:(?:photos?|photographies?|photographes?|ph\.?)\s*:|ph\.|photos?\s+(?:de\s|d['’])|par\s)",
    re.IGNORECASE,
)
_HOLDER_LABEL = re.compile(
    r"^(?:©|\(c\)|copyright\b|crédits?(?:\s+photos?)?\s*:|credits?(?:\s+photos?)?\s*:)",
    re.IGNORECASE,
)
_NO_NAME = {"dr", "d.r", "droits réservés", "tous droits réservés", "all rights reserved"}


def credit_names(credit: str) -> tuple[str, str]:
    """(photographer, agency) read from a credit line, for the credits pages.

    « © Agence / Photo : Nom » gives ("Nom", "Agence"): a part labelled as the
    photograph's author (« Photo : », « Ph. ») names the photographer, a part with
    « © » the rights holder; an unlabelled name is the rights holder, or the
    photographer when another part carries the « © ». « DR » names no one."""
    labelled: dict[str, str] = {}
    plain: list[str] = []
    for part in _CREDIT_PARTS.split(credit or ""):
        for kind, label in (("photographer", _PHOTOGRAPHER_LABEL), ("agency", _HOLDER_LABEL)):
            if match := label.match(part.strip()):
                if name := _name(part.strip()[match.end() :]):
                    labelled.setdefault(kind, name)
                break
        else:
            if name := _name(part):
                plain.append(name)
    agency = labelled.get("agency") or (plain.pop(0) if plain else "")
    photographer = labelled.get("photographer") or (
        plain[0] if plain and "agency" in labelled else ""
    )
    return photographer[:200], agency[:200]


def _name(text: str) -> str:
    text = text.strip(" ,:©")
    return "" if text.casefold().rstrip(".") in _NO_NAME else text
