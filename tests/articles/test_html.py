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
