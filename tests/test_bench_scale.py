"""benchmarks.bench_scale's site figures: what it counts of a built site (pages, bytes, each step), on the seeds."""
from __future__ import annotations

import pytest

from benchmarks import bench_scale

from .helpers import ROOT

pytestmark = pytest.mark.bench


def test_site_stages_count_the_pages_and_bytes_of_the_built_site(tmp_path):
    briefings = ROOT / "briefings"
    site = bench_scale.site_stages(ROOT, briefings, ROOT / "templates" / "topics.yml", tmp_path / "site",
                                   profile=tmp_path / "mkdocs.prof")
    markdown = sorted(briefings.glob("*.md"))
    assert site["pages"] == len(markdown)  # one page per briefing, the 404 page apart
    assert site["markdown_bytes"] == sum(p.stat().st_size for p in markdown)
    written = [p for p in (tmp_path / "site").rglob("*") if p.is_file()]
    assert site["site_bytes"] + site["bundle_bytes"] == sum(p.stat().st_size for p in written)
    assert site["bundle_bytes"] == sum(p.stat().st_size for p in written if "pagefind" in p.relative_to(tmp_path).parts)
    assert abs(site["ms_per_page"] * site["pages"] - 1000 * site["mkdocs_seconds"]) <= site["pages"]  # rounding only
    assert (tmp_path / "mkdocs.prof").stat().st_size > 0
    line = bench_scale.site_report(site)
    assert f"site: {site['pages']} pages" in line and "ms per page" in line and "search index" in line
