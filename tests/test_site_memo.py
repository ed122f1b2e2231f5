"""With the cache, MkDocs renders only the pages whose Markdown changed, and the site is byte for byte the one a
full build makes."""
from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import pytest
from mkdocs.structure.pages import Page

from generator import cli, output, preview, search, site_memo, topics as topics_file

from .helpers import ROOT

SPEC = topics_file.load(ROOT / "templates" / "topics.yml")
NAV = cli.nav(SPEC)
PAGES = {p.name: p.read_text(encoding="utf-8") for p in (ROOT / "briefings").iterdir()
         if p.is_file() and p.name != output.MANIFEST}


@pytest.fixture
def rendered(monkeypatch):
    """The pages MkDocs renders (converts from Markdown), by their path below the docs folder."""
    seen: list[str] = []
    render = Page.render

    def counting(self, config, files):
        seen.append(self.file.src_uri)
        return render(self, config, files)

    monkeypatch.setattr(Page, "render", counting)
    return seen


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def publish(root: Path, files: dict[str, str], site: str, cache: Path | None, config: Path = ROOT / "mkdocs.yml",
            nav: list = NAV):
    output.publish(config, root / f"{site}-briefings", files, root / site, nav, SPEC.title, cache=cache)
    return root / site


def test_a_rebuild_renders_only_the_changed_page_and_equals_a_full_build(tmp_path, rendered):
    cache = tmp_path / "cache"
    site = publish(tmp_path, PAGES, "site", cache)
    assert sorted(rendered) == sorted(name for name in PAGES if name.endswith(".md"))
    edited = {**PAGES, "un-vote.md": PAGES["un-vote.md"] + "\nAn added closing line.\n"}
    rendered.clear()
    publish(tmp_path, edited, "site", cache)
    assert rendered == ["un-vote.md"]
    assert b"An added closing line." in (site / "un-vote" / "index.html").read_bytes()
    assert tree(site) == tree(publish(tmp_path, edited, "full", None))


def test_a_page_outside_the_navigation_added_leaves_the_others_as_they_were(tmp_path, rendered):
    cache = tmp_path / "cache"
    site = publish(tmp_path, PAGES, "site", cache)
    added = {**PAGES, "sources-2.md": "# Sources, part 2 of 2\n\nMore sources.\n",
             "sources.md": PAGES["sources.md"] + "\n[Part 2](sources-2.md)\n"}
    rendered.clear()
    publish(tmp_path, added, "site", cache)
    assert sorted(rendered) == ["sources-2.md", "sources.md"]
    assert tree(site) == tree(publish(tmp_path, added, "full", None))


def test_a_page_the_navigation_lists_without_a_title_is_always_rendered(tmp_path, rendered):
    # MkDocs reads such a page's title from the page itself, for every page's navigation
    cache, nav = tmp_path / "cache", ["index.md", *NAV[1:]]
    site = publish(tmp_path, PAGES, "site", cache, nav=nav)
    edited = {**PAGES, "un-vote.md": PAGES["un-vote.md"] + "\nAn added closing line.\n"}
    rendered.clear()
    publish(tmp_path, edited, "site", cache, nav=nav)
    assert sorted(rendered) == ["index.md", "un-vote.md"]
    assert tree(site) == tree(publish(tmp_path, edited, "full", None, nav=nav))


def test_a_published_page_that_differs_from_the_record_is_rendered_again(tmp_path, rendered):
    cache = tmp_path / "cache"
    site = publish(tmp_path, PAGES, "site", cache)
    page = site / "minerals-deal" / "index.html"
    page.write_bytes(page.read_bytes().replace(b"</article>", b"<p>edited by hand</p></article>"))
    rendered.clear()
    publish(tmp_path, PAGES, "site", cache)
    assert rendered == ["minerals-deal.md"]
    assert tree(site) == tree(publish(tmp_path, PAGES, "full", None))


def test_a_change_every_page_shows_renders_every_page(tmp_path, rendered):
    cache = tmp_path / "cache"
    project = tmp_path / "project"
    project.mkdir()
    shutil.copytree(ROOT / "overrides", project / "overrides")
    config = project / "mkdocs.yml"
    config.write_text((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), encoding="utf-8")
    publish(tmp_path, PAGES, "site", cache, config)
    every = sorted(name for name in PAGES if name.endswith(".md"))
    changes = [lambda: config.write_text(config.read_text(encoding="utf-8").replace("primary: indigo", "primary: teal"),
                                         encoding="utf-8"),
               lambda: (project / "overrides" / "main.html").write_text(
                   (project / "overrides" / "main.html").read_text(encoding="utf-8") + "\n", encoding="utf-8")]
    for change in changes:
        change()
        rendered.clear()
        publish(tmp_path, PAGES, "site", cache, config)
        assert sorted(rendered) == every
    renamed = [{"Start": "index.md"}, *NAV[1:]]
    rendered.clear()
    publish(tmp_path, PAGES, "site", cache, config, nav=renamed)
    assert sorted(rendered) == every


