"""Blocking: pairs sharing enough uncommon keys, counted in bounded parts with the same result."""
from __future__ import annotations

import numpy as np

from generator import blocking


def test_pairs_sharing_enough_uncommon_keys_with_their_shared_weight():
    # key 0 held by items 0, 1, 2; key 1 by 0 and 1; key 2 by 1 and 2; key 3 by everyone (common)
    values = np.array([0, 0, 0, 1, 1, 2, 2, 3, 3, 3, 3])
    owners = np.array([0, 1, 2, 0, 1, 1, 2, 0, 1, 2, 3])
    weights = np.array([1.0, 1.0, 1.0, 2.0, 2.0, 4.0, 4.0, 8.0, 8.0, 8.0, 8.0])
    left, right, shared = blocking.shared_keys_flat(values, owners, 4, max_df=3, min_shared=2, weights=weights)
    assert list(zip(left.tolist(), right.tolist(), shared.tolist())) == [(0, 1, 3.0), (1, 2, 5.0)]


def test_counting_in_parts_gives_what_counting_at_once_gives(monkeypatch):
    rng = np.random.default_rng(3)
    held = np.unique(np.c_[rng.integers(0, 3_000, 30_000), rng.integers(0, 1_000, 30_000)], axis=0)
    values, owners, weights = held[:, 0], held[:, 1], rng.random(len(held))
    at_once = blocking.shared_keys_flat(values, owners, 1_000, 50, 2, weights)
    monkeypatch.setattr(blocking, "CHUNK_PAIRS", 5_000)  # many parts, each group's pairs made a few places at a time
    in_parts = blocking.shared_keys_flat(values, owners, 1_000, 50, 2, weights)
    assert len(at_once[0]) > 1_000
    for whole, parted in zip(at_once, in_parts):
        assert np.array_equal(whole, parted)  # the same pairs, and weights summed in the same order


def test_grouping_keys_in_parts_gives_what_grouping_at_once_gives(monkeypatch):
    rng = np.random.default_rng(5)
    held = np.unique(np.c_[rng.integers(0, 2**63, 3_000, dtype=np.uint64)[rng.integers(0, 3_000, 30_000)],
                           rng.integers(0, 1_000, 30_000).astype(np.uint64)], axis=0)
    values, owners, weights = held[:, 0], held[:, 1].astype(np.int64), rng.random(len(held))
    at_once = blocking.shared_keys_flat(values, owners, 1_000, 50, 2, weights)
    monkeypatch.setattr(blocking, "PART_KEYS", 1_000)  # 30 parts, each key in one of them
    in_parts = blocking.shared_keys_flat(values, owners, 1_000, 50, 2, weights)
    assert len(at_once[0]) > 1_000
    for whole, parted in zip(at_once, in_parts):
        assert np.array_equal(whole, parted)  # the same pairs, and weights summed in the same order


def test_pairs_and_weights_are_those_of_counting_every_shared_key_one_by_one():
    rng = np.random.default_rng(11)
    held = np.unique(np.c_[rng.integers(0, 400, 6_000), rng.integers(0, 300, 6_000)], axis=0)
    values, owners, weights = held[:, 0], held[:, 1], rng.random(400)[held[:, 0]]
    holders: dict[int, list[int]] = {}
    for key, owner in zip(values.tolist(), owners.tolist()):
        holders.setdefault(key, []).append(owner)
    shared: dict[tuple[int, int], list[float]] = {}
    for key, items in holders.items():
        if 2 <= len(items) <= 30:
            for a in items:
                for b in items:
                    if a < b:
                        shared.setdefault((a, b), []).append(float(weights[values == key][0]))
    expected = sorted((a, b, sum(w)) for (a, b), w in shared.items() if len(w) >= 2)
    left, right, summed = blocking.shared_keys_flat(values, owners, 300, 30, 2, weights)
    assert len(expected) > 1_000
    assert list(zip(left.tolist(), right.tolist())) == [(a, b) for a, b, _ in expected]
    assert np.allclose(summed, [w for _, _, w in expected])


def test_pairs_updated_by_difference_are_those_counted_afresh():
    """`reblocked` after items are added, removed or changed (a new identity with other keys) gives the pairs
    `shared_keys` gives, also where a key held by max_df items, or by one, gains or loses a holder: pairs of
    items that did not change appear and disappear then."""
    rng = np.random.default_rng(11)
    max_df, min_shared = 6, 2

    def keys() -> np.ndarray:  # a few popular keys (near max_df holders), many rare ones
        return np.unique(np.r_[rng.integers(0, 60, 4), rng.integers(0, 2_000, 12)]).astype(np.uint64)

    items = [(n, keys()) for n in range(200)]
    state = blocking.blocked([i for i, _ in items], [k for _, k in items], max_df, min_shared)
    made, others_changed = len(items), 0
    for step in range(60):
        before = set(zip(*state.pair_indices()))
        before = {(items[a][0], items[b][0]) for a, b in map(lambda p: tuple(map(int, p)), before)}
        kind = step % 3
        changed = set()
        for _ in range(int(rng.integers(1, 4))):
            at = int(rng.integers(0, len(items)))
            if kind == 0 or len(items) < 150:  # one more item
                items.insert(at, (made, keys()))
                changed.add(made)
                made += 1
            elif kind == 1:  # one fewer
                changed.add(items.pop(at)[0])
            else:  # one changed: a new identity with other keys, in the same place
                changed.add(items[at][0])
                items[at] = (made, keys())
                changed.add(made)
                made += 1
        state = blocking.reblocked(state, [i for i, _ in items], [k for _, k in items], max_df, min_shared)
        left, right = blocking.shared_keys([k for _, k in items], max_df, min_shared)
        got_left, got_right = state.pair_indices()
        assert np.array_equal(got_left, left) and np.array_equal(got_right, right)
        after = {(items[a][0], items[b][0]) for a, b in zip(left.tolist(), right.tolist())}
        others_changed += len({p for p in before ^ after if not changed & set(p)})
        fresh = blocking.blocked([i for i, _ in items], [k for _, k in items], max_df, min_shared)
        assert np.array_equal(state.values, fresh.values)
        held, fresh_held = np.lexsort((state.owners, state.values)), np.lexsort((fresh.owners, fresh.values))
        assert np.array_equal(state.owners[held], fresh.owners[fresh_held])
    assert others_changed > 0
