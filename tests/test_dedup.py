"""Deduplication rules, order independence, the per-article cache, archive pages and a quality floor."""
from __future__ import annotations

import random
import re
import shutil
import unicodedata
from dataclasses import replace

import pytest
from hypothesis import given, settings as hsettings, strategies as st

from generator import clean, dedup, pipeline, prepare, reader, textnorm, topics
from generator.model import CleanArticle
from generator.settings import DEFAULT
from generator.textnorm import normalise

from .helpers import FIXTURE, ROOT, article

# An original report: six paragraphs, each long enough to be a passage.
ORIGINAL = [
    "The city council voted on Tuesday to close the old river bridge to heavy traffic from the first of March.",
    "Engineers found cracks in two of the steel girders during an inspection last autumn, the council said in a statement.",
    "Lorries will be sent along the ring road, which adds about eleven kilometres to the journey between the port and the industrial estate.",
    "\"We cannot take any risk with a structure that carries forty thousand vehicles a day,\" the mayor, Anna Berg, told reporters.",
    "Repairs are expected to cost 14 million euros and to take at least two years, according to the transport department.",
    "Local businesses have asked for compensation, saying the detour will raise their delivery costs by a fifth.",
]
# The same event, told independently in other words (a hard negative).
REWRITE = [
    "Heavy vehicles will no longer be allowed on the old river bridge from March, after a council vote this week.",
    "An inspection in the autumn revealed fractures in the steel beams, officials explained.",
    "Freight traffic faces a detour of roughly eleven kilometres via the ring road to reach the industrial estate.",
    "The mayor said the town could not gamble with a bridge used by tens of thousands of cars every day.",
    "The transport department puts the bill for repairs at 14 million euros over two or more years.",
    "Shop owners want to be compensated for the higher cost of deliveries during the works.",
]
QUOTE = ORIGINAL[3]
OTHER = [
    "A new library opened in the northern district on Saturday, with room for sixty thousand books and a cafe.",
    "The building was designed by a local architecture firm and paid for partly by a regional grant.",
    QUOTE,
    "Visitors queued for an hour before the doors opened at ten in the morning, organisers said.",
]


def clean_of(a) -> CleanArticle:
    return clean.clean_article(a, DEFAULT)


def families(*arts):
    return dedup.find_families([clean_of(a) for a in arts], DEFAULT)


def test_exact_copy_is_merged_into_the_earlier_article():
    fam = families(article("orig", *ORIGINAL, published="2025-01-02"),
                   article("copy", *ORIGINAL, published="2025-01-03"))
    assert fam.family_of == {"orig": "orig", "copy": "orig"}
    assert fam.merges["copy"].similarity == 1.0


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
    assert not fam.merges


def test_shared_quote_is_one_passage_citing_both_articles_which_stay_separate():
    fam = families(article("orig", *ORIGINAL, published="2025-01-02"),
                   article("library", *OTHER, published="2025-01-03"))
    assert not fam.merges
    merged = dedup.merge_passages(fam, DEFAULT)
    quoted = [p for p in merged.passages if normalise(p.text) == normalise(QUOTE)]
    assert len(quoted) == 1
    assert quoted[0].article_id == "orig"
    assert quoted[0].sources == ("orig", "library")
    assert merged.merged_paragraphs == {"orig": 0, "library": 1}
    assert merged.kept_paragraphs == {"orig": len(ORIGINAL), "library": len(OTHER) - 1}


def test_copy_with_paragraphs_split_inside_sentences_is_merged():
    # reprints re-break paragraphs anywhere, e.g. after a comma: no piece is a whole sentence of the original
    pieces = []
    for p in ORIGINAL:
        words = p.split()
        pieces += [" ".join(words[:7]), " ".join(words[7:])]
    fam = families(article("orig", *ORIGINAL, published="2025-01-02"), article("resplit", *pieces))
    assert fam.family_of["resplit"] == "orig"
    assert fam.merges["resplit"].similarity >= DEFAULT.article_duplicate


