# ruff: noqa: E501 (WordPress stores a paragraph as one long line)
"""A small but realistic WordPress export (WXR 1.2) of a culture magazine, with its
``uploads`` folder of distinct little JPEGs, and the facts a test can check.

``write_sample(directory)`` returns ``(wxr_path, media_root)``; ``EXPECTED`` holds,
by permalink, what each imported post must give, and ``SKIPPED`` what is left aside.
"""

import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from PIL import Image, ImageDraw

SITE = "https://lanterne.example.org"
UPLOADS = f"{SITE}/wp-content/uploads"
PARIS = ZoneInfo("Europe/Paris")
UTC = datetime.UTC

AUTHORS = [
    # login, display name, first name, last name
    ("cmorel", "Camille Morel", "Camille", "Morel"),
    ("jbrunet", "", "Julien", "Brunet"),  # no display name: first and last names
]
CATEGORIES = [("cinema", "Cinéma"), ("series", "Séries"), ("livres", "Livres")]
CATEGORIES += [("non-classe", "Non classé")]
TAGS = [("drame", "Drame"), ("science-fiction", "Science-fiction")]
TAGS += [("roman-noir", "Roman noir"), ("comedie", "Comédie")]

# id: (file, title, alt, caption as stored by WordPress, description, parent, drawing)
ATTACHMENTS = {
    101: (
        "2023/03/phare-nuit.jpg", "Phare de nuit", "Un phare allumé sous un ciel d'encre",
        "Le phare de l'île, la nuit du tournage. © Les Films du Large / Photo : Élise Tanguy",
        "Photo de plateau fournie par le distributeur, usage presse.", 11, "circle",
    ),
    102: ("2023/03/tournage.jpg", "Tournage", "", "", "", 11, "stripes"),
    103: ("2023/04/affiche-brumes.jpg", "Affiche Brumes saison 2", "", "", "", 12, "columns"),
    104: (
        "2023/05/couverture-sardiniers.jpg", "Couverture", "La couverture du roman",
        "La couverture du roman, aux éditions du Goémon.", "", 13, "triangle",
    ),
    105: (
        "2023/05/salon-allee.jpg", "Salon du livre", "L'allée centrale du salon",
        "L'allée centrale du salon, samedi matin. Crédit : Studio Ardoise", "", 13, "checker",
    ),
    106: (
        "2023/05/dedicace.jpg", "Dédicace", "L'autrice signe un livre",
        "L'autrice en dédicace - Photo : Nina Roux", "", 13, "diagonal",
    ),
}  # fmt: skip

FILM_REVIEW = """Premier long métrage de <strong>Maëlle Kerhervé</strong>, <em>Le Gardien de la lumière</em> suit un gardien de phare pendant le dernier hiver avant l'automatisation.
Une heure quarante de silence habité.

La mise en scène prend son temps : les plans fixes s'étirent, la mer gronde hors champ, et l'on finit par guetter, avec le personnage, le moindre changement de lumière.

[caption id="attachment_102" align="aligncenter" width="300"]<a href="{uploads}/2023/03/tournage.jpg"><img class="size-medium wp-image-102" src="{uploads}/2023/03/tournage-300x200.jpg" alt="L'équipe sur la jetée" width="300" height="200" /></a> Sur le tournage, au petit matin. © Agence Brume / Photo : Yann Le Goff[/caption]

Reste un final un peu appuyé, qui n'enlève rien à la grâce de l'ensemble."""

SERIES_NEWS = """<!-- wp:paragraph -->
<p>La plateforme l'a confirmé : <em>Brumes</em>, la série d'anticipation tournée dans les Monts d'Arrée, reviendra pour une deuxième saison de huit épisodes.</p>
<!-- /wp:paragraph -->

<!-- wp:image {{"id":103,"sizeSlug":"large"}} -->
<figure class="wp-block-image size-large"><img src="{uploads}/2023/04/affiche-brumes-1024x683.jpg" alt="L'affiche : une silhouette dans la lande" class="wp-image-103"/><figcaption class="wp-element-caption">L'affiche de la saison 2 (© Canal Nord)</figcaption></figure>
<!-- /wp:image -->

<!-- wp:paragraph -->
<p>Le tournage reprendra au printemps, près du phare qui servait déjà de décor <img src="{uploads}/2023/03/phare-nuit.jpg?w=640" alt="Le phare du premier film"> à un long métrage remarqué.</p>
<!-- /wp:paragraph -->"""

