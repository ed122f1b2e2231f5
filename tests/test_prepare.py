"""Per-file work: the parallel, cached reading of a folder gives what reading each file gives."""
from __future__ import annotations

import shutil

from generator import clean, pipeline, prepare, reader
from generator.model import Rejection
from generator.settings import DEFAULT

from .helpers import FIXTURE, ROOT


def _inputs(seeds):
    return pipeline.Inputs(seeds, FIXTURE / "topics.yml", ROOT / "templates")


def test_file_listing_order_does_not_change_the_output(synthetic, monkeypatch):
    expected = pipeline.generate(_inputs(synthetic / "articles"), DEFAULT, skip_invalid=True).files
    walk = reader.os.walk

    def reversed_walk(*args, **kwargs):
        for root, dirs, files in walk(*args, **kwargs):
            dirs.reverse()
            yield root, dirs, list(reversed(files))

    monkeypatch.setattr(reader.os, "walk", reversed_walk)
    assert pipeline.generate(_inputs(synthetic / "articles"), DEFAULT, skip_invalid=True).files == expected


def test_parallel_reading_gives_what_reading_each_file_gives(monkeypatch, tmp_path, alone):
    monkeypatch.setattr(prepare, "PARALLEL_MIN_FILES", 1)  # the fixture is small: use the workers anyway
    seeds = tmp_path / "seeds"
    shutil.copytree(FIXTURE / "seeds", seeds)
    (seeds / "broken.md").write_text("---\npublished: 03/05/2024\n---\nBody text here.\n", encoding="utf-8")
    articles, problems = [], []
    for item in reader.triage(seeds):
        if isinstance(item, tuple):
            try:
                articles.append(reader.read_file(item[0], item[1], seeds, DEFAULT))
            except reader.ArticleError as err:
                problems.append(err.problem)
        elif not isinstance(item, Rejection):
            problems.append(item)
    assert articles and problems
    for workers in (1, 2):
        got = prepare.read_folder(seeds, DEFAULT, None, workers=workers)
        assert got.articles == tuple(articles)
        assert got.problems == tuple(problems)
        assert got.cleaned == {a.id: clean.clean_article(a, DEFAULT) for a in articles}


def test_files_are_read_in_this_process_while_another_thread_runs(monkeypatch):
    # `briefings serve` regenerates beside its preview server: a process forked then could wait forever on a lock
    # the server's thread held
    from generator import cores
    monkeypatch.setattr(prepare, "PARALLEL_MIN_FILES", 1)
    monkeypatch.setattr(cores, "threads", lambda: 2)

    def no_pool(*args, **kwargs):
        raise AssertionError("a worker process was started")

    monkeypatch.setattr(prepare, "ProcessPoolExecutor", no_pool)
    got = prepare.read_folder(FIXTURE / "seeds", DEFAULT, None, workers=2)
    assert got.articles and got.cache_misses == len(got.articles) + len(got.problems)
