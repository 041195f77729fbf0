"""From the confirmation link to the queue: reference number, private tracking
link (only its hash stored), completeness check, identity flag, routing."""

import re

import pytest
from django.core import mail
from django.core.management import call_command

from takedowns import services
from takedowns.models import Notice, token_hash
from tests.factories import AuthorFactory, UserFactory
from tests.takedowns.conftest import notice_data

pytestmark = pytest.mark.django_db


def confirm_link(message) -> str:
    return re.search(r"http://testserver(/signaler-une-photo/confirmer/\S+/)", message.body)[1]


def tracking_link(message) -> str:
    return re.search(r"http://testserver(/signaler-une-photo/suivi/\S+/)", message.body)[1]


def test_confirmation_link_puts_the_notice_in_the_queue(
    client, chief, upload, django_capture_on_commit_callbacks
):
    photo = upload(1)
    with django_capture_on_commit_callbacks(execute=True):
        notice = services.submit_notice(**notice_data(photo))
    link = confirm_link(mail.outbox[0])
    page = client.get(link)
    assert page.status_code == 200 and "Je confirme ma demande" in page.content.decode()
    notice.refresh_from_db()
    assert notice.status == "unverified"  # a GET (mail scanners) confirms nothing

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(link)
    assert response.status_code == 302
    notice.refresh_from_db()
    assert notice.status == "new"
    assert re.fullmatch(r"\d{4}-\d{6}", notice.reference)
    acknowledgement, to_chief = mail.outbox[1:]
    assert acknowledgement.to == ["jeanne@objectif-photo.fr"]
    assert notice.reference in acknowledgement.subject
    token = tracking_link(acknowledgement).rstrip("/").rsplit("/", 1)[1]
    assert len(token) >= 43  # 32 random bytes
    assert notice.tracking_token_hash == token_hash(token) != token
    assert response["Location"] == tracking_link(acknowledgement)
    assert to_chief.to == ["cheffe@example.org"]
    assert f"/admin/takedowns/notice/{notice.pk}/" in to_chief.body
    assert "jeanne" not in to_chief.body.lower()

    tracking = client.get(response["Location"])
    html = tracking.content.decode()
    assert tracking.status_code == 200
    assert "reçue" in html and notice.reference in html
    assert "private" in tracking["Cache-Control"] and "no-store" in tracking["Cache-Control"]
    assert tracking["Referrer-Policy"] == "same-origin"

    # The link works once: a second confirmation creates nothing new.
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(link).status_code == 200
    assert len(mail.outbox) == 3


