"""What browser tests share about pages as seen: screenshots on request and the
no-sideways-scroll check.

With ``E2E_SCREENSHOTS=<folder>``, ``shoot`` saves full-page PNGs there (to look
at them); without it, it does nothing."""

import os
from pathlib import Path


def shoot(page, name: str, *, full_page: bool = True) -> None:
    if folder := os.environ.get("E2E_SCREENSHOTS"):
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=f"{folder}/{name.removesuffix('.png')}.png", full_page=full_page)


def no_sideways_scroll(page) -> bool:
    return page.evaluate(
        "document.documentElement.scrollWidth <= document.documentElement.clientWidth"
    )
