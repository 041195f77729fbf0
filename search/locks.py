"""The index writer lock: a cross-process ``fcntl.flock`` on
``SEARCH_INDEX_DIR/<index>.write.lock``, taken with retry and backoff up to
:data:`LOCK_TIMEOUT` seconds and reentrant within a process (or a backend's own
lock, e.g. an advisory lock shared by several machines), and the rebuild lock."""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
import random
import threading
import time
from pathlib import Path

from django.conf import settings

from search.backends import backend_for

LOCK_TIMEOUT = 30.0  # seconds a drainer waits for the writer lock


class LockTimeout(Exception):
    """The index writer lock could not be had in time."""


# --- Cross-process lock (fcntl.flock), reentrant within a process ---------------


class _FileLock:
    def __init__(self, path: Path):
        self.path = path
        self.thread_lock = threading.RLock()
        self.depth = 0
        self.fd: int | None = None

    def acquire(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        if not self.thread_lock.acquire(timeout=max(timeout, 0)):
            raise LockTimeout(str(self.path))
        try:
            if self.depth == 0:
                self._flock(deadline)
            self.depth += 1
        except BaseException:
            self.thread_lock.release()
            raise

    def _flock(self, deadline: float) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        delay = 0.005
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError as exc:
                if exc.errno not in (errno.EAGAIN, errno.EACCES, errno.EWOULDBLOCK):
                    os.close(fd)
                    raise
                if time.monotonic() >= deadline:
                    os.close(fd)
                    raise LockTimeout(str(self.path)) from None
                time.sleep(min(delay, max(deadline - time.monotonic(), 0)))
                delay = min(delay * 2, 0.25) * (0.5 + random.random())  # noqa: S311
                continue
            self.fd = fd
            return

    def release(self) -> None:
        self.depth -= 1
        if self.depth == 0 and self.fd is not None:
            fd, self.fd = self.fd, None
            fcntl.flock(fd, fcntl.LOCK_UN)
            os.close(fd)
        self.thread_lock.release()


_locks: dict[str, _FileLock] = {}
_locks_guard = threading.Lock()


@contextlib.contextmanager
def file_lock(path: Path | str, timeout: float = LOCK_TIMEOUT):
    """Hold an exclusive ``flock`` on ``path`` (created if needed). Reentrant in
    a process; raises :class:`LockTimeout` after ``timeout`` seconds."""
    key = os.path.abspath(path)
    with _locks_guard:
        lock = _locks.setdefault(key, _FileLock(Path(key)))
    lock.acquire(timeout)
    try:
        yield
    finally:
        lock.release()


def index_dir() -> Path:
    return Path(settings.SEARCH_INDEX_DIR)


def writer_lock(index_name: str, timeout: float = LOCK_TIMEOUT):
    """The lock every writer of ``index_name`` holds (drains, the swap of a rebuild).

    A backend may provide its own (``backend.writer_lock(timeout)``), e.g. an
    advisory lock shared by several machines; the default is a lock file.
    """
    backend = backend_for(index_name)
    own = getattr(backend, "writer_lock", None)
    if own is not None:
        return own(timeout)
    return file_lock(index_dir() / f"{index_name}.write.lock", timeout)


def rebuild_lock(index_name: str):
    """Held for the whole of a rebuild: one rebuild of an index at a time."""
    return file_lock(index_dir() / f"{index_name}.rebuild.lock", timeout=0)
