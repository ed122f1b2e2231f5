"""End to end over seeds/ and a fixture story: golden output, the ledger, and the command line.

The committed briefings/ and tests/golden/ are the expected output. After a deliberate change,
regenerate them and review the diff:

    briefings build --no-site
    briefings build --no-site --seeds tests/fixtures/story/seeds --topics tests/fixtures/story/topics.yml --briefings tests/golden
"""
import json
import re
import shutil
from pathlib import Path

import pytest

from generator import cli, pipeline
from generator.settings import DEFAULT

from .helpers import FIXTURE, ROOT, markdown_article

# Each rebuilt over its committed output: the feed says what is new since that published build.
SEEDS = pipeline.Inputs(ROOT / "seeds", ROOT / "templates" / "topics.yml", ROOT / "templates",
                        previous=ROOT / "briefings")
STORY = pipeline.Inputs(FIXTURE / "seeds", FIXTURE / "topics.yml", ROOT / "templates", previous=ROOT / "tests" / "golden")
BOILERPLATE = ["Share to:", "Table of Contents", "Previous Article", "Posted in", "Leave a Reply",
               "Your email address", "newsletter", "People Also Ask", "Call to Action", "comments below",
               "Read the article on", "For more updates", "Shutterstock", "Practical Tips"]


@pytest.fixture(scope="module")
def seeds():
    return pipeline.generate(SEEDS, DEFAULT)


@pytest.fixture(scope="module")
def story():
    return pipeline.generate(STORY, DEFAULT, skip_invalid=True)


def ledger_of(result: pipeline.Result) -> dict:
    return json.loads(result.files["ledger.json"])


def committed(folder: Path) -> dict[str, str]:
    return {p.name: p.read_text(encoding="utf-8") for p in folder.iterdir() if not p.name.startswith(".")}


def test_seeds_match_committed_briefings(seeds):
    assert seeds.files == committed(ROOT / "briefings")


def test_fixture_story_matches_golden(story):
    assert story.files == committed(ROOT / "tests" / "golden")


def test_generation_is_byte_identical_across_runs(seeds):
    assert pipeline.generate(SEEDS, DEFAULT).files == seeds.files


def test_a_build_whose_files_wait_on_disk_writes_the_same_briefings(tmp_path, monkeypatch):
    """Past `Files.SPOOL_BYTES` the rendered files wait in a temporary file (a million articles' pages): the
    briefings written from there are the committed ones, byte for byte."""
    from generator import output, render

    monkeypatch.setattr(render.Files, "SPOOL_BYTES", 4096)
    result = pipeline.generate(SEEDS, DEFAULT)
    assert output.differences(ROOT / "briefings", result.files) == []
    assert sorted(output.sync(tmp_path, result.files)) == sorted(committed(ROOT / "briefings"))
    assert committed(tmp_path) == committed(ROOT / "briefings")


def passage_with(page: str, text: str) -> str:
    line = next((l for l in page.split("\n") if text in l and not l.startswith("- ")), None)
    assert line is not None, f"{text!r} not on the page"
    return line


@pytest.mark.parametrize("page, text", [
    ("peacekeeping-force.md", "a European force of fewer than 30,000 soldiers"),
    ("un-vote.md", "the UN Security Council reached a resolution on the war"),
    ("un-vote.md", "UN General Assembly"),
    ("minerals-deal.md", "final draft agreement on the exploitation of Ukraine’s raw materials"),
    ("security-guarantees.md", "security guarantees for Ukraine and its citizens"),
])
def test_topic_pages_hold_their_passages_with_footnotes(seeds, page, text):
    line = passage_with(seeds.files[page], text)
    assert re.search(r"\[\^[\w-]+\] \*\(\d+ outlets?\)\*$", line), "passage has no footnote and outlet count"


@pytest.mark.parametrize("phrase", BOILERPLATE)
def test_no_briefing_contains_boilerplate(seeds, phrase):
    for name, text in seeds.files.items():
        if name.endswith(".md") and name != "sources.md":
            assert phrase.lower() not in text.lower(), f"{phrase!r} in {name}"


