"""The Atom feed: valid (RFC 4287's required elements), stable across identical rebuilds, new entries only for news."""
from __future__ import annotations

import re
import shutil
import xml.etree.ElementTree as ET
from dataclasses import replace
from urllib.parse import urljoin

import pytest

from generator import feed, output, pipeline
from generator.errors import GeneratorError
from generator.settings import DEFAULT
from generator.topics import TopicsFile

from .helpers import FIXTURE, ROOT

A = "{http://www.w3.org/2005/Atom}"
RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")
NEW_ARTICLE = """---
title: "Spillway gates of the upper dam to be replaced"
outlet: "River Post"
published: 2025-03-09
url: "https://example.com/river-post/spillway"
---

Engineers will replace the rusted spillway gates of the upper dam before the spring floods, the dam authority said on Sunday.
"""


def check_atom(text: str) -> ET.Element:
    """Well-formed Atom with the elements RFC 4287 requires of a feed and of each entry (section 4.1)."""
    assert text.startswith('<?xml version="1.0" encoding="utf-8"?>\n')
    root = ET.fromstring(text.encode("utf-8"))
    assert root.tag == f"{A}feed"

    def one(parent, tag):
        found = parent.findall(f"{A}{tag}")
        assert len(found) == 1, f"{parent.tag} has {len(found)} <{tag}>"
        return found[0]

    for tag in ("id", "title", "updated"):
        assert one(root, tag).text.strip()
    assert RFC3339.match(one(root, "updated").text)
    assert root.findall(f"{A}author/{A}name"), "a feed needs an author unless every entry has one"
    assert any(link.get("rel") == "self" for link in root.findall(f"{A}link"))
    ids = []
    for entry in root.findall(f"{A}entry"):
        for tag in ("id", "title", "updated"):
            assert one(entry, tag).text.strip()
        assert RFC3339.match(one(entry, "updated").text)
        assert one(entry, "id").text.startswith("urn:uuid:")
        alternate = [link for link in entry.findall(f"{A}link") if link.get("rel", "alternate") == "alternate"]
        assert len(alternate) == 1 and alternate[0].get("href")
        assert one(entry, "content").get("type") == "html"
        ids.append(one(entry, "id").text)
    assert len(ids) == len(set(ids)), "entry ids must be unique"
    return root


def entries(text: str) -> list[ET.Element]:
    return ET.fromstring(text.encode("utf-8")).findall(f"{A}entry")


def story_inputs(seeds, previous=None, source_date=None) -> pipeline.Inputs:
    return pipeline.Inputs(seeds, FIXTURE / "topics.yml", ROOT / "templates", previous=previous,
                           source_date=source_date)


@pytest.mark.parametrize("folder", ["briefings", "tests/golden"])
def test_committed_feeds_are_valid_atom(folder):
    root = check_atom((ROOT / folder / feed.NAME).read_text(encoding="utf-8"))
    assert root.findall(f"{A}entry")


def test_first_build_has_one_entry_per_topic_with_passages(tmp_path):
    result = pipeline.generate(story_inputs(FIXTURE / "seeds"), DEFAULT, skip_invalid=True)
    root = check_atom(result.files[feed.NAME])
    topics = [e.find(f"{A}link").get("href") for e in root.findall(f"{A}entry")]
    assert topics == [f"{slug}/" for slug, n in result.per_topic.items() if n]
    first = root.find(f"{A}entry")
    assert first.find(f"{A}updated").text == "2025-03-04T00:00:00Z"  # the newest date among its articles
    assert "Valley Gazette" in first.find(f"{A}content").text


def test_identical_rebuild_writes_identical_bytes(tmp_path):
    first = pipeline.generate(story_inputs(FIXTURE / "seeds"), DEFAULT, skip_invalid=True)
    output.sync(tmp_path / "b", first.files)
    again = pipeline.generate(story_inputs(FIXTURE / "seeds", tmp_path / "b"), DEFAULT, skip_invalid=True)
    assert again.files[feed.NAME] == first.files[feed.NAME]
    assert again.files[feed.STATE] == first.files[feed.STATE]


