"""Old path of the snippet builder, now :mod:`search.snippets` (shared by the
backends)."""

from search.snippets import SNIPPET_WORDS, highlight_terms, snippet_html

__all__ = ["SNIPPET_WORDS", "highlight_terms", "snippet_html"]
