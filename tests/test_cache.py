"""Results kept between builds: the same output as without them, and invalidated by any change."""
from __future__ import annotations

import os
import pickle
import shutil
from dataclasses import replace

from generator import pipeline, prepare, reader
from generator.memo import Cache
from generator.settings import DEFAULT

from .helpers import FIXTURE, ROOT


def _inputs(seeds, cache=None):
    return pipeline.Inputs(seeds, FIXTURE / "topics.yml", ROOT / "templates", cache)


def test_cache_gives_the_same_output_and_is_invalidated(tmp_path):
    seeds = tmp_path / "seeds"
    shutil.copytree(FIXTURE / "seeds", seeds)
    cache = tmp_path / "cache"
    expected = pipeline.generate(_inputs(seeds), DEFAULT, skip_invalid=True).files
    first = prepare.read_folder(seeds, DEFAULT, Cache(cache, DEFAULT))
    assert first.cache_hits == 0 and first.cache_misses > 0
    assert list(cache.glob("prepared-*/*.pickle"))
    again = prepare.read_folder(seeds, DEFAULT, Cache(cache, DEFAULT))
    assert again.cache_misses == 0 and (again.articles, again.cleaned) == (first.articles, first.cleaned)
    assert pipeline.generate(_inputs(seeds, cache), DEFAULT, skip_invalid=True).files == expected
    # one edited file is read again, the others come from the cache
    victim = sorted(p for p in seeds.iterdir() if p.suffix == ".md")[0]
    victim.write_text(victim.read_text(encoding="utf-8") + "\nA new closing paragraph with enough words in it.\n",
                      encoding="utf-8")
    edited = prepare.read_folder(seeds, DEFAULT, Cache(cache, DEFAULT))
    assert edited.cache_misses == 1
    # kept pair alignments and topic scores give what a build without any cache gives
    assert list(cache.glob("pairs-*")) and list(cache.glob("topics-*")) and list(cache.glob("claims-*"))
    fresh = pipeline.generate(_inputs(seeds), DEFAULT, skip_invalid=True).files
    assert pipeline.generate(_inputs(seeds, cache), DEFAULT, skip_invalid=True).files == fresh != expected
    # a changed setting invalidates everything
    other = replace(DEFAULT, min_passage_words=7)
    changed = prepare.read_folder(seeds, other, Cache(cache, other))
    assert changed.cache_hits == 0
    assert len(list(cache.glob("prepared-*"))) == 1


def test_a_rebuild_reads_only_the_files_written_since(tmp_path, monkeypatch):
    """An unchanged file's content key is found by its status, without reading it; a file written since is read
    again, even at the same size and modification time, and so is one written just before the last build."""
    seeds = tmp_path / "seeds"
    shutil.copytree(FIXTURE / "seeds", seeds)
    cache = tmp_path / "cache"
    reads = []
    read_bytes = reader.read_bytes
    monkeypatch.setattr(reader, "read_bytes", lambda path, *rest: reads.append(path.name) or read_bytes(path, *rest))

    def rebuild():
        reads.clear()
        return prepare.read_folder(seeds, DEFAULT, Cache(cache, DEFAULT))

    first = rebuild()
    names = set(reads)  # every article file
    assert len(names) == len(first.articles) + len(first.problems)
    assert rebuild().cache_misses == 0 and set(reads) == names  # just copied: not settled, read again
    monkeypatch.setattr(prepare, "SETTLE_SECONDS", 0)
    rebuild()
    again = rebuild()
    assert reads == [] and again.cache_misses == 0 and (again.articles, again.cleaned) == (first.articles, first.cleaned)
    victim = sorted(p for p in seeds.iterdir() if p.suffix == ".md")[0]
    before, text = victim.stat(), victim.read_bytes()
    at = text.index(b"e", text.index(b"\n\n"))
    victim.write_bytes(text[:at] + b"E" + text[at + 1:])  # one letter, the same size
    os.utime(victim, ns=(before.st_atime_ns, before.st_mtime_ns))  # and the same modification time
    edited = rebuild()
    assert set(reads) == {victim.name} and edited.cache_misses == 1 and edited.cleaned != first.cleaned


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


