"""Page layout: topic pages capped with chained archive pages, the sources list split in parts."""
from __future__ import annotations

import datetime as dt
import json
import os
import re
import shutil
from dataclasses import replace

import pytest
from hypothesis import example, given, strategies as st
from markdown.extensions.toc import slugify

from generator import cli, output, pipeline
from generator.pages import anchor, content_parts
from generator.settings import DEFAULT

from .helpers import BRIDGE_TOPICS, FIXTURE, ROOT, build_story, markdown_article


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
    assert "## Key points" not in archive
    total = result.per_topic["all"]
    assert total > 5
    assert f"## Archive\n\n{total - 5} further passages are on the archive page, by the day first reported:" in page
    days = re.findall(r"^### (\d.+)$", archive, re.MULTILINE)
    undated = " and some of unknown date" if "### Date not known" in archive else ""
    assert f"- [Passages reported from {days[0]} to {days[-1]}{undated}](all-archive.md) ({total - 5})" in page
    assert f"*{total - 5} passages from " in archive and "Later passages" not in archive
    shown = [line for line in page.split("## In detail", 1)[1].split("\n") if "[^" in line
             and not line.startswith(("*", "[^"))]
    assert len(shown) == 5


def _archive(files: dict[str, str], slug: str) -> list[tuple[str, str]]:
    """The archive pages of a topic in the order they chain, as (name, text), following each page's link."""
    pages, name = [], re.search(rf"\]\(({slug}-archive)\.md\)", files[f"{slug}.md"])
    while name:
        pages.append((name[1], files[f"{name[1]}.md"]))
        name = re.search(rf"\[next archive page\]\(({slug}-archive(?:-\d+)?)\.md\)", pages[-1][1])
    return pages


def _shown(text: str) -> list[str]:
    """The passages a topic or archive page shows under In detail."""
    return [line for line in text.split("## In detail", 1)[1].split("\n")
            if "[^" in line and not line.startswith(("*", "[^"))]


def test_archive_pages_hold_every_passage_once_by_the_day_first_reported(synthetic, tmp_path):
    small = replace(DEFAULT, topic_page_passages=5, archive_page_passages=64, claim_min_words=10_000)
    result = pipeline.generate(pipeline.Inputs(synthetic / "articles", _one_big_topic(tmp_path), ROOT / "templates"),
                               small, skip_invalid=True)
    total, page = result.per_topic["all"], result.files["all.md"]
    archive = _archive(result.files, "all")
    assert sorted(f"{name}.md" for name, _ in archive) == sorted(f for f in result.files if "-archive" in f)
    assert len(archive) > 2
    listed = re.findall(r"^- \[Passages (reported [^\]]+|of unknown date)\]\((all-archive(?:-\d+)?)\.md\) \((\d+)\)$", page, re.M)
    assert [name for _, name, _ in listed] == [name for name, _ in archive]
    seen, last_day = _shown(page), None
    for n, (name, text) in enumerate(archive):
        shown = _shown(text)
        assert 32 <= len(shown) <= 64 or n == len(archive) - 1
        assert int(listed[n][2]) == len(shown) and f"*{len(shown)} passages from " in text
        assert f"part {n + 1} of {len(archive)}" in text.split("\n", 1)[0]
        days = [dt.datetime.strptime(d, "%d %B %Y") for d in re.findall(r"^### (\d.+)$", text, re.M)]
        undated = "### Date not known" in text
        assert days == sorted(days) and (not undated or re.findall(r"^### (.+)$", text, re.M)[-1] == "Date not known")
        if not days:  # undated passages come last, after every dated one
            assert undated and listed[n][0] == "of unknown date"
            last_day = dt.datetime.max
        else:
            assert last_day is None or last_day <= days[0]  # oldest first, page after page
            assert listed[n][0] == (f"reported from {days[0]:%-d %B %Y} to {days[-1]:%-d %B %Y}" if days[0] != days[-1]
                                    else f"reported on {days[0]:%-d %B %Y}") + (" and some of unknown date" * undated)
            last_day = days[-1]
        assert ("Later passages continue on the [next archive page]" in text) == (n + 1 < len(archive))
        seen += shown
    assert len(seen) == total


