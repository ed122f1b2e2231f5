"""Blocking: which items share enough index keys to be worth comparing, without comparing all pairs.

Used by deduplication (sampled word shingles of articles) and by claim matching (content stems of
sentences). A key held by more than `max_df` items is common and ignored.
"""
from __future__ import annotations

from collections.abc import Sequence

import numpy as np


def shared_keys(keys: Sequence[np.ndarray], max_df: int, min_shared: int) -> tuple[np.ndarray, np.ndarray]:
    """Index pairs (left < right, sorted) of items sharing at least `min_shared` keys held by 2..max_df items.

    `keys[i]` holds item i's keys as unique unsigned integers.
    """
    if not keys:
        empty = np.empty(0, dtype=np.int64)
        return empty, empty
    owners = np.concatenate([np.full(len(k), i, dtype=np.int64) for i, k in enumerate(keys)])
    left, right, _ = shared_keys_flat(np.concatenate(keys), owners, len(keys), max_df, min_shared)
    return left, right


def shared_keys_flat(values: np.ndarray, owners: np.ndarray, n: int, max_df: int, min_shared: int,
                     weights: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """`shared_keys` for keys given flat: item `owners[k]` holds key `values[k]` (each key once per item).

    Also returns, per pair, the sum of `weights` (by key) over the keys the two share (zeros without weights).
    """
    empty = np.empty(0, dtype=np.int64)
    order = np.lexsort((owners, values))
    values, owners = values[order], owners[order]
    weights = weights[order] if weights is not None else None
    starts = np.flatnonzero(np.r_[True, values[1:] != values[:-1]]) if len(values) else empty
    sizes = np.diff(np.r_[starts, len(values)])
    codes, shared = [], []
    for size in np.unique(sizes):
        if size < 2 or size > max_df:
            continue
        group_starts = starts[sizes == size]
        members = owners[group_starts[:, None] + np.arange(size)]
        for a in range(size):
            for b in range(a + 1, size):
                codes.append(members[:, a] * n + members[:, b])
                if weights is not None:
                    shared.append(weights[group_starts])
    if not codes:
        return empty, empty, np.empty(0)
    all_codes = np.concatenate(codes)
    del codes
    uniq, inverse, counts = np.unique(all_codes, return_inverse=True, return_counts=True)
    summed = np.bincount(inverse, weights=np.concatenate(shared), minlength=len(uniq)) if weights is not None \
        else np.zeros(len(uniq))
    keep = counts >= min_shared
    return uniq[keep] // n, uniq[keep] % n, summed[keep]