def test_a_cached_build_after_each_kind_of_edit_equals_an_uncached_one(tmp_path):
    """Every memo (read files, pair alignments, topic scores, claim statements, rendered pages) answers only
    for unchanged inputs: after an article is added, edited, removed, the topics file or a template edited, or
    an article's title changed, a build with the cache of the previous builds writes what a build without it
    writes."""
    seeds, templates, cache = tmp_path / "seeds", tmp_path / "templates", tmp_path / "cache"
    shutil.copytree(FIXTURE / "seeds", seeds)
    shutil.copytree(ROOT / "templates", templates)
    topics_file = tmp_path / "topics.yml"
    shutil.copy(FIXTURE / "topics.yml", topics_file)

    def build(cache_dir):
        inputs = pipeline.Inputs(seeds, topics_file, templates, cache_dir)
        return pipeline.generate(inputs, DEFAULT, skip_invalid=True).files

    first = build(cache)
    assert build(cache) == first == build(None)
    assert list(cache.glob("pages-*/*.pickle"))
    articles = sorted(p for p in seeds.iterdir() if p.suffix == ".md")
    copied, removed = articles[0], articles[-1]
    edits = [
        lambda: (seeds / "zz-added.md").write_text(copied.read_text(encoding="utf-8") + "\nOne more paragraph, "
                                                   "added to a copy of the first article, long enough.\n",
                                                   encoding="utf-8"),
        lambda: removed.unlink(),
        lambda: topics_file.write_text(topics_file.read_text(encoding="utf-8").replace("[dam*,", "[dam*, river*,"),
                                       encoding="utf-8"),
        lambda: (templates / "topic.md.j2").write_text((templates / "topic.md.j2").read_text(encoding="utf-8")
                                                       + "\nEdited template.\n", encoding="utf-8"),
        lambda: (seeds / "zz-added.md").unlink(),
        # a title's term scores are kept too: one that names a topic must not answer for the old one
        lambda: copied.write_text(copied.read_text(encoding="utf-8").replace(
            'title: "Neighbours sign Lowland river treaty"', 'title: "Dam inspections and the Lowland treaty"'),
            encoding="utf-8"),
    ]
    before = first
    for edit in edits:
        edit()
        after = build(cache)
        assert after == build(None) != before
        before = after


def test_records_read_back_from_the_cache_equal_the_ones_written():
    """The prepared memo's records are pickled by their slots (model.quick_pickle): each comes back equal."""
    corpus = prepare.read_folder(FIXTURE / "seeds", DEFAULT)
    assert corpus.cleaned
    for ca in corpus.cleaned.values():
        again = pickle.loads(pickle.dumps(ca, protocol=pickle.HIGHEST_PROTOCOL))
        assert again == ca and again.paragraphs == ca.paragraphs and again.article == ca.article
        features, back = corpus.features[ca.id], pickle.loads(pickle.dumps(corpus.features[ca.id]))
        assert back.norm == features.norm and back.paragraphs == features.paragraphs
        assert back.sample.tolist() == features.sample.tolist()
        assert back.text_hash.tolist() == features.text_hash.tolist()


