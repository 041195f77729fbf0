"""The admin as each role sees it, and forged requests that must change nothing."""

import pytest
from django.urls import reverse

from articles.models import Article
from tests.factories import CHIEF, EDITOR, WRITER, ArticleFactory, AuthorFactory, UserFactory

pytestmark = pytest.mark.django_db
Status = Article.Status


@pytest.fixture
def writer():
    user = UserFactory(username="ecrivaine", role=WRITER)
    AuthorFactory(name="Écrivaine", user=user)
    return user


@pytest.fixture
def editor():
    return UserFactory(username="editeur", role=EDITOR)


def login(client, user):
    client.force_login(user)
    return client


def change_url(article):
    return reverse("admin:articles_article_change", args=[article.pk])


def transition_url(article, action):
    return reverse("admin:articles_article_transition", args=[article.pk, action])


def form_data(article, **overrides):
    data = {
        "title": article.title, "slug": article.slug, "section": article.section_id,
        "standfirst": article.standfirst, "body": article.body, "tags": "Série",
        "lead_photo": "", "source_url": "",
        "authors": [a.pk for a in article.authors.all()] if article.pk else [],
        "loaded_version": article.version,
        "gallery_items-TOTAL_FORMS": "0", "gallery_items-INITIAL_FORMS": "0",
        "events-TOTAL_FORMS": "0", "events-INITIAL_FORMS": "0",
    }  # fmt: skip
    data.update(overrides)
    return data


def test_writer_forged_publish_post_is_refused_and_changes_nothing(client, writer):
    article = ArticleFactory(status=Status.REVIEW, published_at=None, created_by=writer)
    response = login(client, writer).post(transition_url(article, "publish"), {"at": ""})
    assert response.status_code == 403
    assert Article.objects.get(pk=article.pk).status == Status.REVIEW
    assert not article.events.exists()


def test_writer_cannot_open_or_post_another_writers_article(client, writer):
    other = ArticleFactory(
        status=Status.DRAFT, published_at=None, created_by=UserFactory(role=WRITER)
    )
    login(client, writer)
    assert client.get(change_url(other)).status_code in (302, 403, 404)
    response = client.post(change_url(other), form_data(other, title="Piraté"))
    assert response.status_code in (302, 403, 404)
    assert Article.objects.get(pk=other.pk).title != "Piraté"
    assert client.post(transition_url(other, "submit")).status_code == 404
    assert (
        other.title not in client.get(reverse("admin:articles_article_changelist")).content.decode()
    )


