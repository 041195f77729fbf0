"""Visibility: the queryset and the property agree; a licence ending makes the
photo invisible at once (midnight in Paris) and the daily command withdraws it."""

import datetime
import itertools
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.management import call_command

from photos import services
from photos.models import Photo
from tests.factories import ArticleFactory, PhotoFactory
from tests.photos.conftest import names_of

pytestmark = pytest.mark.django_db

PARIS = ZoneInfo("Europe/Paris")


def test_visible_queryset_and_is_visible_agree(time_machine):
    time_machine.move_to(datetime.datetime(2030, 3, 10, 0, 30, tzinfo=PARIS), tick=False)
    today = datetime.date(2030, 3, 10)
    ends = [None, today - datetime.timedelta(days=1), today, today + datetime.timedelta(days=1)]
    photos = [
        PhotoFactory(status=status, credit=credit, licence_end=end)
        for status, credit, end in itertools.product(Photo.Status.values, ["", "© X"], ends)
    ]
    visible = set(Photo.objects.visible().values_list("pk", flat=True))
    for photo in photos:
        case = (photo.status, photo.credit, photo.licence_end)
        assert (photo.pk in visible) == photo.is_visible, case
    assert len(visible) == 3  # visible, credited, licence open/ending today/tomorrow


def test_licence_end_hides_the_photo_at_midnight_and_the_command_withdraws_it(
    client, uploaded, time_machine, django_capture_on_commit_callbacks
):
    photo = uploaded(1, credit="© Distributeur", licence_end=datetime.date(2030, 3, 10))
    other = uploaded(2, credit="© Sans fin")
    article = ArticleFactory(body=f'<figure data-photo="{photo.pk}"></figure>', lead_photo=other)
    time_machine.move_to(datetime.datetime(2030, 3, 10, 23, 59, tzinfo=PARIS), tick=False)
    assert photo.is_visible and Photo.objects.visible().filter(pk=photo.pk).exists()
    assert "© Distributeur" in client.get(article.get_absolute_url()).content.decode()

    time_machine.move_to(datetime.datetime(2030, 3, 11, 0, 0, 1, tzinfo=PARIS), tick=False)
    assert not photo.is_visible
    assert not Photo.objects.visible().filter(pk=photo.pk).exists()
    html = client.get(article.get_absolute_url()).content.decode()
    assert "© Distributeur" not in html and "Cette photo a été retirée." in html

    names = names_of(photo)
    call_command("expire_photo_licences", "--dry-run", verbosity=0)
    photo.refresh_from_db()
    assert photo.status == "visible" and all(default_storage.exists(n) for n in names)

    with django_capture_on_commit_callbacks(execute=True):
        call_command("expire_photo_licences", verbosity=0)
    photo.refresh_from_db()
    assert photo.status == "withdrawn" and "10/03/2030" in photo.withdrawn_reason
    assert not any(default_storage.exists(n) for n in names)
    assert Photo.objects.get(pk=other.pk).status == "visible"
    withdrawn_at = photo.withdrawn_at
    call_command("expire_photo_licences", verbosity=0)  # idempotent
    photo.refresh_from_db()
    assert photo.withdrawn_at == withdrawn_at


def test_expire_command_output_follows_verbosity(capsys, time_machine):
    time_machine.move_to(datetime.datetime(2030, 3, 11, 12, 0, tzinfo=PARIS), tick=False)
    PhotoFactory(title="Expirée", licence_end=datetime.date(2030, 3, 10))
    call_command("expire_photo_licences", "--dry-run", verbosity=2)
    out = capsys.readouterr().out
    assert "Expirée" in out and "1 photo(s) with an expired licence would be withdrawn." in out
    call_command("expire_photo_licences", verbosity=0)
    assert capsys.readouterr().out == ""
    call_command("expire_photo_licences")
    assert "0 photo(s)" in capsys.readouterr().out


def test_photo_problems_and_check_publishable(time_machine):
    time_machine.move_to(datetime.datetime(2030, 3, 11, 12, 0, tzinfo=PARIS), tick=False)
    good = PhotoFactory()
    no_credit = PhotoFactory(title="Sans crédit", credit="")
    no_alt = PhotoFactory(title="Sans texte", alt_text="  ")
    expired = PhotoFactory(title="Périmée", licence_end=datetime.date(2030, 3, 10))
    hidden = PhotoFactory(title="Cachée", status=Photo.Status.HIDDEN)
    assert services.photo_problems(good) == []
    assert services.photo_problems(no_credit) == ["La photo « Sans crédit » n'a pas de crédit."]
    assert services.photo_problems(no_alt) == [
        "La photo « Sans texte » n'a pas de texte alternatif."
    ]
    assert services.photo_problems(expired) == [
        "Les droits de la photo « Périmée » ont pris fin le 10 mars 2030."
    ]
    assert services.photo_problems(hidden) == ["La photo « Cachée » est masquée."]
    problems = services.check_publishable([good, no_credit, None, no_credit, hidden])
    assert problems == [
        "La photo « Sans crédit » n'a pas de crédit.",
        "La photo « Cachée » est masquée.",
    ]


def test_alt_text_and_licence_dates_are_validated():
    photo = PhotoFactory.build(alt_text="   ", licence_start=datetime.date(2030, 1, 2),
                               licence_end=datetime.date(2030, 1, 1))  # fmt: skip
    with pytest.raises(ValidationError) as invalid:
        photo.full_clean(exclude=["image"])
    assert set(invalid.value.message_dict) == {"alt_text", "licence_end"}


def test_credit_slugs_are_computed_on_save():
    photo = PhotoFactory(photographer="Élise Œil-de-Bœuf", agency="Agence « Nord »")
    assert (photo.photographer_slug, photo.agency_slug) == ("elise-oeil-de-boeuf", "agence-nord")
