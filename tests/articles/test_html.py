"""Article bodies are sanitised on save, and photos live in them only as references."""

import pytest

from articles import html
from tests.factories import ArticleFactory, PhotoFactory


@pytest.mark.parametrize(
    ("dirty", "clean"),
    [
        ("<p>Bonjour<script>alert(1)</script></p>", "<p>Bonjour</p>"),
        ('<p onclick="x()">Texte</p>', "<p>Texte</p>"),
        ('<a href="javascript:alert(1)">lien</a>', '<a rel="noopener noreferrer">lien</a>'),
        (
            '<a href="https://example.org">lien</a>',
            '<a href="https://example.org" rel="noopener noreferrer">lien</a>',
        ),
        ('<p><img src="https://example.org/x.jpg">Texte</p>', "<p>Texte</p>"),
        ('<style>p{}</style><iframe src="x"></iframe><p>ok</p>', "<p>ok</p>"),
        (
            '<figure data-photo="12"><img src="/media/x.jpg"><figcaption>x</figcaption></figure>',
            '<figure data-photo="12"></figure>',
        ),
        (
            '<figure data-photo="12" class="x" style="y"></figure>',
            '<figure data-photo="12"></figure>',
        ),
    ],
)
def test_sanitize(dirty, clean):
    assert html.sanitize(dirty) == clean


def test_text_to_html_escapes_and_splits_paragraphs():
    assert (
        html.text_to_html("Un <b>\n\nDeux & trois")
        == "<p>Un &lt;b&gt;</p>\n<p>Deux &amp; trois</p>"
    )
    assert html.text_to_html("Ligne un\nLigne deux") == "<p>Ligne un</p>\n<p>Ligne deux</p>"


@pytest.mark.django_db
def test_body_is_sanitised_on_save_and_keeps_photo_references():
    photo = PhotoFactory()
    article = ArticleFactory(
        body=f'<p>Texte</p><img src="{photo.image.url}"><figure data-photo="{photo.pk}"></figure>'
        "<script>document.cookie</script>"
    )
    article.refresh_from_db()
    assert article.body == f'<p>Texte</p><figure data-photo="{photo.pk}"></figure>'
    assert article.body_photo_ids() == [photo.pk]


@pytest.mark.django_db
def test_hiding_a_photo_changes_the_article_without_editing_it(client):
    photo = PhotoFactory(credit="© Agence Exemple")
    article = ArticleFactory(body=f'<p>Texte</p><figure data-photo="{photo.pk}"></figure>')
    updated_at = article.updated_at
    assert "© Agence Exemple" in client.get(article.get_absolute_url()).content.decode()
    photo.status = photo.Status.HIDDEN
    photo.save()
    page = client.get(article.get_absolute_url()).content.decode()
    assert "© Agence Exemple" not in page
    assert photo.image.url not in page
    assert "Cette photo est momentanément indisponible." in page
    article.refresh_from_db()
    assert article.updated_at == updated_at


# Photo references typed in the editor ------------------------------------------

from articles.html import markers_to_references, sanitize  # noqa: E402


@pytest.mark.parametrize(
    "typed",
    [
        "[photo:31]",
        "[photo: 31]",
        "[ photo : 31 ]",
        "[Photo 31]",
        "[photo:&nbsp;31]",
        "[photo :\xa031]",
    ],
)
def test_a_reference_is_recognised_with_spaces(typed):
    assert markers_to_references(f"<p>{typed}</p>") == '<figure data-photo="31"></figure>'


def test_a_reference_typed_mid_line_comes_between_two_paragraphs():
    body = markers_to_references("<p>Le jury a tranché [photo: 31] et nous aussi.</p>")
    assert body == (
        '<p>Le jury a tranché</p><figure data-photo="31"></figure><p>et nous aussi.</p>'
    )
    assert sanitize(body) == body  # what is stored, and what readers get


def test_references_at_a_paragraph_edge_leave_no_empty_paragraph():
    body = markers_to_references(
        "<p>[photo:3] Légende du début<br>[photo:4]</p><h2>Fin [photo:5]</h2>"
    )
    assert body == (
        '<figure data-photo="3"></figure><p>Légende du début</p><figure data-photo="4"></figure>'
        '<h2>Fin</h2><figure data-photo="5"></figure>'
    )


def test_a_reference_in_a_list_item_stays_in_it():
    assert markers_to_references("<ul><li>Voir [photo:8]</li></ul>") == (
        '<ul><li>Voir <figure data-photo="8"></figure></li></ul>'
    )


def test_text_that_is_no_reference_is_left_alone():
    assert markers_to_references("<p>[photographie 31] et [photo:]</p>") == (
        "<p>[photographie 31] et [photo:]</p>"
    )


@pytest.mark.django_db
def test_reader_sees_the_photo_between_the_two_halves_of_the_paragraph(client):
    from articles.forms import ArticleAdminForm

    photo = PhotoFactory(credit="© Studio Héron / Photo : Karim Haddad")
    article = ArticleFactory(body="<p>Avant.</p>")
    form = ArticleAdminForm(instance=article)
    form.cleaned_data = {"body": f"<p>Le jury a tranché [photo: {photo.pk}] et nous aussi.</p>"}
    article.body = form.clean_body()
    article.save()
    page = client.get(article.get_absolute_url()).content.decode()
    body = page[page.index('class="body"') :]
    first, figure, second = (
        body.index("Le jury a tranché</p>"),
        body.index("Karim Haddad"),
        body.index("<p>et nous aussi.</p>"),
    )
    assert first < figure < second
