"""Who sees and decides (acceptance 3): only holders of takedowns.decide_notice
(the "Rédacteur en chef" group) see the queue, the evidence and the audit trail;
a writer, an editor and an anonymous visitor get 403/404 (or the admin login
page), never the data; a forged decision POST with a valid CSRF token changes
nothing; nobody reads another sender's tracking page."""

import re

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.test import Client

from takedowns.models import Event, Evidence, Notice
from tests.factories import CHIEF, EDITOR, WRITER
from tests.takedowns.test_notice_form import PDF, _file, form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(client, upload, chief, django_capture_on_commit_callbacks):
    """A confirmed notice with a proof file, sent through the public form."""
    photo = upload(1)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/signaler-une-photo/", form_data(photo, evidence=_file("licence.pdf", PDF))
        )
    assert response.status_code == 302
    link = re.search(r"http://testserver(\S+/confirmer/\S+/)", mail.outbox[0].body)[1]
    with django_capture_on_commit_callbacks(execute=True):
        tracking = client.post(link)["Location"]
    notice = Notice.objects.get()
    return notice, Evidence.objects.get(), tracking, photo


def admin_urls(notice, evidence):
    base = f"/admin/takedowns/notice/{notice.pk}"
    return {
        "queue": "/admin/takedowns/notice/",
        "decision": f"{base}/change/",
        "evidence": f"{base}/piece/{evidence.pk}/",
        "audit": "/admin/takedowns/event/",
    }


def test_only_the_decide_permission_is_granted_and_only_to_the_chief():
    holders = Group.objects.filter(permissions__codename="decide_notice")
    assert list(holders.values_list("name", flat=True)) == [CHIEF]


def test_chief_sees_queue_decision_page_evidence_and_audit(case, chief):
    notice, evidence, _tracking, photo = case
    client = Client()
    client.force_login(chief)
    urls = admin_urls(notice, evidence)
    queue = client.get(urls["queue"]).content.decode()
    assert notice.reference in queue
    page = client.get(urls["decision"])
    html = page.content.decode()
    assert page.status_code == 200
    assert photo.credit in html and "Utilisée dans" in html and "Doublons probables" in html
    assert "licence.pdf" in html and "Masquer maintenant" in html
    download = client.get(urls["evidence"])
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment")
    assert b"".join(download.streaming_content) == PDF
    assert client.get(urls["audit"]).status_code == 200


@pytest.mark.parametrize("role", [WRITER, EDITOR])
def test_writer_and_editor_see_nothing(case, role):
    from tests.factories import UserFactory

    notice, evidence, _tracking, _photo = case
    client = Client()
    client.force_login(UserFactory(username=f"u-{role}", role=role))
    urls = admin_urls(notice, evidence)
    for name in ("queue", "decision", "audit"):
        assert client.get(urls[name]).status_code == 403, name
    assert client.get(urls["evidence"]).status_code == 404
    index = client.get("/admin/").content.decode()
    assert "takedowns" not in index and "ayants droit" not in index


def test_anonymous_sees_nothing(case):
    notice, evidence, _tracking, _photo = case
    client = Client()
    urls = admin_urls(notice, evidence)
    for name in ("queue", "decision", "audit"):
        response = client.get(urls[name])
        assert response.status_code == 302 and "/admin/login/" in response["Location"], name
    assert client.get(urls["evidence"]).status_code == 404
    # and the private file has no public address at all
    assert client.get(f"/media/{evidence.file.name}").status_code == 404


@pytest.mark.parametrize("role", [WRITER, EDITOR])
def test_forged_decision_post_with_valid_csrf_token_changes_nothing(case, role):
    from tests.factories import UserFactory

    notice, _evidence, _tracking, photo = case
    user = UserFactory(username=f"faussaire-{role}", role=role)
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    client.get("/admin/")  # sets the CSRF cookie
    token = client.cookies["csrftoken"].value
    events = Event.objects.count()
    for action, data in [
        ("hide", {"hide-measure": "m", "hide-facts": "f", "hide-ground": "g"}),
        (
            "withdraw",
            {
                "withdraw-measure": "m",
                "withdraw-facts": "f",
                "withdraw-ground": "g",
                "withdraw-photos": [photo.pk],
            },
        ),
        ("reject", {"reject-measure": "m", "reject-facts": "f", "reject-ground": "g"}),
    ]:
        response = client.post(
            f"/admin/takedowns/notice/{notice.pk}/action/{action}/",
            {**data, "csrfmiddlewaretoken": token},
        )
        assert response.status_code == 403
    notice.refresh_from_db()
    photo.refresh_from_db()
    assert notice.status == "new" and photo.status == "visible" and photo.image
    assert Event.objects.count() == events


def test_chief_decision_post_works_and_errors_are_shown(case, chief):
    notice, _evidence, _tracking, photo = case
    client = Client()
    client.force_login(chief)
    url = f"/admin/takedowns/notice/{notice.pk}/action/hide/"
    missing = client.post(url, {"hide-measure": "Masquage", "hide-photos": [photo.pk]})
    assert missing.status_code == 400
    assert "Ce champ est obligatoire" in missing.content.decode()
    response = client.post(
        url,
        {
            "hide-measure": "Masquage de la photo sur toutes les pages",
            "hide-facts": "Demande de la photographe, vraisemblable",
            "hide-ground": "Mesure provisoire pendant l'examen",
            "hide-photos": [photo.pk],
        },
    )
    assert response.status_code == 302
    photo.refresh_from_db()
    assert photo.status == "hidden"


def test_tracking_page_of_someone_else_is_404(case, client):
    _notice, _evidence, tracking, _photo = case
    assert client.get(tracking).status_code == 200
    forged = tracking.rstrip("/")[:-4] + "AAAA/"
    assert client.get(forged).status_code == 404
    assert client.get("/signaler-une-photo/suivi/1/").status_code == 404
