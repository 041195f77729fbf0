"""Importing exports: the plain-text format and JSON Lines."""

import json

import pytest
from django.core.management import CommandError

from articles.models import Article, Section
from tests.imports.command import run_import

pytestmark = pytest.mark.django_db

# A text written for these tests in the layout of the magazine's export: date line,
# genre line, chapeau, body (first paragraph labelled with its section), and the
# standing notice on photo rights that ends every exported article.
NOTICE = (
    "Notre revue respecte les droits d’auteur des photographes. Nous nous engageons "
    "à retirer toutes photos litigieuses signalées par leurs ayants droit."
)
EXPORT = f"""Le 1er mars 2021
- Genre : Les Heures Claires
La deuxième saison de la série suédoise arrive enfin, et l’attente valait la peine.
Critique : Huit épisodes, une ville portuaire et une enquêtrice qui doute de tout.
La mise en scène prend son temps. C’est l'affaire d'une saison entière, pas d'un épisode.
On en ressort ébloui, un peu essoufflé aussi.
{NOTICE}
"""


@pytest.fixture
def export_file(tmp_path):
    path = tmp_path / "les-heures-claires-saison-2.txt"
    path.write_text(EXPORT, encoding="utf-8")
    return path


def test_text_export_gives_date_genre_section_and_paragraphs(export_file):
    run_import(export_file)
    article = Article.objects.get()
    assert article.publication_date.isoformat() == "2021-03-01"
    assert [t.name for t in article.tags.all()] == ["Les Heures Claires"]
    assert article.section.name == "Critique"
    assert article.standfirst.startswith("La deuxième saison")
    assert article.title == "Les heures claires saison 2"
    assert article.body == (
        "<p>Huit épisodes, une ville portuaire et une enquêtrice qui doute de tout.</p>\n"
        "<p>La mise en scène prend son temps. C’est l'affaire d'une saison entière, "
        "pas d'un épisode.</p>\n"
        "<p>On en ressort ébloui, un peu essoufflé aussi.</p>"
    )
    assert "litigieuses" not in article.body
    assert article.is_published


def test_importing_twice_leaves_one_article(export_file):
    run_import(export_file)
    first = Article.objects.get()
    out, _ = run_import(export_file)
    assert Article.objects.count() == 1
    assert Article.objects.get().pk == first.pk
    assert "0 créé(s), 0 mis à jour, 1 inchangé(s), 0 en erreur" in out


def test_reimport_updates_changed_text(export_file):
    run_import(export_file)
    export_file.write_text(EXPORT.replace("ébloui", "conquis"), encoding="utf-8")
    out, _ = run_import(export_file)
    assert "0 créé(s), 1 mis à jour, 0 inchangé(s), 0 en erreur" in out
    article = Article.objects.get()
    assert "conquis" in article.body
    assert article.version == 2
    assert [r.history_type for r in article.history.all()] == ["~", "+"]


def test_title_header_and_several_genres(tmp_path):
    path = tmp_path / "x.txt"
    path.write_text(
        "Le 14 juillet 2005\nTitre : Un été au cinéma\n- Genre : Cinéma, Festival\n"
        "- Genre : Comédie\nAuteur : Léa Bobine\nUn seul paragraphe.\n",
        encoding="utf-8",
    )
    run_import(path)
    article = Article.objects.get()
    assert article.title == "Un été au cinéma"
    assert sorted(t.name for t in article.tags.all()) == ["Cinéma", "Comédie", "Festival"]
    assert [a.name for a in article.authors.all()] == ["Léa Bobine"]
    assert article.standfirst == ""
    assert article.body == "<p>Un seul paragraphe.</p>"


def line(**fields):
    base = {
        "title": "Un titre",
        "body": "Premier paragraphe.\n\nSecond paragraphe.",
        "date": "2019-07-31",
        "tags": ["Série"],
        "author": "Alex Plume",
        "section": "News",
        "source_url": "https://example.org/a/1",
    }
    return json.dumps({**base, **fields}, ensure_ascii=False)


def test_malformed_json_line_is_reported_and_the_rest_imported(tmp_path):
    path = tmp_path / "articles.jsonl"
    path.write_text(
        "\n".join(
            [
                line(title="Premier", source_url="https://example.org/1"),
                '{"title": "cassé", "body": ',
                line(title="Troisième", source_url="https://example.org/3"),
                line(title="", source_url="https://example.org/4"),
                line(title="Cinquième", date="31 février 2019", source_url="https://example.org/5"),
            ]
        ),
        encoding="utf-8",
    )
    out, err = run_import(path)
    assert sorted(Article.objects.values_list("title", flat=True)) == ["Premier", "Troisième"]
    assert f"{path}:2: JSON invalide" in err
    assert f"{path}:4: champ « title » manquant ou vide" in err
    assert f"{path}:5: date impossible" in err
    assert "2 créé(s), 0 mis à jour, 0 inchangé(s), 3 en erreur" in out


def test_jsonl_fields_and_idempotence(tmp_path):
    path = tmp_path / "a.jsonl"
    path.write_text(line(body="<p>Du <b>HTML</b><script>alert(1)</script></p>", author="A, B"))
    run_import(path)
    run_import(path)
    article = Article.objects.get()
    assert article.body == "<p>Du <b>HTML</b></p>"
    assert sorted(a.name for a in article.authors.all()) == ["A", "B"]
    assert article.get_absolute_url() == "/2019/07/31/un-titre/"
    assert Section.objects.filter(name="News").count() == 1


def test_missing_file_is_a_clean_command_error(tmp_path):
    with pytest.raises(CommandError, match="Fichier introuvable"):
        run_import(tmp_path / "absent.jsonl")


def test_text_file_with_bad_date_is_reported(tmp_path):
    path = tmp_path / "bad.txt"
    path.write_text("Hier soir\nDu texte.\n", encoding="utf-8")
    _, err = run_import(path)
    assert "date illisible" in err
    assert Article.objects.count() == 0
