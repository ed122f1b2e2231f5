"""Per-article work, done once per file and cached: read, clean, split into normalised sentences, shingle.

Everything here depends on one file's bytes, its path in the seeds folder, the settings and the
code, never on the other files, so it can run in worker processes and be cached. The cache key is
the SHA-256 of (code version, settings.key(), path, file bytes); the code version is a hash of the
generator's source files, so an edited rule or a changed setting invalidates every entry.

The cache is one pickle per (code version, settings) in the cache folder, read whole at the start
of a build and rewritten (atomically) when entries were added or dropped; entries of files no
longer in the folder are dropped. It is safe to delete the folder at any time.

`read_folder` is generator.reader.read_folder (the same `reader.triage` of the folder, in the same
order) with the per-file part replaced by a cached, possibly parallel, `prepare_file`.
"""
from __future__ import annotations

import hashlib
import os
import pickle
import tempfile
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from . import clean, dedup, reader
from .errors import Problem
from .model import Article, CleanArticle, Rejection
from .settings import Settings
from .textnorm import normalise, sentences

PARALLEL_MIN_FILES = 400
CHUNK = 256
_SOURCES = ("reader.py", "clean.py", "textnorm.py", "dedup.py", "model.py", "settings.py", "errors.py",
            "prepare.py")


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


def code_version() -> str:
    """Hash of the source of every module whose rules shape a prepared article."""
    h = hashlib.sha256()
    here = Path(__file__).resolve().parent
    for name in _SOURCES:
        h.update(name.encode() + b"\0" + (here / name).read_bytes() + b"\0")
    return h.hexdigest()[:16]


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


def _key(version: str, settings_key: str, rel: str, raw: bytes) -> str:
    h = hashlib.sha256()
    for part in (version.encode(), settings_key.encode(), rel.encode()):
        h.update(len(part).to_bytes(8, "little") + part)
    h.update(raw)
    return h.hexdigest()


class Cache:
    """Prepared articles by content key, for one code version and one set of settings."""

    def __init__(self, folder: Path | None, settings: Settings):
        self.folder = folder
        self.version = code_version()
        self.settings_key = settings.key()
        tag = hashlib.sha256(f"{self.version}\0{self.settings_key}".encode()).hexdigest()[:16]
        self.file = folder / f"prepared-{tag}.pickle" if folder else None
        self.entries: dict[str, Prepared] = {}
        self.dirty = False
        if self.file and self.file.is_file():
            try:
                with self.file.open("rb") as fh:
                    self.entries = pickle.load(fh)
            except Exception:  # a damaged cache is rebuilt, never trusted
                self.entries = {}

    def key(self, rel: str, raw: bytes) -> str:
        return _key(self.version, self.settings_key, rel, raw)

    def save(self, used: set[str]) -> None:
        if not self.file:
            return
        stale = set(self.entries) - used
        if not self.dirty and not stale:
            return
        for k in stale:
            del self.entries[k]
        self.folder.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".prepared-", suffix=".tmp", dir=self.folder)
        try:
            with os.fdopen(fd, "wb") as fh:
                pickle.dump(self.entries, fh, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, self.file)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        for old in self.folder.glob("prepared-*.pickle"):  # other versions or settings: never read again
            if old != self.file:
                old.unlink(missing_ok=True)


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

    cache = Cache(cache_dir, settings)
    results: list[Prepared | None] = [None] * len(jobs)
    keys: list[str | None] = [None] * len(jobs)
    todo: list[int] = []
    used: set[str] = set()
    for i, (p, rel) in enumerate(jobs):
        if cache.file:
            try:
                raw = reader.read_bytes(Path(p), rel, folder, settings)
            except reader.ArticleError:  # prepare_file reports it; nothing to cache
                raw = None
            if raw is not None:
                keys[i] = cache.key(rel, raw)
                hit = cache.entries.get(keys[i])
                if hit is not None:
                    results[i] = hit
                    used.add(keys[i])
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
            cache.entries[keys[i]] = results[i]
            cache.dirty = True
            used.add(keys[i])
    cache.save(used)

    articles, problems, prepared = [], [], {}
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
    return Folder(reader.ReadResult(tuple(articles), tuple(rejected), tuple(problems)), prepared,
                  len(jobs) - len(todo), len(todo))
