"""What falls due with time alone, done by the web process on the first request
after its time: no cron and no worker are needed.

Scheduled articles appear on reader pages by themselves (``published()``
compares with now); the search index is brought up to date by
``search.due.run_due``. When that writes anything, the page cache's version is
bumped too: a page kept (or revalidated by its ETag) from before the time would
otherwise still show the site as it was.
"""

from config import pagecache
from search import due


class DueMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if due.run_due():  # never raises; costs one cache read when nothing is due
            pagecache.invalidate()
        return self.get_response(request)
