"""Acceptance: JSON Lines with photos, through the command and the reader pages."""

import json
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

from articles.models import Article
from imports.models import StoredFile
from photos.models import Photo
from tests.photos import images

pytestmark = pytest.mark.django_db


@pytest.fixture
def media(tmp_path):
    root = tmp_path / "old-site"
    (root / "2018").mkdir(parents=True)
    for seed in (1, 2, 3, 4):
        (root / "2018" / f"image-{seed}.jpg").write_bytes(images.jpeg(300 + seed, (900, 600)))
    # The same picture as image-1, smaller and recompressed, under another name.
    (root / "2018" / "copie.jpg").write_bytes(images.jpeg(301, (450, 300), quality=60))
    (root / "2018" / "faux.jpg").write_bytes(b"<html>pas une image</html>")
    return root


def photo(name: str, credit: str, **fields) -> dict:
    return {"file": f"2018/{name}", "credit": credit, "alt": f"Photo {name}", **fields}


def record(n: int, **fields) -> dict:
    return {
        "source_url": f"https://revue.example.org/{n}/",
        "title": f"Dans les coulisses du festival, épisode {n}",
        "date": "2018-07-0" + str(n),
        "body": f"<p>Épisode {n} de notre feuilleton d'été.</p>",
        **fields,
    }


def run(tmp_path, media, records):
    export = tmp_path / "photos.jsonl"
    export.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in records))
    out, err = StringIO(), StringIO()
    call_command("import_articles", str(export), media_root=media, stdout=out, stderr=err,
                 no_progress=True)  # fmt: skip
    return export, out.getvalue(), err.getvalue()


def media_files() -> set[str]:
    root = Path(settings.MEDIA_ROOT)
    return {str(p.relative_to(root)) for p in root.rglob("*") if p.is_file()}


def test_each_photo_shows_its_credit_on_the_article_page(tmp_path, media, client, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    body = (
        '<p>Avant la projection.</p><figure><img src="2018/image-3.jpg" alt="La salle">'
        "<figcaption>La salle comble. © Ciné Rivage / Photo : Paul Verdier</figcaption>"
        "</figure><p>Après.</p>"
    )
    run(tmp_path, media, [record(
        1,
        body=body,
        lead_photo=photo("image-1.jpg", "© Festival des Dunes / Photo : Ana Ruiz"),
        gallery=[photo("image-2.jpg", "© Agence Littoral")],
    )])  # fmt: skip
    article = Article.objects.get()
    page = client.get(article.get_absolute_url()).content.decode()
    for credit in ("Ana Ruiz", "Agence Littoral", "Paul Verdier"):
        assert credit in page
    assert Photo.objects.count() == 3
    inline = Photo.objects.get(credit="© Ciné Rivage / Photo : Paul Verdier")
    assert inline.caption == "La salle comble"
    assert f'<figure data-photo="{inline.pk}"></figure>' in article.body


def test_the_same_picture_twice_is_one_photo(tmp_path, media, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    run(tmp_path, media, [
        record(1, lead_photo=photo("image-1.jpg", "© Festival des Dunes")),
        record(2, lead_photo=photo("copie.jpg", "© Festival des Dunes")),
        record(3, lead_photo=photo("image-1.jpg", "© Festival des Dunes")),
    ])  # fmt: skip
    assert Photo.objects.count() == 1
    assert set(Article.objects.values_list("lead_photo", flat=True)) == {Photo.objects.get().pk}


def test_an_invalid_image_is_a_line_error_and_leaves_nothing(tmp_path, media, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    export, out, err = run(tmp_path, media, [
        record(1, lead_photo=photo("image-1.jpg", "© Festival des Dunes")),
        record(2, lead_photo=photo("image-4.jpg", "© Agence Littoral"),
               gallery=[photo("faux.jpg", "© Agence Littoral")]),
    ])  # fmt: skip
    assert f"{export}:2: " in err and "faux.jpg" in err
    assert "1 créé(s), 0 mis à jour, 0 inchangé(s), 1 en erreur" in out
    assert list(Article.objects.values_list("source_url", flat=True)) == [
        "https://revue.example.org/1/"
    ]
    assert Photo.objects.count() == 1  # image-4 was not kept for the failed article
    kept = {Photo.objects.get().image.name}
    kept |= {r.file.name for r in Photo.objects.get().renditions.all()}
    assert media_files() == kept
    assert not StoredFile.objects.exists()


def test_a_missing_file_and_a_path_outside_the_media_root_are_line_errors(tmp_path, media):
    export, _out, err = run(tmp_path, media, [
        record(1, lead_photo=photo("absente.jpg", "© X")),
        record(2, lead_photo={"file": "../secret.jpg", "credit": "© X"}),
    ])  # fmt: skip
    assert f"{export}:1: " in err and "absente.jpg" in err
    assert f"{export}:2: " in err
    assert not Article.objects.exists()


def test_a_credit_met_later_completes_the_photo_and_its_articles_index(tmp_path, media):
    from search import indexer

    run(tmp_path, media, [record(1, lead_photo=photo("image-1.jpg", ""))])
    assert Photo.objects.get().credit == ""
    run(tmp_path, media, [record(2, lead_photo=photo("copie.jpg", "© Festival des Dunes"))])
    assert Photo.objects.get().credit == "© Festival des Dunes"
    for name in ("articles", "photos"):
        assert indexer.drift(name) == {"missing": [], "stale": [], "extra": []}
