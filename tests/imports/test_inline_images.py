"""Pictures in imported bodies: found in every form WordPress and others write them,
replaced at block level by placeholders, described by the right spec; captions
split into caption and credit."""

import html as html_module
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from imports.credits import credit_from_caption
from imports.inline_images import extract, file_from_src
from imports.records import PhotoSpec, RecordError

UPLOADS = "https://revue.example.org/wp-content/uploads"


def figure(n: int) -> str:
    return f'<figure data-import-photo="{n}"></figure>'


def test_a_picture_inside_a_paragraph_splits_it():
    img = f'<img src="{UPLOADS}/2019/07/plateau.jpg" alt="Le plateau">'
    body = f"<p>Le réalisateur {img} au travail.</p>"
    html, photos = extract(body, [])
    assert html == f"<p>Le réalisateur</p>{figure(0)}<p>au travail.</p>"
    assert photos == [
        PhotoSpec(
            file="2019/07/plateau.jpg", alt="Le plateau", url=f"{UPLOADS}/2019/07/plateau.jpg"
        )
    ]


def test_no_empty_paragraph_is_left_around_a_lone_picture():
    html, photos = extract('<p>Avant.</p><p> <img src="a.jpg"><br> </p><p>Après.</p>', [])
    assert html == f"<p>Avant.</p>{figure(0)}<p>Après.</p>"
    assert photos[0].file == "a.jpg" and photos[0].url == ""


def test_inline_elements_around_a_picture_are_split_and_reopened():
    html, _photos = extract('<p><strong>Gras <img src="b.jpg"> encore</strong> fin</p>', [])
    assert html == f"<p><strong>Gras</strong></p>{figure(0)}<p><strong>encore</strong> fin</p>"


def test_gutenberg_figure_with_link_and_caption_becomes_one_placeholder():
    body = (
        "<p>Intro.</p>\n"
        '<figure class="wp-block-image size-large"><a href="/grand.jpg">'
        f'<img src="{UPLOADS}/2021/03/scene-1024x683.jpg" alt="Deux actrices" class="wp-image-9"/>'
        "</a><figcaption>Une scène du film. © Pyramide / Photo : Lou Garnier</figcaption>"
        "</figure>\n"
        "<p>Suite.</p>"
    )
    html, photos = extract(body, [])
    assert html == f"<p>Intro.</p>\n{figure(0)}\n<p>Suite.</p>"
    assert photos[0].file == "2021/03/scene-1024x683.jpg"
    assert photos[0].caption == "Une scène du film"
    assert photos[0].credit == "© Pyramide / Photo : Lou Garnier"
    assert photos[0].alt == "Deux actrices"


def test_caption_shortcode_inside_a_paragraph():
    body = (
        '<p>Texte. [caption id="attachment_12" align="alignleft" width="300"]'
        '<a href="x.jpg"><img src="/wp-content/uploads/2018/02/x-300x200.jpg" alt="" /></a>'
        " Le décor du deuxième acte. © Agence Iroise / Photo : Anne Caradec[/caption]</p>"
    )
    html, photos = extract(body, [])
    assert html == f"<p>Texte.</p>{figure(0)}"
    assert photos[0].file == "2018/02/x-300x200.jpg"
    assert photos[0].caption == "Le décor du deuxième acte"
    assert photos[0].credit == "© Agence Iroise / Photo : Anne Caradec"


def test_caption_shortcode_with_caption_attribute():
    body = (
        '[caption id="" caption="Le public de Cannes (c) Hervé Lenoir" width="200"]'
        '<img src="c.jpg">[/caption]'
    )
    html, photos = extract(body, [])
    assert html == figure(0)
    assert (photos[0].caption, photos[0].credit) == ("Le public de Cannes", "© Hervé Lenoir")


def test_the_same_picture_twice_is_listed_once():
    body = '<p><img src="d.jpg" alt="Une affiche"></p><p>Entre deux.</p><img src="./d.jpg">'
    html, photos = extract(body, [])
    assert html == f"{figure(0)}<p>Entre deux.</p>{figure(0)}"
    assert len(photos) == 1 and photos[0].alt == "Une affiche"