def test_every_input_file_is_in_the_ledger_and_on_the_sources_page(seeds, story):
    for result, folder in ((seeds, ROOT / "seeds"), (story, FIXTURE / "seeds")):
        files = sorted(p.name for p in folder.iterdir())
        assert sorted(e["path"] for e in ledger_of(result)["files"]) == files
        for name in files:
            assert name.replace("_", "\\_") in result.files["sources.md"]


def test_ledger_records_what_became_of_each_file(story):
    entry = {e["path"]: e for e in ledger_of(story)["files"]}
    assert entry["gazette-treaty.md"]["status"] == "used"
    copy = entry["courier-copy.txt"]
    assert (copy["status"], copy["duplicate_of"], copy["similarity"]) == ("duplicate", "gazette-treaty", 1.0)
    assert entry["chrome-only.txt"]["status"] == "rejected"
    assert entry["chrome-only.txt"]["reason"].startswith("no news text left")
    assert entry["saved-page.html"]["reason"].startswith("not an article file")
    counts = ledger_of(story)["counts"]
    assert counts["passages_kept"] + counts["passages_merged"] == sum(
        e["passages_kept"] + e["passages_merged"] for e in ledger_of(story)["files"])
    assert counts["passages_unassigned"] == sum(e["passages_unassigned"] for e in ledger_of(story)["files"])


def test_shared_quote_cites_every_outlet_that_carries_it(story):
    sources_page = story.files["sources.md"]
    assert "copy of gazette-treaty (100% similar)" in sources_page
    key = ledger_of(story)
    herald = next(e for e in key["files"] if e["path"] == "herald-analysis.md")
    assert herald["passages_merged"] == 1  # the quote, merged into the gazette's passage


def test_ledger_serialises_the_builds_figures(seeds, story):
    for result in (seeds, story):
        counts = ledger_of(result)["counts"]
        t = result.totals
        assert (counts["files"], counts["used"], counts["duplicate"], counts["rejected"]) == (
            t.files, t.used, t.duplicates, t.rejected)
        assert (counts["passages_kept"], counts["passages_merged"], counts["passages_unassigned"]) == (
            t.passages, t.merged, t.unassigned)
        assert t.passages == len(result.passages) and t.unassigned == sum(not m.topics for m in result.matches)
        assert counts["per_topic"] == result.per_topic
        assert [t["slug"] for t in ledger_of(result)["topics"]] == [t.slug for t in result.spec.topics]


def run(*args, capsys=None):
    code = cli.main([str(a) for a in args])
    return code


def test_check_fails_when_briefings_are_out_of_date(tmp_path, capsys):
    out = tmp_path / "briefings"
    common = ["--seeds", FIXTURE / "seeds", "--topics", FIXTURE / "topics.yml", "--briefings", out, "--skip-invalid"]
    assert run("build", "--no-site", *common) == 0
    assert run("build", "--check", *common) == 0
    (out / "water-sharing.md").write_text("edited by hand\n", encoding="utf-8")
    (out / "stale.md").write_text("x", encoding="utf-8")
    capsys.readouterr()
    assert run("build", "--check", *common) == 1
    err = capsys.readouterr().err
    assert "water-sharing.md: out of date" in err and "run `briefings build`" in err
    assert "stale.md" not in err  # not ours: never reported or deleted


def test_build_writes_only_changed_files(tmp_path):
    out = tmp_path / "briefings"
    common = ["--seeds", FIXTURE / "seeds", "--topics", FIXTURE / "topics.yml", "--briefings", out, "--skip-invalid"]
    run("build", "--no-site", *common)
    before = {p.name: p.stat().st_mtime_ns for p in out.iterdir()}
    run("build", "--no-site", *common)
    assert {p.name: p.stat().st_mtime_ns for p in out.iterdir()} == before


