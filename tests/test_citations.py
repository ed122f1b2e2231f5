"""A footnote vouches only for text its article holds: every (sentence, cited file) pair of a build is
checked against the file (benchmarks/check_citations.py)."""
from __future__ import annotations

from pathlib import Path

import pytest

from benchmarks.check_citations import check
from generator import output, pipeline
from generator.settings import DEFAULT

from .helpers import FIXTURE, ROOT

BASIL = ROOT.parent / "shared" / "eval" / "basil-dev"


def _built(tmp_path: Path, seeds: Path, topics: Path) -> Path:
    result = pipeline.generate(pipeline.Inputs(seeds, topics, ROOT / "templates"), DEFAULT, skip_invalid=True)
    output.sync(tmp_path / "briefings", result.files)
    return tmp_path / "briefings"


@pytest.mark.parametrize("seeds, topics, pairs", [(ROOT / "seeds", ROOT / "templates" / "topics.yml", 100),
                                                  (FIXTURE / "seeds", FIXTURE / "topics.yml", 10)])
def test_every_cited_file_holds_the_sentences_it_is_cited_for(tmp_path, seeds, topics, pairs):
    total, failures = check(_built(tmp_path, seeds, topics), seeds)
    assert total > pairs
    assert failures == []


def test_a_footnote_to_a_file_without_the_sentence_is_found(tmp_path):
    briefings = _built(tmp_path, FIXTURE / "seeds", FIXTURE / "topics.yml")
    page = briefings / "water-sharing.md"
    text = page.read_text(encoding="utf-8")
    first = next(line for line in text.split("\n") if line and not line.startswith(("#", "*", "-", "[^", "?"))
                 and "[^" in line)
    page.write_text(text.replace(first, "The river ran dry in a single night, officials said." + first[first.index("[^"):]),
                    encoding="utf-8")
    _, failures = check(briefings, FIXTURE / "seeds")
    assert {f.sentence for f in failures} == {"The river ran dry in a single night, officials said."}


@pytest.mark.skipif(not BASIL.is_dir(), reason="the basil-dev corpus is kept outside the project")
def test_real_outlets_are_cited_only_for_what_they_hold(tmp_path):
    # 276 real articles and reprints; before sentence-level carrying 4.7 % of the pairs failed, and 6 of
    # 5,577 before a sentence was cited only to articles whose text holds it (not a near or partial match)
    total, failures = check(_built(tmp_path, BASIL / "articles", ROOT / "benchmarks" / "data" / "basil_topics.yml"),
                            BASIL / "articles")
    assert total > 5000
    assert failures == []
