"""Media storage for ``TEST_MEDIA_STORAGE=memory``: files in memory and, like
object storage (S3), no local path at all, so any code that reaches for one fails."""

import os

from django.core.files.storage import InMemoryStorage
from django.utils._os import safe_join


class ObjectLikeStorage(InMemoryStorage):
    def _relative_path(self, name):
        # InMemoryStorage goes through path() internally; do the same without it.
        return os.path.relpath(safe_join(self.location, name), self.location)

    def path(self, name):
        raise NotImplementedError("This backend doesn't support absolute paths.")