def test_invalid_file_fails_the_build_unless_skipped(tmp_path, capsys):
    seeds = tmp_path / "seeds"
    shutil.copytree(FIXTURE / "seeds", seeds)
    (seeds / "broken.md").write_text("---\ntitle: Fine\npublished: 03/05/2024\n---\nBody text here.\n")
    common = ["--seeds", seeds, "--topics", FIXTURE / "topics.yml", "--briefings", tmp_path / "b"]
    assert run("build", "--no-site", *common) == 1
    err = capsys.readouterr().err
    assert "Error: broken.md:3: published '03/05/2024' is not an ISO 8601 date" in err
    assert not (tmp_path / "b").exists()
    assert run("build", "--no-site", "--skip-invalid", *common) == 0
    ledger = json.loads((tmp_path / "b" / "ledger.json").read_text())
    entry = next(e for e in ledger["files"] if e["path"] == "broken.md")
    assert entry["status"] == "rejected" and "ISO 8601" in entry["reason"]


def test_every_command_has_help():
    parser = cli.parser()
    sub = next(a for a in parser._actions if a.dest == "command")
    for name, p in sub.choices.items():
        assert p.description, name
        for action in p._actions:
            assert action.help, f"{name} {action.dest}"


def test_cache_option_fills_a_cache_and_changes_no_output(tmp_path):
    common = ["--seeds", FIXTURE / "seeds", "--topics", FIXTURE / "topics.yml", "--skip-invalid", "--no-site"]
    assert run("build", *common, "--briefings", tmp_path / "plain") == 0
    for _ in range(2):  # cold, then warm
        assert run("build", *common, "--briefings", tmp_path / "cached", "--cache", tmp_path / "cache") == 0
    assert list((tmp_path / "cache").glob("prepared-*/*.pickle"))
    assert committed(tmp_path / "cached") == committed(tmp_path / "plain")


def test_footnotes_are_numbered_in_reading_order(story, seeds):
    # the definitions follow the first citations, so the numbers a reader sees rise down the page
    for result in (story, seeds):
        for name, text in result.files.items():
            if not name.endswith(".md") or "[^" not in text:
                continue
            body, _, notes = text.partition("\n[^")
            defined = re.findall(r"^\[\^([^\]]+)\]:", "[^" + notes, flags=re.M)
            first_cited = list(dict.fromkeys(re.findall(r"\[\^([^\]]+)\](?!:)", body)))
            assert defined == first_cited, name


