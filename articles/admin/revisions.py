"""An article's revisions in words, for its history and comparison pages: each
field's value as an editor reads it, what a revision changed, and two
revisions' texts compared paragraph by paragraph and word by word."""

import datetime
import difflib
import re

from django.utils import formats, timezone
from django.utils.html import escape, format_html, strip_tags
from django.utils.safestring import mark_safe
from django.utils.text import Truncator, capfirst
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from articles import html, workflow
from articles.models import Article

# Fields whose values are long texts: the history says they changed and links to
# the comparison; the comparison shows their words.
LONG_TEXT_FIELDS = {"body", "standfirst"}
HISTORY_TYPES = {"+": _("créé"), "~": _("modifié"), "-": _("supprimé")}
_BLOCK_END = re.compile(r"</(p|h[1-6]|li|blockquote|figure)>|<br\s*/?>|<hr\s*/?>", re.I)


def local_datetime(value) -> str:
    """A date and time as editors read them: the site's time zone, French words."""
    if value is None:
        return "—"
    return formats.date_format(timezone.localtime(value), "DATETIME_FORMAT")


def readable_value(name: str, value) -> str:
    """A revision's field value in words: labels for states, local times, names
    for related rows, "—" for nothing."""
    if value is None or value == "" or value == []:
        return "—"
    field = Article._meta.get_field(name)
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, datetime.datetime):
        return local_datetime(value)
    if field.many_to_many:
        ids = [row.get(field.m2m_reverse_field_name()) for row in value]
        names = dict(field.related_model._base_manager.filter(pk__in=ids).values_list("pk", "name"))
        return ", ".join(names.get(pk) or _("auteur supprimé") for pk in ids)
    if field.is_relation:
        pk = getattr(value, "pk", value)
        related = field.related_model._base_manager.filter(pk=pk).first()
        if related is None:
            return _("%(name)s n° %(pk)s (supprimé·e)") % {
                "name": field.related_model._meta.verbose_name,
                "pk": pk,
            }
        return str(related) or _("n° %(pk)s") % {"pk": pk}
    return Truncator(strip_tags(str(value))).chars(120)


def readable_changes(previous, record) -> list[dict]:
    """What a revision changed from the one before it, field by field, in words."""
    if previous is None:
        return []
    changes = []
    for change in record.diff_against(previous, foreign_keys_are_objs=False).changes:
        field = Article._meta.get_field(change.field)
        entry = {"field": capfirst(field.verbose_name), "long": change.field in LONG_TEXT_FIELDS}
        if not entry["long"]:
            entry["old"] = readable_value(change.field, change.old)
            entry["new"] = readable_value(change.field, change.new)
        changes.append(entry)
    return changes


def history_action(record) -> str:
    """The step a revision records: the workflow's verb, else created/changed."""
    if record.history_change_reason:
        return workflow.action_label(record.history_change_reason)
    return str(HISTORY_TYPES.get(record.history_type, record.history_type))


def text_paragraphs(value) -> list[str]:
    """A text field's paragraphs as plain text (a photo reference kept as one)."""
    text = html.references_to_markers(str(value or ""))
    text = _BLOCK_END.sub("\n", text)
    return [" ".join(part.split()) for part in strip_tags(text).splitlines() if part.strip()]


def word_diff(before: str, after: str) -> str:
    """One paragraph's change as text with <del> and <ins>: words are never split."""
    old, new = before.split(), after.split()
    parts = []
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            parts.append(escape(" ".join(old[i1:i2])))
            continue
        if i2 > i1:
            parts.append(format_html("<del>{}</del>", " ".join(old[i1:i2])))
        if j2 > j1:
            parts.append(format_html("<ins>{}</ins>", " ".join(new[j1:j2])))
    return mark_safe(" ".join(str(part) for part in parts))


def paragraphs_diff(before, after) -> list[str]:
    """The paragraphs of a text that changed, each with its words' changes;
    unchanged runs are summed up (one paragraph of context kept on each side)."""
    old, new = text_paragraphs(before), text_paragraphs(after)
    shown = []
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            same = old[i1:i2]
            if len(same) <= 2:
                shown.extend(escape(p) for p in same)
            else:
                if i1 > 0:
                    shown.append(escape(same[0]))
                skipped = len(same) - (i1 > 0) - (i2 < len(old))
                shown.append(
                    format_html(
                        '<span class="unchanged">{}</span>',
                        ngettext(
                            "… %(count)d paragraphe inchangé …",
                            "… %(count)d paragraphes inchangés …",
                            skipped,
                        )
                        % {"count": skipped},
                    )
                )
                if i2 < len(old):
                    shown.append(escape(same[-1]))
            continue
        pairs = list(zip(old[i1:i2], new[j1:j2], strict=False))
        shown.extend(word_diff(a, b) for a, b in pairs)
        shown.extend(format_html("<del>{}</del>", p) for p in old[i1 + len(pairs) : i2])
        shown.extend(format_html("<ins>{}</ins>", p) for p in new[j1 + len(pairs) : j2])
    return shown


def revision_diffs(old, new) -> list[dict]:
    """Field-by-field differences between two revisions: texts word by word,
    other fields as before and after, in words."""
    if old is None or new is None:
        return []
    diffs = []
    for change in new.diff_against(old, foreign_keys_are_objs=False).changes:
        label = capfirst(Article._meta.get_field(change.field).verbose_name)
        if change.field in LONG_TEXT_FIELDS or change.field == "title":
            diffs.append({"field": label, "paragraphs": paragraphs_diff(change.old, change.new)})
        else:
            diffs.append(
                {
                    "field": label,
                    "old": readable_value(change.field, change.old),
                    "new": readable_value(change.field, change.new),
                }
            )
    return diffs
