"""Fast tests for the synthetic labelled corpus generator."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections import Counter, defaultdict
from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from benchmarks import synth  # noqa: E402
from benchmarks.synth import generate  # noqa: E402

pytestmark = pytest.mark.bench

N_ARTICLES = 200
DUP_SHARE = 0.3
DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def read_corpus(root: Path) -> tuple[dict[str, dict[str, str]], dict[str, str]]:
    """Labels and file texts of a generated corpus."""
    labels = json.loads((root / "labels.json").read_text(encoding="utf-8"))
    texts = {p.name: p.read_text(encoding="utf-8") for p in (root / "articles").iterdir()}
    return labels, texts


def split_article(name: str, text: str) -> tuple[dict, str]:
    """(metadata, body) of a .md or .txt article."""
    if name.endswith(".md"):
        assert text.startswith("---\n")
        front, body = text[4:].split("\n---\n", 1)
        assert body.startswith("\n")
        return yaml.safe_load(front), body
    outlet, title, blank, body = text.split("\n", 3)
    assert blank == ""
    return {"outlet": outlet, "title": title}, body


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict, dict]:
    """A small corpus shared by the read-only tests."""
    root = tmp_path_factory.mktemp("synth") / "corpus"
    generate(root, N_ARTICLES, seed=7, dup_share=DUP_SHARE)
    return (root, *read_corpus(root))


def test_labels_cover_every_file(corpus):
    _, labels, texts = corpus
    assert len(texts) == N_ARTICLES
    assert set(labels) == set(texts)
    for label in labels.values():
        assert set(label) == {"family", "event", "outlet", "kind"}
        assert label["kind"] == "original" or label["kind"].startswith("reprint:")


def test_copy_share_matches_dup_share(corpus):
    _, labels, _ = corpus
    copies = sum(label["kind"] != "original" for label in labels.values())
    assert abs(copies / len(labels) - DUP_SHARE) <= 0.05


def test_copies_point_to_originals_of_the_same_event(corpus):
    _, labels, _ = corpus
    for name, label in labels.items():
        family = labels[label["family"]]
        assert family["kind"] == "original"
        assert family["family"] == label["family"]
        assert family["event"] == label["event"]
        if label["kind"] == "original":
            assert label["family"] == name


def test_events_group_two_to_four_originals_from_different_outlets(corpus):
    _, labels, _ = corpus
    outlets = defaultdict(list)
    for label in labels.values():
        if label["kind"] == "original":
            outlets[label["event"]].append(label["outlet"])
    assert all(2 <= len(o) <= 4 and len(set(o)) == len(o) for o in outlets.values())


def test_original_word_counts(corpus):
    _, labels, texts = corpus
    for name, label in labels.items():
        if label["kind"] == "original":
            _, body = split_article(name, texts[name])
            assert 300 <= len(body.split()) <= 1500, name


def test_front_matter_and_txt_header(corpus):
    _, labels, texts = corpus
    extensions = Counter(name.rsplit(".", 1)[1] for name in texts)
    assert set(extensions) == {"md", "txt"}
    assert 0.2 < extensions["txt"] / len(texts) < 0.5
    for name, text in texts.items():
        meta, body = split_article(name, text)
        assert meta["outlet"] == labels[name]["outlet"]
        assert meta["title"] and body.strip()
        if name.endswith(".md"):
            assert {"title", "outlet", "published"} <= set(meta) <= {"title", "outlet", "published", "url"}
            assert DATE.match(meta["published"]) and name.startswith(meta["published"])
            if "url" in meta:
                assert re.match(r"^https://[a-z0-9-]+\.example/\d{4}/\d{2}/\d{2}/[a-z0-9-]+$", meta["url"])


def test_some_events_share_a_quoted_paragraph(corpus):
    _, labels, texts = corpus
    holders = defaultdict(set)
    for name, label in labels.items():
        if label["kind"] == "original":
            for para in split_article(name, texts[name])[1].split("\n\n"):
                if para.startswith("\u201c"):
                    holders[para].add(name)
    shared = [names for names in holders.values() if len(names) == 2]
    assert shared
    for names in shared:
        assert len({labels[n]["event"] for n in names}) == 1
        assert len({labels[n]["family"] for n in names}) == 2


def test_same_seed_same_bytes_other_seed_differs(corpus, tmp_path):
    root, labels, texts = corpus
    generate(tmp_path / "again", N_ARTICLES, seed=7, dup_share=DUP_SHARE)
    assert read_corpus(tmp_path / "again") == (labels, texts)
    assert (tmp_path / "again" / "labels.json").read_bytes() == (root / "labels.json").read_bytes()
    generate(tmp_path / "other", N_ARTICLES, seed=8, dup_share=DUP_SHARE)
    assert read_corpus(tmp_path / "other")[1] != texts


def test_output_does_not_depend_on_worker_count(tmp_path, monkeypatch):
    monkeypatch.setattr(synth, "CHUNK_EVENTS", 20)   # several chunks at a small size
    generate(tmp_path / "one", N_ARTICLES, seed=3, workers=1)
    generate(tmp_path / "two", N_ARTICLES, seed=3, workers=2)
    assert read_corpus(tmp_path / "one") == read_corpus(tmp_path / "two")


def test_refuses_non_empty_output(corpus):
    root, _, _ = corpus
    with pytest.raises(FileExistsError):
        generate(root, 10)


def test_command_line(tmp_path):
    subprocess.run([sys.executable, "-m", "benchmarks.synth", str(tmp_path / "cli"), "--articles", "20",
                    "--seed", "1", "--dup-share", "0.25"], cwd=REPO, check=True, capture_output=True)
    labels, texts = read_corpus(tmp_path / "cli")
    assert set(labels) == set(texts) and len(texts) == 20
    assert sum(label["kind"] != "original" for label in labels.values()) == 5
