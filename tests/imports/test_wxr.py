"""WordPress exports read into records: the sample export field by field, the
kinds left aside, broken or hostile files, item-level errors, and streaming."""

import dataclasses
import time
import tracemalloc

import pytest

from imports.records import ArticleRecord, RecordError
from imports.wxr import WxrReader, autop, read_wxr
from tests.imports import wxr_sample
from tests.imports.wxr_sample import (
    EXPECTED,
    FOOTER,
    SITE,
    SKIPPED,
    attachment_item,
    header,
    post_item,
    write_sample,
)


@pytest.fixture
def sample(tmp_path):
    return write_sample(tmp_path)


def post(post_id=500, **changes) -> str:
    """A post in ``wxr_sample.POSTS`` form: published, dated, in Cinéma."""
    fields = {
        "slug": f"billet-{post_id}", "title": f"Billet {post_id}", "status": "publish",
        "type": "post", "login": "cmorel", "local": "2022-10-05 20:15:00",
        "gmt": "2022-10-05 18:15:00", "body": "Un court texte sur le festival.", "excerpt": "",
        "terms": [("category", "cinema")], "thumbnail": None,
    }  # fmt: skip
    fields.update(changes)
    return post_item((post_id, *fields.values()))


def export(tmp_path, *items: str, name="export.xml", head=None):
    path = tmp_path / name
    path.write_text((head or header()) + "".join(items) + FOOTER, encoding="utf-8")
    return path


def records(path, media_root=None) -> list:
    return list(read_wxr(path, media_root))


def as_dict(record: ArticleRecord) -> dict:
    return dataclasses.asdict(record)


# -- The sample export -------------------------------------------------------------------


def test_sample_gives_each_post_as_expected(sample):
    path, media_root = sample
    found = {r.source_url: r for _where, r in records(path, media_root)}
    assert set(found) == set(EXPECTED)
    for url, expected in EXPECTED.items():
        record = as_dict(found[url])
        for name, value in expected.items():
            if name == "body_has":
                assert all(part in record["body"] for part in value), (url, record["body"])
            elif name in ("lead_photo", "gallery", "inline_photos"):
                assert _subset(record[name], value), (url, name, record[name])
            else:
                assert record[name] == value, (url, name)


def _subset(actual, expected) -> bool:
    if isinstance(expected, list):
        return len(actual) == len(expected) and all(map(_subset, actual, expected))
    if expected is None:
        return actual is None
    return all(actual[key] == value for key, value in expected.items())


def test_sample_body_places_its_pictures_at_block_level(sample):
    path, _media = sample
    by_url = {r.source_url: r for _where, r in records(path)}
    series = by_url[f"{SITE}/2030/01/10/brumes-saison-2/"]
    assert "<!-- wp:" not in series.body
    assert '</p>\n<figure data-import-photo="0"></figure>\n<p>' in series.body
    assert (
        'servait déjà de décor</p><figure data-import-photo="1"></figure><p>à un long'
        in series.body
    )
    book = by_url[f"{SITE}/2023/05/20/la-nuit-des-sardiniers/"]
    assert "[gallery" not in book.body and "<p></p>" not in book.body


def test_sample_locations_and_skipped_kinds(sample):
    path, _media = sample
    reader = WxrReader(path)
    locations = [where for where, _record in reader.items()]
    assert locations[0] == f"{path}: item 1 (post 11)"
    assert locations[-1] == f"{path}: item 5 (post 15)"
    assert dict(reader.skipped) == SKIPPED


def test_sample_files_exist_under_the_media_root(sample):
    path, media_root = sample
    for _where, record in records(path, media_root):
        for photo in record.photos():
            assert (media_root / photo.file).is_file(), photo.file


def test_media_root_holding_uploads_itself_is_found(sample):
    path, media_root = sample
    records_ = {r.source_url: r for _w, r in records(path, media_root.parent)}
    lead = records_[f"{SITE}/2023/03/15/le-gardien-de-la-lumiere/"].lead_photo
    assert lead.file == "uploads/2023/03/phare-nuit.jpg"


def test_the_same_attachment_in_two_posts_is_two_copies(sample):
    path, _media = sample
    found = [r for _w, r in records(path)]
    lead, inline = found[0].lead_photo, found[1].inline_photos[1]
    assert lead == inline and lead is not inline


# -- Mapping details ---------------------------------------------------------------------


def test_unknown_author_login_is_kept_and_uncategorised_means_news(tmp_path):
    path = export(tmp_path, post(login="invite", terms=[("category", "non-classe")]))
    [(_where, record)] = records(path)
    assert record.authors == ["invite"] and record.section == "News"