def test_writer_creates_a_draft_that_is_theirs(client, writer):
    login(client, writer)
    section = ArticleFactory().section
    data = form_data(Article(title="Mon brouillon", section=section), slug="", loaded_version="")
    response = client.post(reverse("admin:articles_article_add"), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    article = Article.objects.get(title="Mon brouillon")
    assert article.status == Status.DRAFT and article.created_by == writer
    assert [a.user for a in article.authors.all()] == [writer]
    assert client.post(transition_url(article, "submit")).status_code == 302
    assert Article.objects.get(pk=article.pk).status == Status.REVIEW


def test_writer_has_no_access_to_users_or_groups(client, writer):
    login(client, writer)
    assert client.get(reverse("admin:auth_user_changelist")).status_code == 403


def test_editor_publishes_through_the_admin(client, editor):
    article = ArticleFactory(status=Status.REVIEW, published_at=None)
    response = login(client, editor).post(transition_url(article, "publish"), {"at": ""})
    assert response.status_code == 302
    assert Article.objects.get(pk=article.pk).is_published


def test_transition_urls_refuse_get(client, editor):
    article = ArticleFactory(status=Status.REVIEW, published_at=None)
    assert login(client, editor).get(transition_url(article, "publish")).status_code == 405
    assert Article.objects.get(pk=article.pk).status == Status.REVIEW


def test_anonymous_user_is_sent_to_login(client):
    article = ArticleFactory(status=Status.REVIEW, published_at=None)
    response = client.post(transition_url(article, "publish"))
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    assert Article.objects.get(pk=article.pk).status == Status.REVIEW


def test_concurrent_edit_is_refused_with_a_message(client, editor):
    article = ArticleFactory(title="Version de départ")
    stale = form_data(article, title="Ma version")
    colleague = form_data(article, title="Version du collègue")
    login(client, editor)
    assert client.post(change_url(article), colleague).status_code == 302
    response = client.post(change_url(article), stale)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Quelqu&#x27;un d&#x27;autre a enregistré cet article" in html
    assert 'value="Ma version"' in html  # what was typed is still in the form
    assert Article.objects.get(pk=article.pk).title == "Version du collègue"


def test_photo_markers_become_references(client, editor):
    from tests.factories import PhotoFactory

    photo = PhotoFactory()
    article = ArticleFactory()
    data = form_data(article, body=f"<p>Avant</p><p>[photo:{photo.pk}]</p>")
    assert login(client, editor).post(change_url(article), data).status_code == 302
    article.refresh_from_db()
    assert article.body == f'<p>Avant</p><figure data-photo="{photo.pk}"></figure>'
    assert list(article.body_photos.all()) == [photo]
    assert f"[photo:{photo.pk}]" in client.get(change_url(article)).content.decode()


def test_preview_is_private(client, writer, editor):
    article = ArticleFactory(title="Brouillon privé", status=Status.DRAFT, published_at=None,
                             created_by=writer)  # fmt: skip
    url = reverse("articles:preview", args=[article.pk])
    assert client.get(url).status_code == 404
    assert login(client, UserFactory(username="x", role=WRITER)).get(url).status_code == 404
    for user in (writer, editor, UserFactory(username="chef", role=CHIEF)):
        response = login(client, user).get(url)
        assert response.status_code == 200
        assert "Brouillon privé" in response.content.decode()
        assert response["X-Robots-Tag"] == "noindex, nofollow"


def test_history_compare_and_events_are_shown(client, editor):
    article = ArticleFactory(title="Premier titre")
    article.title = "Second titre"
    article.save()
    login(client, editor)
    html = client.get(reverse("admin:articles_article_compare", args=[article.pk])).content.decode()
    assert "<h2>Titre</h2>" in html
    assert "<del>Premier</del> <ins>Second</ins> titre" in html
    assert (
        client.get(reverse("admin:articles_article_history", args=[article.pk])).status_code == 200
    )


def test_change_form_offers_the_transitions_of_the_role(client, writer, editor):
    article = ArticleFactory(status=Status.DRAFT, published_at=None, created_by=writer)
    writer_page = login(client, writer).get(change_url(article)).content.decode()
    assert ">Enregistrer et soumettre<" in writer_page
    assert ">Enregistrer et publier<" not in writer_page
    editor_page = login(client, editor).get(change_url(article)).content.decode()
    assert ">Enregistrer et publier<" in editor_page


def test_dashboard_shows_my_drafts_reviews_and_photos_missing_credits(client, writer, editor):
    from tests.factories import PhotoFactory

    ArticleFactory(
        title="Mon brouillon à moi", status=Status.DRAFT, published_at=None, created_by=writer
    )
    ArticleFactory(title="À relire vite", status=Status.REVIEW, published_at=None)
    PhotoFactory(title="Photo orpheline", credit="")
    writer_home = login(client, writer).get(reverse("admin:index")).content.decode()
    assert "Mon brouillon à moi" in writer_home and "À relire vite" not in writer_home
    editor_home = login(client, editor).get(reverse("admin:index")).content.decode()
    assert "À relire vite" in editor_home and "Photo orpheline" in editor_home


def test_genre_suggestions(client, writer):
    ArticleFactory(tags=["Science-fiction", "Série", "Polar"])
    login(client, writer)
    url = reverse("admin:articles_article_tags")
    assert client.get(url, {"q": "sé"}).json() == {"results": ["Série"]}
    assert client.get(url, {"q": ""}).json() == {"results": []}
    client.logout()
    assert client.get(url, {"q": "sé"}).status_code == 302
