"""Per-file work, done once per file and cached: read, clean, compute the matching features.

Everything here depends on one file's bytes, its path in the seeds folder, the settings and the
code, never on the other files, so it runs in worker processes on large folders and is cached: a
memo of kind "prepared" (generator/memo.py), keyed by the SHA-256 of the file's path and bytes.
Entries of files no longer in the folder are dropped.

The speed trick of a rebuild: a file's content key is found without reading the file when its status (inode,
size, modification and change times: `_status`) is the one it had when a build last read it, as git's index
finds unchanged files. A write changes the change time, which no tool can set back, so an edited file is always
read again. A file changed within `SETTLE_SECONDS` before a build is not recorded (two writes that fast can leave
the same times), so it is read again until it has settled.
"""
from __future__ import annotations

import hashlib
import os
import stat
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from . import clean, cores, features, reader
from .errors import Problem
from .features import ArticleFeatures, Samples
from .memo import Cache, Memo, digest
from .model import Article, CleanArticle, Rejection, quick_pickle
from .settings import Settings

PARALLEL_MIN_FILES = 400
CHUNK = 256
SETTLE_SECONDS = 2  # a file changed more recently than this before a build has its bytes read again next time


@quick_pickle
@dataclass(frozen=True, slots=True)
class Prepared:
    """One file's results: the article, cleaned and with its features, or the problem that stopped it."""

    problem: Problem | None
    cleaned: CleanArticle | None
    features: ArticleFeatures | None


@dataclass(frozen=True)
class Corpus:
    """Every file of the seeds folder, read, cleaned and with its features: what the later stages start from."""

    articles: tuple[Article, ...]            # every file read as an article, in listing order
    cleaned: dict[str, CleanArticle]         # by article id
    features: dict[str, ArticleFeatures]     # by article id (each sample a view of `samples`)
    rejected: tuple[Rejection, ...]          # files not read as articles (hidden, another kind of file)
    problems: tuple[Problem, ...]            # files that could not be read, in listing order
    keys: dict[str, bytes]                   # article id -> content key of its file (when caching)
    cache_hits: int = 0
    cache_misses: int = 0
    samples: Samples | None = None           # every article's sampled shingles in one array, for blocking


def prepare_file(path: Path, rel: str, folder: Path, settings: Settings) -> Prepared:
    """Read, clean and compute the features of one file (no cache)."""
    try:
        article = reader.read_file(path, rel, folder, settings)
    except reader.ArticleError as err:
        return Prepared(err.problem, None, None)
    ca = clean.clean_article(article, settings)
    return Prepared(None, ca, features.of(ca, settings))


def _prepare_chunk(args) -> list[Prepared]:
    jobs, folder, settings = args
    return [prepare_file(Path(p), rel, folder, settings) for p, rel in jobs]


def content_key(rel: str, raw: bytes) -> bytes:
    """A file's content key: its path in the seeds folder and its bytes."""
    h = hashlib.sha256(len(rel).to_bytes(8, "little") + rel.encode())
    h.update(raw)
    return h.digest()