def test_one_new_article_adds_one_entry_for_the_topic_it_touches(tmp_path):
    seeds = tmp_path / "seeds"
    shutil.copytree(FIXTURE / "seeds", seeds)
    first = pipeline.generate(story_inputs(seeds), DEFAULT, skip_invalid=True)
    output.sync(tmp_path / "b", first.files)
    (seeds / "river-post.md").write_text(NEW_ARTICLE, encoding="utf-8")
    second = pipeline.generate(story_inputs(seeds, tmp_path / "b"), DEFAULT, skip_invalid=True)
    check_atom(second.files[feed.NAME])
    before, after = entries(first.files[feed.NAME]), entries(second.files[feed.NAME])
    assert len(after) == len(before) + 1
    new = after[0]
    assert new.find(f"{A}link").get("href") == "dam-safety/"
    assert new.find(f"{A}title").text == "Dam safety: 1 new passage"
    assert new.find(f"{A}updated").text == "2025-03-09T00:00:00Z"
    content = new.find(f"{A}content").text
    assert "rusted spillway gates" in content and "River Post" in content
    assert 'href="https://example.com/river-post/spillway"' in content
    # the earlier entries are kept exactly as they were
    assert [ET.tostring(e) for e in after[1:]] == [ET.tostring(e) for e in before]
    # and a rebuild of the new state adds nothing more
    output.sync(tmp_path / "b", second.files)
    third = pipeline.generate(story_inputs(seeds, tmp_path / "b"), DEFAULT, skip_invalid=True)
    assert third.files[feed.NAME] == second.files[feed.NAME]


def test_entries_are_capped_and_list_at_most_the_set_number_of_passages():
    few = replace(DEFAULT, feed_entries=1, feed_entry_passages=1)
    result = pipeline.generate(story_inputs(FIXTURE / "seeds"), few, skip_invalid=True)
    (entry,) = entries(result.files[feed.NAME])
    content = entry.find(f"{A}content").text
    assert content.count("<li>") == 1
    assert re.search(r"\d+ more new passages? (are|is) on the topic page", content)


def test_undated_articles_take_source_date_epoch():
    seeds = pipeline.Inputs(ROOT / "seeds", ROOT / "templates" / "topics.yml", ROOT / "templates",
                            source_date=1700000000)
    root = check_atom(pipeline.generate(seeds, DEFAULT).files[feed.NAME])
    assert {e.find(f"{A}updated").text for e in root.findall(f"{A}entry")} == {"2023-11-14T22:13:20Z"}
    assert root.find(f"{A}updated").text == "2023-11-14T22:13:20Z"


def test_text_xml_cannot_hold_is_shown_as_code_points():
    state = feed.State({}, (feed.Entry("urn:uuid:x", "t", "T \x01 \uffff", "2025-01-01T00:00:00Z", 1,
                                       (feed.Item("a\x0bb <script>", ()),)),))
    spec = TopicsFile("Story \x02", "D", ())
    text = feed.atom(state, spec, None)
    root = ET.fromstring(text.encode("utf-8"))
    assert "U+0001" in root.find(f"{A}entry/{A}title").text and "U+FFFF" in root.find(f"{A}entry/{A}title").text
    assert "&lt;script&gt;" in root.find(f"{A}entry/{A}content").text


def test_a_broken_state_file_names_file_and_line(tmp_path):
    (tmp_path / feed.STATE).write_text('{\n "version": 1,\n "topics": {,\n}\n', encoding="utf-8")
    with pytest.raises(GeneratorError) as err:
        feed.load(tmp_path)
    problem = err.value.problems[0]
    assert problem.path.endswith(feed.STATE) and problem.line == 3 and "delete it" in problem.hint
    (tmp_path / feed.STATE).write_text('{"version": 99, "topics": {}, "entries": []}\n', encoding="utf-8")
    with pytest.raises(GeneratorError, match="version 99"):
        feed.load(tmp_path)


