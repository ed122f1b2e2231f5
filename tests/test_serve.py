"""`briefings serve`: edits to templates and topics reach the preview, nothing rebuilds in a loop, and it stops cleanly."""
import contextlib
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
import urllib.request

import pytest

from .helpers import ROOT

WAIT = 30.0


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=2) as r:
            return r.read().decode("utf-8")
    except OSError:
        return None


def wait_for(predicate, what: str):
    deadline = time.monotonic() + WAIT
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.2)
    pytest.fail(f"timed out waiting for {what}")


@pytest.fixture
def project(tmp_path):
    for name in ("seeds", "templates", "overrides"):  # overrides: mkdocs.yml's theme.custom_dir
        shutil.copytree(ROOT / name, tmp_path / name)
    shutil.copy(ROOT / "mkdocs.yml", tmp_path / "mkdocs.yml")
    return tmp_path


@contextlib.contextmanager
def serving(project):
    """`briefings serve` running in the project folder; yields the preview's URL; terminated at the end."""
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "generator", "serve", "--dev-addr", f"127.0.0.1:{port}"],
                            cwd=project, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            env={**os.environ, "PYTHONPATH": str(ROOT)})
    try:
        yield f"http://127.0.0.1:{port}/"
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_template_edit_reaches_the_preview_without_a_rebuild_loop(project):
    with serving(project) as url:
        assert "Diplomacy over Ukraine" in wait_for(lambda: fetch(url), "the preview to start")
        index = project / "templates" / "index.md.j2"
        index.write_text(index.read_text(encoding="utf-8") + "\nPreview marker from the editor.\n",
                         encoding="utf-8")
        wait_for(lambda: "Preview marker from the editor." in (fetch(url) or ""), "the edited page")
        page = project / "briefings" / "index.md"
        stamp = page.stat().st_mtime_ns
        time.sleep(3)
        assert page.stat().st_mtime_ns == stamp, "briefings rewritten with no change: rebuild loop"
        assert all(p.stat().st_mtime_ns <= stamp for p in (project / "briefings").iterdir())


NEW_TOPIC = """
  - slug: ceasefire
    title: Ceasefire talks
    description: Talks on stopping the fighting.
    terms: [ceasefire*]
"""


def test_new_topic_joins_the_navigation_and_a_stopped_preview_leaves_no_temp_folder(project):
    before = set(Path(tempfile.gettempdir()).glob("mkdocs_*"))
    with serving(project) as url:
        assert "Ceasefire talks" not in wait_for(lambda: fetch(url), "the preview to start")
        topics = project / "templates" / "topics.yml"
        topics.write_text(topics.read_text(encoding="utf-8") + NEW_TOPIC, encoding="utf-8")
        home = wait_for(lambda: "Ceasefire talks" in (fetch(url) or "") and fetch(url), "the new topic on the home page")
        assert '<a href="ceasefire/" class="md-nav__link">' in home  # in the navigation, not only on the page
        assert "Ceasefire talks" in (fetch(url + "ceasefire/") or "")
    assert set(Path(tempfile.gettempdir()).glob("mkdocs_*")) <= before
