"""Required fields of the notice form are marked, with the reason beside them, and
checked by the form: a withdrawal without the original work is a form error the
sender sees at once, not a request set aside as incomplete afterwards."""

import re

import pytest
from django.core import mail

from takedowns.models import Notice
from tests.takedowns.test_notice_form import URL, form_data

pytestmark = pytest.mark.django_db


def requirement_of(page: str, field: str) -> str:
    found = re.search(rf'<div class="requirement" id="id_{field}_obligatoire">(.*?)</div>', page)
    return re.sub(r"<[^>]+>", "", found.group(1)) if found else ""


def test_form_marks_required_fields_with_the_reason(client):
    page = client.get(URL).content.decode()
    assert requirement_of(page, "original_work") == (
        "obligatoire pour un retrait : sans elle, nous ne pouvons pas vérifier que la "
        "photo est la vôtre."
    )
    for field in ("name", "email", "capacity", "photo_ids", "kind", "explanation", "good_faith"):
        assert requirement_of(page, field).startswith("obligatoire"), field
    assert requirement_of(page, "requested_credit").startswith("obligatoire pour corriger")
    assert requirement_of(page, "organisation") == ""  # optional: not marked


def test_withdrawal_without_the_original_work_is_a_form_error(client, upload):
    photo = upload(1)
    response = client.post(URL, form_data(photo, original_work="  "))
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert list(errors) == ["original_work"]
    assert "sans elle, nous ne pouvons pas vérifier" in errors["original_work"][0]
    assert not Notice.objects.exists() and not mail.outbox


def test_other_requests_need_no_original_work(client, upload):
    photo = upload(1)
    data = form_data(
        photo, original_work="", kind="correct_credit", requested_credit="© Jeanne Objectif"
    )
    response = client.post(URL, data)
    assert response.status_code == 302
    assert Notice.objects.get().kind == "correct_credit"