SPEECH = [
    "\"This bridge has served the city for ninety years and it deserves a proper repair, not a patch,\" Berg said.",
    "\"Every lorry we send around the ring road costs a haulier time and money, and we know that,\" she added.",
    "\"The council will review the compensation requests one by one before the summer holidays,\" Berg said.",
]


def test_excerpt_of_shared_quotes_joins_its_original_not_another_report_quoting_them():
    # two outlets quote the mayor word for word; an excerpt of one is mostly those quotes
    fam = families(article("orig", *ORIGINAL[:3], *SPEECH, *ORIGINAL[3:], published="2025-01-02"),
                   article("rewrite", *REWRITE[:2], *SPEECH, *REWRITE[2:], published="2025-01-02"),
                   article("excerpt", ORIGINAL[2], *SPEECH, published="2025-01-03"))
    assert fam.family_of == {"orig": "orig", "rewrite": "rewrite", "excerpt": "orig"}


WIRE = [
    "The regional transport authority confirmed that the bridge had been inspected four times since 2019, with no structural faults reported before last autumn.",
    "Under national rules, any bridge with cracked load-bearing girders must be closed to vehicles over seven and a half tonnes until it is repaired.",
]


def test_excerpt_found_in_two_reports_joins_only_the_one_holding_most_of_it():
    # both outlets ran the same two wire paragraphs; the excerpt also has one paragraph only "orig" has
    fam = families(article("orig", *ORIGINAL[:3], *WIRE, *ORIGINAL[3:], published="2025-01-02"),
                   article("rewrite", *REWRITE[:3], *WIRE, *REWRITE[3:], published="2025-01-02"),
                   article("excerpt", ORIGINAL[2], *WIRE, published="2025-01-03"))
    assert fam.family_of == {"orig": "orig", "rewrite": "rewrite", "excerpt": "orig"}
    assert fam.merges["excerpt"].similarity == 1.0


def test_two_copies_of_each_other_still_join_their_original():
    lead = "Readers in the valley have written to us about the bridge closure for weeks, and here is the latest."
    fam = families(article("orig", *ORIGINAL, published="2025-01-02"),
                   article("copy-a", lead, *ORIGINAL[:4], published="2025-01-03"),
                   article("copy-b", lead, *ORIGINAL[:4], published="2025-01-03"))
    assert fam.family_of == {"orig": "orig", "copy-a": "orig", "copy-b": "orig"}
    assert {m.via for m in fam.merges.values()} == {None, "copy-a"}  # one joins orig, one joins it


def test_quoted_characters_are_counted_inside_double_quotes():
    assert textnorm.quoted_chars('He said "no way" today.') == len('"no way"')
    assert textnorm.quoted_chars("“For the record, I love my sister,\" she wrote.") == len("“For the record, I love my sister,\"")
    assert textnorm.quoted_chars('"An unclosed quote runs on') == len('"An unclosed quote runs on')
    assert textnorm.quoted_chars("It's Berg's bridge.") == 0


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
    fam = dedup.find_families(arts, DEFAULT)
    return fam.family_of, fam.merges, dedup.merge_passages(fam, DEFAULT)


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


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory):
    from benchmarks.synth import generate
    root = tmp_path_factory.mktemp("synth") / "corpus"
    generate(root, 200, seed=11, workers=1)
    return root


def test_synthetic_corpus_quality_floor(synthetic):
    import json

    from benchmarks.bench_dedup import ours, score
    labels = json.loads((synthetic / "labels.json").read_text(encoding="utf-8"))
    result = score(labels, ours(synthetic / "articles"))
    assert result["precision"] >= 0.99 and result["f1"] >= 0.98, result


def _inputs(seeds, cache=None):
    return pipeline.Inputs(seeds, FIXTURE / "topics.yml", ROOT / "templates", cache)


def test_file_listing_order_does_not_change_the_output(synthetic, monkeypatch):
    expected = pipeline.generate(_inputs(synthetic / "articles"), DEFAULT, skip_invalid=True).files
    walk = reader.os.walk

    def reversed_walk(*args, **kwargs):
        for root, dirs, files in walk(*args, **kwargs):
            dirs.reverse()
            yield root, dirs, list(reversed(files))

    monkeypatch.setattr(reader.os, "walk", reversed_walk)
    assert pipeline.generate(_inputs(synthetic / "articles"), DEFAULT, skip_invalid=True).files == expected


