"""Deduplication of whole articles: which article is a copy of which, and order independence."""
from __future__ import annotations

import random

import numpy as np
import pytest

from generator import clean, families as families_of, passages, prepare
from generator.features import word_hashes
from generator.memo import Cache
from generator.model import CleanArticle
from generator.settings import DEFAULT

from .helpers import FIXTURE, ORIGINAL, OTHER, REWRITE, SPEECH, WIRE, article


def clean_of(a) -> CleanArticle:
    return clean.clean_article(a, DEFAULT)


def families(*arts):
    return families_of.find_families([clean_of(a) for a in arts], DEFAULT)[0]


def test_exact_copy_is_merged_into_the_earlier_article():
    fam = families(article("orig", *ORIGINAL, published="2025-01-02"),
                   article("copy", *ORIGINAL, published="2025-01-03"))
    assert fam.family_of == {"orig": "orig", "copy": "orig"}
    assert fam.duplicates["copy"].similarity == 1.0


def test_trimmed_copy_is_merged():
    fam = families(article("orig", *ORIGINAL, published="2025-01-02"),
                   article("trim", *ORIGINAL[:4], published="2025-01-03"))
    assert fam.family_of["trim"] == "orig"


def test_excerpt_is_merged():
    fam = families(article("orig", *ORIGINAL, published="2025-01-02"),
                   article("excerpt", *ORIGINAL[2:5], published="2025-01-02"))
    assert fam.family_of["excerpt"] == "orig"


def test_copy_with_house_style_edits_is_merged():
    edited = [p.replace("\"", "“", 1).replace("euros", "euro") for p in ORIGINAL]
    edited[0] = "LOCAL NEWS: " + edited[0]
    fam = families(article("orig", *ORIGINAL, published="2025-01-02"), article("edited", *edited))
    assert fam.family_of["edited"] == "orig"


def test_same_event_rewrite_is_not_merged():
    fam = families(article("orig", *ORIGINAL, published="2025-01-02"),
                   article("rewrite", *REWRITE, published="2025-01-02"))
    assert fam.family_of == {"orig": "orig", "rewrite": "rewrite"}
    assert not fam.duplicates


def test_copy_with_paragraphs_split_inside_sentences_is_merged():
    # reprints re-break paragraphs anywhere, e.g. after a comma: no piece is a whole sentence of the original
    pieces = []
    for p in ORIGINAL:
        words = p.split()
        pieces += [" ".join(words[:7]), " ".join(words[7:])]
    fam = families(article("orig", *ORIGINAL, published="2025-01-02"), article("resplit", *pieces))
    assert fam.family_of["resplit"] == "orig"
    assert fam.duplicates["resplit"].similarity >= DEFAULT.article_duplicate


def test_excerpt_of_shared_quotes_joins_its_original_not_another_report_quoting_them():
    # two outlets quote the mayor word for word; an excerpt of one is mostly those quotes
    fam = families(article("orig", *ORIGINAL[:3], *SPEECH, *ORIGINAL[3:], published="2025-01-02"),
                   article("rewrite", *REWRITE[:2], *SPEECH, *REWRITE[2:], published="2025-01-02"),
                   article("excerpt", ORIGINAL[2], *SPEECH, published="2025-01-03"))
    assert fam.family_of == {"orig": "orig", "rewrite": "rewrite", "excerpt": "orig"}


def test_excerpt_found_in_two_reports_joins_only_the_one_holding_most_of_it():
    # both outlets ran the same two wire paragraphs; the excerpt also has one paragraph only "orig" has
    fam = families(article("orig", *ORIGINAL[:3], *WIRE, *ORIGINAL[3:], published="2025-01-02"),
                   article("rewrite", *REWRITE[:3], *WIRE, *REWRITE[3:], published="2025-01-02"),
                   article("excerpt", ORIGINAL[2], *WIRE, published="2025-01-03"))
    assert fam.family_of == {"orig": "orig", "rewrite": "rewrite", "excerpt": "orig"}
    assert fam.duplicates["excerpt"].similarity == 1.0