def test_bad_source_date_epoch_is_an_error(tmp_path, monkeypatch, capsys):
    from generator import cli
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "yesterday")
    assert cli.main(["build", "--no-site", "--seeds", str(FIXTURE / "seeds"), "--topics", str(FIXTURE / "topics.yml"),
                     "--briefings", str(tmp_path / "b"), "--skip-invalid"]) == 1
    assert "Error: SOURCE_DATE_EPOCH: 'yesterday' is not a whole number" in capsys.readouterr().err


def test_built_site_publishes_the_feed_and_links_it_from_every_page(built):
    _, site, ledger = built
    check_atom((site / feed.NAME).read_text(encoding="utf-8"))
    pages = sorted(site.rglob("*.html"))
    assert len(pages) > 5
    for page in pages:
        html = page.read_text(encoding="utf-8")
        link = re.search(r'<link rel="alternate" type="application/atom\+xml" title="[^"]*" href="([^"]+)">', html)
        assert link, f"{page}: no feed link in the head"
        relative = page.relative_to(site).as_posix()
        assert urljoin(f"https://x.org/{relative}", link.group(1)) == "https://x.org/feed.xml", page
    home = (site / "index.html").read_text(encoding="utf-8")
    assert 'href="feed.xml"' in home  # the home page's text links it too
    for entry in entries((site / feed.NAME).read_text(encoding="utf-8")):
        target = site / entry.find(f"{A}link").get("href") / "index.html"
        assert target.is_file(), f"entry links to {target}, which the site does not have"


BASIL = ROOT.parent / "shared" / "eval" / "basil-dev" / "articles"  # a labelled corpus kept outside the repository


@pytest.mark.skipif(not BASIL.is_dir(), reason=f"{BASIL} is not on this machine")
def test_basil_dev_build_has_the_coverage_table_and_a_stable_feed(tmp_path):
    from generator import cli
    args = ["build", "--seeds", str(BASIL), "--templates", str(ROOT / "templates"), "--config", str(ROOT / "mkdocs.yml"),
            "--briefings", str(tmp_path / "b"), "--site", str(tmp_path / "s"), "--skip-invalid"]
    assert cli.main(args) == 0
    home = (tmp_path / "s" / "index.html").read_text(encoding="utf-8")
    assert '<div class="coverage">' in home and "<caption>Passages per topic and outlet</caption>" in home
    assert all(f'<th scope="row">{o} <small>' in home for o in ("Fox News", "HuffPost", "The Evening Star"))
    assert "outlet not known" not in home  # every file names its outlet: in front matter, or a first line over the headline
    first = (tmp_path / "s" / feed.NAME).read_bytes()
    check_atom(first.decode("utf-8"))
    assert cli.main(args) == 0  # an identical rebuild: the same feed, byte for byte
    assert (tmp_path / "s" / feed.NAME).read_bytes() == first


def test_passage_hashes_made_on_every_core_are_those_made_in_one_process(tmp_path, monkeypatch, alone):
    from types import SimpleNamespace

    from generator.memo import Memo
    passages = [SimpleNamespace(order=k, text=f"Passage {k}:  its text\u00a0as read.") for k in range(60)]
    matches = [SimpleNamespace(topics=("t",) if k % 3 else ()) for k in range(60)]
    monkeypatch.setattr(feed, "PARALLEL_MIN_PASSAGES", 10**9)
    one = feed._passage_hashes(passages, matches, Memo(None, "feed", "tag"))
    monkeypatch.setattr(feed, "PARALLEL_MIN_PASSAGES", 2)
    many = feed._passage_hashes(passages, matches, Memo(tmp_path, "feed", "tag"))
    assert many == one == {p.order: feed.passage_hash(p.text) for p, m in zip(passages, matches) if m.topics}