BOOK_REVIEW = """Avec <em>La Nuit des sardiniers</em>, Gwenola Le Bihan signe un roman noir qui sent le gasoil et le sel.

[gallery ids="105,106" columns="2"]

Nous l'avons rencontrée au salon du livre de Douarnenez, entre deux dédicaces."""

DRAFT = """Quelques pistes pour l'été : une comédie italienne restaurée, deux séries courtes et un festival en plein air.

À compléter avant mise en ligne."""

PRIVATE = "Calendrier interne des festivals de la rentrée : Lorient, Douarnenez, Brest."

# id, slug, title, status, type, author, local date, gmt date, body, excerpt, terms, thumbnail
POSTS = [
    (11, "le-gardien-de-la-lumiere", "« Le Gardien de la lumière » : un premier film lumineux",
     "publish", "post", "cmorel", "2023-03-15 09:30:00", "2023-03-15 08:30:00", FILM_REVIEW,
     "Un huis clos maritime d'une rare délicatesse.",
     [("category", "cinema"), ("post_tag", "drame")], 101),
    (12, "brumes-saison-2", "Séries : « Brumes » revient pour une deuxième saison",
     "future", "post", "jbrunet", "2030-01-10 18:00:00", "2030-01-10 17:00:00", SERIES_NEWS,
     "", [("category", "series"), ("post_tag", "science-fiction"), ("post_tag", "drame")], None),
    (13, "la-nuit-des-sardiniers", "« La Nuit des sardiniers », un roman noir breton",
     "pending", "post", "cmorel", "2023-05-20 14:00:00", "0000-00-00 00:00:00", BOOK_REVIEW,
     "<p>Un premier roman <strong>salé</strong>.</p>",
     [("category", "livres"), ("post_tag", "roman-noir")], 104),
    (14, "", "Notre sélection de l'été", "draft", "post", "jbrunet", "0000-00-00 00:00:00",
     "0000-00-00 00:00:00", DRAFT, "", [("category", "non-classe"), ("post_tag", "comedie")],
     None),
    (15, "calendrier-festivals", "Note interne : calendrier des festivals", "private", "post",
     "cmorel", "2023-06-01 10:00:00", "2023-06-01 08:00:00", PRIVATE, "",
     [("category", "cinema")], None),
    (16, "ancien-billet", "Un billet mis à la corbeille", "trash", "post", "cmorel",
     "2022-01-01 10:00:00", "2022-01-01 09:00:00", "Texte supprimé.", "", [], None),
    (20, "a-propos", "À propos de La Lanterne", "publish", "page", "cmorel",
     "2020-01-01 10:00:00", "2020-01-01 09:00:00", "La Lanterne est une revue bénévole.", "",
     [], None),
    (21, "21", "", "publish", "nav_menu_item", "cmorel", "2020-01-01 10:00:00",
     "2020-01-01 09:00:00", "", "", [], None),
]  # fmt: skip


def _spec(attachment_id: int, **changes) -> dict:
    file, title, alt, caption, description, _parent, _drawing = ATTACHMENTS[attachment_id]
    return {"file": file, "url": f"{UPLOADS}/{file}", "title": title, "alt": alt,
            "licence_notes": description, **changes}  # fmt: skip