def test_several_pictures_are_numbered_in_order():
    html, photos = extract('<p><img src="e.jpg"> et <img src="f.jpg"></p>', [])
    assert html == f"{figure(0)}<p>et</p>{figure(1)}"
    assert [p.file for p in photos] == ["e.jpg", "f.jpg"]


def test_placed_specs_are_matched_by_url_or_file_and_copied():
    placed = [
        PhotoSpec(file="photos/g.jpg", credit="© Studio Mer", url="https://old.example.org/g.jpg"),
        PhotoSpec(file="photos/h.jpg", credit="© Studio Terre", caption="Déjà légendée"),
    ]
    body = (
        '<img src="https://old.example.org/g.jpg" alt="Un port">'
        '<figure><img src="photos/h.jpg"><figcaption>Autre légende</figcaption></figure>'
    )
    _html, photos = extract(body, placed)
    assert [p.credit for p in photos] == ["© Studio Mer", "© Studio Terre"]
    assert photos[0].alt == "Un port" and placed[0].alt == ""
    assert photos[1].caption == "Déjà légendée"


def test_lookup_answers_first():
    known = PhotoSpec(file="2020/01/i.jpg", credit="© Arte", alt="Texte alternatif connu")

    def lookup(src):
        return known if "i-150x150" in src else None

    _html, photos = extract(f'<img src="{UPLOADS}/2020/01/i-150x150.jpg" alt="autre">', [], lookup)
    assert photos == [known] and photos[0] is not known


def test_lazy_loaded_picture_uses_its_real_address():
    body = '<img src="data:image/gif;base64,R0lGOD" data-lazy-src="/wp-content/uploads/j.jpg">'
    _html, photos = extract(body, [])
    assert photos[0].file == "j.jpg"


@pytest.mark.parametrize(
    "body, words",
    [
        ('<p><img src="data:image/png;base64,iVBORw0KGgo="></p>', "data:"),
        ('<img src="../../etc/passwd">', "« .. »"),
        ('<img src="https://x.example.org/a/../../b.jpg">', "« .. »"),
        ('<img alt="sans adresse">', "sans adresse"),
        ('<img src="file:///C:/Photos/k.jpg">', "non prise en charge"),
    ],
)
def test_unusable_pictures_are_refused_with_a_message(body, words):
    with pytest.raises(RecordError, match=words):
        extract(body, [])


def test_gallery_block_gives_each_picture_and_keeps_its_caption():
    body = (
        '<figure class="wp-block-gallery"><ul><li><figure><img src="l.jpg">'
        "<figcaption>Premier jour DR</figcaption></figure></li>"
        '<li><figure><img src="m.jpg"></figure></li></ul>'
        "<figcaption>Le festival en images</figcaption></figure>"
    )
    html, photos = extract(body, [])
    assert html == f"{figure(0)}{figure(1)}<p>Le festival en images</p>"
    assert (photos[0].caption, photos[0].credit) == ("Premier jour", "DR")


def test_caption_shortcode_around_two_pictures_keeps_its_text():
    body = (
        '[caption id="" width="600"]<img src="q.jpg"><img src="r.jpg"> Deux vues du port[/caption]'
    )
    html, photos = extract(body, [])
    assert html == f"{figure(0)}{figure(1)}<p>Deux vues du port</p>"
    assert len(photos) == 2


def test_markup_around_pictures_is_kept_as_written():
    rest = (
        '<h2 class="intertitre">Un titre &amp; un&nbsp;sous-titre</h2>\n<!-- note -->'
        "<blockquote><p>« Citation »</p></blockquote><p>un<p>deux"
    )
    html, _photos = extract(rest + '<ul><li><img src="n.jpg"> légende libre</li></ul>', [])
    assert html == rest + f"<ul><li>{figure(0)} légende libre</li></ul>"
    assert extract(rest, []) == (rest, [])


