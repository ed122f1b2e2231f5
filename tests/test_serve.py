"""`briefings serve`: edits to templates and topics reach the preview with a fresh search index, nothing rebuilds in
a loop, and it stops cleanly."""
import tempfile
import time
from pathlib import Path

import pytest

from .helpers import copy_project, fetch, search_index, serving, wait_for


@pytest.fixture
def project(tmp_path):
    return copy_project(tmp_path)


def test_template_edit_reaches_the_preview_and_its_search_index_without_a_rebuild_loop(project):
    with serving(project) as url:
        assert "Diplomacy over Ukraine" in wait_for(lambda: fetch(url), "the preview to start")
        first = wait_for(lambda: search_index(url), "the preview's search index")
        assert "PagefindUI" in (fetch(url + "pagefind/pagefind-ui.js") or "")
        index = project / "templates" / "index.md.j2"
        index.write_text(index.read_text(encoding="utf-8") + "\nPreview marker from the editor.\n",
                         encoding="utf-8")
        wait_for(lambda: "Preview marker from the editor." in (fetch(url) or ""), "the edited page")
        wait_for(lambda: search_index(url) not in (None, first), "the search index of the rebuilt preview")
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
    before = set(Path(tempfile.gettempdir()).glob("mkdocs_*")) | set(Path(tempfile.gettempdir()).glob("briefings-search-*"))
    with serving(project) as url:
        assert "Ceasefire talks" not in wait_for(lambda: fetch(url), "the preview to start")
        topics = project / "templates" / "topics.yml"
        topics.write_text(topics.read_text(encoding="utf-8") + NEW_TOPIC, encoding="utf-8")
        home = wait_for(lambda: "Ceasefire talks" in (fetch(url) or "") and fetch(url), "the new topic on the home page")
        assert '<a href="ceasefire/" class="md-nav__link">' in home  # in the navigation, not only on the page
        assert "Ceasefire talks" in (fetch(url + "ceasefire/") or "")
    assert set(Path(tempfile.gettempdir()).glob("mkdocs_*")) | set(Path(tempfile.gettempdir()).glob("briefings-search-*")) \
        <= before  # nor the last preview build's search index, set aside while MkDocs rebuilt