EXPECTED = {
    f"{SITE}/2023/03/15/le-gardien-de-la-lumiere/": {
        "title": "« Le Gardien de la lumière » : un premier film lumineux",
        "status": "published",
        "published_at": datetime.datetime(2023, 3, 15, 8, 30, tzinfo=UTC),
        "section": "Cinéma",
        "tags": ["Drame"],
        "authors": ["Camille Morel"],
        "standfirst": "Un huis clos maritime d'une rare délicatesse.",
        "old_urls": [f"{SITE}/?p=11"],
        "lead_photo": _spec(
            101,
            caption="Le phare de l'île, la nuit du tournage",
            credit="© Les Films du Large / Photo : Élise Tanguy",
        ),
        "gallery": [],
        "inline_photos": [
            _spec(
                102,
                alt="L'équipe sur la jetée",
                caption="Sur le tournage, au petit matin",
                credit="© Agence Brume / Photo : Yann Le Goff",
            )
        ],
        "body_has": ["<strong>Maëlle Kerhervé</strong>", "automatisation.<br>"],
    },
    f"{SITE}/2030/01/10/brumes-saison-2/": {
        "title": "Séries : « Brumes » revient pour une deuxième saison",
        "status": "scheduled",
        "published_at": datetime.datetime(2030, 1, 10, 17, 0, tzinfo=UTC),
        "section": "Séries",
        "tags": ["Science-fiction", "Drame"],
        "authors": ["Julien Brunet"],
        "standfirst": "",
        "old_urls": [f"{SITE}/?p=12"],
        "lead_photo": None,
        "gallery": [],
        "inline_photos": [
            _spec(
                103,
                alt="L'affiche : une silhouette dans la lande",
                caption="L'affiche de la saison 2",
                credit="© Canal Nord",
            ),
            _spec(
                101,
                caption="Le phare de l'île, la nuit du tournage",
                credit="© Les Films du Large / Photo : Élise Tanguy",
            ),
        ],
        "body_has": ["<p>Le tournage reprendra au printemps, près du phare qui servait"],
    },
    f"{SITE}/2023/05/20/la-nuit-des-sardiniers/": {
        "title": "« La Nuit des sardiniers », un roman noir breton",
        "status": "review",
        "published_at": datetime.datetime(2023, 5, 20, 14, 0, tzinfo=PARIS),
        "section": "Livres",
        "tags": ["Roman noir"],
        "authors": ["Camille Morel"],
        "standfirst": "Un premier roman salé.",
        "old_urls": [f"{SITE}/?p=13"],
        "lead_photo": _spec(
            104, caption="La couverture du roman, aux éditions du Goémon.", credit=""
        ),
        "gallery": [
            _spec(105, caption="L'allée centrale du salon, samedi matin", credit="Studio Ardoise"),
            _spec(106, caption="L'autrice en dédicace", credit="Photo : Nina Roux"),
        ],
        "inline_photos": [],
        "body_has": ["<p>Nous l'avons rencontrée au salon du livre de Douarnenez"],
    },
    f"{SITE}/?p=14": {
        "title": "Notre sélection de l'été",
        "status": "draft",
        "published_at": None,
        "section": "News",
        "tags": ["Comédie"],
        "authors": ["Julien Brunet"],
        "standfirst": "",
        "old_urls": [],
        "lead_photo": None,
        "gallery": [],
        "inline_photos": [],
        "body_has": ["<p>À compléter avant mise en ligne.</p>"],
    },
    f"{SITE}/2023/06/01/calendrier-festivals/": {
        "title": "Note interne : calendrier des festivals",
        "status": "draft",
        "published_at": datetime.datetime(2023, 6, 1, 8, 0, tzinfo=UTC),
        "section": "Cinéma",
        "tags": [],
        "authors": ["Camille Morel"],
        "standfirst": "",
        "old_urls": [f"{SITE}/?p=15"],
        "lead_photo": None,
        "gallery": [],
        "inline_photos": [],
        "body_has": ["<p>Calendrier interne des festivals"],
    },
}
SKIPPED = {"page": 1, "élément de menu": 1, "article dans la corbeille": 1}


def _permalink(post_id: int, slug: str, kind: str, local: str) -> str:
    if not slug:
        return f"{SITE}/?p={post_id}"
    if kind != "post":
        return f"{SITE}/{slug}/"
    return f"{SITE}/{local[:10].replace('-', '/')}/{slug}/"


FOOTER = "\n</channel>\n</rss>\n"


def cdata(text: str) -> str:
    return "<![CDATA[" + text.replace("]]>", "]]]]><![CDATA[>") + "]]>"


