"""bench_scale: a run that needs more memory than --max-memory allows is reported, not a crash."""
from __future__ import annotations

from benchmarks import bench_scale


def test_a_run_over_its_memory_limit_reports_how_far_it_got(tmp_path):
    res = bench_scale.run_size(40, 7, tmp_path, profile=False, max_memory=120)  # too little to import numpy
    assert res["size"] == 40 and res["failed"]  # the last line the child wrote to stderr
    assert "startup" not in res["stages"]
    assert bench_scale.report(res).startswith("     40 articles: FAILED after")


def test_stage_and_progress_lines_of_a_child_that_stopped():
    out = '\n'.join(['{"stage": "startup", "seconds": 0.1, "peak_mib": 50.0, "worker_peak_mib": 0.0}',
                     '{"files": 100, "of": 200, "seconds": 2.0, "peak_mib": 60.0}',
                     '{"stage": "read+clean", "seconds": 3.5, "peak_mib": 80.0, "worker_peak_mib": 40.0}'])
    res = bench_scale._partial(200, out, "Traceback ...\nMemoryError\n") | {"wall_seconds": 9.0}
    assert res["failed"] == "MemoryError" and list(res["stages"]) == ["startup", "read+clean"]
    assert res["files_read"]["files"] == 100
    assert "stages done: read+clean 3.50s/80MiB" in bench_scale.report(res)
