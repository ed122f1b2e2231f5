"""Passages: a paragraph kept once, citing every article that carries it."""
from __future__ import annotations

from array import array
from dataclasses import replace

from rapidfuzz import fuzz

from generator import clean, families, passages, prepare
from generator.memo import Cache
from generator.settings import DEFAULT
from generator.textnorm import normalise, sentences

from .helpers import ORIGINAL, OTHER, QUOTE, REWRITE, SPEECH, WIRE, article


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


def _passages(*arts):
    fam, alignment = families.find_families([clean.clean_article(a, DEFAULT) for a in arts], DEFAULT)
    assert not fam.duplicates
    return {p.text: p for p in passages.merge_passages(fam, alignment, DEFAULT).passages}


# Three reports of one gaffe. Each long sentence holds the same quoted phrase, and the third report also
# has the phrase as a sentence of its own; each report shares other paragraphs with the third.
PHRASE = "\"Dress like you deserve respect.\""
HERALD = ["Maria Lenz, the spokeswoman for the county treasurer, wrote on Friday that the two students should "
          "\"dress like you deserve respect\" and stop pulling faces at public events.",
          *ORIGINAL]
GAZETTE = ["On Monday the spokeswoman, who has some fourteen thousand followers online and until last year worked "
           "for a state senator, told readers that they should \"dress like you deserve respect\" in a post she "
           "has since deleted.",
           *REWRITE]
COURIER = [f"The post ended with a line that drew wide anger online. {PHRASE}",
           *ORIGINAL[:2], *REWRITE[:2],
           "The treasurer's office said it would not comment on the conduct of its staff on social media.",
           "A petition calling for the spokeswoman to resign had gathered several thousand names by Sunday.",
           "Two members of the county board said they would raise the matter at their next public meeting."]


def test_a_quoted_phrase_two_sentences_contain_does_not_make_them_one():
    # The phrase, a piece of both long sentences, once joined them: the herald's passage cited the
    # gazette for a sentence the gazette does not have, and the gazette's own sentence was merged away.
    kept = _passages(article("herald", *HERALD, published="2025-01-02"),
                     article("gazette", *GAZETTE, published="2025-01-03"),
                     article("courier", *COURIER, published="2025-01-03"))
    assert kept[HERALD[0]].sources == ("herald",)
    assert kept[GAZETTE[0]].sources == ("gazette",)
    assert kept[COURIER[0]].sources == ("courier",)  # the line before the phrase is the courier's only
    assert kept[ORIGINAL[0]].sources == ("herald", "courier")


def test_a_sentence_in_other_words_is_not_cited_to_the_article_that_has_them():
    # the two quotations are within `sentence_match` of each other, but say different things
    lead = "\"I just saw the reports that he had changed his view on the matter this week,\" the governor said. "
    said = lead + "\"So if that's the case you'll have to make that determination on your own.\""
    heard = lead + "\"If that's the case then you'll be able to make that determination on your own.\""
    kept = _passages(article("first", said, *ORIGINAL[:4], published="2025-01-02"),
                     article("second", heard, *REWRITE[:4], published="2025-01-02"))
    assert fuzz.ratio(*(normalise(sentences(p)[1]) for p in (said, heard))) >= DEFAULT.sentence_match
    assert kept[said].sources == ("first",)
    assert heard not in kept  # the same sentence: merged into the first's, which is not cited to it


def test_a_cached_walk_answers_only_for_a_group_of_articles_whose_sentences_are_unchanged(tmp_path, monkeypatch):
    """The memo "passages" keeps the walk of each group of articles sharing sentences: an article added to a
    group, or a paragraph of it skipped, walks that group again (and gives what a walk without the cache gives);
    another group is answered from the memo."""
    walked: list[list[str]] = []
    walk = passages._walk

    def recording(fam, alignment, settings, todo, skipped):
        walked.append(sorted(fam.articles[ai].id for ai in todo))
        return walk(fam, alignment, settings, todo, skipped)

    monkeypatch.setattr(passages, "_walk", recording)
    quote_pair = [article("orig", *ORIGINAL, published="2025-01-02"),
                  article("library", *OTHER, published="2025-01-03")]
    wire = [article("wire", *WIRE, *SPEECH, published="2025-01-04"),
            article("wire-copy", *WIRE, *SPEECH[:2], published="2025-01-05")]
    earlier = article("early", *OTHER[:3], published="2025-01-01")  # the quote first, and the library news

    def merge(arts, skip=frozenset(), cache=Cache(tmp_path, DEFAULT)):
        cleaned = [clean.clean_article(a, DEFAULT) for a in arts]
        fam, alignment = families.find_families(cleaned, DEFAULT)
        keys = {ca.id: prepare.content_key(ca.article.path, repr(ca).encode()) for ca in cleaned}
        return passages.merge_passages(fam, alignment, DEFAULT, skip, cache, keys)

    def check(arts, skip=frozenset()):
        walked.clear()
        cached = merge(arts, skip)
        assert cached == merge(arts, skip, Cache(None, DEFAULT))
        return cached, walked[0]

    first, todo = check(quote_pair + wire)
    assert todo == ["library", "orig", "wire", "wire-copy"]
    assert check(quote_pair + wire) == (first, [])
    added, todo = check([earlier, *quote_pair, *wire])
    assert todo == ["early", "library", "orig"] and added.passages[0].article_id == "early"
    assert check(quote_pair + wire) == (first, ["library", "orig"])  # (a build drops the entries it did not use)
    quote = next(p for p in first.passages if normalise(p.text) == normalise(QUOTE))
    skipped, todo = check(quote_pair + wire, frozenset({(quote.article_id, quote.line)}))
    assert todo == ["library", "orig"] and len(skipped.passages) == len(first.passages)
    assert next(p for p in skipped.passages if normalise(p.text) == normalise(QUOTE)).article_id != quote.article_id


def test_a_cached_walk_is_not_reused_when_the_same_articles_align_otherwise(tmp_path):
    """Which sentences are the same can change while a group keeps its articles (a candidate pair is lost when
    its shingles become common in a larger corpus): the group's key holds its sentences' roots."""
    cleaned = [clean.clean_article(a, DEFAULT) for a in (
        article("orig", *ORIGINAL, published="2025-01-02"),
        article("library", OTHER[0], QUOTE, ORIGINAL[4], published="2025-01-03"))]
    fam, alignment = families.find_families(cleaned, DEFAULT)
    keys = {ca.id: prepare.content_key(ca.article.path, repr(ca).encode()) for ca in cleaned}
    cache = Cache(tmp_path, DEFAULT)
    both = passages.merge_passages(fam, alignment, DEFAULT, cache=cache, content_keys=keys)
    assert both.merged == {"library": 2, "orig": 0}
    # the repairs sentence no longer aligned: the two articles still share the quote, so they are one group
    root = array("q", alignment.root)
    repairs = [s for s, text in enumerate(alignment.sentences.norm) if text == normalise(ORIGINAL[4])]
    assert len(repairs) == 2 and root[repairs[1]] == repairs[0]
    root[repairs[1]] = repairs[1]
    one = replace(alignment, root=root)
    cached = passages.merge_passages(fam, one, DEFAULT, cache=cache, content_keys=keys)
    assert cached == passages.merge_passages(fam, one, DEFAULT) and cached.merged == {"library": 1, "orig": 0}