def test_an_article_added_changes_only_the_archive_pages_that_hold_its_passages(synthetic, tmp_path):
    """Archive pages are cut by the day first reported and where the passages say, not by rank: a new article's
    passages land on the page of their day, and the other archive pages keep their bytes."""
    seeds = tmp_path / "seeds"
    shutil.copytree(synthetic / "articles", seeds)
    small = replace(DEFAULT, topic_page_passages=5, archive_page_passages=64, claim_min_words=10_000)
    story = _one_big_topic(tmp_path)
    before = pipeline.generate(pipeline.Inputs(seeds, story, ROOT / "templates"), small, skip_invalid=True).files
    day = "2024-06-21"  # amid the corpus' dates
    (seeds / "zz-added.md").write_text(
        f'---\ntitle: "A report of its own"\noutlet: "Added Wire"\npublished: "{day}"\n---\n\n'
        "The harbour board said on Monday that the new ferry terminal would open in the spring of the next year.\n\n"
        "Engineers for the board said the old pier had been closed to the public and would be taken down.\n",
        encoding="utf-8")
    after = pipeline.generate(pipeline.Inputs(seeds, story, ROOT / "templates"), small, skip_invalid=True).files
    archive_before, archive_after = dict(_archive(before, "all")), dict(_archive(after, "all"))
    assert len(archive_before) > 3
    changed = [name for name, text in archive_after.items() if archive_before.get(name) != text]
    holding = [name for name, text in archive_after.items() if "harbour board" in text or "old pier" in text]
    assert holding and changed == holding, (changed, holding)


def test_sources_list_is_split_into_parts_that_every_link_finds(synthetic, tmp_path):
    small = replace(DEFAULT, sources_page_entries=60)
    result = pipeline.generate(_inputs(synthetic / "articles"), small, skip_invalid=True)
    ledger = json.loads(result.files["ledger.json"])
    files = len(ledger["files"])
    count = sum(n.startswith("sources") for n in result.files)
    parts = ["sources"] + [f"sources-{n}" for n in range(2, count + 1)]
    assert sorted(n for n in result.files if n.startswith("sources")) == sorted(f"{p}.md" for p in parts)
    headings = {}
    for n, name in enumerate(parts, 1):
        text = result.files[f"{name}.md"]
        assert text.startswith(f"# Sources, part {n} of {len(parts)}\n")
        assert ("All %d input files" % files in text) == (n == 1)
        if n == 1:  # every part listed
            listed = ", ".join(f"part {k}" if k == 1 else f"[part {k}]({p}.md)" for k, p in enumerate(parts, 1))
            assert f"each by path: {listed}.\n" in text
        else:  # part 1, and the parts before and after
            near = "".join([f"; [previous part]({parts[n - 2]}.md)" if n > 2 else "",
                            f"; [next part]({parts[n]}.md)" if n < len(parts) else ""])
            assert f"[Part 1](sources.md) gives the totals and links to every part{near}.\n" in text
        headings[name] = re.findall(r"^### (.+)$", text, flags=re.M)
        # at most 60 a part, at least 30 but in the last
        assert 30 <= len(headings[name]) <= 60 or n == len(parts) and 0 < len(headings[name]) <= 60
    assert sum(map(len, headings.values())) == files
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


