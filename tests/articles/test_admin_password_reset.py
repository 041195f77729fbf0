"""A volunteer who forgot their password gets a link by email, in French, built
on SITE_URL; an unknown address is not revealed."""

import re

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.urls import reverse

from tests.factories import WRITER, UserFactory

pytestmark = pytest.mark.django_db


def test_login_page_links_to_password_reset(client):
    page = client.get(reverse("admin:login")).content.decode()
    assert reverse("admin_password_reset") in page


def test_reset_by_email_end_to_end(client, settings):
    settings.SITE_URL = "https://revue.example"
    UserFactory(username="jeanne", email="jeanne@example.org", role=WRITER)
    form = client.get(reverse("admin_password_reset")).content.decode()
    assert "Mot de passe oublié" in form and "Django" not in form
    response = client.post(reverse("admin_password_reset"), {"email": "jeanne@example.org"})
    assert response.status_code == 302
    assert "Regardez vos emails" in client.get(response["Location"]).content.decode()

    (message,) = mail.outbox
    assert message.subject == f"Votre mot de passe pour {settings.SITE_NAME}"
    assert "Votre identifiant : jeanne" in message.body
    link = re.search(r"https://revue\.example(/admin/nouveau-mot-de-passe/\S+)", message.body)
    assert link, message.body

    page = client.get(link.group(1), follow=True)
    assert "Choisissez votre nouveau mot de passe" in page.content.decode()
    done = client.post(
        page.redirect_chain[-1][0],
        {"new_password1": "une-phrase-bien-longue-7", "new_password2": "une-phrase-bien-longue-7"},
        follow=True,
    )
    assert "Mot de passe enregistré" in done.content.decode()
    assert User.objects.get(username="jeanne").check_password("une-phrase-bien-longue-7")


def test_unknown_address_gets_the_same_answer_and_no_email(client):
    response = client.post(reverse("admin_password_reset"), {"email": "personne@example.org"})
    assert response.status_code == 302
    assert mail.outbox == []


def test_reset_form_is_protected_by_csrf():
    from django.test import Client

    response = Client(enforce_csrf_checks=True).post(
        reverse("admin_password_reset"), {"email": "jeanne@example.org"}
    )
    assert response.status_code == 403
