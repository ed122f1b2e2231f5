"""Page layout: topic pages capped with chained archive pages, the sources list split in parts."""
from __future__ import annotations

import json
import re
import shutil
from dataclasses import replace

from generator import cli, output, pipeline
from generator.settings import DEFAULT

from .helpers import FIXTURE, ROOT


def _inputs(seeds):
    return pipeline.Inputs(seeds, FIXTURE / "topics.yml", ROOT / "templates")


def _one_big_topic(tmp_path):
    """A topics file whose only topic takes nearly every passage."""
    story = tmp_path / "topics.yml"
    story.write_text("story:\n  title: T\n  description: D\ntopics:\n  - slug: all\n    title: All\n"
                     "    description: Every passage with a common word.\n    terms: [the, and, of]\n",
                     encoding="utf-8")
    return story


def test_large_topic_is_capped_and_the_rest_is_on_the_archive_page(synthetic, tmp_path):
    # no claims joined (claim_min_words out of reach): every passage shows as a paragraph of its own
    tiny = replace(DEFAULT, topic_page_passages=5, archive_page_passages=100_000, claim_min_words=10_000)
    story = _one_big_topic(tmp_path)
    inputs = pipeline.Inputs(synthetic / "articles", story, ROOT / "templates")
    result = pipeline.generate(inputs, tiny, skip_invalid=True)
    page, archive = result.files["all.md"], result.files["all-archive.md"]
    assert page.index("## Key points") < page.index("## In detail")
    assert "(all-archive.md)" in page and "## Key points" not in archive
    total = result.per_topic["all"]
    assert total > 5
    assert f"{total - 5} further passages are on the [archive page](all-archive.md)" in page
    assert f"*{total - 5} passages from " in archive
    shown = [line for line in page.split("## In detail", 1)[1].split("\n") if line.endswith("]") and "[^" in line
             and not line.startswith("*")]
    assert len(shown) == 5


def test_archive_is_split_into_chained_pages_that_hold_every_passage_once(synthetic, tmp_path):
    small = replace(DEFAULT, topic_page_passages=5, archive_page_passages=7, claim_min_words=10_000)
    story = _one_big_topic(tmp_path)
    result = pipeline.generate(pipeline.Inputs(synthetic / "articles", story, ROOT / "templates"), small,
                               skip_invalid=True)
    total = result.per_topic["all"]
    pages = ["all"] + [f"all-archive{'' if n == 1 else f'-{n}'}" for n in range(1, -(-(total - 5) // 7) + 1)]
    assert sorted(f"{p}.md" for p in pages) == sorted(f for f in result.files if f.startswith("all"))
    seen = []
    for n, name in enumerate(pages):
        text = result.files[f"{name}.md"]
        body = text.split("## In detail", 1)[1]
        shown = [line for line in body.split("\n") if "[^" in line and not line.startswith(("*", "[^"))]
        assert len(shown) == (5 if n == 0 else min(7, total - 5 - 7 * (n - 1)))
        seen += shown
        later = total - 5 - 7 * n
        if n + 1 < len(pages):  # each page links to the next, saying how many passages follow
            assert f"{later} further passages are on the [archive page]({pages[n + 1]}.md)" in text
        else:
            assert "further passages" not in text
    assert len(seen) == total


def test_sources_list_is_split_into_parts_that_every_link_finds(synthetic, tmp_path):
    small = replace(DEFAULT, sources_page_entries=60)
    result = pipeline.generate(_inputs(synthetic / "articles"), small, skip_invalid=True)
    ledger = json.loads(result.files["ledger.json"])
    files = len(ledger["files"])
    parts = ["sources"] + [f"sources-{n}" for n in range(2, -(-files // 60) + 1)]
    assert sorted(n for n in result.files if n.startswith("sources")) == sorted(f"{p}.md" for p in parts)
    headings = {}
    for n, name in enumerate(parts, 1):
        text = result.files[f"{name}.md"]
        assert text.startswith(f"# Sources, part {n} of {len(parts)}\n")
        headings[name] = re.findall(r"^### (.+)$", text, flags=re.M)
        assert len(headings[name]) == min(60, files - 60 * (n - 1))
    # every link to a source entry, from topic pages and from the sources pages, names the right part
    entry = {e["id"]: name for name, ids in headings.items() for e in ledger["files"] if e["id"] in ids}
    links = [m for text in result.files.values() for m in re.findall(r"\]\((sources(?:-\d+)?)\.md#([^)]+)\)", text)]
    assert links and all(entry[anchor] == page for page, anchor in links if anchor in entry)
    assert {anchor for _, anchor in links} <= set(entry)
    # and MkDocs, strict, agrees that every link resolves
    output.publish(ROOT / "mkdocs.yml", tmp_path / "briefings", result.files, tmp_path / "site",
                   cli.nav(result.spec), result.spec.title)
    assert (tmp_path / "site" / "sources-2" / "index.html").is_file()


def test_a_rejected_file_sharing_an_articles_id_does_not_take_its_links(tmp_path):
    seeds = tmp_path / "seeds"
    shutil.copytree(FIXTURE / "seeds", seeds)
    (seeds / "gazette-treaty.jpg").write_bytes(b"not an article")  # id gazette-treaty, like gazette-treaty.md
    result = pipeline.generate(_inputs(seeds), replace(DEFAULT, sources_page_entries=3), skip_invalid=True)
    holding = [name for name, text in result.files.items() if name.startswith("sources")
               and "### gazette-treaty\n\n- File: gazette-treaty.md" in text]
    assert len(holding) == 1
    links = {m for name, text in result.files.items() if not name.startswith("sources")
             for m in re.findall(r"\((sources(?:-\d+)?\.md)#gazette-treaty\)", text)}
    assert links == {holding[0]}
