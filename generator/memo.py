"""Results kept between builds in the cache folder, keyed by what they depend on.

A `Memo` is one pickled dict per (kind, tag) in the cache folder. The tag is a hash of everything the
results depend on besides their own key: the generator's source code, the settings, and for topic
scores the topics file. So a changed rule, setting or topic definition simply finds no file and
starts empty; files of other tags of the same kind are deleted when a memo is saved. Keys are
content hashes, never names, so an edited article can never reuse stale work. Entries not used by a
build are dropped when it saves. The folder is safe to delete at any time, and a damaged file is
rebuilt, never trusted.
"""
from __future__ import annotations

import functools
import hashlib
import os
import pickle
import tempfile
from pathlib import Path

from .settings import Settings

_HERE = Path(__file__).resolve().parent


@functools.lru_cache(maxsize=1)
def code_version() -> str:
    """Hash of the source of every generator module: any edit of the code invalidates every memo."""
    h = hashlib.sha256()
    for path in sorted(_HERE.glob("*.py")):
        h.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return h.hexdigest()[:16]


def tag(settings: Settings, *parts: bytes) -> str:
    """What a memo's results depend on besides their keys: code, settings and the given inputs."""
    h = hashlib.sha256(f"{code_version()}\0{settings.key()}".encode())
    for part in parts:
        h.update(len(part).to_bytes(8, "little") + part)
    return h.hexdigest()[:16]


class Memo:
    """A dict of results persisted as `<kind>-<tag>.pickle` in the cache folder (or kept in memory only)."""

    def __init__(self, folder: Path | None, kind: str, memo_tag: str):
        self.folder, self.kind = folder, kind
        self.file = folder / f"{kind}-{memo_tag}.pickle" if folder else None
        self.entries: dict = {}
        self.used: set = set()
        self.added = False
        if self.file and self.file.is_file():
            try:
                with self.file.open("rb") as fh:
                    self.entries = pickle.load(fh)
            except Exception:  # a damaged cache is rebuilt, never trusted
                self.entries = {}

    def __bool__(self) -> bool:
        return self.file is not None

    def get(self, key):
        value = self.entries.get(key)
        if value is not None:
            self.used.add(key)
        return value

    def put(self, key, value) -> None:
        self.entries[key] = value
        self.used.add(key)
        self.added = True

    def save(self) -> None:
        """Write the entries this build used (atomically), if that changes anything."""
        if not self.file or (not self.added and len(self.used) == len(self.entries)):
            return
        self.entries = {k: self.entries[k] for k in self.used}
        self.folder.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{self.kind}-", suffix=".tmp", dir=self.folder)
        try:
            with os.fdopen(fd, "wb") as fh:
                pickle.dump(self.entries, fh, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, self.file)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        for old in self.folder.glob(f"{self.kind}-*.pickle"):  # other tags: never read again
            if old != self.file:
                old.unlink(missing_ok=True)