def test_key_points_are_sentences_that_read_on_their_own(tmp_path):
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    stands = "The city council voted on Tuesday to close the old river bridge to heavy lorries from March."
    needs_context = ["Indeed, the bridge had been closed to lorries once before, for a whole winter in 1998.",
                     "He said the bridge would reopen to lorries once the engineers had repaired both girders.",
                     "Will the bridge reopen to heavy lorries before the council elections next spring?",
                     "“The bridge is safe for cars and bicycles,” the mayor told the council on Tuesday, “but not",
                     # the seeds' minerals page: "In a bid to address these concerns, Zelensky's government ..."
                     "In a bid to address these concerns, the council will pay for a ferry across the river bridge site.",
                     "The mayor said the council could not accept such terms for the bridge repairs from the builders.",
                     # who said it is in the sentences before
                     "“The bridge will stay closed to lorries until the girders are repaired,” he said on Tuesday.",
                     "After the vote on the bridge, she said, the council would ask the engineers for a second opinion."]
    also_stands = ["Earlier this week, the council asked engineers such as Halden to inspect the bridge girders again."]
    (seeds / "gazette.md").write_text('---\ntitle: "Bridge"\noutlet: "Gazette"\npublished: 2025-03-03\n---\n'
                                      + "\n\n".join(needs_context + [stands] + also_stands) + "\n", encoding="utf-8")
    topics = tmp_path / "topics.yml"
    topics.write_text("story: {title: Bridge, description: A bridge.}\ntopics:\n  - slug: bridge\n    title: The bridge\n"
                      "    description: The old river bridge.\n    terms: [bridge*, council]\n", encoding="utf-8")
    page = pipeline.generate(pipeline.Inputs(seeds, topics, ROOT / "templates"), DEFAULT).files["bridge.md"]
    points = page.split("## Key points", 1)[1].split("## In detail", 1)[0]
    assert stands in points and also_stands[0] in points  # "this week" dates it, "such as" gives an example
    assert not any(s in points for s in needs_context)


def test_a_claim_is_a_key_point_in_the_most_complete_wording_that_reads_on_its_own(tmp_path):
    # the Gazette's wording is the more complete, but only the sentences before it say who "she" is
    quoted = ("“We will close the old river bridge to heavy lorries from the first of March,” she said at the council "
              "meeting on Tuesday.")
    named = "Mayor Anna Berg said on Tuesday that the council would close the old river bridge to heavy lorries from March."
    result = build_story(tmp_path, BRIDGE_TOPICS, {
        "gazette.md": markdown_article("Bridge to close", "Gazette", "2025-03-03", [quoted]),
        "herald.md": markdown_article("Mayor speaks", "Herald", "2025-03-03", [named])})
    points = result.files["bridge.md"].split("## Key points", 1)[1].split("## In detail", 1)[0]
    first = points.strip().split("\n")[0]
    assert first.startswith("- " + named) and first.endswith("*(2 outlets)*")
    assert quoted + "[^gazette]" in points  # shown under it, as the other wording, cited to the Gazette


EARLY_FACT = "The city council voted on Tuesday to close the old river bridge to heavy lorries from March."
LATE_FACT = "On Tuesday the council decided by vote that the old river bridge will be closed to heavy lorries in March."
EARLY = [EARLY_FACT, "Engineers found cracks in two steel girders of the bridge during an inspection last autumn."]
LATE = ["Local shops along the river asked the council for compensation for the trade they expect to lose.", LATE_FACT]
UNDATED_TEXT = ["The mayor, Anna Berg, said the council could not take any risk with a bridge carrying so much traffic."]


def _days(page: str) -> dict[str, list[str]]:
    """The lines of In detail under each `### ` heading, in page order."""
    days: dict[str, list[str]] = {}
    for line in page.split("## In detail", 1)[1].split("\n[^", 1)[0].split("\n"):
        if line.startswith("### "):
            days[line[4:]] = []
        elif line and days:
            days[list(days)[-1]].append(line)
    return days


def test_in_detail_is_a_timeline_of_the_day_each_passage_was_first_reported(tmp_path):
    result = build_story(tmp_path, BRIDGE_TOPICS, {
        "gazette.md": markdown_article("Bridge to close", "Gazette", "2025-02-24", EARLY),
        "herald.md": markdown_article("Council votes", "Herald", "2025-02-26", LATE),
        "tribune.md": markdown_article("Mayor speaks", "Tribune", None, UNDATED_TEXT)})
    page = result.files["bridge.md"]
    days = _days(page)
    assert list(days) == ["24 February 2025", "26 February 2025", "Date not known"]  # oldest first, undated last

    def day_of(text: str) -> str:
        (day,) = [d for d, lines in days.items() if any(line.startswith(text) for line in lines)]
        return day

    # the Herald's wording leads the claim (more complete), but the Gazette reported it two days earlier
    assert day_of(LATE_FACT) == "24 February 2025"
    assert day_of(LATE[0]) == "26 February 2025" and day_of(EARLY[1]) == "24 February 2025"
    assert day_of(UNDATED_TEXT[0]) == "Date not known"
    # each passage names its article (with its date when it is not the day's) and counts its outlets: the
    # Herald's leads a claim the Gazette states too, so it counts both and comes first in its day
    first = days["24 February 2025"]
    assert first[0] == "*Herald: Council votes, 2025-02-26 · [source entry](sources.md#herald)*"
    assert first[1].startswith(LATE_FACT) and first[1].endswith("[^herald] *(2 outlets)*")
    assert "*Gazette: Bridge to close · [source entry](sources.md#gazette)*" in first
    assert days["26 February 2025"][0].startswith("*Herald: Council votes · ")
    assert days["Date not known"][0].startswith("*Tribune: Mayor speaks · ")
    passages = [line for lines in days.values() for line in lines if "[^" in line and re.search(r"outlets?\)\*$", line)]
    assert len(passages) == result.per_topic["bridge"] - 1  # every passage once; the Gazette's wording under the claim


