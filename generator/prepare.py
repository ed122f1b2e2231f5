"""Per-article work, done once per file and cached: read, clean, split into normalised sentences, shingle.

Everything here depends on one file's bytes, its path in the seeds folder, the settings and the
code, never on the other files, so it can run in worker processes and be cached: a `memo.Memo` of
kind "prepared", whose tag covers the code and the settings, keyed by the SHA-256 of the file's path
and bytes. Entries of files no longer in the folder are dropped.

`read_folder` is generator.reader.read_folder (the same `reader.triage` of the folder, in the same
order) with the per-file part replaced by a cached, possibly parallel, `prepare_file`.
"""
from __future__ import annotations

import hashlib
import os
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from . import clean, dedup, reader
from .errors import Problem
from .memo import Memo, tag
from .model import Article, CleanArticle, Rejection
from .settings import Settings

PARALLEL_MIN_FILES = 400
CHUNK = 256


@dataclass(frozen=True)
class Prepared:
    """One file's per-article results: the article (or the problem), its cleaned form and dedup input."""

    article: Article | None
    problem: Problem | None
    cleaned: CleanArticle | None
    sentences: tuple[tuple[tuple[str, int, int], ...], ...]   # per kept paragraph: dedup.sentence_data
    sample: np.ndarray                                    # sampled shingle hashes of the cleaned text


@dataclass(frozen=True)
class Folder:
    """What reading a folder gave, as reader.ReadResult, plus the prepared dedup input by article id."""

    read: reader.ReadResult
    prepared: dict[str, Prepared]
    cache_hits: int = 0
    cache_misses: int = 0
    keys: dict[str, bytes] = field(default_factory=dict)  # article id -> content key (when caching)


# word -> its hash for shingling, kept across the files one process prepares (a pure function of the
# word, so sharing it changes no result); emptied when it grows past _VOCAB_MAX words
_VOCAB: dict[str, int] = {}
_VOCAB_MAX = 500_000


def prepare_file(path: Path, rel: str, folder: Path, settings: Settings) -> Prepared:
    """Read, clean and prepare one file (no cache)."""
    try:
        article = reader.read_file(path, rel, folder, settings)
    except reader.ArticleError as err:
        return Prepared(None, err.problem, None, (), np.empty(0, dtype=np.uint64))
    ca = clean.clean_article(article, settings)
    sents = dedup.sentence_data(ca)
    text = " ".join(n for para in sents for n, _, _ in para)
    if len(_VOCAB) > _VOCAB_MAX:
        _VOCAB.clear()
    return Prepared(article, None, ca, sents, dedup.shingle_sample(text, settings, _VOCAB))


def _prepare_chunk(args) -> list[Prepared]:
    jobs, folder, settings = args
    return [prepare_file(Path(p), rel, folder, settings) for p, rel in jobs]


def _key(rel: str, raw: bytes) -> bytes:
    """A file's content key: its path in the seeds folder and its bytes."""
    h = hashlib.sha256(len(rel).to_bytes(8, "little") + rel.encode())
    h.update(raw)
    return h.digest()


def read_folder(folder: Path, settings: Settings, cache_dir: Path | None = None,
                workers: int | None = None) -> Folder:
    """reader.read_folder with the per-file work prepared in parallel and cached."""
    rejected: list[Rejection] = []
    slots: list[Problem | int] = []   # a problem, or an index into jobs, in listing order
    jobs: list[tuple[str, str]] = []
    for item in reader.triage(folder):
        if isinstance(item, Rejection):
            rejected.append(item)
        elif isinstance(item, Problem):
            slots.append(item)
        else:
            slots.append(len(jobs))
            jobs.append((str(item[0]), item[1]))

    cache = Memo(cache_dir, "prepared", tag(settings))
    results: list[Prepared | None] = [None] * len(jobs)
    keys: list[bytes | None] = [None] * len(jobs)
    todo: list[int] = []
    for i, (p, rel) in enumerate(jobs):
        if cache:
            try:
                raw = reader.read_bytes(Path(p), rel, folder, settings)
            except reader.ArticleError:  # prepare_file reports it; nothing to cache
                raw = None
            if raw is not None:
                keys[i] = _key(rel, raw)
                hit = cache.get(keys[i])
                if hit is not None:
                    results[i] = hit
                    continue
        todo.append(i)
    workers = workers if workers is not None else (os.cpu_count() or 1)
    if workers > 1 and len(todo) >= PARALLEL_MIN_FILES:
        chunks = [todo[s:s + CHUNK] for s in range(0, len(todo), CHUNK)]
        with ProcessPoolExecutor(max_workers=min(workers, len(chunks))) as pool:
            done = pool.map(_prepare_chunk, [([jobs[i] for i in c], folder, settings) for c in chunks])
            for c, out in zip(chunks, done):
                for i, prep in zip(c, out):
                    results[i] = prep
    else:
        for i in todo:
            results[i] = prepare_file(Path(jobs[i][0]), jobs[i][1], folder, settings)
    for i in todo:
        if keys[i] is not None:
            cache.put(keys[i], results[i])
    cache.save()

    articles, problems, prepared, content_keys = [], [], {}, {}
    for slot in slots:
        if isinstance(slot, Problem):
            problems.append(slot)
            continue
        prep = results[slot]
        if prep.problem is not None:
            problems.append(prep.problem)
        else:
            articles.append(prep.article)
            prepared[prep.article.id] = prep
            if keys[slot] is not None:
                content_keys[prep.article.id] = keys[slot]
    return Folder(reader.ReadResult(tuple(articles), tuple(rejected), tuple(problems)), prepared,
                  len(jobs) - len(todo), len(todo), content_keys)