def test_parallel_cached_reading_matches_the_reader():
    seeds = FIXTURE / "seeds"
    plain = reader.read_folder(seeds, DEFAULT)
    for workers in (1, 2):
        got = prepare.read_folder(seeds, DEFAULT, None, workers=workers)
        assert got.read == plain
        assert {a: p.cleaned for a, p in got.prepared.items()} == {
            a.id: clean.clean_article(a, DEFAULT) for a in plain.articles}


def test_cache_gives_the_same_output_and_is_invalidated(tmp_path, monkeypatch):
    seeds = tmp_path / "seeds"
    shutil.copytree(FIXTURE / "seeds", seeds)
    cache = tmp_path / "cache"
    expected = pipeline.generate(_inputs(seeds), DEFAULT, skip_invalid=True).files
    first = prepare.read_folder(seeds, DEFAULT, cache)
    assert first.cache_hits == 0 and first.cache_misses > 0
    assert list(cache.glob("prepared-*/*.pickle"))
    again = prepare.read_folder(seeds, DEFAULT, cache)
    assert again.cache_misses == 0 and again.read == first.read
    assert pipeline.generate(_inputs(seeds, cache), DEFAULT, skip_invalid=True).files == expected
    # one edited file is read again, the others come from the cache
    victim = sorted(p for p in seeds.iterdir() if p.suffix == ".md")[0]
    victim.write_text(victim.read_text(encoding="utf-8") + "\nA new closing paragraph with enough words in it.\n",
                      encoding="utf-8")
    edited = prepare.read_folder(seeds, DEFAULT, cache)
    assert edited.cache_misses == 1
    # kept pair alignments and topic scores give what a build without any cache gives
    assert list(cache.glob("pairs-*")) and list(cache.glob("topics-*"))
    fresh = pipeline.generate(_inputs(seeds), DEFAULT, skip_invalid=True).files
    assert pipeline.generate(_inputs(seeds, cache), DEFAULT, skip_invalid=True).files == fresh != expected
    # a changed setting invalidates everything
    other = replace(DEFAULT, min_passage_words=7)
    changed = prepare.read_folder(seeds, other, cache)
    assert changed.cache_hits == 0
    assert len(list(cache.glob("prepared-*"))) == 1


def test_cached_topic_scores_follow_the_topics_file(tmp_path):
    topics_file = tmp_path / "topics.yml"
    shutil.copy(FIXTURE / "topics.yml", topics_file)
    cache = tmp_path / "cache"

    def build(cache_dir):
        inputs = pipeline.Inputs(FIXTURE / "seeds", topics_file, ROOT / "templates", cache_dir)
        return pipeline.generate(inputs, DEFAULT, skip_invalid=True).files

    before = build(cache)
    assert list(cache.glob("topics-*")) and build(cache) == before == build(None)
    # a term that reaches other passages: the cached scores of the old terms must not answer
    topics_file.write_text(topics_file.read_text(encoding="utf-8").replace("[dam*,", "[dam*, river*,"),
                           encoding="utf-8")
    after = build(cache)
    assert after == build(None) != before
    assert len(list(cache.glob("topics-*"))) == 1


def _one_big_topic(tmp_path):
    """A topics file whose only topic takes nearly every passage."""
    story = tmp_path / "topics.yml"
    story.write_text("story:\n  title: T\n  description: D\ntopics:\n  - slug: all\n    title: All\n"
                     "    description: Every passage with a common word.\n    terms: [the, and, of]\n",
                     encoding="utf-8")
    return story


