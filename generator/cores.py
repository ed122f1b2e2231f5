"""Work spread over every core: a pure function mapped over many items in worker processes forked from the build.

The stages that decide many independent things (each article's topics, each passage's statements) call `fork_map`
where they would loop. The workers are forked, so the function may be a closure over the stage's data and nothing
is sent to them but ranges of item numbers; only the results travel back, in order, so a build's output does not
depend on the number of cores. The build's garbage collector is frozen while they run, so that the workers share
its memory instead of copying the pages it walks.
"""
from __future__ import annotations

import gc
import math
import multiprocessing
import os
import threading
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from typing import TypeVar

T = TypeVar("T")
R = TypeVar("R")

CHUNKS_PER_CORE = 16  # ranges per worker: a slow range leaves less of the others waiting, and Ctrl-C waits less
PARALLEL_MIN_BYTES = 1_000_000  # of pages to convert or check: below it, starting workers costs more than they save
_task: tuple[Callable, Sequence] | None = None  # (function, items) of the running fork_map, for the workers


def count() -> int:
    """The cores this process may run on."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def can_fork(workers: int = 2) -> bool:
    """Whether `workers` processes may be forked from this one: the platform forks; no other thread runs (a
    forked child has only the thread that forked it, and would wait forever on a lock another one held, as in
    `briefings serve`, whose preview server runs beside the regenerating thread); and the machine has room for
    each worker to copy all this process holds, at worst (a million articles' build holds most of the memory, and
    its stages then run in it alone)."""
    if "fork" not in multiprocessing.get_all_start_methods() or threads() != 1:
        return False
    held, free = memory()
    return held is None or free is None or free >= workers * held


def threads() -> int:
    """The threads of this process that are running."""
    return threading.active_count()


def memory() -> tuple[int | None, int | None]:
    """Bytes this process holds (resident) and bytes the machine has available, where /proc tells (else None)."""
    try:
        with open("/proc/self/statm", encoding="ascii") as fh:
            held = int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
        with open("/proc/meminfo", encoding="ascii") as fh:
            free = next(int(line.split()[1]) * 1024 for line in fh if line.startswith("MemAvailable:"))
    except (OSError, ValueError, IndexError, StopIteration):
        return None, None
    return held, free


def fork_map(fn: Callable[[T], R], items: Sequence[T], min_items: int, cores: int | None = None,
             size: int | None = None) -> list[R]:
    """`[fn(x) for x in items]`, on every core (or `cores`) in forked workers when there are at least `min_items`
    items; in this process otherwise, or where processes cannot be forked (`can_fork`). `fn` must not depend on what
    it did before (each worker runs it on ranges of `size` items, by default a `CHUNKS_PER_CORE`th of a core's share),
    and its results must pickle. An exception in a worker is raised here (a worker that dies: BrokenProcessPool)."""
    return list(fork_imap(fn, items, min_items, cores, size))


def fork_imap(fn: Callable[[T], R], items: Sequence[T], min_items: int, cores: int | None = None,
              size: int | None = None) -> Iterator[R]:
    """`fork_map`'s results one by one, in order, as the workers finish each range: a caller that stores each (as
    pages are spooled to disk) never holds them all."""
    global _task
    cores = cores or count()
    if cores < 2 or len(items) < max(min_items, 2) or not can_fork(cores):
        yield from map(fn, items)
        return
    size = size or math.ceil(len(items) / (cores * CHUNKS_PER_CORE))
    ranges = [(start, min(start + size, len(items))) for start in range(0, len(items), size)]
    _task = (fn, items)
    gc.freeze()
    try:
        with ProcessPoolExecutor(min(cores, len(ranges)), mp_context=multiprocessing.get_context("fork")) as pool:
            for part in pool.map(_run, ranges):
                yield from part
    finally:
        _task = None
        gc.unfreeze()


def _run(bounds: tuple[int, int]) -> list:
    fn, items = _task
    return [fn(items[i]) for i in range(*bounds)]
