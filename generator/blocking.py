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
    owners = np.repeat(np.arange(len(keys), dtype=np.int32 if len(keys) < 2**31 else np.int64),
                       np.fromiter(map(len, keys), dtype=np.int64, count=len(keys)))
    left, right, _ = shared_keys_flat(np.concatenate(keys), owners, len(keys), max_df, min_shared)
    return left, right


def shared_keys_flat(values: np.ndarray, owners: np.ndarray, n: int, max_df: int, min_shared: int,
                     weights: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """`shared_keys` for keys given flat: item `owners[k]` holds key `values[k]` (each key once per item).

    Also returns, per pair, the sum of `weights` (by key) over the keys the two share (zeros without weights).
    The keys are grouped in parts of about PART_KEYS (by key value), and the pairs of all key groups are
    counted in parts of about CHUNK_PAIRS (by the left item), so memory stays bounded however many keys
    and pairs there are.
    """
    groups = _groups(values, owners, max_df, weights)
    total = sum(len(m) * m.shape[1] * (m.shape[1] - 1) // 2 for m, _ in groups)
    parts = max(1, -(-total // CHUNK_PAIRS))
    found = [_count(groups, n, min_shared, parts, k) for k in range(parts)]
    codes = np.concatenate([c for c, _ in found]) if found else np.empty(0, dtype=np.int64)
    summed = np.concatenate([w for _, w in found]) if found else np.empty(0)
    order = np.argsort(codes, kind="stable")
    codes, summed = codes[order], summed[order]
    return codes // n, codes % n, summed


CHUNK_PAIRS = 2_000_000  # about 180 MB of work arrays a part
PART_KEYS = 4_000_000    # keys sorted at once: about 150 MB of work arrays a part


def _groups(values: np.ndarray, owners: np.ndarray, max_df: int,
            weights: np.ndarray | None) -> list[tuple[np.ndarray, np.ndarray | None]]:
    """Per group size from 2 to max_df, in increasing order: the items holding each key of that many items
    (a row per key, items ascending; keys ascending), and each key's weight (None without weights).

    A key's part is its value modulo the number of parts, so each key is grouped whole in one part; a
    million articles hold some 170 million sampled shingles, whose sort at once needed gigabytes.
    """
    parts = max(1, -(-len(values) // PART_KEYS))
    part_of = (values % parts).astype(np.uint16) if parts > 1 else None
    found: dict[int, list[tuple[np.ndarray, np.ndarray, np.ndarray | None]]] = {}
    for part in range(parts):
        at = np.flatnonzero(part_of == part) if parts > 1 else slice(None)
        v, o = values[at], owners[at]
        order = np.lexsort((o, v))
        v, o = v[order], o[order]
        w = weights[at][order] if weights is not None else None
        starts = np.flatnonzero(np.r_[True, v[1:] != v[:-1]]) if len(v) else np.empty(0, dtype=np.int64)
        sizes = np.diff(np.r_[starts, len(v)])
        for size in np.unique(sizes).tolist():
            if 2 <= size <= max_df:
                first = starts[sizes == size]
                found.setdefault(size, []).append((v[first], o[first[:, None] + np.arange(size)].astype(np.int64),
                                                   w[first] if w is not None else None))
    groups = []
    for size in sorted(found):
        order = np.argsort(np.concatenate([k for k, _, _ in found[size]]), kind="stable")
        groups.append((np.concatenate([m for _, m, _ in found[size]])[order],
                       np.concatenate([w for _, _, w in found[size]])[order] if weights is not None else None))
    return groups


def _count(groups, n: int, min_shared: int, parts: int, part: int) -> tuple[np.ndarray, np.ndarray]:
    """Pair codes (left * n + right) with their left item in this part, shared by >= min_shared groups."""
    codes, shared = [], []
    for members, key_weight in groups:
        # every two members (a < b) of each group at once, pair by pair (a, then b), each over the groups
        a, b = np.triu_indices(members.shape[1], 1)
        left, right = members[:, a].T, members[:, b].T
        mine = left % parts == part if parts > 1 else np.ones(left.shape, dtype=bool)
        codes.append(left[mine] * n + right[mine])
        if key_weight is not None:
            shared.append(np.broadcast_to(key_weight, left.shape)[mine])
    if not codes:
        return np.empty(0, dtype=np.int64), np.empty(0)
    # each code once, with how many groups hold it and (stable order: in the order given) its summed weights
    codes = np.concatenate(codes)
    order = np.argsort(codes, kind="stable") if shared else None
    codes = codes[order] if shared else np.sort(codes)
    first = np.r_[True, codes[1:] != codes[:-1]]
    starts = np.flatnonzero(first)
    keep = np.diff(np.r_[starts, len(codes)]) >= min_shared
    summed = np.bincount(np.cumsum(first) - 1, weights=np.concatenate(shared)[order], minlength=len(starts)) \
        if shared else np.zeros(len(starts))
    return codes[starts][keep], summed[keep]
