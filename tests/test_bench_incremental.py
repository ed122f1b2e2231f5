"""bench_incremental: the steps it reports, on a small synthetic corpus (one fresh process per build)."""
from __future__ import annotations

import re
import subprocess
import sys

import pytest

from .helpers import ROOT

pytestmark = pytest.mark.bench


def test_reports_each_step_with_the_files_it_rewrote_and_the_target(tmp_path):
    out = subprocess.run([sys.executable, "-m", "benchmarks.bench_incremental", "--articles", "60", "--workdir",
                          str(tmp_path), "--no-setting", "--site"], cwd=ROOT, check=True, capture_output=True,
                         text=True).stdout
    written = {step: (int(a), int(b)) for step, a, b in
               re.findall(r"^  (cold|warm, no change|one article added|and removed|new article added|new one removed) "
                          r".* (\d+) of (\d+) files written", out, re.M)}
    assert list(written) == ["cold", "warm, no change", "one article added", "and removed", "new article added",
                             "new one removed"]
    assert written["cold"][0] == written["cold"][1] > 0
    assert written["warm, no change"][0] == 0
    assert all(written[step][0] > 0 for step in list(written)[2:])
    assert re.search(r"^60 articles \(\+1\):$", out, re.M)
    assert re.search(r"^  \+1 / cold = \d\.\d{3}$", out, re.M)  # no target is set for 60 articles
    assert re.search(r"^  \+1 new / cold = \d\.\d{3}$", out, re.M)
    # --site: the whole `briefings build` (MkDocs included) cold, after a copy added and after a new article added
    site = re.search(r"^ this: briefings build, site included: cold [0-9.]+ s \(MkDocs [0-9.]+ s\); "
                     r"\+1 article [0-9.]+ s \(MkDocs [0-9.]+ s, (\d+) files of briefings/ rewritten\); "
                     r"\+1 new article [0-9.]+ s \(MkDocs [0-9.]+ s, (\d+) files of briefings/ rewritten\)$", out, re.M)
    assert site and 0 < int(site[1]) < written["cold"][1] and 0 < int(site[2]) < written["cold"][1]
