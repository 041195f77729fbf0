import pytest
from django.core.files.storage import default_storage
from django.core.management import call_command

from photos import services
from tests.factories import PhotoFactory

pytestmark = pytest.mark.django_db


def test_generate_renditions_is_idempotent_and_remakes_missing_files(capsys, uploaded):
    legacy = PhotoFactory()  # stored before renditions existed: 120 px wide
    withdrawn = uploaded(2)
    services.withdraw_photo(photo=withdrawn)
    call_command("generate_renditions", "--no-progress")
    assert "2 rendition(s) made" in capsys.readouterr().out
    assert sorted(legacy.renditions.values_list("width", "format")) == [
        (120, "jpeg"),
        (120, "webp"),
    ]
    call_command("generate_renditions", "--no-progress")
    assert "0 rendition(s) made" in capsys.readouterr().out

    lost = legacy.renditions.get(format="webp")
    default_storage.delete(lost.file.name)
    call_command("generate_renditions", "--no-progress")  # has renditions: not looked at
    assert "0 rendition(s) made" in capsys.readouterr().out
    call_command("generate_renditions", "--all", verbosity=1)
    captured = capsys.readouterr()
    assert "1 rendition(s) made" in captured.out and "photo" in captured.err  # progress bar
    lost.refresh_from_db()
    assert default_storage.exists(lost.file.name)
    assert withdrawn.renditions.count() == 0
