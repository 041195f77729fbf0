"""The load benchmark's server: gunicorn under production settings on loopback,
started and stopped whatever happens, and what its cached runs need (the page
cache's settings, Redis)."""

import argparse
import contextlib
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SERVER_START_TIMEOUT = 60


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def base_env(data_dir: Path, port: int) -> dict[str, str]:
    """What gunicorn and the build both run with: production settings on loopback."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("PAGE_CACHE_SECONDS", "REDIS_URL", "SEARCH_INDEX_DIR")
    }
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.production",
        SECRET_KEY=secrets.token_urlsafe(60),
        ALLOWED_HOSTS="127.0.0.1,localhost",
        SECURE_SSL_REDIRECT="false",
        WEB_CONCURRENCY="2",
        GUNICORN_BIND=f"127.0.0.1:{port}",
        GUNICORN_ACCESS_LOG=str(data_dir / "access.log"),
        DATA_DIR=str(data_dir),
        SITE_URL=f"http://127.0.0.1:{port}",
        DEBUG="false",
        LOG_LEVEL="WARNING",
    )
    return env


def mode_env(env: dict[str, str], mode: str, args: argparse.Namespace) -> dict[str, str]:
    if mode == "uncached":
        return env
    return {**env, "PAGE_CACHE_SECONDS": str(args.page_cache_seconds), "REDIS_URL": args.redis_url}


class Server:
    """gunicorn in its own session, stopped (SIGTERM, then SIGKILL) whatever happens."""

    def __init__(self, env: dict[str, str], port: int, log: Path, workers: int):
        self.env = {**env, "WEB_CONCURRENCY": str(workers)}
        self.base = f"http://127.0.0.1:{port}"
        self.log_path = log
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        log = self.log_path.open("ab")
        self.process = subprocess.Popen(
            [str(ROOT / ".venv" / "bin" / "gunicorn"), "config.wsgi", "-c", "gunicorn.conf.py"],
            cwd=ROOT,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        log.close()
        deadline = time.monotonic() + SERVER_START_TIMEOUT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited ({self.process.returncode}):\n{self.tail()}")
            with contextlib.suppress(OSError):
                status, _headers = fetch(self.base + "/healthz")
                if status == 200:
                    return
            time.sleep(0.3)
        raise RuntimeError(f"gunicorn did not answer /healthz within 60 s:\n{self.tail()}")

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)

    def tail(self, lines: int = 30) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""


def fetch(url: str) -> tuple[int, dict[str, str]]:
    request = urllib.request.Request(url, headers={"User-Agent": "bench"})  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 - loopback
            response.read()
            return response.status, dict(response.headers)
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers)


def cache_available(env: dict[str, str]) -> str:
    """Why the cached runs cannot happen, or "" when the settings support them."""
    probe = (
        "import django, json; django.setup(); from django.conf import settings as s; "
        "print(json.dumps({'seconds': getattr(s, 'PAGE_CACHE_SECONDS', None), "
        "'middleware': [m for m in s.MIDDLEWARE if 'cache' in m.lower()], "
        "'cache': s.CACHES['default']['BACKEND']}))"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    if result.returncode != 0:
        return f"the settings do not load with PAGE_CACHE_SECONDS and REDIS_URL:\n{result.stderr}"
    found = json.loads(result.stdout.strip().splitlines()[-1])
    if not found["seconds"]:
        return "the settings have no PAGE_CACHE_SECONDS (no anonymous page cache yet)"
    if not found["middleware"]:
        return "no page cache middleware in MIDDLEWARE"
    if "redis" not in found["cache"].lower():
        return f"REDIS_URL is not used: the cache is {found['cache']}"
    if not shutil.which("redis-cli"):
        return "redis-cli is missing (Debian: apt-get install -y redis-tools)"
    url = env["REDIS_URL"]
    ping = subprocess.run(
        ["redis-cli", "-u", url, "PING"], capture_output=True, text=True, timeout=30
    )
    if ping.stdout.strip() != "PONG":
        return f"Redis does not answer at {url}: {(ping.stdout + ping.stderr).strip()}"
    return ""


def flush_redis(redis_url: str) -> None:
    subprocess.run(
        ["redis-cli", "-u", redis_url, "FLUSHDB"], check=True, capture_output=True, timeout=30
    )
