"""Blocking: which items share enough index keys to be worth comparing, without comparing all pairs.

Used by deduplication (sampled word shingles of articles) and by claim matching (content stems of
sentences). A key held by more than `max_df` items is common and ignored.
"""
from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass

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


@dataclass(frozen=True)
class Blocked:
    """`shared_keys` of some items, with what it takes to update it for a few items more or fewer (`reblocked`)."""

    items: tuple[Hashable, ...]   # each item's identity: whatever fixes its keys (a file's content key)
    max_df: int
    min_shared: int
    values: np.ndarray            # every item's keys, ascending
    owners: np.ndarray            # the item (index into `items`) that holds each key (int32)
    pairs: np.ndarray             # the pairs (left < right), as codes left * len(items) + right, ascending

    def pair_indices(self) -> tuple[np.ndarray, np.ndarray]:
        return self.pairs // max(1, len(self.items)), self.pairs % max(1, len(self.items))


def blocked(items: Sequence[Hashable], keys: Sequence[np.ndarray], max_df: int, min_shared: int) -> Blocked:
    """`shared_keys(keys, max_df, min_shared)`, kept with the items' identities and their keys, sorted."""
    left, right = shared_keys(keys, max_df, min_shared)
    values, owners = _flat(keys, range(len(keys)))
    order = np.argsort(values, kind="stable")
    return Blocked(tuple(items), max_df, min_shared, values[order], owners[order].astype(np.int32),
                   left * len(items) + right)


def reblocked(previous: Blocked, items: Sequence[Hashable], keys: Sequence[np.ndarray], max_df: int,
              min_shared: int, most_changed: float = 0.2) -> Blocked:
    """`blocked(items, keys, ...)` from `previous`, by difference: the same result, found by counting again only
    the pairs whose both items hold a key that an item added or removed changes.

    A pair's count can change only through a key whose holders changed (a key of an item added or removed)
    and that was, before or after, held by 2..max_df items; unless both of the pair hold such a key, its
    count is the one before. So the items holding one are counted again, among themselves, with each key's
    count over all items; every other pair is kept as it was. An item is the same when its identity is:
    the caller's identities must fix each item's keys. More than `most_changed` of the items added or
    removed: counted afresh.
    """
    n = len(items)
    where = {item: k for k, item in enumerate(items)}
    now_of = np.fromiter((where.get(item, -1) for item in previous.items), dtype=np.int64, count=len(previous.items))
    known = set(previous.items)
    added = [k for k, item in enumerate(items) if item not in known]
    removed = int((now_of < 0).sum())
    if (max_df, min_shared) != (previous.max_df, previous.min_shared) or \
            len(added) + removed > most_changed * max(1, n):
        return blocked(items, keys, max_df, min_shared)
    # the index without the items removed, with the added ones' keys put in place
    gone = now_of[previous.owners] < 0
    values, owners = previous.values[~gone], now_of[previous.owners[~gone]].astype(np.int32)
    new_values, new_owners = _flat([keys[k] for k in added], added)
    order = np.argsort(new_values, kind="stable")
    new_values, new_owners = new_values[order], new_owners[order]
    at = np.searchsorted(values, new_values)
    values, owners = np.insert(values, at, new_values), np.insert(owners, at, new_owners.astype(np.int32))
    # the changed keys held by 2..max_df items before or after, and the items now holding one
    changed = np.unique(np.concatenate([previous.values[gone], new_values]))
    before, after = _held(previous.values, changed), _held(values, changed)
    counted = changed[((before >= 2) & (before <= max_df)) | ((after >= 2) & (after <= max_df))]
    start, end = np.searchsorted(values, counted, "left"), np.searchsorted(values, counted, "right")
    again = np.unique(owners[_ranges(start, end)])
    # their pairs counted again (each key with its count over all items); the other pairs as before
    held_values, held_owners = _flat([keys[k] for k in again.tolist()], again.tolist())
    held = _held(values, held_values)
    shared = (held >= 2) & (held <= max_df)
    left, right, _ = shared_keys_flat(held_values[shared], held_owners[shared], n, max_df, min_shared)
    old_left, old_right = previous.pair_indices()
    old_left, old_right = now_of[old_left], now_of[old_right]
    counting = np.zeros(n + 1, dtype=bool)  # (index -1, an item removed, is not counted again)
    counting[again] = True
    kept = (old_left >= 0) & (old_right >= 0) & ~(counting[old_left] & counting[old_right])
    low, high = np.minimum(old_left[kept], old_right[kept]), np.maximum(old_left[kept], old_right[kept])
    pairs = np.unique(np.concatenate([low * n + high, left * n + right]))
    return Blocked(tuple(items), max_df, min_shared, values, owners, pairs)


