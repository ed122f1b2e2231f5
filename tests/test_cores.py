"""Work spread over every core (generator/cores.py) and the memo's `keep_all` that the stages use with it."""
from __future__ import annotations

import os

import pytest

from generator import cores
from generator.memo import Memo


def test_fork_map_gives_the_results_in_order_from_workers_running_a_closure(alone):
    offset = 1000  # a closure over local data: the workers are forked, so they have it
    got = cores.fork_map(lambda x: (x + offset, os.getpid()), list(range(50)), min_items=10, cores=2)
    assert [value for value, _ in got] == [x + offset for x in range(50)]
    assert os.getpid() not in {pid for _, pid in got}


def test_fork_map_runs_in_this_process_below_its_minimum_or_on_one_core():
    for items, cores_ in ((list(range(5)), 2), (list(range(50)), 1)):
        got = cores.fork_map(lambda x: os.getpid(), items, min_items=10, cores=cores_)
        assert set(got) == {os.getpid()}


def test_an_error_in_a_worker_is_raised_in_the_build(alone):
    def fails_on_seven(x):
        if x == 7:
            raise ValueError("seven")
        return x

    with pytest.raises(ValueError, match="seven"):
        cores.fork_map(fails_on_seven, list(range(40)), min_items=10, cores=2)


def test_keep_all_makes_what_the_memo_lacks_once_per_key_and_keeps_it(tmp_path):
    memo = Memo(tmp_path, "test", "tag")
    memo.put(b"k1" + bytes(14), "kept before")
    made: list[int] = []

    def make(k):
        made.append(k)
        return f"made {k}"

    keys = [b"k1" + bytes(14), b"k2" + bytes(14), None, b"k2" + bytes(14), None]
    assert memo.keep_all(keys, make, min_parallel=100) == ["kept before", "made 1", "made 2", "made 1", "made 4"]
    assert made == [1, 2, 4]  # a key the memo lacks is made once; a None key each time
    assert memo.get(b"k2" + bytes(14)) == "made 1"


def test_keep_all_on_every_core_gives_what_it_gives_in_this_process(tmp_path, alone):
    keys = [bytes([k % 7]) * 16 for k in range(60)]
    one = Memo(tmp_path / "one", "test", "tag").keep_all(keys, lambda k: (k, k * k), min_parallel=1000)
    many = Memo(tmp_path / "many", "test", "tag").keep_all(keys, lambda k: (k, k * k), min_parallel=2)
    assert many == one
    assert one[8] == (1, 1)  # key of 8 is key of 1: made once, for 1


def test_a_fork_map_leaves_no_thread_behind_to_keep_the_next_from_forking(alone):
    import threading

    before = threading.active_count()
    for _ in range(2):
        got = cores.fork_map(lambda x: os.getpid(), list(range(20)), min_items=10, cores=2)
        assert os.getpid() not in got
        assert threading.active_count() == before


def test_fork_map_does_not_fork_while_another_thread_runs():
    import threading

    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    other.start()
    try:
        got = cores.fork_map(lambda x: os.getpid(), list(range(20)), min_items=10, cores=2)
    finally:
        stop.set()
        other.join()
    assert set(got) == {os.getpid()}


def test_fork_map_does_not_fork_without_room_for_each_worker_to_copy_the_build(monkeypatch, alone):
    gib = 1 << 30
    monkeypatch.setattr(cores, "memory", lambda: (10 * gib, 15 * gib))  # a million articles' build: no room
    assert set(cores.fork_map(lambda x: os.getpid(), list(range(20)), min_items=10, cores=2)) == {os.getpid()}
    monkeypatch.setattr(cores, "memory", lambda: (1 * gib, 15 * gib))
    assert os.getpid() not in cores.fork_map(lambda x: os.getpid(), list(range(20)), min_items=10, cores=2)


def test_memory_reads_what_this_process_holds_and_what_the_machine_has():
    held, free = cores.memory()
    if held is None:
        pytest.skip("no /proc here")
    assert 0 < held < free + held


def test_an_error_stops_the_work_soon(tmp_path, alone):
    import time

    def mark(x):
        if x == 0:
            raise ValueError("the first item")
        time.sleep(0.02)
        (tmp_path / str(x)).touch()
        return x

    with pytest.raises(ValueError, match="the first item"):
        cores.fork_map(mark, list(range(320)), min_items=10, cores=2)
    # the work not started is dropped (as on Ctrl-C), and what was started is small: the two workers' ranges and
    # the few queued for them (about 40 of the 320 items)
    assert len(list(tmp_path.iterdir())) < 80