def test_forged_or_tampered_confirmation_link_is_refused(
    client, upload, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.submit_notice(**notice_data(upload(1)))
    link = confirm_link(mail.outbox[0])
    assert client.get(link[:-3] + "xx/").status_code == 404
    assert client.post("/signaler-une-photo/confirmer/abc:def/").status_code == 404
    assert Notice.objects.get().status == "unverified"


def test_unverified_notice_is_not_in_the_queue(client, chief, upload):
    services.submit_notice(**notice_data(upload(1)))
    client.force_login(chief)
    response = client.get("/admin/takedowns/notice/")
    assert response.status_code == 200
    assert "0 demande" in response.content.decode() or "Jeanne" not in response.content.decode()
    assert Notice.objects.in_queue().count() == 0


def test_notice_lacking_what_a_decision_needs_is_incomplete_and_says_what(client, received):
    notice, token = received(None, original_work="", urls=["http://testserver/rubriques/x/"])
    assert notice.status == "incomplete"
    acknowledgement = mail.outbox[1]
    assert "il nous manque" in acknowledgement.body
    assert "La photo concernée" in acknowledgement.body
    assert "L'œuvre originale" in acknowledgement.body
    page = client.get(f"/signaler-une-photo/suivi/{token}/").content.decode()
    assert "Il nous manque des informations" in page

    response = client.post(
        f"/signaler-une-photo/suivi/{token}/",
        {"kind": "complement", "text": "La photo n° 12, prise au festival de 2019."},
    )
    assert response.status_code == 302
    notice.refresh_from_db()
    assert notice.status == "new"
    assert notice.messages.get().text.startswith("La photo n° 12")


def test_chief_can_ask_for_exactly_what_is_missing(
    chief, received, upload, django_capture_on_commit_callbacks
):
    notice, _token = received(upload(1))
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.request_information(
            notice=notice, by=chief, missing="Une copie du contrat de licence avec l'agence."
        )
    notice.refresh_from_db()
    assert notice.status == "incomplete"
    [message] = mail.outbox
    assert message.to == ["jeanne@objectif-photo.fr"]
    assert "Une copie du contrat de licence avec l'agence." in message.body


@pytest.mark.parametrize(
    ("email", "organisation", "flagged"),
    [
        ("presse@studio-lumiere.fr", "Studio Lumière", False),
        ("j.doe@lumierefilms.com", "Les Films Lumière", False),
        ("contact@gaumont.fr", "Gaumont SA", False),
        ("studio.lumiere@gmail.com", "Studio Lumière", True),
        ("someone@other-agency.com", "Studio Lumière", True),
    ],
)
def test_claim_for_a_company_from_another_domain_is_flagged(
    received, upload, email, organisation, flagged
):
    notice, _ = received(
        upload(1), email=email, organisation=organisation, capacity="press_officer"
    )
    assert notice.identity_check_needed is flagged


def test_identity_check_is_required_then_recorded(chief, received, upload):
    photo = upload(1)
    notice, _ = received(photo, email="x@gmail.com", organisation="Agence Nord", capacity="agency")
    with pytest.raises(services.TransitionError):
        services.mark_verified(notice=notice, by=chief)
    with pytest.raises(services.TransitionError):
        services.withdraw(notice=notice, by=chief, reasons=_reasons(), photos=[photo])
    services.record_identity_check(
        notice=notice, by=chief, check="Appel au standard de l'Agence Nord : confirmé."
    )
    notice = services.mark_verified(notice=notice, by=chief)
    assert notice.status == "verified"
    assert notice.identity_check.startswith("Appel au standard")
    assert notice.events.filter(action="identity_check", actor=chief).exists()


def _reasons():
    from tests.takedowns.conftest import reasons

    return reasons()


def test_author_revoking_a_licence_is_routed_to_the_chief_never_decided(received, upload):
    photo = upload(1)
    user = UserFactory(username="auteur", email="auteur@example.org")
    AuthorFactory(user=user)
    notice, _ = received(photo, email="auteur@example.org")
    assert notice.author_revocation
    assert notice.status == "new" and notice.outcome == ""
    photo.refresh_from_db()
    assert photo.status == "visible"
    assert "retire une autorisation" in mail.outbox[-1].subject
    assert mail.outbox[-1].to == ["cheffe@example.org"]


def test_tracking_page_shows_only_this_request(client, received, upload, chief):
    mine, my_token = received(upload(1))
    other, other_token = received(
        upload(2), email="autre@example.org", explanation="Texte confidentiel de l'autre"
    )
    services.reject(notice=other, by=chief, reasons=_reasons())
    page = client.get(f"/signaler-une-photo/suivi/{my_token}/").content.decode()
    assert mine.reference in page and other.reference not in page
    assert "confidentiel" not in page and "Décision" not in page
    assert client.get("/signaler-une-photo/suivi/" + "A" * 43 + "/").status_code == 404


def test_decided_notice_shows_decision_and_reasons_and_allows_reconsideration(
    client, received, upload, chief
):
    notice, token = received(upload(1))
    services.reject(notice=notice, by=chief, reasons=_reasons())
    url = f"/signaler-une-photo/suivi/{token}/"
    page = client.get(url).content.decode()
    assert "Décision" in page and "rejetée" in page
    assert "aucune licence n&#x27;a été trouvée" in page
    assert "Demander un réexamen" in page
    response = client.post(url, {"kind": "reconsideration", "text": "Voici la licence."})
    assert response.status_code == 302
    notice.refresh_from_db()
    assert notice.status == "under_review"
    services.maintain_decision(notice=notice, by=chief, reasons=_reasons())
    notice.refresh_from_db()
    assert notice.status == "decided" and notice.outcome == "rejected"


def test_reminder_lists_requests_older_than_the_setting(
    settings, received, upload, time_machine, django_capture_on_commit_callbacks
):
    time_machine.move_to("2026-03-01 10:00", tick=False)
    old, _ = received(upload(1))
    time_machine.move_to("2026-03-03 09:00", tick=False)
    recent, _ = received(upload(2), email="autre@example.org")
    settings.TAKEDOWN_REMINDER_DAYS = 1
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("takedown_reminders")
    [message] = mail.outbox
    assert message.to == ["cheffe@example.org"]
    assert old.reference in message.body and recent.reference not in message.body
    assert "décision en retard" not in message.body
    assert "mesure provisoire en retard" in message.body
