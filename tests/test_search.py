"""The search index: Pagefind over the content area of the built site (a failed index: tests/test_atomic.py)."""
from __future__ import annotations

import json
import re
import shutil
import sys
from pathlib import Path

import pytest

from generator import search
from generator.errors import GeneratorError


def test_built_site_has_the_search_bundle_and_no_lunr_index(built):
    _, site, _ = built
    bundle = site / search.BUNDLE
    for name in ("pagefind-ui.js", "pagefind-ui.css", "pagefind.js", "pagefind-entry.json"):
        assert (bundle / name).is_file(), name
    assert not (site / "search" / "search_index.json").exists(), "Material's lunr index is still built"


def test_every_content_page_is_indexed_and_only_its_content_area(built):
    _, site, _ = built
    marked = sorted(p for p in site.rglob("*.html") if "data-pagefind-body" in p.read_text(encoding="utf-8"))
    entries = [json.loads(path.read_text(encoding="utf-8")) for path in _bundle_folders(site, "pagefind-entry.json")]
    assert sum(entry["languages"][search.LANGUAGE]["page_count"] for entry in entries) == len(marked)
    assert not (site / "404.html").read_text(encoding="utf-8").count("data-pagefind-body")
    index = (site / "index.html").read_text(encoding="utf-8")
    body = index.index("data-pagefind-body")
    assert index.rindex('<article class="md-content__inner', 0, body) > index.rindex("</header>", 0, body), \
        "the indexed area must be inside the content area, not around the header or navigation"


def test_pages_link_the_search_with_relative_urls(built):
    _, site, _ = built
    page = (site / "peacekeeping-force" / "index.html").read_text(encoding="utf-8")
    assert 'src="../pagefind/pagefind-ui.js"' in page and 'href="../pagefind/pagefind-ui.css"' in page
    assert 'id="briefings-search"' in page
    assert re.search(r'new URL\("\.\./?"', page), "the site root must be found relative to the page"


def test_command_indexes_the_site_in_place_without_notes():
    cmd = search.command(Path("out"))
    assert cmd[:3] == [sys.executable, "-m", "pagefind"]
    assert cmd[cmd.index("--site") + 1] == "out" and cmd[cmd.index("--output-subdir") + 1] == search.BUNDLE
    excluded = [cmd[i + 1] for i, arg in enumerate(cmd) if arg == "--exclude-selectors"]
    assert excluded == list(search.EXCLUDE) and ".footnote" in excluded


def test_a_folder_without_pages_is_an_error_naming_it(tmp_path):
    with pytest.raises(GeneratorError) as err:
        search.index_site(tmp_path)
    assert str(tmp_path) in str(err.value) and "search index failed" in str(err.value)


def _bundle_folders(site: Path, name: str) -> list[Path]:
    """`name` in the main bundle and in each other bundle of the index, as the search box merges them."""
    bundle = site / search.BUNDLE
    listed = json.loads((bundle / search.LIST).read_text(encoding="utf-8").split("=", 1)[1].strip().rstrip(";"))
    return [bundle / name, *(bundle / search.PARTS / other / name for other in listed)]


def _fragments(site: Path) -> dict[str, str]:
    """Each indexed page's text as Pagefind stores it (url -> content): what a result's excerpt is cut from."""
    import gzip
    pages = {}
    for f in (fragment for folder in _bundle_folders(site, "fragment") for fragment in folder.glob("*.pf_fragment")):
        data = json.loads(gzip.decompress(f.read_bytes()).removeprefix(b"pagefind_dcd"))
        pages[data["url"]] = data["content"]
    return pages


def test_search_excerpts_keep_table_cells_apart(built):
    """The home page's coverage table is indexed cell by cell: an excerpt reads "Outlet Security guarantees
    for Ukraine A European ...", not "OutletSecurity guarantees for UkraineA European ..."."""
    _, site, ledger = built
    home = next(text for url, text in _fragments(site).items() if url.rstrip("/").endswith(("", "index.html"))
                and "Passages per topic and outlet" in text)
    titles = [t["title"] for t in ledger["topics"]]
    assert "Outlet " + " ".join(titles) in home
    assert not any(a + b[:1] in home for a, b in zip(titles, titles[1:]))


