"""The audit trail (acceptance 5): one row per state change, read-only in the
admin and in code. Personal data is anonymised TAKEDOWN_RETENTION_DAYS after
the decision by purge_takedown_data, and only then. The transparency report
and its CSV carry figures, no personal data."""

import csv
import datetime
import io

import pytest
from django.core.management import call_command
from django.test import Client

from photos.models import private_storage
from takedowns import services
from takedowns.models import Event, Evidence, ImmutableError, Notice
from tests.takedowns.conftest import notice_data, reasons

pytestmark = pytest.mark.django_db


def test_one_audit_row_per_state_change(chief, upload, client):
    photo = upload(1)
    notice = services.submit_notice(**notice_data(photo))
    token = services.confirm_notice(notice=notice)
    services.mark_verified(notice=notice, by=chief, note="Complète")
    services.hide_now(notice=notice, by=chief, reasons=reasons())
    services.withdraw(notice=notice, by=chief, reasons=reasons(), photos=[photo])
    client.post(
        f"/signaler-une-photo/suivi/{token}/",
        {"kind": "reconsideration", "text": "J'ai finalement accordé une licence."},
    )
    services.restore(notice=notice, by=chief, reasons=reasons("(licence accordée)"))

    rows = list(Event.objects.filter(notice=notice).order_by("at", "pk"))
    assert [(r.action, r.from_status, r.to_status) for r in rows] == [
        ("submit", "", "unverified"),
        ("confirm", "unverified", "new"),
        ("verify", "new", "verified"),
        ("hide", "verified", "under_review"),
        ("withdraw", "under_review", "decided"),
        ("reconsideration", "decided", "under_review"),
        ("restore", "under_review", "decided"),
    ]
    assert [r.actor for r in rows] == [None, None, chief, chief, chief, None, chief]
    assert rows[0].actor_name == "sender" and rows[2].actor_name == chief.username
    assert "Mesure et portée" in rows[4].reasons and "Motif" in rows[4].reasons
    assert all(r.at for r in rows)


def test_audit_rows_cannot_be_changed_or_deleted(chief, upload):
    notice = services.submit_notice(**notice_data(upload(1)))
    services.confirm_notice(notice=notice)
    event = Event.objects.filter(notice=notice).last()
    event.action = "forged"
    with pytest.raises(ImmutableError):
        event.save()
    with pytest.raises(ImmutableError):
        event.delete()

    client = Client()
    client.force_login(chief)
    url = f"/admin/takedowns/event/{event.pk}/change/"
    page = client.get(url)
    assert page.status_code == 200
    assert 'name="action"' not in page.content.decode()  # read-only display
    assert client.post(url, {"action": "forged"}).status_code == 403
    assert client.get(f"/admin/takedowns/event/{event.pk}/delete/").status_code == 403
    assert client.post(f"/admin/takedowns/event/{event.pk}/delete/", {"post": "yes"}).status_code
    assert client.get("/admin/takedowns/event/add/").status_code == 403
    assert client.post(f"/admin/takedowns/notice/{notice.pk}/delete/").status_code == 403
    event.refresh_from_db()
    assert event.action == "confirm"
    assert Event.objects.filter(pk=event.pk).exists()


def test_purge_anonymises_what_is_due_and_only_that(chief, upload, time_machine, client):
    pdf = ("licence.pdf", b"%PDF-1.4 test")
    time_machine.move_to(datetime.datetime(2024, 1, 10, 9, tzinfo=datetime.UTC), tick=False)
    old = services.submit_notice(**notice_data(upload(1), name="Ancienne Demandeuse"))
    old_token = services.confirm_notice(notice=old)
    Evidence.objects.create(
        notice=old, original_name=pdf[0], content_type="application/pdf", size=13, sha256="x"
    ).file.save("evidence/a.pdf", io.BytesIO(pdf[1]))
    services.reject(notice=old, by=chief, reasons=reasons())

    time_machine.move_to(datetime.datetime(2024, 6, 1, 9, tzinfo=datetime.UTC), tick=False)
    recent = services.submit_notice(
        **notice_data(upload(2), name="Récente Demandeuse", email="recente@example.org")
    )
    services.confirm_notice(notice=recent)
    services.reject(notice=recent, by=chief, reasons=reasons())
    still_open = services.submit_notice(
        **notice_data(upload(3), name="Ouverte", email="ouverte@example.org")
    )
    services.confirm_notice(notice=still_open)
    evidence_name = old.evidence.get().file.name
    old.refresh_from_db()
    recent.refresh_from_db()

    # 730 days after the first decision, not yet after the second.
    time_machine.move_to(datetime.datetime(2026, 1, 11, 9, tzinfo=datetime.UTC), tick=False)
    out = io.StringIO()
    call_command("purge_takedown_data", "--dry-run", stdout=out)
    assert f"anonymiser : {old.reference}" in out.getvalue()
    assert f"anonymiser : {recent.reference}" not in out.getvalue()
    old.refresh_from_db()
    assert old.name == "Ancienne Demandeuse" and old.anonymised_at is None

    call_command("purge_takedown_data", stdout=io.StringIO())
    old.refresh_from_db()
    recent.refresh_from_db()
    still_open.refresh_from_db()
    assert old.anonymised_at is not None
    assert (old.name, old.email, old.explanation, old.original_work) == ("", "", "", "")
    assert old.tracking_token_hash is None
    assert not old.evidence.exists()
    assert not Evidence._meta.get_field("file").storage.exists(evidence_name)
    # What the decision and the figures need stays.
    assert old.reference and old.outcome == "rejected" and old.decision_ground
    assert old.kind == "withdraw" and old.decided_at
    assert Event.objects.filter(notice=old, action="anonymise").count() == 1
    assert client.get(f"/signaler-une-photo/suivi/{old_token}/").status_code == 404
    # Not due: untouched.
    assert recent.name == "Récente Demandeuse" and recent.anonymised_at is None
    assert still_open.name == "Ouverte" and still_open.anonymised_at is None