def test_a_file_added_to_the_sources_list_changes_the_part_that_lists_it_only():
    paths = [f"article-{n:05d}.md" for n in range(0, 40_000, 2)]
    before = [tuple(paths[p]) for p in content_parts(paths, 2000)]
    assert all(1000 <= len(p) <= 2000 for p in before[:-1]) and 0 < len(before[-1]) <= 2000
    for added in (f"article-{n:05d}.md" for n in range(1, 40_000, 2_000)):
        longer = sorted(paths + [added])
        after = [tuple(longer[p]) for p in content_parts(longer, 2000)]
        changed = set(after) - set(before)
        assert len(changed) == 1 and added in changed.pop() and len(set(before) - set(after)) == 1


def test_key_points_report_who_did_what_before_comment(tmp_path):
    """At equal corroboration, a sentence whose subject is a name (or that states a figure) is a key point
    before commentary, even from an article that already gave key points (the seeds' peacekeeping page
    showed "The diplomatic efforts of Trump and Macron signal a potential turning point" over facts)."""
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    comment = ["The willingness of the council to close the bridge marks a shift in how the city treats its old bridges.",
               "The closure of the bridge signals a potential turning point for the river towns and their lorries."]
    facts = ["Mayor Anna Berg said the council would close the old river bridge to heavy lorries from March.",
             "Halden engineers found cracks in two girders of the bridge during an inspection last autumn.",
             "The Halden engineers said the bridge was safe for cars, bicycles and the town's buses for now."]
    (seeds / "gazette.md").write_text('---\ntitle: "Bridge"\noutlet: "Gazette"\npublished: 2025-03-03\n---\n'
                                      + "\n\n".join(comment) + "\n", encoding="utf-8")
    (seeds / "herald.md").write_text('---\ntitle: "Bridge"\noutlet: "Herald"\npublished: 2025-03-03\n---\n'
                                     + "\n\n".join(facts) + "\n", encoding="utf-8")
    topics = tmp_path / "topics.yml"
    topics.write_text("story: {title: Bridge, description: A bridge.}\ntopics:\n  - slug: bridge\n    title: The bridge\n"
                      "    description: The old river bridge.\n    terms: [bridge*]\n", encoding="utf-8")
    settings = replace(DEFAULT, lead_points=3, lead_share=1.0)
    page = pipeline.generate(pipeline.Inputs(seeds, topics, ROOT / "templates"), settings).files["bridge.md"]
    points = page.split("## Key points", 1)[1].split("## In detail", 1)[0]
    assert all(s in points for s in facts), points
    assert not any(s in points for s in comment)