@pytest.mark.parametrize(
    "src, file",
    [
        (f"{UPLOADS}/2019/07/x.jpg", "2019/07/x.jpg"),
        ("http://cdn.example.net/images/affiches/y.png?w=300#top", "images/affiches/y.png"),
        ("//cdn.example.net/z.jpg", "z.jpg"),
        ("photos/Caf%C3%A9%20noir.jpg", "photos/Café noir.jpg"),
        ("./photos/a.jpg", "photos/a.jpg"),
        ("/images/b.jpg", "images/b.jpg"),
    ],
)
def test_file_from_src(src, file):
    assert file_from_src(src) == file


@pytest.mark.parametrize(
    "text, expected",
    [
        (
            "Le réalisateur sur le tournage. © AFP / Photo : Jean Dupont",
            ("Le réalisateur sur le tournage", "© AFP / Photo : Jean Dupont"),
        ),
        ("© Les Films du Losange", ("", "© Les Films du Losange")),
        ("La troupe au complet (c) Marc Olivier", ("La troupe au complet", "© Marc Olivier")),
        (
            "Vue de la salle - Crédit : Théâtre du Rond-Point",
            ("Vue de la salle", "Théâtre du Rond-Point"),
        ),
        ("Crédits photo : Studio Harcourt", ("", "Studio Harcourt")),
        ("L'affiche | Photo : Inès Moreau", ("L'affiche", "Photo : Inès Moreau")),
        ("Photo : Inès Moreau", ("", "Photo : Inès Moreau")),
        ("Archives du festival (DR)", ("Archives du festival", "DR")),
        ("D.R.", ("", "D.R.")),
        ("Le décor (© Opéra de Lyon)", ("Le décor", "© Opéra de Lyon")),
        ("Une scène de la pièce.", ("Une scène de la pièce.", "")),
        ("Le Dr Knock en tournée", ("Le Dr Knock en tournée", "")),
        ("", ("", "")),
    ],
)
def test_credit_from_caption(text, expected):
    assert credit_from_caption(text) == expected


TOKENS = [
    "<p>", "</p>", "<strong>", "</strong>", "<em>", "</em>", '<a href="/x">', "</a>", "<br>",
    '<img src="o.jpg">', '<img src="p.jpg" alt="Une vue">', "<div>", "</div>",
    "cinéma ", "lumière ", "&amp; ", "« scène » ",
]  # fmt: skip
WORDS = st.sampled_from(["cinéma ", "lumière ", "&amp; ", "« scène » ", "<br>"])
IMAGES = st.sampled_from(['<img src="o.jpg">', '<img src="p.jpg" alt="Une vue">'])
INLINE = st.recursive(
    st.one_of(WORDS, IMAGES),
    lambda inner: st.builds(
        lambda tag, parts: f"<{tag}>{''.join(parts)}</{tag.split()[0]}>",
        st.sampled_from(["strong", "em", 'a href="/x"']),
        st.lists(inner, max_size=4),
    ),
    max_leaves=12,
)
PARAGRAPH = st.lists(INLINE, max_size=6).map(lambda parts: f"<p>{''.join(parts)}</p>")
BLOCKS = st.lists(st.one_of(PARAGRAPH, IMAGES, PARAGRAPH.map(lambda p: f"<div>{p}</div>")))


def words(body: str) -> list[str]:
    return html_module.unescape(re.sub(r"<[^>]*>", " ", body)).split()


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(TOKENS), max_size=30))
def test_any_tag_soup_keeps_its_words_and_pictures(tokens):
    body = "".join(tokens)
    html, photos = extract(body, [])
    assert words(html) == words(body)
    assert html.count("data-import-photo") == body.count("<img")
    assert len(photos) == len({t for t in tokens if t.startswith("<img")})


@settings(max_examples=200, deadline=None)
@given(BLOCKS)
def test_well_formed_bodies_get_every_picture_out_of_paragraphs(blocks):
    body = "".join(blocks)
    html, _photos = extract(body, [])
    assert words(html) == words(body)
    assert html.count("<p></p>") == body.count("<p></p>")
    depth = 0  # of <p> and inline elements: a placeholder stands outside all of them
    for token in re.findall(r"</?(?:p|strong|em|a)\b|<figure data-import-photo", html):
        if token.startswith("<figure"):
            assert depth == 0, html
        else:
            depth += -1 if token.startswith("</") else 1
