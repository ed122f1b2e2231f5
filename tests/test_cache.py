"""Results kept between builds: the same output as without them, and invalidated by any change."""
from __future__ import annotations

import shutil
from dataclasses import replace

from generator import pipeline, prepare
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