def test_a_key_point_that_says_again_what_a_picked_one_says_is_left_out():
    """Two claims of one ad ("I'll end Obama's war on religion" / "... and I'll fight against liberal
    attacks ...") were two key points of basil-dev's gay-rights page, the second saying the first again."""
    from generator.claims import Claim, Claims, Wording
    from generator.pages import _pick

    pledge = Claim((Wording(0, 0, "Perry pledges to end Obama's war on religion in a new television ad airing in Iowa.", ("a",)),
                    Wording(1, 0, "As President, I'll end Obama's war on religion.", ("b",))), 2, ())
    ad = Wording(2, 0, "As president, I'll end Obama's war on religion and I'll fight against liberal attacks on our "
                       "religious heritage, the governor says.", ("c",))
    other = Wording(3, 0, "The governor spoke in Iowa on Monday about taxes and jobs for the farmers there.", ("d",))
    joined = Claims((pledge,), {(0, 0): 0, (1, 0): 0})
    ranked = [((-2, -1, 0, 0, 0, 0), pledge.wordings[0], pledge, True), ((-1, -1, 0, 0, 1, 0), ad, None, True),
              ((-1, -1, 0, 0, 2, 0), other, None, True)]
    picked = _pick(ranked, 3, joined, str, DEFAULT)  # each article a story of its own
    assert [f[1] for f in picked] == [pledge.wordings[0], other]


def test_a_topic_of_several_stories_opens_with_a_fact_of_each(tmp_path):
    """Key points ranked by outlets, then who did what, then recency gave basil-dev's scandals page five
    facts of its two latest stories (Christie's subpoenas, Grimm's charges) and none of the others; one
    story (articles joined by a claim they both state) now gives one key point while another story has
    a fact to report."""
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    closure = ("Mayor Anna Berg said the council would close the old river bridge to heavy lorries from March.",
               "Mayor Anna Berg said that the council will close the old river bridge to heavy lorries from March.")
    gazette = [closure[0], "The Halden engineers found cracks in two girders of the river bridge during an inspection.",
               "The Halden engineers said the river bridge was safe for cars and buses for now."]
    herald = [closure[1], "The Halden council set aside 4 million euros to repair the river bridge next year.",
              "Halden lorry drivers will use the ring road while the river bridge is closed to them."]
    courier = ["The Norby canal bridge reopened last week after eight weeks of repairs to its deck.",
               "Norby officials said the canal bridge would be painted again in the spring."]
    for name, outlet, day, paras in (("gazette", "Gazette", "2025-03-03", gazette), ("herald", "Herald", "2025-03-03", herald),
                                     ("courier", "Courier", "2025-02-01", courier)):
        (seeds / f"{name}.md").write_text(f'---\ntitle: "{outlet} on a bridge"\noutlet: "{outlet}"\npublished: {day}\n---\n'
                                          + "\n\n".join(paras) + "\n", encoding="utf-8")
    topics = tmp_path / "topics.yml"
    topics.write_text("story: {title: Bridges, description: Bridges.}\ntopics:\n  - slug: bridges\n    title: Bridges\n"
                      "    description: Bridges of the region.\n    terms: [bridge*]\n", encoding="utf-8")

    def key_points(settings):
        page = pipeline.generate(pipeline.Inputs(seeds, topics, ROOT / "templates"), settings).files["bridges.md"]
        return page.split("## Key points", 1)[1].split("## In detail", 1)[0]

    settings = replace(DEFAULT, lead_points=3, lead_share=1.0)
    points = key_points(settings)
    assert closure[1] in points and "*(2 outlets)*" in points  # the river bridge's claim of two outlets leads
    assert courier[0] in points  # and the other story gives its main fact
    # without the story cap, the river bridge's newer facts take every place
    assert not any(s in key_points(replace(settings, lead_per_story=100)) for s in courier)


def test_a_key_point_leaves_out_the_dateline_its_sentence_opens_with(tmp_path):
    """basil-dev's budget page opened a key point with "WASHINGTON — With just three weeks left ..."; where
    a report was filed is not the fact. In detail keeps the passage whole."""
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    said = "Mayor Anna Berg said the council would close the old river bridge to heavy lorries from March."
    voted = "The Halden council voted on Friday to close the river bridge to lorries of over 20 tonnes."
    (seeds / "wire.md").write_text('---\ntitle: "Bridge"\noutlet: "Wire"\npublished: 2025-03-03\n---\n'
                                   f"HALDEN, Norway (Wire) — {said}\n\nEditor's Note: {voted}\n", encoding="utf-8")
    topics = tmp_path / "topics.yml"
    topics.write_text("story: {title: Bridge, description: A bridge.}\ntopics:\n  - slug: bridge\n    title: The bridge\n"
                      "    description: The old river bridge.\n    terms: [bridge*]\n", encoding="utf-8")
    settings = replace(DEFAULT, lead_share=1.0)
    page = pipeline.generate(pipeline.Inputs(seeds, topics, ROOT / "templates"), settings).files["bridge.md"]
    points, detail = page.split("## Key points", 1)[1].split("## In detail", 1)
    assert f"\n- {said}[^wire]" in points and "HALDEN" not in points
    assert f"\n- {voted}[^wire]" in points and "Note" not in points  # a label is not the fact either
    assert f"HALDEN, Norway (Wire) — {said}" in detail and f"Editor's Note: {voted}" in detail


