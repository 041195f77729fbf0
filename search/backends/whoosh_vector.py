"""Old path of :mod:`search.backends.whoosh.vector`: the same module (so that
setting a name here sets it where it is read)."""

import sys

from search.backends.whoosh import vector

sys.modules[__name__] = vector
