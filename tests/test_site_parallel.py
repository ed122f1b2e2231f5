"""MkDocs converts the pages on several cores (generator/site_parallel.py): the site is the same bytes, and a
strict build fails on a page's broken link or anchor as it does on one core."""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from generator import cores, output, site_parallel
from generator.errors import GeneratorError

from .helpers import ROOT
from .test_site_memo import NAV, SPEC, tree


@pytest.fixture
def applied(monkeypatch, alone):
    """Every page that took a worker's result, by name; and workers started for any Markdown at all."""
    seen: list[str] = []
    apply = site_parallel._apply

    def counting(page, result, config, files):
        seen.append(page.file.src_uri)
        return apply(page, result, config, files)

    monkeypatch.setattr(site_parallel, "_apply", counting)
    monkeypatch.setattr(cores, "PARALLEL_MIN_BYTES", 0)
    return seen


def docs_copy(tmp_path: Path) -> Path:
    docs = tmp_path / "docs"
    shutil.copytree(ROOT / "briefings", docs)
    return docs


def build(docs: Path, out: Path, cores: int) -> Path:
    output.build_site(ROOT / "mkdocs.yml", docs, out, NAV, SPEC.title, cores=cores)
    return out


def test_pages_rendered_by_workers_make_the_same_site_as_one_core(tmp_path, applied):
    docs = docs_copy(tmp_path)
    one = tree(build(docs, tmp_path / "one", cores=1))
    assert applied == []
    two = tree(build(docs, tmp_path / "two", cores=2))
    assert sorted(applied) == sorted(p.name for p in docs.glob("*.md"))
    assert two == one
    assert b'class="footnote-ref"' in two["peacekeeping-force/index.html"]


def fails_with_a_line(tmp_path: Path, line: str) -> None:
    """A strict build on two cores of the briefings with `line` added to un-vote.md fails."""
    docs = docs_copy(tmp_path)
    with (docs / "un-vote.md").open("a", encoding="utf-8") as fh:
        fh.write(f"\n{line}\n")
    with pytest.raises(GeneratorError, match="MkDocs build failed"):
        build(docs, tmp_path / "site", cores=2)


def test_a_link_to_a_missing_page_fails_the_strict_build_naming_the_page(tmp_path, applied, caplog):
    fails_with_a_line(tmp_path, "See [the other page](no-such-page.md).")
    assert "un-vote.md" in applied
    assert "Doc file 'un-vote.md' contains a link 'no-such-page.md'" in caplog.text


def test_a_link_to_a_missing_anchor_of_another_page_fails_the_strict_build(tmp_path, applied, caplog):
    fails_with_a_line(tmp_path, "See [no such entry](sources.md#no-such-entry).")
    assert {"un-vote.md", "sources.md"} <= set(applied)
    assert "does not contain an anchor '#no-such-entry'" in caplog.text


def test_a_page_whose_conversion_fails_in_a_worker_is_rendered_by_the_build(tmp_path, applied, monkeypatch):
    docs = docs_copy(tmp_path)
    one = tree(build(docs, tmp_path / "one", cores=1))
    read, build_pid = site_parallel.Page.read_source, os.getpid()

    def failing_in_workers(self, config):
        if self.file.src_uri == "un-vote.md" and os.getpid() != build_pid:
            raise OSError("unreadable in a worker")
        return read(self, config)

    monkeypatch.setattr(site_parallel.Page, "read_source", failing_in_workers)
    assert tree(build(docs, tmp_path / "two", cores=2)) == one
    assert "un-vote.md" not in applied and "sources.md" in applied


def test_workers_take_the_largest_pages_first():
    sizes = {"b.md": 40, "e.md": 10, "a.md": 50, "c.md": 40, "d.md": 20}
    assert site_parallel.largest_first(sizes) == ["a.md", "b.md", "c.md", "d.md", "e.md"]


def test_a_worker_that_dies_leaves_the_build_to_render_every_page(tmp_path, applied, monkeypatch):
    docs = docs_copy(tmp_path)
    one = tree(build(docs, tmp_path / "one", cores=1))
    monkeypatch.setattr(site_parallel, "_render", _die)
    assert tree(build(docs, tmp_path / "two", cores=2)) == one
    assert applied == []


def _die(config, files, name):
    os._exit(1)