def test_each_topic_and_each_run_of_sources_parts_has_its_own_bundle():
    """A rebuild after one more article changes the home page, a topic page, an archive part and two sources parts:
    each set of pages that changes together is one bundle of the index, so the others are not indexed again."""
    assert [search.bundle_of(p) for p in ("index.html", "404.html", "odd name/index.html")] == ["", "", ""]
    assert {search.bundle_of(p) for p in ("un-vote/index.html", "un-vote-archive/index.html",
                                          f"un-vote-archive-{search.PARTS_PER_BUNDLE}/index.html")} == {"un-vote"}
    assert search.bundle_of(f"un-vote-archive-{search.PARTS_PER_BUNDLE + 1}/index.html") == "un-vote--2"
    assert search.bundle_of("sources/index.html") == ""  # with the home page: both change with the totals
    assert search.bundle_of("sources-2/index.html") == search.bundle_of("sources-3/index.html") == "sources"
    assert search.bundle_of(f"sources-{2 * search.PARTS_PER_BUNDLE + 1}/index.html", 2 * search.PARTS_PER_BUNDLE + 1) == "sources--3"
    assert search.bundle_of("topic-2/index.html") != search.bundle_of("topic-3/index.html")
    # however many parts, at most RUNS bundles a topic: a reader's first search fetches each bundle's index
    many = 50 * search.PARTS_PER_BUNDLE
    assert len({search.bundle_of(f"sources-{n}/index.html", many) for n in range(2, many + 1)} - {""}) == search.RUNS


def test_a_rebuild_indexes_again_only_the_bundles_whose_pages_changed(built, tmp_path, monkeypatch):
    """With the published site and the record of its bundles, an unchanged bundle is copied, not indexed: the index
    is the same bytes as one made from scratch, and the search box is told every bundle."""
    _, site, _ = built
    published, rebuilt, fresh = tmp_path / "published", tmp_path / "rebuilt", tmp_path / "fresh"
    for copy in (published, rebuilt):
        shutil.copytree(site, copy, ignore=shutil.ignore_patterns(search.BUNDLE))
    record = tmp_path / "cache" / search.RECORD
    search.save(record, search.index_site(published))
    page = rebuilt / "peacekeeping-force" / "index.html"
    page.write_text(page.read_text(encoding="utf-8").replace("</article>", "<p>One more passage.</p></article>", 1),
                    encoding="utf-8")
    indexed = []
    index = search._index
    monkeypatch.setattr(search, "_index", lambda site_, name, pages: indexed.append(name) or index(site_, name, pages))
    made = search.index_site(rebuilt, published, record)
    assert sorted(indexed) == ["", "peacekeeping-force"]
    assert set(made) == set(search.bundles(rebuilt)) - {""} and len(made) > 2
    shutil.copytree(rebuilt, fresh, ignore=shutil.ignore_patterns(search.BUNDLE))
    search.index_site(fresh)
    assert _tree(rebuilt / search.BUNDLE) == _tree(fresh / search.BUNDLE)
    assert set(_bundle_folders(rebuilt, "")) == {rebuilt / search.BUNDLE / "", *(
        rebuilt / search.BUNDLE / search.PARTS / name / "" for name in made)}
    # a damaged copy in the published site is indexed again, never copied
    (published / search.BUNDLE / search.PARTS / "un-vote" / "pagefind-entry.json").write_text("{}", encoding="utf-8")
    indexed.clear()
    shutil.rmtree(rebuilt / search.BUNDLE)
    search.index_site(rebuilt, published, record)
    assert sorted(indexed) == ["", "peacekeeping-force", "un-vote"]
    # another version of this module (how bundles are made and trimmed) reuses none
    edited = tmp_path / "search.py"
    edited.write_text(Path(search.__file__).read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    monkeypatch.setattr(search, "__file__", str(edited))
    indexed.clear()
    shutil.rmtree(rebuilt / search.BUNDLE)
    search.index_site(rebuilt, published, record)
    assert sorted(indexed) == sorted(search.bundles(rebuilt))


def _tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}
