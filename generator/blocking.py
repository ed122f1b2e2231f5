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
    The pairs of all key groups are counted in parts of about CHUNK_PAIRS (by the left item), so memory
    stays bounded however many pairs the keys make.
    """
    order = np.lexsort((owners, values))
    values, owners = values[order], owners[order]
    weights = weights[order] if weights is not None else None
    starts = np.flatnonzero(np.r_[True, values[1:] != values[:-1]]) if len(values) else np.empty(0, dtype=np.int64)
    sizes = np.diff(np.r_[starts, len(values)])
    groups = []  # (members of each group of this size, the weight of each group's key)
    for size in np.unique(sizes):
        if 2 <= size <= max_df:
            group_starts = starts[sizes == size]
            groups.append((owners[group_starts[:, None] + np.arange(size)].astype(np.int64),
                           weights[group_starts] if weights is not None else None))
    total = sum(len(m) * m.shape[1] * (m.shape[1] - 1) // 2 for m, _ in groups)
    parts = max(1, -(-total // CHUNK_PAIRS))
    found = [_count(groups, n, min_shared, parts, k) for k in range(parts)]
    codes = np.concatenate([c for c, _ in found]) if found else np.empty(0, dtype=np.int64)
    summed = np.concatenate([w for _, w in found]) if found else np.empty(0)
    order = np.argsort(codes, kind="stable")
    codes, summed = codes[order], summed[order]
    return codes // n, codes % n, summed


CHUNK_PAIRS = 2_000_000  # about 180 MB of work arrays a part


def _count(groups, n: int, min_shared: int, parts: int, part: int) -> tuple[np.ndarray, np.ndarray]:
    """Pair codes (left * n + right) with their left item in this part, shared by >= min_shared groups."""
    codes, shared = [], []
    for members, key_weight in groups:
        size = members.shape[1]
        for a in range(size):
            mine = members[:, a] % parts == part if parts > 1 else slice(None)
            for b in range(a + 1, size):
                codes.append(members[mine, a] * n + members[mine, b])
                if key_weight is not None:
                    shared.append(key_weight[mine])
    if not codes:
        return np.empty(0, dtype=np.int64), np.empty(0)
    uniq, inverse, counts = np.unique(np.concatenate(codes), return_inverse=True, return_counts=True)
    summed = np.bincount(inverse, weights=np.concatenate(shared), minlength=len(uniq)) if shared \
        else np.zeros(len(uniq))
    keep = counts >= min_shared
    return uniq[keep], summed[keep]