def meta(key: str, value: str) -> str:
    return f"<wp:postmeta><wp:meta_key>{cdata(key)}</wp:meta_key><wp:meta_value>{cdata(value)}</wp:meta_value></wp:postmeta>"


def post_item(post) -> str:
    post_id, slug, title, status, kind, login, local, gmt, body, excerpt, terms, thumb = post
    names = dict(CATEGORIES + TAGS)
    categories = "".join(
        f'<category domain="{domain}" nicename="{nice}">{cdata(names[nice])}</category>'
        for domain, nice in terms
    )
    thumbnail = meta("_thumbnail_id", str(thumb)) if thumb else ""
    return f"""
	<item>
		<title>{cdata(title)}</title>
		<link>{_permalink(post_id, slug, kind, local)}</link>
		<pubDate>Wed, 15 Mar 2023 08:30:00 +0000</pubDate>
		<dc:creator>{cdata(login)}</dc:creator>
		<guid isPermaLink="false">{SITE}/?p={post_id}</guid>
		<description></description>
		<content:encoded>{cdata(body.format(uploads=UPLOADS))}</content:encoded>
		<excerpt:encoded>{cdata(excerpt)}</excerpt:encoded>
		<wp:post_id>{post_id}</wp:post_id>
		<wp:post_date>{cdata(local)}</wp:post_date>
		<wp:post_date_gmt>{cdata(gmt)}</wp:post_date_gmt>
		<wp:comment_status>{cdata("open")}</wp:comment_status>
		<wp:post_name>{cdata(slug)}</wp:post_name>
		<wp:status>{cdata(status)}</wp:status>
		<wp:post_parent>0</wp:post_parent>
		<wp:menu_order>0</wp:menu_order>
		<wp:post_type>{cdata(kind)}</wp:post_type>
		<wp:post_password>{cdata("")}</wp:post_password>
		<wp:is_sticky>0</wp:is_sticky>
		{categories}
		{thumbnail}
		<wp:postmeta><wp:meta_key>{cdata("_edit_last")}</wp:meta_key><wp:meta_value>{cdata("1")}</wp:meta_value></wp:postmeta>
	</item>"""


def attachment_item(attachment_id: int, data: tuple | None = None) -> str:
    """An attachment of ``ATTACHMENTS``, or ``data`` in the same form."""
    file, title, alt, caption, description, parent, _drawing = data or ATTACHMENTS[attachment_id]
    metadata = f'a:3:{{s:5:"width";i:120;s:6:"height";i:80;s:4:"file";s:{len(file)}:"{file}";}}'
    return f"""
	<item>
		<title>{cdata(title)}</title>
		<link>{SITE}/?attachment_id={attachment_id}</link>
		<dc:creator>{cdata("cmorel")}</dc:creator>
		<guid isPermaLink="false">{UPLOADS}/{file}</guid>
		<content:encoded>{cdata(description)}</content:encoded>
		<excerpt:encoded>{cdata(caption)}</excerpt:encoded>
		<wp:post_id>{attachment_id}</wp:post_id>
		<wp:post_date>{cdata("2023-03-01 10:00:00")}</wp:post_date>
		<wp:post_date_gmt>{cdata("2023-03-01 09:00:00")}</wp:post_date_gmt>
		<wp:post_name>{cdata(Path(file).stem)}</wp:post_name>
		<wp:status>{cdata("inherit")}</wp:status>
		<wp:post_parent>{parent}</wp:post_parent>
		<wp:menu_order>0</wp:menu_order>
		<wp:post_type>{cdata("attachment")}</wp:post_type>
		<wp:attachment_url>{cdata(f"{UPLOADS}/{file}")}</wp:attachment_url>
		{meta("_wp_attached_file", file)}
		{meta("_wp_attachment_metadata", metadata)}
		{meta("_wp_attachment_image_alt", alt) if alt else ""}
	</item>"""


