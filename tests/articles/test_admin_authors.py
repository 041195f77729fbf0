"""A writer is an author: her profile comes with her account, and a new article
she writes carries her byline by default."""

import pytest
from django.contrib.auth.models import Group, User
from django.urls import reverse

from articles.models import Article, Author
from tests.factories import CHIEF, WRITER, SectionFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_account_created_with_a_role_gets_an_author_profile(client):
    client.force_login(UserFactory(username="cheffe", role=CHIEF))
    writer_role = Group.objects.get(name=WRITER)
    response = client.post(
        reverse("admin:auth_user_add"),
        {
            "username": "jeanne", "usable_password": "true",
            "password1": "un-mot-de-passe-solide-42", "password2": "un-mot-de-passe-solide-42",
            "first_name": "Jeanne", "last_name": "Plume", "email": "jeanne@example.org",
            "groups": [writer_role.pk],
        },
    )  # fmt: skip
    assert response.status_code == 302, response.content.decode()[:2000]
    author = User.objects.get(username="jeanne").author_profile
    assert (author.name, author.slug) == ("Jeanne Plume", "jeanne-plume")


def test_profile_slug_does_not_collide_with_an_existing_author():
    Author.objects.create(name="Jeanne Plume")
    user = UserFactory(username="jeanne2", first_name="Jeanne", last_name="Plume", role=WRITER)
    assert Author.for_user(user).slug == "jeanne-plume-2"
    assert Author.for_user(user) == Author.objects.get(user=user)  # made once


def test_new_article_form_offers_the_writer_as_author(client):
    writer = UserFactory(username="ecrivaine", first_name="Élise", last_name="Plume", role=WRITER)
    profile = Author.for_user(writer)
    client.force_login(writer)
    response = client.get(reverse("admin:articles_article_add"))
    assert response.context["adminform"].form.initial["authors"] == [profile.pk]


def test_article_saved_without_author_is_signed_by_its_writer(client):
    writer = UserFactory(username="ecrivaine", first_name="Élise", last_name="Plume", role=WRITER)
    client.force_login(writer)
    section = SectionFactory(name="Critique")
    response = client.post(
        reverse("admin:articles_article_add"),
        {
            "title": "Sans signature", "slug": "", "section": section.pk, "standfirst": "",
            "body": "<p>Texte.</p>", "tags": "", "lead_photo": "", "source_url": "",
            "gallery_items-TOTAL_FORMS": "0", "gallery_items-INITIAL_FORMS": "0",
            "events-TOTAL_FORMS": "0", "events-INITIAL_FORMS": "0",
        },
    )  # fmt: skip
    assert response.status_code == 302
    article = Article.objects.get(title="Sans signature")
    assert [a.name for a in article.authors.all()] == ["Élise Plume"]