def _flat(keys: Sequence[np.ndarray], owners: Sequence[int]) -> tuple[np.ndarray, np.ndarray]:
    """The keys of these items one after another (uint64), and the owner of each (int64)."""
    sizes = np.fromiter(map(len, keys), dtype=np.int64, count=len(keys))
    values = np.concatenate(keys).astype(np.uint64, copy=False) if len(keys) else np.empty(0, dtype=np.uint64)
    return values, np.repeat(np.asarray(owners, dtype=np.int64), sizes)


def _held(values: np.ndarray, keys: np.ndarray) -> np.ndarray:
    """How many times each of `keys` is in `values` (ascending)."""
    return np.searchsorted(values, keys, "right") - np.searchsorted(values, keys, "left")


def _ranges(start: np.ndarray, end: np.ndarray) -> np.ndarray:
    """The positions start[k]..end[k]-1 of every k, one after another."""
    sizes = end - start
    if not sizes.sum():
        return np.empty(0, dtype=np.int64)
    return np.repeat(start - np.r_[0, np.cumsum(sizes)[:-1]], sizes) + np.arange(sizes.sum())


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
    (a row per key, items ascending, int32 unless an item number needs more; keys ascending), and each key's
    weight (None without weights).

    A key's part is its value modulo the number of parts, so each key is grouped whole in one part; a
    million articles hold some 170 million sampled shingles, whose sort at once needed gigabytes.
    """
    parts = max(1, -(-len(values) // PART_KEYS))
    item = np.int32 if len(owners) == 0 or int(owners.max()) < 2**31 else np.int64  # 4 bytes a member where they do
    part_of = None
    if parts > 1:  # each key's part, PART_KEYS keys at a time (`values % parts` at once is as big as `values`)
        part_of = np.empty(len(values), dtype=np.uint16)
        for k in range(0, len(values), PART_KEYS):
            part_of[k:k + PART_KEYS] = values[k:k + PART_KEYS] % parts
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
                found.setdefault(size, []).append((v[first], o[first[:, None] + np.arange(size)].astype(item),
                                                   w[first] if w is not None else None))
    groups = []
    for size in sorted(found):  # each size's parts joined, then put in key order, the parts let go in between
        pieces = found.pop(size)
        order = np.argsort(np.concatenate([k for k, _, _ in pieces]), kind="stable")
        members = np.concatenate([m for _, m, _ in pieces])
        key_weight = np.concatenate([w for _, _, w in pieces]) if weights is not None else None
        del pieces
        groups.append((members[order], key_weight[order] if key_weight is not None else None))
    return groups


def _count(groups, n: int, min_shared: int, parts: int, part: int) -> tuple[np.ndarray, np.ndarray]:
    """Pair codes (left * n + right) with their left item in this part, shared by >= min_shared groups."""
    codes, shared = [], []
    for members, key_weight in groups:
        # every two members (a < b) of each group, pair by pair (a, then b), each over the groups; as many pairs
        # of places at a time as make about CHUNK_PAIRS pairs (a million articles' groups make billions)
        a, b = np.triu_indices(members.shape[1], 1)
        step = max(1, CHUNK_PAIRS // max(1, len(members)))
        for k in range(0, len(a), step):
            left, right = members[:, a[k:k + step]].T, members[:, b[k:k + step]].T
            mine = left % parts == part if parts > 1 else np.ones(left.shape, dtype=bool)
            codes.append(left[mine].astype(np.int64) * n + right[mine])  # (members may be int32)
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
