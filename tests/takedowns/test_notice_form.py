"""The public notice form (acceptance 4): a valid notice is stored unverified and
its sender is asked to confirm their address; every invalid notice gets a clear
message per field, keeps what was typed and creates nothing; proof files are
checked and kept out of public storage; the 6th notice in an hour is refused."""

import os

import pytest
from django.conf import settings
from django.core import mail
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from takedowns.models import Event, Evidence, Notice
from tests.photos import images

pytestmark = pytest.mark.django_db

URL = "/signaler-une-photo/"
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n"


def form_data(photo=None, **overrides) -> dict:
    data = {
        "name": "Jeanne Objectif",
        "email": "jeanne@objectif-photo.fr",
        "organisation": "",
        "capacity": "photographer",
        "rights_holder": "",
        "photo_ids": str(photo.pk) if photo else "",
        "urls": "",
        "original_work": "https://objectif-photo.fr/portfolio/festival-2019",
        "kind": "withdraw",
        "explanation": "Cette photo est de moi et je n'ai jamais autorisé sa publication.",
        "requested_credit": "",
        "good_faith": "on",
        "website": "",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def post(client, data, **extra):
    return client.post(URL, data, **extra)


def nothing_created():
    return not Notice.objects.exists() and not Evidence.objects.exists() and not mail.outbox


def test_report_link_opens_form_prefilled_with_the_photo(client, upload, published):
    photo = upload(1)
    article = published(photo)
    html = client.get(article.get_absolute_url()).content.decode()
    assert f'href="/signaler-une-photo/?photo={photo.pk}#signaler"' in html
    response = client.get(f"{URL}?photo={photo.pk}")
    page = response.content.decode()
    assert response.status_code == 200
    assert f'name="photo_ids" value="{photo.pk}"' in page
    assert photo.credit in page
    assert 'id="signaler"' in page
    assert "engage la responsabilité" in page
    assert 'name="csrfmiddlewaretoken"' in page


def test_valid_notice_is_stored_unverified_and_asks_to_confirm_the_address(
    client, upload, django_capture_on_commit_callbacks
):
    photo = upload(1)
    with django_capture_on_commit_callbacks(execute=True):
        response = post(client, form_data(photo))
        assert not mail.outbox  # emails leave once the notice is committed
    assert response.status_code == 302 and response["Location"] == "/signaler-une-photo/envoyee/"
    notice = Notice.objects.get()
    assert notice.status == "unverified" and notice.reference is None
    assert list(notice.photos.all()) == [photo]
    assert notice.tracking_token_hash is None
    assert Event.objects.filter(notice=notice, action="submit", to_status="unverified").count() == 1
    [message] = mail.outbox
    assert message.to == ["jeanne@objectif-photo.fr"]
    assert "http://testserver/signaler-une-photo/confirmer/" in message.body


def test_urls_of_site_pages_and_images_find_the_photos(client, upload, published):
    lead, other = upload(1), upload(2)
    article = published(lead)
    rendition = other.renditions.first()
    urls = f"http://testserver{article.get_absolute_url()}\n{rendition.file.url}"
    response = post(client, form_data(urls=urls))
    assert response.status_code == 302
    notice = Notice.objects.get()
    assert set(notice.photos.all()) == {lead, other}


def test_several_photos_by_number(client, upload):
    first, second = upload(1), upload(2)
    post(client, form_data(photo_ids=f"{first.pk}, {second.pk}"))
    assert set(Notice.objects.get().photos.all()) == {first, second}


REQUIRED = {
    "name": "Ce champ est obligatoire.",
    "email": "Ce champ est obligatoire.",
    "capacity": "Ce champ est obligatoire.",
    "kind": "Ce champ est obligatoire.",
    "explanation": "Ce champ est obligatoire.",
    "good_faith": "Cochez cette déclaration pour envoyer la demande.",
    "photo_ids": "Indiquez au moins une photo",
}


@pytest.mark.parametrize("field", sorted(REQUIRED))
def test_each_missing_field_gets_its_message_and_keeps_the_rest(client, upload, field):
    photo = upload(1)
    data = form_data(photo, explanation="Mon explication détaillée, à garder.")
    data.pop(field, None)
    if field == "photo_ids":
        data["photo_ids"] = ""
    response = post(client, data)
    page = response.content.decode()
    assert response.status_code == 400
    assert "La demande n'a pas été envoyée" in page
    assert REQUIRED[field] in page
    assert f'id="id_{field}_erreurs"' in page
    if field != "explanation":
        assert "Mon explication détaillée, à garder." in page
    if field != "name":
        assert 'value="Jeanne Objectif"' in page
    assert nothing_created()


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        (
            {"email": "jeanne-at-example"},
            "email",
            "Cette adresse électronique n&#x27;est pas valide",
        ),
        ({"photo_ids": "999999"}, "photo_ids", "Aucune photo ne porte le numéro 999999"),
        ({"photo_ids": "douze"}, "photo_ids", "« douze » n&#x27;est pas un numéro de photo."),
        (
            {"photo_ids": "", "urls": "https://ailleurs.example.com/page"},
            "urls",
            "n&#x27;est pas une adresse de ce site",
        ),
        (
            {"kind": "correct_credit", "requested_credit": ""},
            "requested_credit",
            "Indiquez le crédit exact",
        ),
        (
            {"kind": "add_credit", "requested_credit": "DR"},
            "requested_credit",
            "ne nomme personne",
        ),
        (
            {"capacity": "agency", "organisation": "", "rights_holder": ""},
            "rights_holder",
            "Indiquez au nom de qui vous agissez",
        ),
    ],
)
def test_invalid_values_get_a_clear_message(client, upload, overrides, field, message):
    photo = upload(1)
    response = post(client, form_data(photo, **overrides))
    page = response.content.decode()
    assert response.status_code == 400
    assert message in page, page
    assert f'id="id_{field}_erreurs"' in page
    assert nothing_created()


