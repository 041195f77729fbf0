"""The articles' admin, one module per part: the article admin (``article``), the
rows inside its change form (``inlines``), its revisions in words and compared
(``revisions``), the publication steps (``events``) and the sections, authors and
genres (``taxonomy``). Importing the package registers them all, as Django's
admin autodiscovery expects of ``articles.admin``; the names below stay
importable from here."""

from articles.admin.article import ArticleAdmin, short_datetime, writes
from articles.admin.events import ArticleEventAdmin, StepFilter
from articles.admin.inlines import EventInline, GalleryInline, UsablePhotoPickers
from articles.admin.revisions import (
    HISTORY_TYPES,
    LONG_TEXT_FIELDS,
    history_action,
    local_datetime,
    paragraphs_diff,
    readable_changes,
    readable_value,
    revision_diffs,
    text_paragraphs,
    word_diff,
)
from articles.admin.taxonomy import AuthorAdmin, GenreTagAdmin, SectionAdmin
from articles.admin_workflow import TRANSITIONS, WorkflowButtons

__all__ = [
    "HISTORY_TYPES",
    "LONG_TEXT_FIELDS",
    "TRANSITIONS",
    "ArticleAdmin",
    "ArticleEventAdmin",
    "AuthorAdmin",
    "EventInline",
    "GalleryInline",
    "GenreTagAdmin",
    "SectionAdmin",
    "StepFilter",
    "UsablePhotoPickers",
    "WorkflowButtons",
    "history_action",
    "local_datetime",
    "paragraphs_diff",
    "readable_changes",
    "readable_value",
    "revision_diffs",
    "short_datetime",
    "text_paragraphs",
    "word_diff",
    "writes",
]