def test_wxr_1_1_is_read_too(tmp_path):
    head = header().replace("export/1.2/", "export/1.1/").replace(">1.2<", ">1.1<")
    [(_where, record)] = records(export(tmp_path, post(), head=head))
    assert record.title == "Billet 500"
    assert record.published_at.isoformat() == "2022-10-05T18:15:00+00:00"


def test_gallery_without_ids_shows_the_pictures_attached_to_the_post(tmp_path):
    pictures = [
        attachment_item(n, (f"2022/10/vue-{n}.jpg", f"Vue {n}", "", "", "", 500, "circle"))
        for n in (601, 602)
    ]
    path = export(tmp_path, post(body="Le festival en images.\n\n[gallery]"), *pictures)
    [(_where, record)] = records(path)
    assert [p.file for p in record.gallery] == ["2022/10/vue-601.jpg", "2022/10/vue-602.jpg"]
    assert record.body == "<p>Le festival en images.</p>"


def test_scaled_originals_are_found_from_their_sized_variants(tmp_path):
    scaled = attachment_item(
        700, ("2022/11/foule-scaled.jpg", "Foule", "", "Le public. DR", "", 500, "circle")
    )
    src = f"{wxr_sample.UPLOADS}/2022/11/foule-1024x683.jpg?resize=1024%2C683"
    path = export(tmp_path, post(body=f'Le public.\n\n<img src="{src}" alt="La foule">'), scaled)
    [(_where, record)] = records(path)
    [photo] = record.inline_photos
    assert (photo.file, photo.credit, photo.alt) == ("2022/11/foule-scaled.jpg", "DR", "La foule")


def test_picture_outside_the_uploads_keeps_its_own_address(tmp_path):
    src = "https://images.example.net/affiches/brumes.jpg"
    [(_where, record)] = records(export(tmp_path, post(body=f'<img src="{src}">')))
    assert (record.inline_photos[0].file, record.inline_photos[0].url) == (
        "affiches/brumes.jpg",
        src,
    )


def test_caption_shortcode_over_several_lines_in_classic_text(tmp_path):
    body = (
        "Le décor est planté.\n\n"
        '[caption id="attachment_801" align="alignnone" width="640"]'
        f'<img src="{wxr_sample.UPLOADS}/2022/12/salle.jpg" alt="La salle" />\n'
        "La grande salle,\nun soir de première. (c) Hugo Salaün[/caption]\n\n"
        "Le rideau se lève."
    )
    [(_where, record)] = records(export(tmp_path, post(body=body)))
    assert record.body == (
        '<p>Le décor est planté.</p>\n<figure data-import-photo="0"></figure>\n'
        "<p>Le rideau se lève.</p>"
    )
    [photo] = record.inline_photos
    assert (photo.caption, photo.credit) == (
        "La grande salle, un soir de première",
        "© Hugo Salaün",
    )


def test_attachment_without_attached_file_meta_uses_its_address(tmp_path):
    item = attachment_item(
        810, ("2022/12/loge.jpg", "Loge", "", "Photo : Lise Arnaud", "", 500, "circle")
    ).replace("_wp_attached_file", "_autre_meta")
    [(_where, record)] = records(export(tmp_path, post(thumbnail=810), item))
    assert (record.lead_photo.file, record.lead_photo.credit) == (
        "2022/12/loge.jpg",
        "Photo : Lise Arnaud",
    )


def test_unknown_kinds_are_counted_by_name(tmp_path):
    path = export(tmp_path, post(501, type="wp_template"), post(502, status="auto-draft"))
    reader = WxrReader(path)
    assert list(reader.items()) == []
    assert dict(reader.skipped) == {"contenu « wp_template »": 1, "brouillon automatique": 1}


# -- Errors --------------------------------------------------------------------------------


def test_an_item_in_error_does_not_stop_the_others(tmp_path):
    path = export(
        tmp_path,
        post(501, thumbnail=999),
        post(502, status="bizarre"),
        post(503, title="   "),
        post(504, local="05/10/2022", gmt="0000-00-00 00:00:00"),
        post(505, status="future", local="0000-00-00 00:00:00", gmt="0000-00-00 00:00:00"),
        post(506, body='<img src="data:image/png;base64,AAAA">'),
        post(507, thumbnail=820),
        attachment_item(820, ("../../secret.jpg", "", "", "", "", 0, "circle")),
        post(508),
    )
    found = records(path)
    messages = [str(r) for _w, r in found[:-1]]
    assert all(isinstance(r, RecordError) for _w, r in found[:-1])
    assert "image à la une : pièce jointe 999 : absente de l'export" in messages[0]
    assert "statut WordPress inconnu : « bizarre »" in messages[1]
    assert "article sans titre" in messages[2]
    assert "date illisible : « 05/10/2022 »" in messages[3]
    assert "date de publication manquante" in messages[4]
    assert "data:" in messages[5]
    assert "image à la une : pièce jointe 820 : chemin d'image refusé (« .. »)" in messages[6]
    assert found[-1][0] == f"{path}: item 9 (post 508)"
    assert isinstance(found[-1][1], ArticleRecord)


