"""Quality floor of deduplication on a synthetic labelled corpus (a benchmark kept as a gate)."""
from __future__ import annotations

import json

import pytest

pytestmark = pytest.mark.bench


def test_synthetic_corpus_quality_floor(synthetic):
    from benchmarks.bench_dedup import ours, score
    labels = json.loads((synthetic / "labels.json").read_text(encoding="utf-8"))
    result = score(labels, ours(synthetic / "articles"))
    assert result["precision"] >= 0.99 and result["f1"] >= 0.98, result
