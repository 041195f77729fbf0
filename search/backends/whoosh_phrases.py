"""Old path of :mod:`search.backends.whoosh.phrases`: the same module (so that
setting a name here sets it where it is read)."""

import sys

from search.backends.whoosh import phrases

sys.modules[__name__] = phrases
