"""The search index: Pagefind over the content area of the built site (a failed index: tests/test_atomic.py)."""
from __future__ import annotations

import json
import re
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
    entry = json.loads((site / search.BUNDLE / "pagefind-entry.json").read_text(encoding="utf-8"))
    assert entry["languages"][search.LANGUAGE]["page_count"] == len(marked)
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


def _fragments(site: Path) -> dict[str, str]:
    """Each indexed page's text as Pagefind stores it (url -> content): what a result's excerpt is cut from."""
    import gzip
    pages = {}
    for f in (site / search.BUNDLE / "fragment").glob("*.pf_fragment"):
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