def test_two_copies_of_each_other_still_join_their_original():
    lead = "Readers in the valley have written to us about the bridge closure for weeks, and here is the latest."
    fam = families(article("orig", *ORIGINAL, published="2025-01-02"),
                   article("copy-a", lead, *ORIGINAL[:4], published="2025-01-03"),
                   article("copy-b", lead, *ORIGINAL[:4], published="2025-01-03"))
    assert fam.family_of == {"orig": "orig", "copy-a": "orig", "copy-b": "orig"}
    assert {m.via for m in fam.duplicates.values()} == {None, "copy-a"}  # one joins orig, one joins it


def test_canonical_is_earliest_then_most_complete_then_by_id():
    def canon(*arts):
        return families(*arts).family_of[arts[0].id]

    assert canon(article("b", *ORIGINAL, published="2025-01-05"),
                 article("a", *ORIGINAL[:4], published="2025-01-04")) == "a"      # earliest wins over longer
    assert canon(article("a", *ORIGINAL[:4], published="2025-01-04"),
                 article("b", *ORIGINAL, published="2025-01-04")) == "b"          # same day: most complete
    assert canon(article("b", *ORIGINAL, published="2025-01-04"),
                 article("a", *ORIGINAL, published="2025-01-04")) == "a"          # same: first by id
    assert canon(article("a", *ORIGINAL), article("b", *ORIGINAL[:5], published="2025-01-09")) == "b"  # dated first


def _decisions(arts):
    fam, alignment = families_of.find_families(arts, DEFAULT)
    return fam.family_of, fam.duplicates, passages.merge_passages(fam, alignment, DEFAULT)


def test_input_order_does_not_change_decisions():
    arts = [clean_of(a) for a in (
        article("orig", *ORIGINAL, published="2025-01-02"), article("trim", *ORIGINAL[:4]),
        article("excerpt", *ORIGINAL[1:4], published="2025-01-02"), article("rewrite", *REWRITE),
        article("library", *OTHER, published="2025-01-03"), article("copy", *ORIGINAL, published="2025-01-02"))]
    expected = _decisions(arts)
    rng = random.Random(5)
    for _ in range(5):
        rng.shuffle(arts)
        assert _decisions(arts) == expected


def test_sentence_roots_found_in_numpy_are_the_smallest_member_of_each_linked_set():
    rng = np.random.default_rng(7)
    for n, links in ((1, 0), (12, 9), (2_000, 1_500), (2_000, 1_999)):
        left, right = rng.integers(0, n, links), rng.integers(0, n, links)
        if links == n - 1:  # one long chain, linked from its far end
            left = np.arange(n - 1)[::-1]
            right = left + 1
        expected = families_of._UnionFind(n)
        for a, b in zip(left.tolist(), right.tolist()):
            expected.union(a, b)
        assert families_of.smallest_members(n, left, right).tolist() == [expected.find(i) for i in range(n)]


def test_alignments_and_candidates_from_the_cache_equal_those_found_afresh(tmp_path, monkeypatch):
    """The memo "pairs" answers a pair with its matches and each side's share found in the other, and the memo
    "candidates" the candidate pairs (updated by difference when an article is added): the families and the
    alignment are those a build without the cache finds."""
    arts = [clean_of(a) for a in (
        article("orig", *ORIGINAL, published="2025-01-02"), article("trim", *ORIGINAL[:4]),
        article("excerpt", *ORIGINAL[1:4], published="2025-01-02"), article("rewrite", *REWRITE),
        article("library", *OTHER, published="2025-01-03"))]
    keys = {ca.id: prepare.content_key(ca.article.path, repr(ca).encode()) for ca in arts}
    cache = Cache(tmp_path, DEFAULT)
    first = families_of.find_families(arts, DEFAULT, cache=cache, content_keys=keys)
    assert first == families_of.find_families(arts, DEFAULT) and first[0].duplicates
    monkeypatch.setattr(families_of, "align", lambda *args: pytest.fail("aligned again"))
    assert families_of.find_families(arts, DEFAULT, cache=cache, content_keys=keys) == first
    monkeypatch.undo()
    copy = clean_of(article("copy", *ORIGINAL, published="2025-01-01"))
    keys[copy.id] = prepare.content_key(copy.article.path, repr(copy).encode())
    added = families_of.find_families([*arts, copy], DEFAULT, cache=cache, content_keys=keys)
    assert added == families_of.find_families([*arts, copy], DEFAULT) and added[0].family_of["orig"] == "copy"


