"""« Photos à créditer »: photos without credit are kept from readers and listed
for editors, who credit a selection at once; writers cannot use the queue."""

import datetime

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from imports.models import OldAddress
from photos.models import Photo
from tests.factories import (
    CHIEF,
    EDITOR,
    WRITER,
    ArticleFactory,
    PhotoFactory,
    SectionFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

QUEUE = reverse("admin:photos_phototocredit_changelist")
CREDIT = "© Les Films du Lac / Photo : Inès Bonnard"


@pytest.fixture
def editor(client):
    client.force_login(UserFactory(username="editrice", role=EDITOR))
    return client


@pytest.fixture
def writer(client):
    client.force_login(UserFactory(username="redacteur", role=WRITER))
    return client


@pytest.fixture
def uncredited():
    """Two imported photos without credit, each the lead photo of a published
    article, and a withdrawn one that has no place in the queue."""
    first = PhotoFactory(credit="", title="Affiche du festival", caption="")
    second = PhotoFactory(credit="", title="", caption="La réalisatrice à Annecy")
    PhotoFactory(credit="", title="Photo retirée", status=Photo.Status.WITHDRAWN)
    cinema = SectionFactory(name="Cinéma")
    ArticleFactory(title="Le festival s'ouvre", lead_photo=first, section=cinema)
    ArticleFactory(title="Rencontre à Annecy", lead_photo=second)
    OldAddress.objects.create(path="/wp-content/uploads/2019/06/affiche-festival.jpg", photo=first)
    return [first, second]


def page(client, url, **params) -> str:
    response = client.get(url, params)
    assert response.status_code == 200
    return response.content.decode()


def credit(client, photos, **fields):
    data = {"action": "credit_selected", "_selected_action": [p.pk for p in photos], **fields}
    return client.post(QUEUE, data)


def test_uncredited_lead_photo_is_a_placeholder_on_the_article_page(client, uncredited):
    article = uncredited[0].lead_of.get()
    html = page(client, article.get_absolute_url())
    assert "photo-removed" in html  # the neutral placeholder
    assert uncredited[0].image.url not in html and 'class="credit"' not in html
    assert not Photo.objects.visible().exists()


def test_queue_lists_uncredited_photos_with_their_articles(editor, uncredited):
    html = page(editor, QUEUE)
    assert "Affiche du festival" in html and "La réalisatrice à Annecy" in html
    assert "Le festival s&#x27;ouvre" in html and "Rencontre à Annecy" in html
    assert "/wp-content/uploads/2019/06/affiche-festival.jpg" in html
    assert "Photo retirée" not in html
    assert "Photos à créditer (2)" in page(editor, reverse("admin:index"))


def test_queue_search_and_section_filter(editor, uncredited):
    assert "Affiche du festival" not in page(editor, QUEUE, q="Annecy")
    assert "La réalisatrice à Annecy" in page(editor, QUEUE, q="Annecy")
    cinema = uncredited[0].lead_of.get().section
    in_cinema = page(editor, QUEUE, rubrique=cinema.pk)
    assert "Affiche du festival" in in_cinema and "La réalisatrice" not in in_cinema
    today = datetime.date.today()
    by_day = page(editor, QUEUE, **{"created_at__day": today.day, "created_at__month": today.month,
                                    "created_at__year": today.year})  # fmt: skip
    assert "Affiche du festival" in by_day


def test_editor_credits_several_photos_at_once(
    client, editor, uncredited, django_capture_on_commit_callbacks
):
    article = uncredited[0].lead_of.get()
    page(client, article.get_absolute_url())  # cached for readers without credit

    form = credit(editor, uncredited)
    assert form.status_code == 200 and "Créditer des photos" in form.content.decode()
    assert not Photo.objects.exclude(credit="").exists()

    end = datetime.date.today() + datetime.timedelta(days=365)
    fields = {"credit": CREDIT, "photographer": "Inès Bonnard", "agency": "Les Films du Lac"}
    with django_capture_on_commit_callbacks(execute=True):
        done = credit(
            editor, uncredited, apply="yes", licence_kind="agency", licence_end=end, **fields
        )
    assert done.status_code == 302
    assert [str(m) for m in get_messages(done.wsgi_request)] == ["2 photos créditées."]
    for photo in Photo.objects.filter(pk__in=[p.pk for p in uncredited]):
        assert (photo.credit, photo.photographer_slug) == (CREDIT, "ines-bonnard")
        assert (photo.licence_kind, photo.licence_end) == ("agency", end)
    assert "Affiche du festival" not in page(editor, QUEUE)
    assert "Photos à créditer (0)" in page(editor, reverse("admin:index"))

    client.logout()
    html = page(client, article.get_absolute_url())
    assert CREDIT in html and "photo-removed" not in html


def test_credit_is_required_and_a_past_licence_end_refused(editor, uncredited):
    empty = credit(editor, uncredited, apply="yes", credit="  ")
    assert empty.status_code == 200 and "Indiquez le crédit." in empty.content.decode()
    past = credit(editor, uncredited, apply="yes", credit=CREDIT, licence_end="2001-01-01")
    assert "Cette date est passée" in past.content.decode()
    assert not Photo.objects.exclude(credit="").exists()


def test_editor_in_chief_can_use_the_queue(client, uncredited):
    client.force_login(UserFactory(username="cheffe", role=CHIEF))
    assert "Affiche du festival" in page(client, QUEUE)


def test_writer_gets_403_on_the_queue_and_on_a_forged_action(writer, uncredited):
    assert writer.get(QUEUE).status_code == 403
    forged = credit(writer, uncredited, apply="yes", credit="© Faux")
    assert forged.status_code == 403
    assert not Photo.objects.exclude(credit="").exists()
    assert "Photos à créditer" not in page(writer, reverse("admin:index"))