def test_golden_regenerates_every_committed_expected_output(tmp_path, monkeypatch):
    for part in ("seeds", "templates", "briefings", "tests/golden", "tests/fixtures/story"):
        shutil.copytree(ROOT / part, tmp_path / part)
    (tmp_path / "briefings" / "index.md").write_text("stale\n", encoding="utf-8")
    (tmp_path / "tests" / "golden" / "sources.md").unlink()
    (tmp_path / "templates" / "REFERENCE.md").write_text("stale\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert run("golden") == 0
    for part in ("briefings", "tests/golden"):
        assert committed(tmp_path / part) == committed(ROOT / part), part
    assert (tmp_path / "templates" / "REFERENCE.md").read_text(encoding="utf-8") == (
        ROOT / "templates" / "REFERENCE.md").read_text(encoding="utf-8")


def test_ledger_lists_a_time_stamp_taken_from_a_kept_line_and_the_caption_removed(tmp_path):
    seeds = tmp_path / "seeds"
    shutil.copytree(FIXTURE / "seeds", seeds)
    (seeds / "live.md").write_text(
        "---\ntitle: Treaty day, live\n---\n"
        "14:08 - The two governments signed the water treaty at the dam on Sunday, the ministry said.\n\n"
        "The two ministers shake hands in front of the old dam after the signing on Sunday. REUTERS/Jane Doe\n\n"
        "Under the treaty each country may draw a fixed quota of cubic metres from the river every month.\n",
        encoding="utf-8")
    result = pipeline.generate(pipeline.Inputs(seeds, FIXTURE / "topics.yml", ROOT / "templates"), DEFAULT,
                               skip_invalid=True)
    entry = next(e for e in ledger_of(result)["files"] if e["path"] == "live.md")
    assert entry["lines_removed"] == [{"line": 4, "reason": "live-blog time stamp", "text": "14:08 -"},
                                      {"line": 6, "reason": "photo caption"}]
    assert any(p.text.startswith("The two governments signed") for p in result.passages if p.article_id == "live")
    sources = "".join(text for name, text in result.files.items() if name.startswith("sources"))
    assert "1 line removed as boilerplate" in sources  # the caption; the line that lost its stamp is kept


def test_topics_command_lists_each_topics_passages_and_near_misses_with_the_terms_they_hit(tmp_path, capsys):
    """An editor tuning the topics file sees, per topic, the passages on it and nearly on it: file and line, the
    score against what the topic needs, the terms hit and the sentence that hits them, or that a passage is on it
    through its article alone."""
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "bridge.md").write_text(markdown_article("The river bridge", "Gazette", "2025-03-03", [
        "The old river bridge will close to heavy lorries from March, the mayor said on Monday.",
        "Engineers found cracks in two girders of the bridge during an inspection last autumn.",
        "Repairs to the bridge will take at least two years and cost four million euros.",
        "Lorries will be sent along the ring road, which adds eleven kilometres to the trip."]), encoding="utf-8")
    (seeds / "budget.md").write_text(markdown_article("The city budget", "Herald", "2025-03-03", [
        "The city's budget for next year puts more money into schools and the two libraries.",
        "Taxes on shops will rise by a tenth. Money for the old bridge was left for another year.",
        "The mayor said the budget would be voted on before the summer holidays begin."]), encoding="utf-8")
    topics = tmp_path / "topics.yml"
    topics.write_text("story: {title: Town, description: A town.}\ntopics:\n  - slug: bridge\n    title: The bridge\n"
                      "    description: The old river bridge.\n    terms: [bridge*]\n", encoding="utf-8")
    assert run("topics", "--seeds", seeds, "--topics", topics) == 0
    out = capsys.readouterr().out
    assert "bridge (The bridge): 4 passages; 1 nearly on it.\n  on it:\n" in out
    bridge, budget = ((seeds / name).read_text().split("\n") for name in ("bridge.md", "budget.md"))
    at = {text.split()[0]: n for n, text in enumerate(bridge, 1) if text}
    assert f"    {seeds.as_posix()}/bridge.md:{at['Engineers']}  score 1 (needs 1 in an article on the topic, 2 " \
           "elsewhere); terms: bridge*\n        Engineers found cracks" in out
    assert f"    {seeds.as_posix()}/bridge.md:{at['Lorries']}  through its article: no term of its own\n" \
           "        Lorries will be sent along the ring road" in out
    # the weakest passage first, then the near misses
    assert out.index("Lorries will be sent") < out.index("Engineers found") < out.index("  nearly on it:\n")
    line = next(n for n, text in enumerate(budget, 1) if "old bridge" in text)
    assert f"  nearly on it:\n    {seeds.as_posix()}/budget.md:{line}  score 1 (needs 1 in an article on the topic, " \
           "2 elsewhere); terms: bridge*\n        Money for the old bridge was left for another year." in out
    assert run("topics", "--seeds", seeds, "--topics", topics, "--limit", "1") == 0
    out = capsys.readouterr().out
    assert out.count("bridge.md:") == 1 and "bridge.md:" + str(at["Lorries"]) in out
    assert "    ... and 3 more (--limit 0 shows all)" in out
    assert run("topics", "--seeds", seeds, "--topics", topics, "--topic", "dams") == 1
    assert "no topic has the slug 'dams' (use one of: bridge)" in capsys.readouterr().err
    # an ignore phrase writes the budget's "old bridge" off, and the report says how often each phrase matched
    topics.write_text(topics.read_text(encoding="utf-8") + "    ignore: [old bridge was left, swing bridge]\n",
                      encoding="utf-8")
    assert run("topics", "--seeds", seeds, "--topics", topics) == 0
    out = capsys.readouterr().out
    assert "bridge (The bridge): 4 passages; 0 nearly on it.\n  ignore phrases wrote off: “old bridge was left” " \
           "1 time in 1 passage, “swing bridge” 0 times in 0 passages\n" in out
