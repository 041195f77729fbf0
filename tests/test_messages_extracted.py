"""Every interface text reaches the translation catalogue: message extraction
(``makemessages``) does not read inside f-strings, so a ``gettext("…")`` written
there is never extracted, and its translation is lost at the next update."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SKIPPED = {".venv", "tests", "migrations", "node_modules", "bench"}
GETTEXTS = {"gettext", "gettext_lazy", "ngettext", "pgettext", "_", "ngettext_lazy"}


def _project_modules():
    for path in ROOT.rglob("*.py"):
        if not SKIPPED.intersection(path.relative_to(ROOT).parts):
            yield path


def _gettexts_in_fstrings(tree: ast.AST):
    for node in ast.walk(tree):
        if isinstance(node, ast.JoinedStr):
            for inner in ast.walk(node):
                if (
                    isinstance(inner, ast.Call)
                    and isinstance(inner.func, ast.Name)
                    and inner.func.id in GETTEXTS
                    and inner.args
                    and isinstance(inner.args[0], ast.Constant)
                ):
                    yield inner.lineno


def test_no_translated_text_is_written_inside_an_fstring():
    found = []
    for path in _project_modules():
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        found += [f"{path.relative_to(ROOT)}:{line}" for line in _gettexts_in_fstrings(tree)]
    assert not found, f"gettext inside an f-string is never extracted: {found}"


def test_the_check_finds_one():
    tree = ast.parse("title = f\"<h2>{gettext('Galerie')}</h2>\"")
    assert list(_gettexts_in_fstrings(tree)) == [1]
