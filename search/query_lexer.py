"""Lexing the search box's text (see :mod:`search.query`): cleaning and cutting
it, then reading it into items (words, phrases, ``OU``, filters), each with its
negation. Django-free."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from search.analysis import tokenize

MAX_QUERY_LENGTH = 500

OPEN_QUOTES = '"«“„”»'
# Any quote closes a phrase: readers mix « with " or ” freely.
CLOSE_QUOTES = OPEN_QUOTES
DASHES = "-−"  # hyphen-minus and the minus sign; en/em dashes are punctuation


# The raw text becomes a list of items: ("words", text), ("phrase", text),
# ("or",), ("filter", name, value, quoted), each with a negation flag.


@dataclass(frozen=True)
class Item:
    kind: str
    text: str = ""
    negated: bool = False
    name: str = ""
    quoted: bool = False


_FIELD_RE = re.compile(r"([^\W\d_]+):")


def add_warning(warnings: list[str], message: str) -> None:
    # Fifty stray quotes deserve one message, not fifty.
    if message not in warnings:
        warnings.append(message)


def clean(raw: str, warnings: list[str]) -> str:
    # Format characters (soft hyphen, zero-width) vanish; other controls split.
    chars = []
    for c in raw:
        category = unicodedata.category(c)
        if category == "Cf":
            continue
        chars.append(" " if category in ("Cc", "Zl", "Zp", "Cs") else c)
    text = "".join(chars)
    if len(text) > MAX_QUERY_LENGTH:
        cut = text[:MAX_QUERY_LENGTH]
        # Avoid searching for half a word.
        space = cut.rfind(" ", MAX_QUERY_LENGTH - 50)
        text = cut[:space] if space > 0 else cut
        warnings.append(
            f"La recherche est trop longue : seuls les {MAX_QUERY_LENGTH} premiers "
            "caractères ont été pris en compte."
        )
    return text


def lex(text: str, warnings: list[str]) -> list[Item]:
    items: list[Item] = []
    i, n = 0, len(text)
    while i < n:
        if text[i].isspace():
            i += 1
            continue
        negated = False
        j = i
        while j < n and text[j] in DASHES:
            j += 1
        if j > i and j < n and (text[j].isalnum() or text[j] in OPEN_QUOTES):
            negated, i = True, j
        item, i = _lex_item(text, i, negated, warnings)
        if item is not None:
            items.append(item)
    return items


def _lex_item(text: str, i: int, negated: bool, warnings: list[str]):
    if text[i] in OPEN_QUOTES:
        return _lex_phrase(text, i, negated, warnings)
    match = _FIELD_RE.match(text, i)
    if match:
        return _lex_filter(text, match, negated, warnings)
    end = _chunk_end(text, i)
    chunk = text[i:end]
    # Punctuation glued to the operator ("OU," or ":OR") does not make it a word.
    if not negated and [t.text for t in tokenize(chunk)] in (["OU"], ["OR"]):
        return Item("or"), end
    return Item("words", chunk, negated), end


def _chunk_end(text: str, i: int) -> int:
    j = i
    while j < len(text) and not text[j].isspace() and text[j] not in OPEN_QUOTES:
        j += 1
    return j


def _lex_phrase(text: str, i: int, negated: bool, warnings: list[str]):
    close = _find_close(text, i + 1)
    if close < 0:
        add_warning(
            warnings, "Un guillemet n'est pas refermé : la suite a été cherchée comme des mots."
        )
        return None, i + 1
    return Item("phrase", text[i + 1 : close], negated), close + 1


def _find_close(text: str, start: int) -> int:
    for j in range(start, len(text)):
        if text[j] in CLOSE_QUOTES:
            return j
    return -1


def _lex_filter(text: str, match: re.Match, negated: bool, warnings: list[str]):
    name = match.group(1)
    i = match.end()
    if i < len(text) and text[i] in OPEN_QUOTES and _find_close(text, i + 1) >= 0:
        close = _find_close(text, i + 1)
        return Item("filter", text[i + 1 : close], negated, name, True), close + 1
    end = _chunk_end(text, i) if i < len(text) and not text[i].isspace() else i
    return Item("filter", text[i:end], negated, name), end