def test_large_topic_is_capped_and_the_rest_is_on_the_archive_page(synthetic, tmp_path):
    tiny = replace(DEFAULT, topic_page_passages=5, archive_page_passages=100_000)
    story = _one_big_topic(tmp_path)
    inputs = pipeline.Inputs(synthetic / "articles", story, ROOT / "templates")
    result = pipeline.generate(inputs, tiny, skip_invalid=True)
    page, archive = result.files["all.md"], result.files["all-archive.md"]
    assert page.index("## Key points") < page.index("## In detail")
    assert "(all-archive.md)" in page and "## Key points" not in archive
    total = result.ledger["counts"]["per_topic"]["all"]
    assert total > 5
    assert f"{total - 5} further passages are on the [archive page](all-archive.md)" in page
    assert f"*{total - 5} passages from " in archive
    shown = [line for line in page.split("## In detail", 1)[1].split("\n") if line.endswith("]") and "[^" in line
             and not line.startswith("*")]
    assert len(shown) == 5


def test_archive_is_split_into_chained_pages_that_hold_every_passage_once(synthetic, tmp_path):
    small = replace(DEFAULT, topic_page_passages=5, archive_page_passages=7)
    story = _one_big_topic(tmp_path)
    result = pipeline.generate(pipeline.Inputs(synthetic / "articles", story, ROOT / "templates"), small,
                               skip_invalid=True)
    total = result.ledger["counts"]["per_topic"]["all"]
    pages = ["all"] + [f"all-archive{'' if n == 1 else f'-{n}'}" for n in range(1, -(-(total - 5) // 7) + 1)]
    assert sorted(f"{p}.md" for p in pages) == sorted(f for f in result.files if f.startswith("all"))
    seen = []
    for n, name in enumerate(pages):
        text = result.files[f"{name}.md"]
        body = text.split("## In detail", 1)[1]
        shown = [line for line in body.split("\n") if "[^" in line and not line.startswith(("*", "[^"))]
        assert len(shown) == (5 if n == 0 else min(7, total - 5 - 7 * (n - 1)))
        seen += shown
        later = total - 5 - 7 * n
        if n + 1 < len(pages):  # each page links to the next, saying how many passages follow
            assert f"{later} further passages are on the [archive page]({pages[n + 1]}.md)" in text
        else:
            assert "further passages" not in text
    assert len(seen) == total


def test_sources_list_is_split_into_parts_that_every_link_finds(synthetic, tmp_path):
    from generator import cli, output
    small = replace(DEFAULT, sources_page_entries=60)
    result = pipeline.generate(_inputs(synthetic / "articles"), small, skip_invalid=True)
    files = len(result.ledger["files"])
    parts = ["sources"] + [f"sources-{n}" for n in range(2, -(-files // 60) + 1)]
    assert sorted(n for n in result.files if n.startswith("sources")) == sorted(f"{p}.md" for p in parts)
    headings = {}
    for n, name in enumerate(parts, 1):
        text = result.files[f"{name}.md"]
        assert text.startswith(f"# Sources, part {n} of {len(parts)}\n")
        headings[name] = re.findall(r"^### (.+)$", text, flags=re.M)
        assert len(headings[name]) == min(60, files - 60 * (n - 1))
    # every link to a source entry, from topic pages and from the sources pages, names the right part
    entry = {e["id"]: name for name, ids in headings.items() for e in result.ledger["files"] if e["id"] in ids}
    links = [m for text in result.files.values() for m in re.findall(r"\]\((sources(?:-\d+)?)\.md#([^)]+)\)", text)]
    assert links and all(entry[anchor] == page for page, anchor in links if anchor in entry)
    assert {anchor for _, anchor in links} <= set(entry)
    # and MkDocs, strict, agrees that every link resolves
    output.publish(ROOT / "mkdocs.yml", tmp_path / "briefings", result.files, tmp_path / "site",
                   cli._nav(result), result.ledger["story"])
    assert (tmp_path / "site" / "sources-2" / "index.html").is_file()


@hsettings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("aeiousyzSU19 .-'“’é\u00a0ﬁİ\u212a—\n")), max_size=60))
def test_fast_normalising_and_stemming_match_the_reference(text):
    folded = unicodedata.normalize("NFKC", text).translate(textnorm._QUOTES)
    folded = re.sub(r"\b((?:[A-Za-z]\.){2,})", lambda m: m.group(1).replace(".", ""), folded)
    assert normalise(text) == re.sub(r"[^a-z0-9]+", " ", folded.lower()).strip()
    assert topics.stemmed(text) == " ".join(topics.stem(w) for w in normalise(text).split())