def header() -> str:
    authors = "".join(
        f"""
	<wp:author><wp:author_id>{n}</wp:author_id><wp:author_login>{cdata(login)}</wp:author_login><wp:author_email>{cdata(login + "@lanterne.example.org")}</wp:author_email><wp:author_display_name>{cdata(display)}</wp:author_display_name><wp:author_first_name>{cdata(first)}</wp:author_first_name><wp:author_last_name>{cdata(last)}</wp:author_last_name></wp:author>"""
        for n, (login, display, first, last) in enumerate(AUTHORS, start=1)
    )
    terms = "".join(
        f"""
	<wp:category><wp:term_id>{n}</wp:term_id><wp:category_nicename>{cdata(nice)}</wp:category_nicename><wp:category_parent>{cdata("")}</wp:category_parent><wp:cat_name>{cdata(name)}</wp:cat_name></wp:category>"""
        for n, (nice, name) in enumerate(CATEGORIES, start=1)
    ) + "".join(
        f"""
	<wp:tag><wp:term_id>{n}</wp:term_id><wp:tag_slug>{cdata(nice)}</wp:tag_slug><wp:tag_name>{cdata(name)}</wp:tag_name></wp:tag>"""
        for n, (nice, name) in enumerate(TAGS, start=10)
    )
    return f"""<?xml version="1.0" encoding="UTF-8" ?>
<!-- This is a WordPress eXtended RSS file generated by WordPress as an export of your site. -->
<rss version="2.0"
	xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/"
	xmlns:content="http://purl.org/rss/1.0/modules/content/"
	xmlns:wfw="http://wellformedweb.org/CommentAPI/"
	xmlns:dc="http://purl.org/dc/elements/1.1/"
	xmlns:wp="http://wordpress.org/export/1.2/"
>
<channel>
	<title>La Lanterne</title>
	<link>{SITE}</link>
	<description>Revue culturelle bénévole</description>
	<pubDate>Mon, 01 Jan 2024 10:00:00 +0000</pubDate>
	<language>fr-FR</language>
	<wp:wxr_version>1.2</wp:wxr_version>
	<wp:base_site_url>{SITE}</wp:base_site_url>
	<wp:base_blog_url>{SITE}</wp:base_blog_url>
{authors}{terms}
	<generator>https://wordpress.org/?v=6.4.2</generator>
"""


def wxr_text() -> str:
    """The export: posts first, attachments after, as WordPress often writes them."""
    items = "".join(post_item(post) for post in POSTS)
    items += "".join(attachment_item(n) for n in ATTACHMENTS)
    return header() + items + FOOTER


def draw(kind: str, size: tuple[int, int] = (120, 80)) -> Image.Image:
    """A picture of its own: shapes and colours differ, and so do their hashes."""
    width, height = size
    image = Image.new("RGB", size, (235, 225, 200))
    pen = ImageDraw.Draw(image)
    if kind == "circle":
        pen.rectangle((0, 0, width, height), fill=(20, 30, 70))
        pen.ellipse((40, 15, 80, 55), fill=(250, 220, 90))
    elif kind == "stripes":
        for y in range(0, height, 16):
            pen.rectangle((0, y, width, y + 7), fill=(30, 110, 60))
    elif kind == "columns":
        for x in range(0, width, 24):
            pen.rectangle((x, 0, x + 11, height), fill=(150, 30, 40))
    elif kind == "triangle":
        pen.polygon([(0, height), (width // 2, 0), (width, height)], fill=(90, 60, 140))
    elif kind == "checker":
        for x in range(0, width, 20):
            for y in range((x // 20) % 2 * 20, height, 40):
                pen.rectangle((x, y, x + 19, y + 19), fill=(10, 10, 10))
    else:
        for x in range(width):
            pen.line((x, 0, width - x, height), fill=(x * 2, 80, 255 - x * 2))
    return image


def write_sample(directory: Path) -> tuple[Path, Path]:
    """Write ``export.xml`` and ``uploads/`` (one JPEG per attachment) into
    ``directory``; return (the export's path, the media root)."""
    directory = Path(directory)
    media_root = directory / "uploads"
    for file, *_rest, drawing in ATTACHMENTS.values():
        target = media_root / file
        target.parent.mkdir(parents=True, exist_ok=True)
        draw(drawing).save(target, "JPEG", quality=90)
    path = directory / "export.xml"
    path.write_text(wxr_text(), encoding="utf-8")
    return path, media_root
