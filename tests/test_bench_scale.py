"""benchmarks.bench_scale: what it counts of a built site (pages, bytes, each step), on the seeds; a run that needs
more memory than --max-memory allows is reported, not a crash."""
from __future__ import annotations

import json
import sys

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


def test_a_run_over_its_memory_limit_reports_how_far_it_got(tmp_path):
    res = bench_scale.run_size(40, 7, tmp_path, profile=False, max_memory=25)  # too little to import numpy
    assert res["size"] == 40 and res["failed"].startswith("stopped: the build and its workers held")
    assert res["failed"].endswith("MiB resident, above --max-memory 25 MiB")
    assert "startup" not in res["stages"]
    assert bench_scale.report(res).startswith("     40 articles: FAILED after")


def test_a_run_killed_from_outside_says_by_which_signal(tmp_path):
    """The kernel's OOM killer can act before --max-memory does: the report names the signal instead of nothing."""
    with open(tmp_path / "log", "w", encoding="utf-8") as log:
        code, stderr = bench_scale._run_watched([sys.executable, "-c", "import os, signal; os.kill(os.getpid(), 9)"],
                                                tmp_path, log, 10_000)
    assert code == -9 and stderr.strip().splitlines()[-1] == "killed by signal 9 (SIGKILL)"


def test_stage_and_progress_lines_of_a_child_that_stopped():
    out = '\n'.join(['{"stage": "startup", "seconds": 0.1, "peak_mib": 50.0, "worker_peak_mib": 0.0}',
                     '{"files": 100, "of": 200, "seconds": 2.0, "peak_mib": 60.0}',
                     '{"stage": "read+clean", "seconds": 3.5, "peak_mib": 80.0, "worker_peak_mib": 40.0}',
                     '{"stage": "dedup", "seconds": 1.25, "peak_mib": 95.0, "held_mib": 71.4, "worker_peak_mib": 40.0}'])
    res = bench_scale._partial(200, out, "Traceback ...\nMemoryError\n") | {"wall_seconds": 9.0}
    assert res["failed"] == "MemoryError" and list(res["stages"]) == ["startup", "read+clean", "dedup"]
    assert res["files_read"]["files"] == 100
    assert "stages done: read+clean 3.50s/80MiB  dedup 1.25s/95MiB (holds 71)" in bench_scale.report(res)


def test_each_stage_reports_what_the_build_holds_as_it_ends(capsys):
    res = bench_scale.stages(ROOT / "seeds", ROOT / "templates" / "topics.yml", ROOT / "templates")
    assert list(res["stages"]) == ["startup", "read+clean", "dedup", "topics", "claims", "pages"]
    for stage in res["stages"].values():  # this process, numpy and the generator imported: well over 10 MiB
        assert stage["held_mib"] > 10
    assert res["counts"]["files"] == len(list((ROOT / "seeds").iterdir()))


def test_the_counts_of_a_ledger_are_read_without_its_file_entries():
    ledger = (ROOT / "briefings" / "ledger.json").read_text(encoding="utf-8")
    assert bench_scale.ledger_counts(ledger) == json.loads(ledger)["counts"]


def test_the_ratios_to_a_peer_give_mkdocs_only_when_both_built_the_site():
    this = {"total_seconds": 40.0, "peak_mib": 330.0, "site": {"mkdocs_seconds": 18.0}}
    peer = {"total_seconds": 50.0, "peak_mib": 300.0, "site": {"mkdocs_seconds": 36.0}}
    assert bench_scale.ratios(this, peer) == "this/peer: time 0.800, peak memory 1.100, MkDocs 0.500"
    assert "MkDocs" not in bench_scale.ratios({k: v for k, v in this.items() if k != "site"}, peer)