def test_key_points_name_their_topic_before_facts_their_article_lends_it_to(tmp_path):
    """basil-dev's race and civil rights page opened with a quotation of three outlets on gay couples' tax
    filing ("committed and loving gay and lesbian married couples will now be treated equally ..."), on the
    page only through its article: a fact whose words name the topic now comes first."""
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    library = ("Mayor Anna Berg also said the town's library would open on Sundays from April onwards.",
               "Mayor Anna Berg said that the town's library will open on Sundays from April onwards.")
    gazette = ["Mayor Anna Berg said the council would close the old river bridge to heavy lorries from March.",
               library[0]]
    herald = [library[1], "The Halden engineers found cracks in two girders of the river bridge during an inspection."]
    for name, outlet, paras in (("gazette", "Gazette", gazette), ("herald", "Herald", herald)):
        (seeds / f"{name}.md").write_text(f'---\ntitle: "The bridge closure"\noutlet: "{outlet}"\n'
                                          f'published: 2025-03-03\n---\n' + "\n\n".join(paras) + "\n", encoding="utf-8")
    topics = tmp_path / "topics.yml"
    topics.write_text("story: {title: Bridges, description: Bridges.}\ntopics:\n  - slug: bridges\n    title: Bridges\n"
                      "    description: Bridges of the region.\n    terms: [bridge*]\n", encoding="utf-8")
    result = pipeline.generate(pipeline.Inputs(seeds, topics, ROOT / "templates"),
                               replace(DEFAULT, lead_points=2, lead_share=1.0))
    assert [c.outlets for c in result.claims.claims if len(c.wordings) > 1] == [2]  # the library: two outlets
    page = result.files["bridges.md"]
    points = page.split("## Key points", 1)[1].split("## In detail", 1)[0]
    assert gazette[0] in points and herald[1] in points
    assert not any(s in points for s in library)
    assert library[0] in page or library[1] in page  # still on the page, in detail


def test_a_fact_on_two_topics_is_a_key_point_of_the_one_it_names_most(tmp_path):
    """basil-dev: Mary Cheney's post on her sister's stance on same-sex marriage ("... Senate candidate Liz
    Cheney ...", three outlets) led both the elections and the gay-rights pages; it now leads gay-rights
    only, and the elections page opens with facts about elections."""
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    fact = ("Mayor Anna Berg said the library near the bridge would lend more books and open the library on Sundays.",
            "Mayor Anna Berg said that the library near the bridge will open the library on Sundays and lend more books.")
    gazette = [fact[0], "The Halden engineers found cracks in two girders of the river bridge during an inspection."]
    herald = [fact[1], "Halden lorry drivers will use the ring road while the river bridge is closed to them."]
    for name, outlet, paras in (("gazette", "Gazette", gazette), ("herald", "Herald", herald)):
        (seeds / f"{name}.md").write_text(f'---\ntitle: "Town news"\noutlet: "{outlet}"\npublished: 2025-03-03\n---\n'
                                          + "\n\n".join(paras) + "\n", encoding="utf-8")
    topics = tmp_path / "topics.yml"
    topics.write_text("story: {title: Town, description: The town.}\ntopics:\n"
                      "  - {slug: bridges, title: Bridges, description: Bridges., terms: [bridge*]}\n"
                      "  - {slug: library, title: The library, description: The library., terms: [library, books]}\n",
                      encoding="utf-8")
    result = pipeline.generate(pipeline.Inputs(seeds, topics, ROOT / "templates"),
                               replace(DEFAULT, lead_points=2, lead_share=1.0))
    assert [c.outlets for c in result.claims.claims if len(c.wordings) > 1] == [2]

    def key_points(slug):
        return result.files[f"{slug}.md"].split("## Key points", 1)[1].split("## In detail", 1)[0]

    assert any(s in key_points("library") for s in fact)
    assert not any(s in key_points("bridges") for s in fact)
    assert gazette[1] in key_points("bridges") and herald[1] in key_points("bridges")