def read_folder(folder: Path, settings: Settings, cache: Cache | None = None, workers: int | None = None,
                progress: Callable[[int, int], None] = lambda done, total: None) -> Corpus:
    """Every file of `folder`, in listing order: read, cleaned and with features, in parallel and cached.

    `progress(done, total)` is called as files are done (from the cache, or by a chunk of work).
    """
    rejected: list[Rejection] = []
    slots: list[Problem | int] = []   # a problem, or an index into jobs, in listing order
    jobs: list[tuple[str, str]] = []  # (path, name) of each file to read, as workers get them
    paths: list[Path] = []
    for item in reader.triage(folder):
        if isinstance(item, Rejection):
            rejected.append(item)
        elif isinstance(item, Problem):
            slots.append(item)
        else:
            slots.append(len(jobs))
            jobs.append((str(item[0]), item[1]))
            paths.append(item[0])
    cache = cache or Cache(None, settings)
    with cache.memo("prepared") as memo, cache.memo("file-keys") as known:
        settled = time.time_ns() - SETTLE_SECONDS * 1_000_000_000
        keys = [_key(path, rel, folder, settings, known, settled) if memo else None
                for path, (_, rel) in zip(paths, jobs)]
        results: list[Prepared | None] = [memo.get(k) if k else None for k in keys]
        todo = [i for i, r in enumerate(results) if r is None]
        progress(len(jobs) - len(todo), len(jobs))
        for i, prep in zip(todo, _prepare(jobs, todo, folder, settings, workers, progress)):
            results[i] = prep
            if keys[i] is not None:
                memo.put(keys[i], prep)
    memo = None  # saved: the records it holds are let go of as they are taken below

    articles, problems, cleaned, feature, content_keys = [], [], {}, {}, {}
    for slot in slots:
        prep = slot if isinstance(slot, Problem) else results[slot]
        if not isinstance(slot, Problem):
            results[slot] = None  # what is taken from it stays; its features' samples go once gathered
        if isinstance(prep, Problem) or prep.problem is not None:
            problems.append(prep if isinstance(prep, Problem) else prep.problem)
            continue
        aid = prep.cleaned.id
        articles.append(prep.cleaned.article)
        cleaned[aid], feature[aid] = prep.cleaned, prep.features
        if keys[slot] is not None:
            content_keys[aid] = keys[slot]
    prep = None  # (the last article's, too)
    samples = features.gather(feature)
    return Corpus(tuple(articles), cleaned, feature, tuple(rejected), tuple(problems), content_keys,
                  len(jobs) - len(todo), len(todo), samples)


def _key(path: Path, rel: str, folder: Path, settings: Settings, known: Memo, settled: int) -> bytes | None:
    """The content key of a file, or None when it cannot be read (prepare_file then reports why). `known` holds the
    keys of files by their status when last read; a file last changed before `settled` (ns) is added to it."""
    status = _status(path, rel, settings)
    found = known.get(status[0]) if status else None
    if found is not None:
        return found
    try:
        key = content_key(rel, reader.read_bytes(path, rel, folder, settings))
    except reader.ArticleError:
        return None
    if status and status[1] < settled:
        known.put(status[0], key)
    return key


def _status(path: Path, rel: str, settings: Settings) -> tuple[bytes, int] | None:
    """A digest of a regular file's name and status (device, inode, size, modification and change times), which a
    write changes, and when it last changed (ns); None for anything else, which `read_bytes` judges every time."""
    try:
        info = os.lstat(path)
    except OSError:
        return None
    if not stat.S_ISREG(info.st_mode) or info.st_size > settings.max_file_bytes:
        return None
    return (digest(rel, f"{info.st_dev}:{info.st_ino}:{info.st_size}:{info.st_mtime_ns}:{info.st_ctime_ns}"),
            max(info.st_mtime_ns, info.st_ctime_ns))


def _prepare(jobs: list[tuple[str, str]], todo: list[int], folder: Path, settings: Settings,
             workers: int | None, progress: Callable[[int, int], None]) -> Iterator[Prepared]:
    """prepare_file for the jobs listed in `todo`, in that order: in worker processes when there are many and
    they may be started (`cores.can_fork`: not while another thread runs, as beside `briefings serve`'s server)."""
    workers = workers if workers is not None else cores.count()
    chunks = [todo[s:s + CHUNK] for s in range(0, len(todo), CHUNK)]
    done = len(jobs) - len(todo)
    if workers <= 1 or len(todo) < PARALLEL_MIN_FILES or not cores.can_fork(workers):
        for c in chunks:
            out = [prepare_file(Path(jobs[i][0]), jobs[i][1], folder, settings) for i in c]
            done += len(c)
            progress(done, len(jobs))
            yield from out
        return
    with ProcessPoolExecutor(max_workers=min(workers, len(chunks))) as pool:
        for c, out in zip(chunks, pool.map(_prepare_chunk, [([jobs[i] for i in c], folder, settings) for c in chunks])):
            done += len(c)
            progress(done, len(jobs))
            yield from out