def test_claim_links_of_the_last_build_answer_only_for_the_same_statements_families_and_dates(tmp_path,
                                                                                        monkeypatch):
    """The memo "links" keeps which statements of the last build link, by a digest of the passages taking part in
    order (texts, families and articles as the index numbers them, dates): the same statements are answered from
    it, however the passages' orders and sources moved; another family, date, text or choice of passages is
    linked again. Either way the claims are those a build without the cache joins."""
    from generator import claims
    from generator.model import Passage

    fact = "The city council voted on Tuesday to close the old river bridge to heavy lorries from March."
    other = "On Tuesday the council decided by vote that the old river bridge will be closed to heavy lorries in March."
    ps = [Passage("gazette", 1, fact, ("gazette", "gazette-copy"), 0),
          Passage("herald", 1, "Local shops along the river asked the council for compensation.",
                  ("herald",), 1),
          Passage("herald", 3, other, ("herald",), 2)]
    family_of = {"gazette": "gazette", "gazette-copy": "gazette", "herald": "herald", "other": "other"}
    published = dict.fromkeys(family_of, "2025-03-03")
    cache = Cache(tmp_path, DEFAULT)
    linked = []
    links = claims._links
    monkeypatch.setattr(claims, "_links", lambda *args: linked.append(1) or links(*args))

    def check(ps, family_of, dates, on, again: bool) -> claims.Claims:
        linked.clear()
        got = claims.join(ps, family_of, dates, DEFAULT, among=on, cache=cache)
        assert linked == ([1] if again else []) and got == claims.join(ps, family_of, dates, DEFAULT, among=on)
        return got

    first = check(ps, family_of, published, [True] * 3, True)
    assert [len(c.wordings) for c in first.claims] == [2] and first.claims[0].outlets == 2
    assert check(ps, family_of, published, [True] * 3, False) == first
    # a passage taking no part before the others, a source more, a source's family: linked as before
    moved = [replace(p, order=p.order + 1) for p in ps]
    moved[2] = replace(moved[2], sources=("herald", "other"))
    shifted = check([Passage("other", 1, "Weather.", ("other",), 0), *moved], family_of, published,
                    [False, True, True, True], False)
    assert shifted.claims[0].outlets == 3 and {w.passage for w in shifted.claims[0].wordings} == {1, 3}
    assert check(ps, {**family_of, "gazette-copy": "herald"}, published, [True] * 3, False).claims[0].outlets == 2
    # what the statements are, whose and when: linked again
    assert check(ps, {**family_of, "herald": "gazette"}, published, [True] * 3, True) != first  # one family
    assert check(ps, family_of, {**published, "herald": "2025-04-03"}, [True] * 3, True) != first  # days apart
    assert check(ps, family_of, published, [True, True, False], True) != first
    assert check([*ps[:2], replace(ps[2], text="Nothing of the kind was decided.")], family_of, published,
                 [True] * 3, True) != first


def test_feed_hashes_come_from_the_cache_for_passages_of_the_same_text(tmp_path, monkeypatch):
    """The memo "feed" keeps each passage's hash by its text: a rebuild hashes none again, an edited passage is
    hashed again, and the feed is the one a build without the cache writes."""
    from generator import feed

    seeds = tmp_path / "seeds"
    shutil.copytree(FIXTURE / "seeds", seeds)
    hashed = []
    passage_hash = feed.passage_hash
    monkeypatch.setattr(feed, "passage_hash", lambda text: hashed.append(text) or passage_hash(text))

    def build(cache):
        return pipeline.generate(_inputs(seeds, cache), DEFAULT, skip_invalid=True).files

    first = build(tmp_path / "cache")
    assert hashed and list((tmp_path / "cache").glob("feed-*"))
    hashed.clear()
    assert build(tmp_path / "cache") == first and not hashed
    victim = next(p for p in sorted(seeds.iterdir()) if p.suffix == ".md")
    victim.write_text(victim.read_text(encoding="utf-8").replace("treaty", "agreement"), encoding="utf-8")
    edited = build(tmp_path / "cache")
    assert hashed and all("agreement" in text for text in hashed)
    assert edited == build(None) != first


def test_another_version_of_a_library_the_results_depend_on_invalidates_every_memo(tmp_path, monkeypatch):
    """Rendered pages depend on Jinja2, alignments on rapidfuzz: after an upgrade, nothing kept is reused."""
    from generator import memo

    seeds = tmp_path / "seeds"
    shutil.copytree(FIXTURE / "seeds", seeds)
    cache = tmp_path / "cache"
    pipeline.generate(_inputs(seeds, cache), DEFAULT, skip_invalid=True)
    assert prepare.read_folder(seeds, DEFAULT, Cache(cache, DEFAULT)).cache_misses == 0
    real = memo.package_version
    monkeypatch.setattr(memo, "package_version", lambda name: "99.0" if name == "jinja2" else real(name))
    memo.code_version.cache_clear()
    try:
        assert prepare.read_folder(seeds, DEFAULT, Cache(cache, DEFAULT)).cache_hits == 0
    finally:
        memo.code_version.cache_clear()
