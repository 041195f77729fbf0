"""A hidden photo's files leave public storage: every URL it had answers 404
while it is hidden, as after a withdrawal; showing it again brings the original
back under a new name with new renditions. Checked through the media view, the
admin actions and the takedown services, with the Storage API only."""

import pytest
from django.core.files.storage import default_storage
from django.db import transaction

from photos import services
from photos.models import Photo, private_storage
from tests.factories import ArticleFactory
from tests.photos import images
from tests.photos.conftest import names_of, urls_of
from tests.photos.test_admin import action

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _private_root(settings, tmp_path):
    settings.PHOTO_PRIVATE_ROOT = tmp_path / "private" / "photos"


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
    """Run the block's on-commit work (file deletions) as a real commit would."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def statuses(client, urls) -> list[int]:
    return [client.get(url).status_code for url in urls]


def test_hidden_photo_urls_answer_404_and_original_waits_in_private(client, uploaded, commit):
    photo = uploaded(1)
    urls, names = urls_of(photo), names_of(photo)
    assert len(urls) == 7 and statuses(client, urls) == [200] * 7

    with commit():
        services.hide_photo(photo=photo, reason="Réclamation en cours")

    photo.refresh_from_db()
    assert statuses(client, urls) == [404] * 7
    assert not any(default_storage.exists(name) for name in names)
    assert not photo.image and photo.renditions.count() == 0
    assert private_storage().exists(photo.hidden_original)
    assert (photo.width, photo.height, photo.phash) != (None, None, "")


def test_unhide_brings_files_back_under_new_names(client, uploaded, commit):
    photo = uploaded(1)
    old_urls = urls_of(photo)
    with commit():
        services.hide_photo(photo=photo)
    private = Photo.objects.get().hidden_original

    with commit():
        services.unhide_photo(photo=photo)

    photo.refresh_from_db()
    new_urls = urls_of(photo)
    assert photo.status == "visible" and not photo.hidden_original
    assert len(new_urls) == 7 and not set(new_urls) & set(old_urls)
    assert statuses(client, new_urls) == [200] * 7
    assert statuses(client, old_urls) == [404] * 7
    assert not private_storage().exists(private)


def test_a_rolled_back_hide_keeps_the_public_files(client, uploaded, commit):
    photo = uploaded(1)
    names, urls = names_of(photo), urls_of(photo)
    with pytest.raises(RuntimeError), commit(), transaction.atomic():
        services.hide_photo(photo=photo)
        raise RuntimeError("la base a refusé")
    assert all(default_storage.exists(name) for name in names)
    photo = Photo.objects.get()
    assert photo.status == "visible" and names_of(photo) == names and not photo.hidden_original
    assert statuses(client, urls) == [200] * 7


def test_withdrawing_a_hidden_photo_deletes_its_private_original(client, uploaded, commit):
    photo = uploaded(1)
    urls = urls_of(photo)
    with commit():
        services.hide_photo(photo=photo)
    private = Photo.objects.get().hidden_original

    with commit():
        services.withdraw_photo(photo=photo, reason="Fin des droits")

    photo.refresh_from_db()
    assert photo.status == "withdrawn" and not photo.hidden_original and not photo.private_copy
    assert not private_storage().exists(private)
    assert statuses(client, urls) == [404] * 7


def test_withdrawing_a_hidden_photo_can_keep_it_for_restoration(client, uploaded, commit):
    photo = uploaded(1)
    urls = urls_of(photo)
    with commit():
        services.hide_photo(photo=photo)
    private = Photo.objects.get().hidden_original
    with commit():
        services.withdraw_photo(photo=photo, keep_private_copy=True, case_reference="R-1")
    photo.refresh_from_db()
    assert photo.private_copy == private and private_storage().exists(private)

    with commit():
        services.restore_photo(photo=photo)

    photo.refresh_from_db()
    assert photo.status == "visible" and statuses(client, urls_of(photo)) == [200] * 7
    assert statuses(client, urls) == [404] * 7


def test_a_new_file_for_a_hidden_photo_stays_private(client, uploaded, commit):
    photo = uploaded(1)
    with commit():
        services.hide_photo(photo=photo)
    before = Photo.objects.get().hidden_original

    with commit():
        services.replace_image(photo=photo, file=images.upload("b.jpg", images.jpeg(9, (900, 600))))

    photo.refresh_from_db()
    assert not photo.image and photo.renditions.count() == 0 and photo.width == 900
    assert not private_storage().exists(before) and private_storage().exists(photo.hidden_original)
    assert services.ensure_renditions(photo=photo) == 0
    with commit():
        services.unhide_photo(photo=photo)
    photo.refresh_from_db()
    assert photo.image.width == 900 and statuses(client, urls_of(photo)) == [200] * 5


def test_admin_actions_hide_and_show_the_files(admin_client, client, uploaded, commit):
    photo = uploaded(1)
    urls = urls_of(photo)
    with commit():
        action(admin_client, "hide", [photo])
    assert statuses(client, urls) == [404] * 7
    with commit():
        action(admin_client, "unhide", [photo])
    photo.refresh_from_db()
    assert statuses(client, urls_of(photo)) == [200] * 7


def test_closing_an_earlier_case_spares_the_original_of_a_photo_hidden_again(uploaded, commit):
    """A restored photo keeps its case's private copy until the case closes; if it
    is hidden again meanwhile, discarding that copy must not lose the original."""
    photo = uploaded(1)
    with commit():
        services.withdraw_photo(photo=photo, keep_private_copy=True, case_reference="R-1")
        services.restore_photo(photo=photo)
        services.hide_photo(photo=photo)
        services.discard_private_copy(photo=photo)
        services.unhide_photo(photo=photo)
    photo.refresh_from_db()
    assert photo.status == "visible" and default_storage.exists(photo.image.name)
    assert photo.renditions.count() == 6


def test_article_page_emits_no_url_of_a_hidden_photo(client, uploaded, commit):
    photo = uploaded(1)
    article = ArticleFactory(lead_photo=photo, body=f'<figure data-photo="{photo.pk}"></figure>')
    urls = urls_of(photo)
    with commit():
        services.hide_photo(photo=photo)
    html = client.get(article.get_absolute_url()).content.decode()
    assert "Cette photo est momentanément indisponible." in html
    assert "/media/" not in html and not any(url in html for url in urls)
    feed = client.get("/flux/rss/").content.decode()
    assert "<enclosure" not in feed and "/media/" not in feed


def test_showing_again_a_photo_whose_private_original_was_lost(admin_client, client, uploaded):
    photo = uploaded(1)
    article = ArticleFactory(lead_photo=photo)
    services.hide_photo(photo=photo)
    private_storage().delete(Photo.objects.get().hidden_original)

    assert action(admin_client, "unhide", [photo]).status_code == 302

    photo.refresh_from_db()
    assert photo.status == "visible" and not photo.image and not photo.hidden_original
    html = client.get(article.get_absolute_url()).content.decode()
    assert "Cette photo est momentanément indisponible." in html and "og:image" not in html