def test_a_fact_naming_two_topics_equally_leads_only_the_first_in_page_order():
    """Perry's ad ("... open service of gays and lesbians in the military ...") named gay rights and national
    security equally, and was a key point of both pages."""
    from generator import topics
    from generator.pages import _Reach

    spec = [topics.Topic("gay-rights", "Gay rights", "", (topics.parse_term("gay*", 1.0),), None),
            topics.Topic("security", "Security", "", (topics.parse_term("military", 1.0),), None)]
    reach = _Reach(spec, DEFAULT)
    ad = ["Perry's ad rails against gays serving openly in the military."]
    assert (reach.tier(ad, "gay-rights"), reach.tier(ad, "security")) == (2, 1)
    assert reach.tier(["The military budget grew."], "security") == 2
    assert reach.tier(["The governor spoke in Iowa."], "security") == 0


def test_an_archived_passage_is_placed_by_the_earliest_day_its_claims_were_reported():
    """A passage that leads a claim another outlet stated first is headed by that earlier day on its page, so the
    archive places it there too (else a part could end after the day the next part starts with)."""
    from types import SimpleNamespace

    from generator.claims import Claim, Claims, Wording
    from generator.model import Passage
    from generator.pages import UNDATED, _claim_days, _first_reported

    late = Passage("late", 3, "The council voted to close the bridge. It reopens in May.", ("late",), 0)
    early = Passage("early", 5, "Councillors voted to shut the bridge.", ("early",), 1)
    alone = Passage("alone", 7, "The ferry runs every hour.", ("alone",), 2)
    undated = Passage("undated", 2, "Nobody knows when.", ("undated",), 3)
    claim = Claim((Wording(0, 0, "The council voted to close the bridge.", ("late",)),
                   Wording(1, 0, "Councillors voted to shut the bridge.", ("early",))), 2, ())
    joined = Claims((claim,), {(0, 0): 0, (1, 0): 0})
    sources = {"late": SimpleNamespace(published="2025-03-09"), "early": SimpleNamespace(published="2025-03-02T08:00"),
               "alone": SimpleNamespace(published="2025-03-05"), "undated": SimpleNamespace(published=None)}
    assert _first_reported([late, early, alone, undated], _claim_days(joined, sources), sources) == {
        0: "2025-03-02", 1: "2025-03-02", 2: "2025-03-05", 3: UNDATED}


def test_an_archive_page_says_which_days_it_holds(synthetic, tmp_path):
    small = replace(DEFAULT, topic_page_passages=5, archive_page_passages=64, claim_min_words=10_000)
    result = pipeline.generate(pipeline.Inputs(synthetic / "articles", _one_big_topic(tmp_path), ROOT / "templates"),
                               small, skip_invalid=True)
    descriptions = [text.split("\n")[2] for _, text in _archive(result.files, "all")]
    intro = "Passages on this topic that the topic page (All) does not show, "
    assert all(d.startswith(intro) for d in descriptions)
    dated = [d for d in descriptions if d.startswith(intro + "reported ")]
    assert dated and all(d.endswith(", by the day first reported, oldest first.") for d in dated)
    undated = [d for d in descriptions if d not in dated]
    assert undated and all(d == intro + "of unknown date." for d in undated)  # the synthetic corpus has undated articles


def test_one_passage_archived_is_said_in_the_singular(synthetic, tmp_path):
    total = pipeline.generate(pipeline.Inputs(synthetic / "articles", _one_big_topic(tmp_path), ROOT / "templates"),
                              DEFAULT, skip_invalid=True).per_topic["all"]
    one_left = replace(DEFAULT, topic_page_passages=total - 1, claim_min_words=10_000)
    page = pipeline.generate(pipeline.Inputs(synthetic / "articles", _one_big_topic(tmp_path), ROOT / "templates"),
                             one_left, skip_invalid=True).files["all.md"]
    assert "## Archive\n\n1 further passage is on the archive page, by the day first reported:\n" in page


