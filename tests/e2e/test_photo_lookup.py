"""Finding one's photo by the picture itself: a photographer whose photo runs
with "DR" for a credit in two articles uploads a smaller copy of it, sees both
articles, starts a request from the results, confirms it and follows it on the
tracking page. The page is photographed at 1,280 and 390 pixels (results
included) and does not scroll sideways on a phone."""

import io

import pytest
from PIL import Image
from playwright.sync_api import expect

from photos import services as photo_services
from takedowns.models import Notice
from tests.e2e.screens import no_sideways_scroll, shoot
from tests.e2e.test_takedown import send_and_confirm
from tests.factories import ArticleFactory, SectionFactory
from tests.photos import images

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("isolated_site")]


def smaller_copy(seed: int, size: tuple[int, int]) -> bytes:
    """What the photographer has at hand: their picture at 40 %, recompressed."""
    picture = images.picture(seed, size)
    half = picture.resize((size[0] * 2 // 5, size[1] * 2 // 5), Image.Resampling.BICUBIC)
    buffer = io.BytesIO()
    half.save(buffer, "JPEG", quality=70)
    return buffer.getvalue()


def look_up(page, name: str, data: bytes) -> None:
    page.get_by_label("Vos images").set_input_files(
        files=[{"name": name, "mimeType": "image/jpeg", "buffer": data}]
    )
    page.get_by_role("button", name="Rechercher mes photos").click()


def test_rights_holder_finds_uncredited_uses_and_asks_for_a_credit(live_server, browser, page):
    base = live_server.url
    size = (1600, 1000)
    photo = photo_services.upload_photo(
        file=images.upload("festival.jpg", images.jpeg(21, size)),
        alt_text="Une chanteuse sur la grande scène du festival",
        credit="DR",
    )
    other = photo_services.upload_photo(
        file=images.upload("autre.jpg", images.jpeg(22, size)),
        alt_text="Une salle de cinéma",
        credit="© Ciné Rivage / Photo : Paul Verdier",
    )
    section = SectionFactory(name="Musique", slug="musique")
    first = ArticleFactory(
        title="Le festival des Nuits d'été s'ouvre sous l'orage", lead_photo=photo, section=section
    )
    second = ArticleFactory(
        title="Bilan : dix jours de concerts en plein air",
        section=section,
        body=f'<p>Le public était nombreux.</p><figure data-photo="{photo.pk}"></figure>',
    )
    ArticleFactory(title="Une salle rouvre", lead_photo=other, section=section)

    # From the credit line of a photo, the photographer reaches the lookup page.
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(base + first.get_absolute_url())
    page.locator("figure.lead").get_by_role("link", name="Retrouver vos photos").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Retrouver vos photos sur le site")
    expect(page.get_by_label("Vos images")).to_be_visible()

    look_up(page, "ma-photo-festival.jpg", smaller_copy(21, size))
    results = page.locator(".lookup-results")
    expect(results.get_by_role("heading", level=2)).to_have_text(
        "« ma-photo-festival.jpg » : 1 photo trouvée"
    )
    expect(results.locator(".credit")).to_have_text("DR")
    uses = results.locator("ul.uses li")
    expect(uses).to_have_count(2)
    expect(results).to_contain_text(first.title)
    expect(results).to_contain_text(second.title)
    expect(results).to_contain_text("photo principale")
    expect(results).to_contain_text("dans le texte")
    expect(results).not_to_contain_text("Une salle rouvre")
    shoot(page, "lookup-results-1280.png")
    assert no_sideways_scroll(page)

    phone = page.context.browser.new_context(
        locale="fr-FR", viewport={"width": 390, "height": 844}, device_scale_factor=2
    ).new_page()
    phone.goto(base + "/signaler-une-photo/retrouver/")
    assert no_sideways_scroll(phone)
    long_name = "ma-photo-festival-avec-un-nom-de-fichier-tres-long-2024-07-14.jpg"
    look_up(phone, long_name, smaller_copy(21, size))
    expect(phone.locator(".lookup-results ul.uses li")).to_have_count(2)
    shoot(phone, "lookup-results-390.png")
    assert no_sideways_scroll(phone), "the results page scrolls sideways at 390 px"
    phone.goto(base + "/signaler-une-photo/retrouver/")
    shoot(phone, "lookup-form-390.png")
    phone.goto(base + first.get_absolute_url())  # the credit line's two links
    shoot(phone, "credit-line-390")
    phone.goto(base + "/signaler-une-photo/")  # the notice form offers the lookup too
    expect(phone.get_by_role("button", name="Rechercher mes photos")).to_be_visible()
    assert no_sideways_scroll(phone)
    shoot(phone, "notice-form-with-lookup-390.png")
    phone.context.close()

    # One click starts a request prefilled with the photo.
    page.get_by_role("link", name="Faire une demande pour cette photo").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Signaler une photo")
    expect(page.locator("#id_photo_ids")).to_have_value(str(photo.pk))
    expect(page.locator("figure.thumb .credit")).to_have_text("DR")
    page.fill("#id_name", "Inès Morel")
    page.fill("#id_email", "ines@morel-photo.fr")
    page.check("input[name=capacity][value=photographer]")
    page.check("input[name=kind][value=add_credit]")
    page.fill("#id_requested_credit", "© Inès Morel")
    page.fill("#id_explanation", "Cette photo du festival est de moi ; elle paraît sans mon nom.")
    page.check("#id_good_faith")
    send_and_confirm(page)  # then followed on the tracking page
    notice = Notice.objects.get()
    assert list(notice.photos.all()) == [photo]
    assert notice.kind == Notice.Kind.ADD_CREDIT
    assert notice.reference in page.content()
    tracking = page.url
    page.goto(base + "/")
    page.goto(tracking)
    expect(page.get_by_role("heading", level=1)).to_contain_text(notice.reference)
    expect(page.locator(".status")).to_contain_text("reçue")
