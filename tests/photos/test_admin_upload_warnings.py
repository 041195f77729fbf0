"""Uploading a photo: a probable duplicate is named with a link to the photo
already there; a licence end already past needs a confirmation (it would
withdraw the photo at once), one within 30 days is pointed out."""

import datetime

import pytest

from photos.models import Photo, site_today
from tests.photos import images
from tests.photos.test_admin import ADD, fields, text

pytestmark = pytest.mark.django_db


def messages_of(response) -> list[tuple[str, str]]:
    return [(m.level_tag, str(m)) for m in response.context["messages"]]


def test_same_picture_uploaded_twice_warns_with_a_link(admin_client, uploaded):
    first = uploaded(1, title="Affiche originale")
    copy = images.jpeg(1, (600, 400), quality=60)  # resized and recompressed
    response = admin_client.post(
        f"{ADD}add/", fields(upload=images.upload("copie.jpg", copy)), follow=True
    )
    warnings = [m for level, m in messages_of(response) if level == "warning"]
    assert len(warnings) == 1
    assert "ressemble beaucoup à" in warnings[0]
    assert f'href="/admin/photos/photo/{first.pk}/change/"' in warnings[0]
    assert "Affiche originale" in warnings[0]


def test_a_different_picture_gets_no_warning(admin_client, uploaded):
    uploaded(1)
    response = admin_client.post(
        f"{ADD}add/", fields(upload=images.upload("autre.jpg", images.jpeg(7))), follow=True
    )
    assert [level for level, _m in messages_of(response)] == ["success"]


def test_past_licence_end_needs_a_confirmation(admin_client):
    past = site_today() - datetime.timedelta(days=3)
    data = fields(licence_end=past.isoformat())
    refused = admin_client.post(
        f"{ADD}add/", {**data, "upload": images.upload("a.jpg", images.jpeg(2))}
    )
    assert refused.status_code == 200
    assert "Cette date est déjà passée" in text(refused)
    assert 'type="checkbox" name="confirm_past_licence"' in text(refused)
    assert not Photo.objects.exists()

    confirmed = admin_client.post(
        f"{ADD}add/",
        {**data, "confirm_past_licence": "on", "upload": images.upload("a.jpg", images.jpeg(2))},
    )
    assert confirmed.status_code == 302
    assert Photo.objects.get().licence_end == past


def test_confirmation_box_is_hidden_while_the_date_is_fine(admin_client):
    page = text(admin_client.get(f"{ADD}add/"))
    assert 'type="hidden" name="confirm_past_licence"' in page


def test_licence_ending_soon_is_pointed_out(admin_client):
    soon = site_today() + datetime.timedelta(days=10)
    response = admin_client.post(
        f"{ADD}add/",
        fields(licence_end=soon.isoformat(), upload=images.upload("b.jpg", images.jpeg(3))),
        follow=True,
    )
    warnings = [m for level, m in messages_of(response) if level == "warning"]
    assert warnings and "prennent fin dans 10 jours" in warnings[0]


def test_unchanged_past_licence_does_not_block_other_edits(admin_client, uploaded):
    photo = uploaded(4)
    Photo.objects.filter(pk=photo.pk).update(
        licence_end=site_today() - datetime.timedelta(days=400)
    )
    photo.refresh_from_db()
    response = admin_client.post(
        f"/admin/photos/photo/{photo.pk}/change/",
        fields(title="Nouveau titre", licence_end=photo.licence_end.isoformat()),
    )
    assert response.status_code == 302
