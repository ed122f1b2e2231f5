"""Progress of a build on a terminal: a bar while files are read, then a line as each stage ends.

Quiet when the output is not a terminal (logs and CI stay machine-readable) or with --quiet.
"""
from __future__ import annotations

import sys
import time
from typing import TextIO


class Progress:
    """Callbacks for pipeline.generate: `files(done, total)` while reading, `stage(name)` as each stage ends."""

    def __init__(self, stream: TextIO | None = None, enabled: bool | None = None):
        self.stream = stream or sys.stderr
        self.enabled = self.stream.isatty() if enabled is None else enabled
        self.clock = time.perf_counter()
        self.bar = None

    def files(self, done: int, total: int) -> None:
        """Files read, cleaned and featured so far, of `total`."""
        if not self.enabled:
            return
        if self.bar is None:
            from tqdm import tqdm
            self.bar = tqdm(total=total, unit="file", desc="read+clean", file=self.stream, leave=False,
                            dynamic_ncols=True, mininterval=0.2)
        self.bar.update(done - self.bar.n)

    def stage(self, name: str) -> None:
        """A stage ended: its name and seconds on a line of its own."""
        if not self.enabled:
            return
        if self.bar is not None:
            self.bar.close()
            self.bar = None
        now = time.perf_counter()
        print(f"  {name} done in {now - self.clock:.1f} s", file=self.stream, flush=True)
        self.clock = now
