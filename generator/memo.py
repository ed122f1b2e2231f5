"""Results kept between builds in the cache folder, keyed by what they depend on.

A `Memo` is a dict per (kind, tag), pickled in a folder of the cache folder. The tag is a hash of
everything the results depend on besides their own keys: the generator's source code, the settings,
and for topic decisions the topics' slugs, terms and thresholds. So a changed rule, setting or topic
definition simply finds no folder and starts empty; folders of other tags of the same kind are
deleted when a memo is saved.
Keys are content hashes (of a file's path and bytes, of a passage's text), so an edited article can
never reuse stale work. Entries not used by a build are dropped when it saves. The folder is safe
to delete at any time, and a damaged file is rebuilt, never trusted.

Loading a pickle can run code, so the cache folder must be one only you write to (such as
`.cache/briefings`, which .gitignore keeps out of commits): never point `--cache` at a folder that
arrived with a commit or a download.
"""
from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import os
import pickle
import shutil
import sys
import tempfile
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from importlib import metadata
from pathlib import Path
from typing import TypeVar

from . import cores
from .settings import Settings

_HERE = Path(__file__).resolve().parent
T = TypeVar("T")


# The libraries whose behaviour results depend on: templates (jinja2), alignment scores (rapidfuzz), front
# matter and topics (PyYAML), numeric work (numpy). Upgrading one invalidates every memo, as a code edit does.
LIBRARIES = ("jinja2", "rapidfuzz", "PyYAML", "numpy")


@functools.lru_cache(maxsize=1)
def code_version() -> str:
    """Hash of the source of every generator module and of the versions of LIBRARIES and Python: any edit of
    the code, or another version of a library it relies on, invalidates every memo."""
    h = hashlib.sha256(files_digest(_HERE, _HERE.glob("*.py")))
    h.update(" ".join([sys.version, *(f"{name}={package_version(name)}" for name in LIBRARIES)]).encode())
    return h.hexdigest()[:16]


def package_version(package: str) -> str:
    """An installed package's version ("-" when it is not installed)."""
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "-"


def files_digest(folder: Path, paths) -> bytes:
    """A digest of these files of `folder`: their names (relative to it) and bytes."""
    h = hashlib.sha256()
    for path in sorted(paths):
        name = path.relative_to(folder).as_posix().encode()
        h.update(len(name).to_bytes(8, "little") + name + hashlib.sha256(path.read_bytes()).digest())
    return h.digest()


def load_record(path: Path | None) -> object:
    """The record the last build wrote at `path` (`save_record`); None when there is none or it cannot be read."""
    try:
        return json.loads(path.read_text(encoding="utf-8")) if path else None
    except (OSError, ValueError):
        return None


def save_record(path: Path, data: object) -> None:
    """Write a record of the last build (JSON, for the next build to read) at `path`, atomically."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(json.dumps(data, sort_keys=True), encoding="utf-8")
    tmp.replace(path)


def digest(*texts: str) -> bytes:
    """A 16-byte digest of these texts, in order (each length-prefixed, so ("ab", "c") is not ("a", "bc")):
    the key of results that depend on texts only."""
    h = hashlib.blake2b(digest_size=16)
    for text in texts:
        data = text.encode()
        h.update(len(data).to_bytes(8, "little") + data)
    return h.digest()


def tag(settings: Settings, *parts: bytes) -> str:
    """What a memo's results depend on besides their keys: code, settings and the given inputs."""
    h = hashlib.sha256(f"{code_version()}\0{settings.key()}".encode())
    for part in parts:
        h.update(len(part).to_bytes(8, "little") + part)
    return h.hexdigest()[:16]


class Cache:
    """The cache folder of one build (or none): made once, handed to the stages that keep results.

    `with cache.memo(kind, *parts) as memo:` gives a stage its memo, tagged by the code, the settings
    and `parts` (what else its results depend on), and saves it when the stage ends without error.
    """

    def __init__(self, folder: Path | None, settings: Settings):
        self.folder, self.settings = folder, settings

    def __bool__(self) -> bool:
        return self.folder is not None

    def memo(self, kind: str, *parts: bytes) -> Memo:
        return Memo(self.folder, kind, tag(self.settings, *parts))