@given(st.text(alphabet="ab_-0Z. é\u00a0\u2002", max_size=12))
@example("004_1e41a0e355824cc0")
@example("2024-01-02-biengwesbit-courier-006882")
@example("a--b")
@example("-a")
@example("a-")
@example("Ab")
def test_an_entry_anchor_is_the_id_toc_gives_its_heading(article_id):
    # a footnote links to sources.md#<anchor>: it must be the id Python-Markdown's toc makes of the heading
    assert anchor(article_id) == slugify(article_id, "-")


def _many_pages(synthetic, tmp_path, templates=ROOT / "templates"):
    """The synthetic corpus in many small pages (archive parts of at most 10 passages, sources parts of 20)."""
    small = replace(DEFAULT, archive_page_passages=10, sources_page_entries=20)
    return pipeline.generate(pipeline.Inputs(synthetic / "articles", _one_big_topic(tmp_path), templates),
                             small, skip_invalid=True)


def test_pages_rendered_on_every_core_are_the_pages_rendered_in_one_process(synthetic, tmp_path, monkeypatch,
                                                                              alone):
    from generator import render
    monkeypatch.setattr(render, "PARALLEL_MIN_PAGES", 10**9)
    alone_files = _many_pages(synthetic, tmp_path).files
    pids = tmp_path / "pids"
    plain = render.render

    def recorded(*args):
        with pids.open("a", encoding="ascii") as fh:
            fh.write(f"{os.getpid()}\n")
        return plain(*args)

    monkeypatch.setattr(render, "PARALLEL_MIN_PAGES", 2)
    monkeypatch.setattr(render, "render", recorded)
    shared = _many_pages(synthetic, tmp_path).files
    assert len(alone_files) > 20
    assert list(shared) == list(alone_files)  # the same files, in the same order
    assert all(shared.data(name) == alone_files.data(name) for name in alone_files)
    assert set(pids.read_text(encoding="ascii").split()) - {str(os.getpid())}  # some were rendered in workers


def test_a_template_error_in_a_worker_names_the_template_and_line(synthetic, tmp_path, monkeypatch, alone):
    from generator import render
    from generator.errors import GeneratorError
    folder = tmp_path / "templates"
    shutil.copytree(ROOT / "templates", folder)
    lines = (folder / "sources.md.j2").read_text(encoding="utf-8").split("\n")
    at = lines.index("{% for s in sources %}") + 1
    lines.insert(at, "{{ s.nope }}")
    (folder / "sources.md.j2").write_text("\n".join(lines), encoding="utf-8")
    monkeypatch.setattr(render, "PARALLEL_MIN_PAGES", 2)
    with pytest.raises(GeneratorError) as info:
        _many_pages(synthetic, tmp_path, folder)
    problem = info.value.problems[0]
    assert problem.path.endswith("sources.md.j2") and problem.line == at + 1
    assert "nope" in problem.message and "REFERENCE.md" in problem.hint
    assert str(info.value) == str(problem)  # as the command line prints it


def test_a_build_stopped_while_pages_come_back_from_workers_leaves_none_running(synthetic, tmp_path, monkeypatch,
                                                                                 alone):
    import gc
    import threading

    from generator import render
    monkeypatch.setattr(render, "PARALLEL_MIN_PAGES", 2)
    plain, added = render.Files.add, []

    def add(self, name, text):  # Ctrl-C, or a full disk, while the third page is spooled
        added.append(name)
        if len(added) == 3:
            raise KeyboardInterrupt
        plain(self, name, text)

    monkeypatch.setattr(render.Files, "add", add)
    threads = threading.active_count()
    with pytest.raises(KeyboardInterrupt) as info:
        _many_pages(synthetic, tmp_path)
    # while the error is still held (its traceback holds the build's frames): the workers' pool is shut down and
    # the build's garbage collector works again
    assert info.value is not None and gc.get_freeze_count() == 0
    assert threading.active_count() == threads