def test_normalised_sentences_are_held_one_text_an_article_and_read_back_by_sentence_id():
    articles = [["the bridge will close", "", "repairs cost 14 million"], [], ["a", "the bridge will close"]]
    norms = families_of.Norms()
    for sentences in articles:
        norms.add("\n".join(sentences), len(sentences))
    flat = [s for sentences in articles for s in sentences]
    assert len(norms) == 5 and [norms[s] for s in range(len(norms))] == flat and norms == flat
    assert len(norms.texts) == 2  # one str an article that has sentences, none for the empty one
    assert norms.run(range(0, 3)) == articles[0] and norms.run(range(4, 5)) == ["the bridge will close"]
    with pytest.raises(ValueError):
        norms.run(range(2, 4))  # a run across two articles
    with pytest.raises(ValueError):
        norms.add("one\ntwo", 3)  # a count that does not match the text is an error, not a shifted id


def test_samples_gathered_in_one_array_give_the_candidates_of_per_article_ones():
    """read_folder holds every article's sampled shingles once (`features.gather`: each article's sample a view of one
    array), and blocking reads that array in place, also when some of its articles are left out."""
    corpus = prepare.read_folder(FIXTURE / "seeds", DEFAULT)  # wire copies among them
    samples = corpus.samples
    assert all(np.shares_memory(f.sample, samples.values) for f in corpus.features.values() if len(f.sample))
    articles = sorted(corpus.cleaned.values(), key=lambda ca: ca.id)
    for chosen in (articles, articles[1::2], articles[:-1]):
        expected = families_of.candidate_pairs([corpus.features[ca.id].sample for ca in chosen], DEFAULT)
        assert families_of._candidates_flat(chosen, samples, DEFAULT) == expected
    assert families_of.candidate_pairs([corpus.features[ca.id].sample for ca in articles], DEFAULT)  # pairs to compare


def test_identical_sentences_pair_each_with_the_first_of_its_text_even_when_hashes_collide():
    """Every sentence whose text is that of an earlier one is paired with the first sentence of that text; a
    hash of 0 (too short) is never paired, and two texts with one hash are told apart by their text."""
    rng = random.Random(5)
    for _ in range(200):
        texts = [f"t{rng.randrange(12)}" for _ in range(rng.randrange(1, 120))]
        hashes = np.array([0 if t == "t0" else int(t[1:]) % 4 + 1 for t in texts], dtype=np.int64)  # 11 texts, 4 hashes
        first: dict[str, int] = {}
        expected = {(first.setdefault(t, s), s) for s, t in enumerate(texts) if t != "t0" and first.setdefault(t, s) != s}
        pairs = families_of._identical(texts, hashes)
        assert set(map(tuple, pairs.tolist())) == expected


def test_a_word_hashes_alike_wherever_it_stands_and_unlike_other_words():
    """Shingles are made of word hashes computed for a whole text at once: a word's must not depend on where it
    stands, in that text or another (the tables they use grow with the longest text seen), or on empty words."""
    short = "the cat sat  on the mat"  # two spaces: an empty sentence between two others
    long = " ".join(["sat", "x" * 5000, "mat"] * 30) + " the cat"
    words = short.split() + long.split()
    hashes = word_hashes(short).tolist() + word_hashes(long).tolist()
    assert len(hashes) == len(words)
    seen: dict[str, int] = {}
    assert all(seen.setdefault(w, h) == h for w, h in zip(words, hashes))
    assert len(set(seen.values())) == len(seen)
    assert word_hashes("ab ba").tolist()[0] != word_hashes("ab ba").tolist()[1]