def _file(name, data):
    return SimpleUploadedFile(name, data)


ELF = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 200
WINDOWS_EXE = b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 200


@pytest.mark.parametrize(
    ("upload_file", "message"),
    [
        (lambda: _file("licence.pdf", ELF), "n&#x27;est pas un vrai fichier PDF"),
        (lambda: _file("contrat.pdf", WINDOWS_EXE), "n&#x27;est pas un vrai fichier PDF"),
        (lambda: _file("outil.exe", WINDOWS_EXE), "seuls les fichiers PDF, JPEG et PNG"),
        (lambda: _file("photo.png", images.jpeg(3, (200, 100))), "pas un vrai fichier PNG"),
        (lambda: _file("page.pdf", b"<html><script>alert(1)</script>"), "pas un vrai fichier PDF"),
        (lambda: _file("vide.pdf", b""), "est vide"),
        (
            lambda: _file("enorme.pdf", b"%PDF-1.4\n" + b"0" * (5 * 1024 * 1024 + 1)),
            "est trop lourd",
        ),
    ],
)
def test_bad_attachments_are_refused_and_nothing_is_stored(
    client, upload, tmp_path, upload_file, message
):
    photo = upload(1)
    data = form_data(photo, evidence=upload_file())
    response = post(client, data)
    page = response.content.decode()
    assert response.status_code == 400
    assert message in page
    assert "choisissez-les à nouveau" in page
    assert nothing_created()
    assert not (tmp_path / "private" / "takedowns").exists()


def test_good_attachments_go_to_private_storage_with_unguessable_names(client, upload, tmp_path):
    photo = upload(1)
    files = [_file("Licence Agence.pdf", PDF), _file("contrat.jpg", images.jpeg(2, (300, 200)))]
    response = post(client, form_data(photo, evidence=files))
    assert response.status_code == 302
    evidence = list(Evidence.objects.order_by("pk"))
    assert [e.original_name for e in evidence] == ["Licence Agence.pdf", "contrat.jpg"]
    assert [e.content_type for e in evidence] == ["application/pdf", "image/jpeg"]
    private_root = tmp_path / "private" / "takedowns"
    for item in evidence:
        path = private_root / item.file.name
        assert path.exists()
        assert not str(path).startswith(str(settings.MEDIA_ROOT))
        stem = os.path.splitext(os.path.basename(item.file.name))[0]
        assert len(stem) >= 32 and "Licence" not in item.file.name
        assert not default_storage.exists(item.file.name)
        with pytest.raises(ValueError):
            item.file.url  # noqa: B018  (no public URL at all)


def test_honeypot_pretends_success_and_stores_nothing(client, upload):
    response = post(client, form_data(upload(1), website="http://spam.example"))
    assert response.status_code == 302
    assert nothing_created()


def test_csrf_is_required(upload):
    client = Client(enforce_csrf_checks=True)
    response = post(client, form_data(upload(1)))
    assert response.status_code == 403
    assert not Notice.objects.exists()


def test_sixth_notice_in_an_hour_from_one_ip_is_refused_politely(client, upload):
    photo = upload(1)
    for n in range(5):
        response = post(client, form_data(photo, email=f"personne{n}@example.org"))
        assert response.status_code == 302
    response = post(client, form_data(photo, email="encore@example.org"))
    assert response.status_code == 429
    assert "Trop de demandes pour le moment" in response.content.decode()
    assert response["Retry-After"] == "3600"
    assert Notice.objects.count() == 5


def test_sixth_notice_in_an_hour_from_one_email_is_refused(client, upload, time_machine):
    photo = upload(1)
    time_machine.move_to("2026-03-01 10:00", tick=False)
    for n in range(5):
        response = post(client, form_data(photo), REMOTE_ADDR=f"10.0.0.{n}")
        assert response.status_code == 302
    response = post(client, form_data(photo), REMOTE_ADDR="10.0.0.99")
    assert response.status_code == 429
    assert Notice.objects.count() == 5


def test_invalid_attempts_do_not_use_up_the_allowance(client, upload):
    photo = upload(1)
    for _ in range(6):
        assert post(client, form_data(photo, name="")).status_code == 400
    assert post(client, form_data(photo)).status_code == 302
