"""Steps of the photo chooser in the article editor, for browser tests: each
starts from an article's change form and leaves the dialog closed."""

from playwright.sync_api import expect

from tests.e2e import screens


def chooser_dialog(page):
    return page.get_by_role("dialog", name="Choisir une photo")


def open_chooser(page, opener: str = "body"):
    """Open the dialog from the body ("Insérer une photo"), the lead photo or a
    gallery row (``opener``: "body", "lead" or "gallery")."""
    if opener == "body":
        button = page.get_by_role("button", name="Insérer une photo")
    elif opener == "lead":
        button = page.locator(".field-lead_photo").get_by_role("button", name="Choisir une photo")
    else:
        button = page.locator("#gallery_items-group tr.form-row:not(.empty-form)").last.get_by_role(
            "button", name="Choisir une photo"
        )
    button.click()
    dialog = chooser_dialog(page)
    expect(dialog).to_be_visible()
    return dialog


def search_by_credit(page, credit: str, opener: str = "body"):
    """Open the dialog and search: the list then shows only the photos matching."""
    dialog = open_chooser(page, opener)
    dialog.get_by_label("Rechercher un crédit, une légende, un titre").fill(credit)
    cards = dialog.locator(".photo-card")
    expect(cards.first.locator(".photo-card__credit")).to_contain_text(credit)
    expect(dialog.locator(".photo-chooser__results")).not_to_have_attribute("aria-busy", "true")
    return dialog


def choose_photo_by_credit(page, credit: str, opener: str = "body"):
    """Search the library for ``credit`` and choose the first photo found."""
    dialog = search_by_credit(page, credit, opener)
    dialog.locator(".photo-card").filter(has_text=credit).first.locator(".photo-card__pick").click()
    expect(dialog).to_be_hidden()


def fill_upload_form(page, path, credit: str, licence: str = "usage presse",
                     alt_text: str = "Une scène du film", title: str = ""):  # fmt: skip
    """Fill the upload tab of the open dialog (not sent)."""
    dialog = chooser_dialog(page)
    dialog.get_by_role("tab", name="Envoyer une nouvelle photo").click()
    form = dialog.locator(".photo-chooser__upload")
    expect(form).to_be_visible()
    form.get_by_label("Fichier").set_input_files(str(path))
    form.get_by_label("Crédit").fill(credit)
    form.get_by_label("Licence").select_option(label=licence)
    form.get_by_label("Texte alternatif").fill(alt_text)
    if title:
        form.get_by_label("Titre").fill(title)
    return form


def upload_photo_in_chooser(page, path, credit: str, opener: str = "body", **fields):
    """Upload a picture from the dialog with its credit and licence; the new photo
    is chosen at once (when nothing needs a second look: no probable duplicate,
    no licence ending soon)."""
    open_chooser(page, opener)
    form = fill_upload_form(page, path, credit, **fields)
    form.get_by_role("button", name="Envoyer et choisir").click()
    expect(chooser_dialog(page)).to_be_hidden()


def editor_photos(page):
    """The photos the body shows in the editor, in order."""
    return page.locator(".ProseMirror figure.photo-reference")


def shoot(page, name: str, widths=(1280, 390), focus=None):
    """Check the page as it is at each width (no sideways scroll, the open dialog
    included) and photograph it there when screenshots are asked for
    (``focus``: a locator scrolled into view first)."""
    for width in widths:
        page.set_viewport_size({"width": width, "height": 900})
        page.wait_for_timeout(150)
        if focus is not None:
            focus.scroll_into_view_if_needed()
        assert no_sideways_scroll(page), f"{name} scrolls sideways at {width} px"
        screens.shoot(page, f"{name}-{width}", full_page=False)
    page.set_viewport_size({"width": widths[0], "height": 900})


def no_sideways_scroll(page) -> bool:
    return page.evaluate(
        "() => { const d = document.querySelector('dialog[open]');"
        " return document.documentElement.scrollWidth <= innerWidth"
        " && (!d || d.scrollWidth <= d.clientWidth); }"
    )