def test_malformed_xml_is_one_clean_error_with_its_line(tmp_path):
    text = header() + post() + "\n<item><title>Coupé</titre>\n" + FOOTER
    path = tmp_path / "casse.xml"
    path.write_text(text, encoding="utf-8")
    line = text[: text.index("</titre>")].count("\n") + 1
    [(where, error)] = records(path)
    assert isinstance(error, RecordError)
    assert where == f"{path}: ligne {line}"
    assert f"XML illisible (balise fermante inattendue), ligne {line}" in str(error)


def test_entity_bomb_is_refused(tmp_path):
    lols = "".join(f'<!ENTITY lol{n} "{("&lol" + str(n - 1) + ";") * 10}">' for n in range(1, 10))
    head = header().replace("<rss", f'<!DOCTYPE rss [<!ENTITY lol0 "lol">{lols}]>\n<rss', 1)
    path = export(tmp_path, post(title="&lol9;"), head=head)
    started = time.monotonic()
    [(_where, error)] = records(path)
    assert isinstance(error, RecordError) and "refusé par sécurité" in str(error)
    assert time.monotonic() - started < 2


def test_external_entity_is_refused(tmp_path):
    head = header().replace(
        "<rss", '<!DOCTYPE rss [<!ENTITY secret SYSTEM "file:///etc/passwd">]>\n<rss', 1
    )
    [(_where, error)] = records(export(tmp_path, post(body="&secret;"), head=head))
    assert isinstance(error, RecordError) and "refusé par sécurité" in str(error)


@pytest.mark.parametrize(
    "text, words",
    [
        ('<?xml version="1.0"?><feed><entry/></feed>', "pas un export WordPress"),
        ('<?xml version="1.0"?><rss><channel><item/></channel></rss>', "wp:wxr_version absent"),
        ("", "XML illisible"),
    ],
)
def test_files_that_are_not_wordpress_exports(tmp_path, text, words):
    path = tmp_path / "autre.xml"
    path.write_text(text, encoding="utf-8")
    [(_where, error)] = records(path)
    assert isinstance(error, RecordError) and words in str(error)


def test_missing_file_is_an_error_not_a_crash(tmp_path):
    [(where, error)] = records(tmp_path / "absent.xml")
    assert where == str(tmp_path / "absent.xml") and "fichier illisible" in str(error)


# -- autop ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, html",
    [
        ("Un.\nDeux.\n\nTrois.", "<p>Un.<br>\nDeux.</p>\n<p>Trois.</p>"),
        ("<h2>Titre</h2>\nTexte sous le titre.", "<h2>Titre</h2>\n<p>Texte sous le titre.</p>"),
        ("<ul>\n<li>a</li>\n<li>b</li>\n</ul>", "<ul>\n<li>a</li>\n<li>b</li>\n</ul>"),
        ("<p>Déjà un paragraphe</p>\r\n\r\nSuite", "<p>Déjà un paragraphe</p>\n<p>Suite</p>"),
        ("<pre>ligne 1\n\nligne 2</pre>", "<pre>ligne 1\n\nligne 2</pre>"),
        ('<a\nhref="/x">lien</a> en fin', '<p><a href="/x">lien</a> en fin</p>'),
    ],
)
def test_autop(text, html):
    assert autop(text) == html


# -- Streaming -----------------------------------------------------------------------------

# One long line of text per post: the file is large, its elements few.
TEXT = "Le festival des brumes se lève enfin sur la lande, et la salle retient son souffle. " * 12
SMALL_ITEM = """
<item><title>Chronique {n}</title><link>https://lanterne.example.org/chronique-{n}/</link>
<content:encoded><![CDATA[{text}]]></content:encoded><wp:post_id>{n}</wp:post_id>
<wp:post_date>2021-02-03 10:00:00</wp:post_date><wp:status>publish</wp:status>
<wp:post_type>post</wp:post_type></item>"""


def test_a_large_export_is_streamed(tmp_path):
    path = tmp_path / "grande.xml"
    count = 12_000  # about 15 MB; tracemalloc slows reading down some sevenfold
    with path.open("w", encoding="utf-8") as out:
        out.write(header())
        for n in range(1000, 1000 + count):
            out.write(SMALL_ITEM.format(n=n, text=TEXT))
        out.write(FOOTER)
    tracemalloc.start()
    try:
        seen = sum(1 for _w, r in read_wxr(path) if isinstance(r, ArticleRecord))
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert seen == count
    size = path.stat().st_size
    assert size > 14_000_000
    assert peak < 3_000_000, f"{peak} bytes at peak for a {size}-byte file"