class Memo:
    """A dict of results persisted in the cache folder as `<kind>-<tag>/` (or kept in memory only).

    Keys are bytes (content hashes). The entries are spread over `SHARDS` pickles by the first byte
    of their key, so a build that adds one article rewrites a few small files, not the whole memo.
    """

    SHARDS = 64

    def __init__(self, folder: Path | None, kind: str, memo_tag: str):
        self.folder, self.kind = folder, kind
        self.dir = folder / f"{kind}-{memo_tag}" if folder else None
        self.shards: list[dict[bytes, object]] = [{} for _ in range(self.SHARDS)]
        self.used: set[bytes] = set()
        self.dirty: set[int] = set()
        if self.dir and self.dir.is_dir():
            for n in range(self.SHARDS):
                path = self.dir / f"{n:02x}.pickle"
                if not path.is_file():
                    continue
                try:
                    with path.open("rb") as fh:
                        self.shards[n] = pickle.load(fh)
                except Exception:  # a damaged cache is rebuilt, never trusted
                    self.shards[n] = {}

    def __bool__(self) -> bool:
        return self.dir is not None

    def __enter__(self) -> Memo:
        return self

    def __exit__(self, kind, value, traceback) -> None:
        if kind is None:
            self.save()

    def get(self, key: bytes):
        value = self.shards[key[0] % self.SHARDS].get(key)
        if value is not None:
            self.used.add(key)
        return value

    def keep(self, key: bytes | None, make: Callable[[], T]) -> T:
        """The result kept under `key`, else `make()`, kept under it. Without a cache folder, or with no key
        (an input without a content key), just `make()`."""
        if key is None or not self:
            return make()
        found = self.get(key)
        if found is None:
            found = make()
            self.put(key, found)
        return found

    def keep_all(self, keys: Sequence[bytes | None], make: Callable[[int], T], min_parallel: int) -> list[T]:
        """`keep(keys[k], lambda: make(k))` for every k, with what the memo lacks made once per key (or per k, where
        the key is None) and, from `min_parallel` of them, on every core (`cores.fork_map`: `make` must depend on
        k only, and its results pickle)."""
        return list(self.keep_each(keys, make, min_parallel))

    def keep_each(self, keys: Sequence[bytes | None], make: Callable[[int], T], min_parallel: int) -> Iterator[T]:
        """`keep_all`'s results one by one, in order, as they are found or made (`cores.fork_imap`): a caller that
        stores each (as pages are spooled to disk) never holds them all. Close it to stop early: its workers stop."""
        found, slot, first = self._lacking(keys)
        asked = Counter(slot[k] for k, one in enumerate(found) if one is None)  # times each slot is wanted still
        again: dict[object, T] = {}  # results made that a later k wants too
        with contextlib.closing(cores.fork_imap(make, list(first.values()), min_parallel)) as made:
            for k, one in enumerate(found):
                if one is None:
                    one = next(made) if first[slot[k]] == k else again[slot[k]]
                    asked[slot[k]] -= 1
                    if asked[slot[k]]:
                        again[slot[k]] = one
                    else:
                        again.pop(slot[k], None)
                    if keys[k] is not None and self:
                        self.put(keys[k], one)
                yield one

    def _lacking(self, keys: Sequence[bytes | None]) -> tuple[list, list, dict[object, int]]:
        """What the memo holds for each key (None: lacking), what each result is made once per (its key, or k where
        the key is None), and the first k of each of those that the memo lacks."""
        found = [self.get(key) if key is not None and self else None for key in keys]
        slot = [k if key is None else key for k, key in enumerate(keys)]
        first: dict[object, int] = {}
        for k, one in enumerate(found):
            if one is None:
                first.setdefault(slot[k], k)
        return found, slot, first

    def put(self, key: bytes, value) -> None:
        n = key[0] % self.SHARDS
        self.shards[n][key] = value
        self.used.add(key)
        self.dirty.add(n)

    def save(self) -> None:
        """Write (atomically) the shards that gained entries or hold entries this build did not use."""
        if not self.dir:
            return
        for n, shard in enumerate(self.shards):
            if len(shard) > sum(k in self.used for k in shard):
                self.shards[n] = {k: v for k, v in shard.items() if k in self.used}
                self.dirty.add(n)
        if not self.dirty:
            return
        self.dir.mkdir(parents=True, exist_ok=True)
        for n in sorted(self.dirty):
            fd, tmp = tempfile.mkstemp(prefix=f".{n:02x}-", suffix=".tmp", dir=self.dir)
            try:
                with os.fdopen(fd, "wb") as fh:
                    pickle.dump(self.shards[n], fh, protocol=pickle.HIGHEST_PROTOCOL)
                os.replace(tmp, self.dir / f"{n:02x}.pickle")
            except BaseException:
                Path(tmp).unlink(missing_ok=True)
                raise
        self.dirty.clear()
        for old in self.folder.glob(f"{self.kind}-*"):  # other tags: never read again
            if old != self.dir:
                shutil.rmtree(old, ignore_errors=True) if old.is_dir() else old.unlink(missing_ok=True)