def test_unconfirmed_notices_are_anonymised_after_their_own_delay(upload, time_machine, settings):
    time_machine.move_to(datetime.datetime(2026, 1, 1, 9, tzinfo=datetime.UTC), tick=False)
    notice = services.submit_notice(**notice_data(upload(1)))
    time_machine.move_to(datetime.datetime(2026, 1, 20, 9, tzinfo=datetime.UTC), tick=False)
    call_command("purge_takedown_data", stdout=io.StringIO())
    notice.refresh_from_db()
    assert notice.anonymised_at is None
    time_machine.move_to(datetime.datetime(2026, 2, 5, 9, tzinfo=datetime.UTC), tick=False)
    call_command("purge_takedown_data", stdout=io.StringIO())
    notice.refresh_from_db()
    assert notice.anonymised_at and notice.email == ""


def test_cases_are_closed_after_the_reconsideration_period(
    chief, upload, time_machine, django_capture_on_commit_callbacks
):
    photo = upload(1)
    time_machine.move_to(datetime.datetime(2026, 1, 1, 9, tzinfo=datetime.UTC), tick=False)
    notice = services.submit_notice(**notice_data(photo))
    services.confirm_notice(notice=notice)
    services.withdraw(notice=notice, by=chief, reasons=reasons(), photos=[photo])
    photo.refresh_from_db()
    copy = photo.private_copy
    time_machine.move_to(datetime.datetime(2026, 5, 1, 9, tzinfo=datetime.UTC), tick=False)
    call_command("purge_takedown_data", stdout=io.StringIO())
    assert private_storage().exists(copy)
    time_machine.move_to(datetime.datetime(2026, 7, 5, 9, tzinfo=datetime.UTC), tick=False)
    with django_capture_on_commit_callbacks(execute=True):
        call_command("purge_takedown_data", stdout=io.StringIO())
    notice.refresh_from_db()
    assert notice.closed_at and not private_storage().exists(copy)
    assert not notice.reconsideration_open()


def test_overdue_requests_are_flagged(chief, upload, time_machine, client):
    time_machine.move_to(datetime.datetime(2026, 3, 2, 9, tzinfo=datetime.UTC), tick=False)
    notice = services.submit_notice(**notice_data(upload(1)))
    services.confirm_notice(notice=notice)
    notice.refresh_from_db()
    assert notice.overdue() == []
    time_machine.move_to(datetime.datetime(2026, 3, 2, 23, 30, tzinfo=datetime.UTC), tick=False)
    assert notice.overdue() == ["mesure provisoire en retard"]  # past midnight in Paris
    time_machine.move_to(datetime.datetime(2026, 3, 9, 10, tzinfo=datetime.UTC), tick=False)
    assert notice.overdue() == ["mesure provisoire en retard", "décision en retard"]
    client.force_login(chief)
    queue = client.get("/admin/takedowns/notice/?retard=oui").content.decode()
    assert notice.reference in queue and "décision en retard" in queue


def test_repeat_senders_of_rejected_notices_are_flagged(chief, upload, client):
    for seed in (1, 2, 3):
        notice = services.submit_notice(**notice_data(upload(seed), email="Abus@Example.org"))
        services.confirm_notice(notice=notice)
        if seed < 3:
            services.reject(notice=notice, by=chief, reasons=reasons())
    client.force_login(chief)
    queue = client.get("/admin/takedowns/notice/").content.decode()
    assert "expéditeur de 2 demandes rejetées" in queue


def test_transparency_page_and_csv_have_figures_and_no_personal_data(chief, upload, client):
    first = services.submit_notice(**notice_data(upload(1)))
    services.confirm_notice(notice=first)
    services.withdraw(notice=first, by=chief, reasons=reasons(), photos=list(first.photos.all()))
    second = services.submit_notice(
        **notice_data(
            upload(2), kind="correct_credit", requested_credit="© Photo : Jeanne Objectif"
        )
    )
    services.confirm_notice(notice=second)
    services.reject(notice=second, by=chief, reasons=reasons())
    services.submit_notice(**notice_data(upload(3), email="nonconfirme@example.org"))

    page = client.get("/droits-photos/transparence/").content.decode()
    assert "Demandes reçues" in page and "Délai médian" in page
    response = client.get("/droits-photos/transparence.csv")
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert len(rows) == 1
    row = rows[0]
    assert row["received"] == "2"  # the unconfirmed one is not counted
    assert row["kind_withdraw"] == "1" and row["kind_correct_credit"] == "1"
    assert row["outcome_withdrawn"] == "1" and row["outcome_rejected"] == "1"
    assert row["outcome_credit_corrected"] == "0" and row["reconsiderations"] == "0"
    assert row["median_days_to_decision"] != ""
    for personal in ("Jeanne", "objectif-photo", "@"):
        assert personal not in page and personal not in response.content.decode()


def test_privacy_notice_states_the_retention(client, settings):
    settings.TAKEDOWN_RETENTION_DAYS = 730
    page = client.get("/droits-photos/donnees-personnelles/").content.decode()
    assert "730 jours après la décision, puis anonymisées" in page
    rights = client.get("/droits-photos/").content.decode()
    assert 'href="/signaler-une-photo/"' in rights
    assert 'href="/droits-photos/transparence/"' in rights
    assert 'id="signaler"' in rights


def test_status_constraint_exists():
    assert "notice_status_valid" in {c.name for c in Notice._meta.constraints}