def test_without_a_cache_every_page_is_rendered_each_time(tmp_path, rendered):
    publish(tmp_path, PAGES, "site", None)
    rendered.clear()
    publish(tmp_path, PAGES, "site", None)
    assert sorted(rendered) == sorted(name for name in PAGES if name.endswith(".md"))
    assert not list(tmp_path.rglob(site_memo.RECORD))


# --- `briefings serve`: the preview hooks make MkDocs' dirty rebuilds render only what changed -------------------

def preview_build(docs: Path, site: Path, nav: list = NAV) -> Path:
    """One rebuild of the preview as `briefings serve` makes it: configuration loaded again, the preview hooks,
    MkDocs' dirty build into the served folder."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    config = load_config(str(ROOT / "mkdocs.yml"), docs_dir=str(docs), site_dir=str(site), nav=nav,
                         site_name=SPEC.title, hooks=[cli.PREVIEW_HOOKS])
    with site_memo.dirty_build_allowed():
        build(config, serve_url="http://127.0.0.1:8000/", dirty=True)
    return site


def served(site: Path) -> dict[str, bytes]:
    return {name: data for name, data in tree(site).items() if name != preview.RECORD}


def test_a_preview_rebuild_renders_only_what_changed_and_serves_what_a_clean_build_would(tmp_path, rendered,
                                                                                          monkeypatch):
    docs, site = tmp_path / "docs", tmp_path / "site"
    output.sync(docs, {**PAGES, "sources-2.md": "# Sources, part 2 of 2\n\nMore sources.\n"})
    preview_build(docs, site)
    output.sync(docs, {**PAGES, "un-vote.md": PAGES["un-vote.md"] + "\nAn edit in the preview.\n"})
    rendered.clear()
    indexed, index = [], search._index
    monkeypatch.setattr(search, "_index", lambda site_, name, pages: indexed.append(name) or index(site_, name, pages))
    left = set(Path(tempfile.gettempdir()).glob(preview.LAST_INDEX_PREFIX + "*"))
    preview_build(docs, site)
    assert rendered == ["un-vote.md"]
    # the main search bundle is always made; of the others, only the edited page's (the bundle of sources part 2,
    # which is gone, is gone too)
    assert sorted(indexed) == ["", "un-vote"]
    assert set(Path(tempfile.gettempdir()).glob(preview.LAST_INDEX_PREFIX + "*")) == left
    assert not (site / "sources-2").exists()  # a page no longer made is not served
    clean = tmp_path / "clean"
    output.sync(clean, {**PAGES, "un-vote.md": PAGES["un-vote.md"] + "\nAn edit in the preview.\n"})
    assert served(site) == served(preview_build(clean, tmp_path / "clean-site"))
    rendered.clear()
    preview_build(docs, site, nav=[{"Start": "index.md"}, *NAV[1:]])
    assert sorted(rendered) == sorted(name for name in PAGES if name.endswith(".md"))


def test_the_generator_code_mkdocs_runs_is_part_of_what_every_page_depends_on():
    import yaml

    config = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=yaml.BaseLoader)
    ours = [e if isinstance(e, str) else next(iter(e)) for e in config["markdown_extensions"]]
    ours = [name.split(".", 1)[1] + ".py" for name in ours if name.startswith("generator.")]
    assert ours and set(ours) <= set(site_memo.SITE_CODE)


@pytest.mark.parametrize("record", ["not json", '["a list"]', '{"shared": "%s", "pages": {"index.md": ["too short"]}}',
                                    '{"shared": "%s", "pages": {"gone.md": ["x", "../outside.html", "y"]}}'])
def test_a_record_of_another_form_or_pointing_outside_the_site_reuses_nothing(tmp_path, record):
    docs = tmp_path / "docs"
    output.sync(docs, PAGES)
    shared = site_memo.shared_digest(ROOT / "mkdocs.yml", docs, NAV, SPEC.title)
    (tmp_path / "record.json").write_text(record.replace("%s", shared), encoding="utf-8")
    plan = site_memo.plan(tmp_path / "record.json", ROOT / "mkdocs.yml", docs, tmp_path / "site", NAV, SPEC.title)
    assert plan.reuse == {} and plan.gone == []
