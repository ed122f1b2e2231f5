"""Small builders shared by the tests."""
from __future__ import annotations

import contextlib
import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from generator import pipeline
from generator.model import Article, Paragraph
from generator.reader import is_heading
from generator.settings import DEFAULT

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = ROOT / "tests" / "fixtures" / "story"


def article(aid: str, *paragraphs: str, title: str | None = None, published: str | None = None) -> Article:
    """An Article with one paragraph per string, on lines 1, 3, 5, ..."""
    paras = tuple(Paragraph(2 * i + 1, text, is_heading(text, DEFAULT)) for i, text in enumerate(paragraphs))
    return Article(aid, f"{aid}.txt", title, None, None, published, paras)


# An original report: six paragraphs, each long enough to be a passage.
ORIGINAL = [
    "The city council voted on Tuesday to close the old river bridge to heavy traffic from the first of March.",
    "Engineers found cracks in two of the steel girders during an inspection last autumn, the council said in a statement.",
    "Lorries will be sent along the ring road, which adds about eleven kilometres to the journey between the port and the industrial estate.",
    "\"We cannot take any risk with a structure that carries forty thousand vehicles a day,\" the mayor, Anna Berg, told reporters.",
    "Repairs are expected to cost 14 million euros and to take at least two years, according to the transport department.",
    "Local businesses have asked for compensation, saying the detour will raise their delivery costs by a fifth.",
]
# The same event, told independently in other words (a hard negative).
REWRITE = [
    "Heavy vehicles will no longer be allowed on the old river bridge from March, after a council vote this week.",
    "An inspection in the autumn revealed fractures in the steel beams, officials explained.",
    "Freight traffic faces a detour of roughly eleven kilometres via the ring road to reach the industrial estate.",
    "The mayor said the town could not gamble with a bridge used by tens of thousands of cars every day.",
    "The transport department puts the bill for repairs at 14 million euros over two or more years.",
    "Shop owners want to be compensated for the higher cost of deliveries during the works.",
]
QUOTE = ORIGINAL[3]
OTHER = [
    "A new library opened in the northern district on Saturday, with room for sixty thousand books and a cafe.",
    "The building was designed by a local architecture firm and paid for partly by a regional grant.",
    QUOTE,
    "Visitors queued for an hour before the doors opened at ten in the morning, organisers said.",
]


SPEECH = [
    "\"This bridge has served the city for ninety years and it deserves a proper repair, not a patch,\" Berg said.",
    "\"Every lorry we send around the ring road costs a haulier time and money, and we know that,\" she added.",
    "\"The council will review the compensation requests one by one before the summer holidays,\" Berg said.",
]


WIRE = [
    "The regional transport authority confirmed that the bridge had been inspected four times since 2019, with no structural faults reported before last autumn.",
    "Under national rules, any bridge with cracked load-bearing girders must be closed to vehicles over seven and a half tonnes until it is repaired.",
]


BRIDGE_TOPICS = """story: {title: Bridge, description: A bridge.}
topics:
  - slug: bridge
    title: The bridge
    description: The old river bridge.
    terms: [bridge*, council]
"""


def markdown_article(title: str, outlet: str, published: str | None, paragraphs: list[str]) -> str:
    """A Markdown article with front matter (no `published` when None), one paragraph per string."""
    date = f"published: {published}\n" if published else ""
    return f'---\ntitle: "{title}"\noutlet: "{outlet}"\n{date}---\n' + "\n\n".join(paragraphs) + "\n"


def build_story(root: Path, topics: str, articles: dict[str, str]) -> pipeline.Result:
    """The briefings of these articles (file name -> text) under this topics file, with default settings."""
    seeds = root / "seeds"
    seeds.mkdir()
    for name, text in articles.items():
        (seeds / name).write_text(text, encoding="utf-8")
    (root / "topics.yml").write_text(topics, encoding="utf-8")
    return pipeline.generate(pipeline.Inputs(seeds, root / "topics.yml", ROOT / "templates"), DEFAULT)


# --- `briefings serve` on a copy of the project ------------------------------------------------------------------

SERVE_WAIT = 30.0  # seconds for the preview to start or show an edit


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=2) as r:
            return r.read().decode("utf-8")
    except OSError:
        return None


def wait_for(predicate, what: str):
    deadline = time.monotonic() + SERVE_WAIT
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.2)
    pytest.fail(f"timed out waiting for {what}")


def copy_project(folder: Path) -> Path:
    """The project's seeds, templates, theme overrides and mkdocs.yml copied into `folder`, to edit and serve."""
    for name in ("seeds", "templates", "overrides"):  # overrides: mkdocs.yml's theme.custom_dir
        shutil.copytree(ROOT / name, folder / name)
    shutil.copy(ROOT / "mkdocs.yml", folder / "mkdocs.yml")
    return folder


@contextlib.contextmanager
def serving(project: Path):
    """`briefings serve` running in the project folder; yields the preview's URL; terminated at the end."""
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "generator", "serve", "--dev-addr", f"127.0.0.1:{port}"],
                            cwd=project, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            env={**os.environ, "PYTHONPATH": str(ROOT)})
    try:
        yield f"http://127.0.0.1:{port}/"
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def search_index(url: str) -> str | None:
    """The hash of the served site's Pagefind index (pagefind/pagefind-entry.json), which changes with its text."""
    entry = fetch(url + "pagefind/pagefind-entry.json")
    return json.loads(entry)["languages"]["en"]["hash"] if entry else None
