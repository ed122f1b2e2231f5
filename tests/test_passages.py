"""Passages: a paragraph kept once, citing every article that carries it."""
from __future__ import annotations

from generator import clean, families, passages
from generator.settings import DEFAULT
from generator.textnorm import normalise

from .helpers import ORIGINAL, OTHER, QUOTE, article


def test_shared_quote_is_one_passage_citing_both_articles_which_stay_separate():
    arts = [clean.clean_article(a, DEFAULT) for a in (article("orig", *ORIGINAL, published="2025-01-02"),
                                                      article("library", *OTHER, published="2025-01-03"))]
    fam, alignment = families.find_families(arts, DEFAULT)
    assert not fam.duplicates
    merged = passages.merge_passages(fam, alignment, DEFAULT)
    quoted = [p for p in merged.passages if normalise(p.text) == normalise(QUOTE)]
    assert len(quoted) == 1
    assert quoted[0].article_id == "orig"
    assert quoted[0].sources == ("orig", "library")
    assert merged.merged == {"orig": 0, "library": 1}
    assert merged.kept == {"orig": len(ORIGINAL), "library": len(OTHER) - 1}
