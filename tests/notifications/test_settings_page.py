"""The "Mes notifications" page: each volunteer chooses their own emails, and only theirs;
the admin home shows the chief the rights holders' requests waiting."""

import datetime
import html

import pytest
from django.urls import reverse
from django.utils import timezone

from notifications.models import NotificationSettings
from takedowns.models import Notice
from tests.factories import CHIEF, EDITOR, WRITER, UserFactory

pytestmark = pytest.mark.django_db
URL = "/admin/mes-notifications/"


def test_the_page_has_a_named_address():
    assert reverse("notifications:settings") == URL


def test_a_writer_is_offered_only_what_concerns_them(client):
    client.force_login(UserFactory(username="ecrivaine", role=WRITER))
    page = html.unescape(client.get(URL).content.decode())
    assert "Mes notifications" in page and "ecrivaine@example.org" in page
    assert 'name="my_articles"' in page
    assert 'name="review_requests"' not in page and 'name="rights_requests"' not in page


def test_the_chief_is_offered_every_kind(client):
    client.force_login(UserFactory(username="cheffe", role=CHIEF))
    page = client.get(URL).content.decode()
    for kind in ("my_articles", "review_requests", "rights_requests"):
        assert f'name="{kind}"' in page


def test_saving_changes_ones_own_settings_only(client):
    editor = UserFactory(username="editeur", role=EDITOR)
    colleague = UserFactory(username="collegue", role=EDITOR)
    NotificationSettings.objects.create(user=colleague)
    client.force_login(editor)
    # Unticked boxes are absent from a POST; a forged "user" field is ignored.
    response = client.post(URL, {"my_articles": "on", "user": colleague.pk})
    assert response.status_code == 302 and response["Location"] == URL
    mine = NotificationSettings.objects.get(user=editor)
    assert mine.my_articles and not mine.review_requests
    theirs = NotificationSettings.objects.get(user=colleague)
    assert theirs.review_requests and theirs.my_articles
    assert "Vos préférences de notification sont enregistrées" in html.unescape(
        client.get(URL).content.decode()
    )


def test_a_kind_not_offered_is_not_changed_by_a_forged_post(client):
    writer = UserFactory(username="ecrivaine", role=WRITER)
    client.force_login(writer)
    client.post(URL, {"my_articles": "on"})  # rights_requests absent: not offered
    assert NotificationSettings.objects.get(user=writer).rights_requests


def test_another_persons_settings_have_no_address(client):
    other = UserFactory(username="autre", role=WRITER)
    client.force_login(UserFactory(username="ecrivaine", role=WRITER))
    assert client.get(f"{URL}{other.pk}/").status_code == 404


def test_anonymous_and_non_staff_visitors_are_sent_to_the_login(client):
    for user in (None, UserFactory(username="lecteur", is_staff=False)):
        if user is not None:
            client.force_login(user)
        response = client.post(URL, {"my_articles": ""})
        assert response.status_code == 302 and "/admin/login/" in response["Location"]
    assert not NotificationSettings.objects.exists()


def test_the_dashboard_links_to_the_page(client):
    client.force_login(UserFactory(username="ecrivaine", role=WRITER))
    assert f'href="{URL}"' in client.get(reverse("admin:index")).content.decode()


@pytest.fixture
def notices():
    now = timezone.now()
    common = {
        "name": "Jeanne Objectif", "email": "jeanne@objectif-photo.fr",
        "capacity": "photographer", "kind": "withdraw", "explanation": "C'est ma photo.",
    }  # fmt: skip
    Notice.objects.create(reference="2026-0007", status="new", received_at=now, **common)
    Notice.objects.create(
        reference="2026-0003", status="new", received_at=now - datetime.timedelta(days=30), **common
    )
    Notice.objects.create(reference="2026-0001", status="decided", received_at=now, **common)
    Notice.objects.create(status="unverified", **common)


def test_the_dashboard_shows_the_chief_the_requests_waiting(client, notices):
    client.force_login(UserFactory(username="cheffe", role=CHIEF))
    page = html.unescape(client.get(reverse("admin:index")).content.decode())
    assert "Demandes d'ayants droit en attente (2)" in page
    assert page.index("2026-0003") < page.index("2026-0007")  # the oldest first
    assert "décision en retard" in page  # the one of 30 days ago
    assert "mesure provisoire avant le" in page  # today's
    assert "2026-0001" not in page


@pytest.mark.parametrize("role", [WRITER, EDITOR])
def test_the_dashboard_shows_no_request_to_others(client, notices, role):
    client.force_login(UserFactory(username="benevole", role=role))
    page = html.unescape(client.get(reverse("admin:index")).content.decode())
    assert "Demandes d'ayants droit" not in page and "2026-0003" not in page
