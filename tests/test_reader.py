"""Bad input files: each gets one clear error naming file, line and fix, and nothing else is lost."""
from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings as hsettings, strategies as st

from generator import cli, prepare, reader
from generator.errors import Problem
from generator.settings import DEFAULT, Settings

from .helpers import FIXTURE, ROOT

FRONT = b'---\ntitle: "River dams"\noutlet: "Valley Gazette"\npublished: 2025-03-02\n---\n\n'
BODY = b"Engineers will inspect the three old dams on the river every spring this year.\n"


def write(folder: Path, name: str, data: bytes) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def problem_for(tmp_path: Path, name: str, data: bytes, settings: Settings = DEFAULT) -> Problem:
    """The one problem reading a folder holding just this file reports."""
    write(tmp_path / "seeds", name, data)
    result = prepare.read_folder(tmp_path / "seeds", settings)
    assert not result.articles, "the bad file was read as an article"
    assert len(result.problems) == 1, result.problems
    return result.problems[0]


def read_one(tmp_path: Path, name: str, data: bytes):
    path = write(tmp_path / "seeds", name, data)
    return reader.read_file(path, name, tmp_path / "seeds", DEFAULT)


# --- (6) size, (7) encodings, (8) empty and binary files ------------------------------------------------------

def test_file_over_the_size_cap_is_rejected_before_it_is_read(tmp_path, monkeypatch):
    small = Settings(max_file_bytes=1000)
    path = write(tmp_path / "seeds", "big.txt", b"word " * 1000)
    monkeypatch.setattr(Path, "open", lambda *a, **k: pytest.fail("opened a file over the cap"))
    with pytest.raises(reader.ArticleError) as err:
        reader.read_file(path, "big.txt", tmp_path / "seeds", small)
    assert str(err.value) == ("big.txt: is 5,000 bytes, over the 1,000-byte limit (max_file_bytes) "
                              "(split it or check that it is really an article)")


def test_a_file_that_grew_after_its_size_was_taken_is_read_whole_or_rejected(tmp_path, monkeypatch):
    """The bytes are read up to the size found, and on to the limit when there are more: a file that grew
    since is read whole while within the limit, and rejected past it."""
    small = Settings(max_file_bytes=1000)
    grown = write(tmp_path / "seeds", "grown.txt", b"word " * 180)
    big = write(tmp_path / "seeds", "big.txt", b"word " * 300)
    real_stat = Path.stat

    def stat_before_growing(self, **kwargs):
        info = real_stat(self, **kwargs)
        return os.stat_result((*info[:6], 100, *info[7:])) if self.name in ("grown.txt", "big.txt") else info

    monkeypatch.setattr(Path, "stat", stat_before_growing)
    assert reader.read_bytes(grown, "grown.txt", tmp_path / "seeds", small) == b"word " * 180
    with pytest.raises(reader.ArticleError) as err:
        reader.read_bytes(big, "big.txt", tmp_path / "seeds", small)
    assert "grew past the 1,000-byte limit" in str(err.value)


def test_cp1252_file_names_the_byte_and_line(tmp_path):
    p = problem_for(tmp_path, "a.txt", "Headline\n\nThe minister said \u201cyes\u201d.\n".encode("cp1252"))
    assert (p.line, p.message) == (3, "byte 0x93 at line 3 is not UTF-8 (the file looks like cp1252 or latin-1)")
    assert p.hint == "re-save the file as UTF-8"


def test_latin1_file_names_the_byte_and_line(tmp_path):
    p = problem_for(tmp_path, "a.md", FRONT + "Caf\xe9 owners inspect the dams.\n".encode("latin-1"))
    assert p.line == 7 and "byte 0xe9 at line 7" in p.message


@pytest.mark.parametrize("encoding, bom", [("utf-8", b"\xef\xbb\xbf"), ("utf-16-le", b"\xff\xfe"),
                                           ("utf-16-be", b"\xfe\xff")])
def test_utf8_bom_and_utf16_parse_like_plain_utf8(tmp_path, encoding, bom):
    text = (FRONT + BODY).decode().replace("\n", "\r\n")
    article = read_one(tmp_path, "a.md", bom + text.encode(encoding))
    plain = read_one(tmp_path / "plain", "a.md", FRONT + BODY)
    assert (article.title, article.published, article.paragraphs) == (plain.title, plain.published, plain.paragraphs)


@pytest.mark.parametrize("data, message", [
    (b"", "is empty"),
    (b"  \n\t\n \n", "holds only white space"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00", "is a binary file, not text"),
    ("Dams inspected\n".encode("utf-16-le"), "looks like UTF-16 text without a byte-order mark"),
])
def test_empty_whitespace_and_binary_files_are_distinct_errors(tmp_path, data, message):
    assert problem_for(tmp_path, "a.txt", data).message == message


# --- (9) front matter, (10) unsafe YAML, (11) types, (12) dates ---------------------------------------------

@pytest.mark.parametrize("data, line, message", [
    (b'---\ntitle: "Dams"\n\nEngineers inspect the dams.\n', 1, "front matter opened on line 1 is never closed"),
    (b"---\ntitle: !!python/object/apply:os.system ['echo hi']\n---\nBody text here.\n", 2,
     "front matter is not valid YAML: could not determine a constructor for the tag "
     "'tag:yaml.org,2002:python/object/apply:os.system'"),
    (b'---\nauthor: &a ["x", "x"]\ntitle: *a\n---\nBody.\n', 3,
     "front matter is not valid YAML: YAML aliases (*name) are not allowed in front matter"),
    (b"---\ntitle: One\ntitle: Two\n---\nBody.\n", 3, "front matter is not valid YAML: duplicate key 'title'"),
    (b"---\ntitle: yes\n---\nBody.\n", 2, "field 'title' must be text, not bool (True)"),
    (b"---\ntitle: 2024\n---\nBody.\n", 2, "field 'title' must be text, not int (2024)"),
    (b"---\noutlet: Gazette\ntitle: [a]\n---\nBody.\n", 3, "field 'title' must be text, not list (['a'])"),
    (b"---\npublished: 03/05/2024\n---\nBody.\n", 2, "published '03/05/2024' is not an ISO 8601 date"),
    (b"---\npublished: 2025-02-30\n---\nBody.\n", 2,
     "front matter holds a value YAML cannot build: day is out of range for month"),
    (b"---\npublished: 2025-02-24T17:30:00\n---\nBody.\n", 2, "published has a time but no UTC offset"),
    (b"---\nid: ../../x\n---\nBody.\n", 2, "unknown front matter field 'id'"),
    (b"---\n" + b"[" * 5000 + b"\n---\nBody.\n", 2, "front matter is nested too deeply"),
])
def test_front_matter_errors_name_the_line(tmp_path, data, line, message):
    p = problem_for(tmp_path, "a.md", data)
    assert (p.path, p.line, p.message) == ("a.md", line, message)
    assert p.hint


def test_billion_laughs_is_refused_at_its_first_alias(tmp_path):
    """Nine aliases a level, nine levels: refused on line 3, where the first alias stands, so nothing is expanded."""
    lol = b"---\na: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n" + b"".join(
        b"%c: &%c [*%c, *%c, *%c, *%c, *%c, *%c, *%c, *%c, *%c]\n" % ((ord("a") + i + 1,) * 2 + (ord("a") + i,) * 9)
        for i in range(8)) + b"---\nBody.\n"
    p = problem_for(tmp_path, "a.md", lol)
    assert "aliases" in p.message and p.line == 3


def test_unterminated_front_matter_is_never_read_as_body(tmp_path):
    with pytest.raises(reader.ArticleError):
        read_one(tmp_path, "a.txt", b"---\ntitle: Dams\nEngineers inspect the dams every spring, officials said.\n")


@pytest.mark.parametrize("value, published", [("2025-02-24", "2025-02-24"), ("'2025-02-24'", "2025-02-24"),
                                              ("2025-02-24T23:30:00-05:00", "2025-02-24"),
                                              ("2025-02-24T17:30:00Z", "2025-02-24"),
                                              ("'2025-02-24T17:30:00+01:00'", "2025-02-24")])
def test_iso_dates_and_datetimes_with_offset_are_accepted(tmp_path, value, published):
    article = read_one(tmp_path, "a.md", b"---\npublished: %s\n---\n\n" % value.encode() + BODY)
    assert article.published == published


# --- (13) urls ----------------------------------------------------------------------------------------------

@pytest.mark.parametrize("url, message", [
    ("javascript:alert(1)", "url 'javascript:alert(1)' is not an http(s) address"),
    ("JaVaScRiPt:alert(1)", "url 'JaVaScRiPt:alert(1)' is not an http(s) address"),
    ("data:text/html,<script>x</script>", "url 'data:text/html,<script>x</script>' is not an http(s) address"),
    ("//evil.example/x", "url '//evil.example/x' is not an http(s) address"),
    ('"java\\tscript:alert(1)"', "url contains spaces or control characters"),
    ("https://u:p@host.example/", "url carries a user name or password"),
    ("https://[::1", "url is malformed: Invalid IPv6 URL"),
])
def test_unsafe_urls_are_rejected(tmp_path, url, message):
    p = problem_for(tmp_path, "a.md", b"---\ntitle: Dams\nurl: %s\n---\n\n" % url.encode() + BODY)
    assert (p.line, p.message) == (3, message)


# --- (14) links out of the folder, (15) clashing ids ----------------------------------------------------------

def test_links_out_of_the_seeds_folder_are_rejected_and_not_read(tmp_path):
    outside = tmp_path / "outside"
    write(outside, "secret.txt", b"Secret dams inspected by engineers every spring.\n")
    seeds = tmp_path / "seeds"
    write(seeds, "ok.txt", b"Dams\n\n" + BODY)
    (seeds / "file.txt").symlink_to(outside / "secret.txt")
    (seeds / "folder").symlink_to(outside, target_is_directory=True)
    (seeds / "dangling.txt").symlink_to(tmp_path / "missing.txt")
    result = prepare.read_folder(seeds, DEFAULT)
    assert [a.path for a in result.articles] == ["ok.txt"]
    assert [str(p) for p in result.problems] == [
        "dangling.txt: is a link to a file outside the seeds folder, which is never followed "
        "(copy the file into the seeds folder instead of linking to it)",
        "file.txt: is a link to a file outside the seeds folder, which is never followed "
        "(copy the file into the seeds folder instead of linking to it)",
        "folder: is a link to a folder outside the seeds folder, which is never followed "
        "(copy the folder into the seeds folder instead of linking to it)"]


@pytest.mark.parametrize("first, second", [("dams.md", "dams.txt"), ("Dams.txt", "dams.txt"),
                                           ("a--b.txt", "a/b.txt")])
def test_two_files_with_one_id_are_an_error_naming_both(tmp_path, first, second):
    seeds = tmp_path / "seeds"
    write(seeds, first, FRONT + BODY)
    write(seeds, second, FRONT + BODY)
    result = prepare.read_folder(seeds, DEFAULT)
    assert len(result.articles) == 1 and len(result.problems) == 1
    p = result.problems[0]
    assert str(p) == (f"{second}: gives the same article id {reader.article_id(second)!r} as {first} (rename {second} "
                      f"or {first}: ids must differ beyond case, accents and Unicode normalisation)")


def test_names_differing_only_in_unicode_normalisation_are_both_refused(tmp_path):
    seeds = tmp_path / "seeds"
    write(seeds, "caf\u00e9.txt", b"Dams\n\n" + BODY)
    write(seeds, "cafe\u0301.txt", b"Dams\n\n" + BODY)
    result = prepare.read_folder(seeds, DEFAULT)
    assert not result.articles
    assert [p.message for p in result.problems] == [
        "file name gives the id 'cafe\u0301', which is not a plain name: '\u0301' (U+0301) not allowed",
        "gives the same article id 'caf\u00e9' as cafe\u0301.txt"]


# --- through the command line: errors collected, --skip-invalid lists them ------------------------------------

def _story(tmp_path: Path) -> list[str]:
    seeds = tmp_path / "seeds"
    shutil.copytree(FIXTURE / "seeds", seeds)
    return ["--seeds", str(seeds), "--topics", str(FIXTURE / "topics.yml"), "--templates", str(ROOT / "templates"),
            "--briefings", str(tmp_path / "briefings"), "--site", str(tmp_path / "site"),
            "--config", str(ROOT / "mkdocs.yml")]


def test_default_build_reports_every_bad_file_and_writes_nothing(tmp_path, capsys):
    args = _story(tmp_path)
    write(tmp_path / "seeds", "bad-date.md", b"---\npublished: 03/05/2024\n---\n\n" + BODY)
    write(tmp_path / "seeds", "bad-title.md", b"---\ntitle: yes\n---\n\n" + BODY)
    write(tmp_path / "seeds", "empty.txt", b"")
    assert cli.main(["build", "--no-site", *args]) == 1
    err = capsys.readouterr().err.splitlines()
    assert err == [
        "Error: bad-date.md:2: published '03/05/2024' is not an ISO 8601 date "
        "(write the date as YYYY-MM-DD, e.g. 2025-02-24)",
        "Error: bad-title.md:2: field 'title' must be text, not bool (True) (put the value in quotes: title: \"...\")",
        "Error: empty.txt: is empty (add the article text or remove the file)"]
    assert not (tmp_path / "briefings").exists()


def test_skip_invalid_builds_the_rest_and_lists_the_rejected(tmp_path, capsys):
    args = _story(tmp_path)
    write(tmp_path / "seeds", "bad-date.md", b"---\npublished: 03/05/2024\n---\n\n" + BODY)
    assert cli.main(["build", "--no-site", "--skip-invalid", *args]) == 0
    ledger = json.loads((tmp_path / "briefings" / "ledger.json").read_text(encoding="utf-8"))
    entry = next(f for f in ledger["files"] if f["path"] == "bad-date.md")
    assert entry["status"] == "rejected"
    assert entry["reason"] == ("line 2: published '03/05/2024' is not an ISO 8601 date "
                               "(write the date as YYYY-MM-DD, e.g. 2025-02-24)")
    sources = (tmp_path / "briefings" / "sources.md").read_text(encoding="utf-8")
    assert "published '03/05/2024' is not an ISO 8601 date" in sources
    assert "Rejected: bad-date.md:2: published" in capsys.readouterr().out


# --- (5) fuzz: the only exception out of read_file is ArticleError ------------------------------------------

FUZZ_EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "60"))
YAMLISH = st.lists(st.sampled_from(["---", "...", "title:", "url:", "published:", " ", "\n", "&a", "*a", "!!", "[",
                                    "]", "{", "}", "'", '"', "-", ":", "?", "|", ">", "2025-02-30", "2025-02-24T17:30",
                                    "!!binary", "!!python/name:os.system", "<<:", "\t", "#", "\x00", "\ufeff", "%YAML",
                                    "\r", "é", "\ud7ff", "1e999", "0x", "null", "~"]), max_size=40).map("".join)


@hsettings(max_examples=FUZZ_EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.one_of(st.binary(max_size=400), YAMLISH.map(lambda s: s.encode("utf-8", "surrogatepass")),
                      YAMLISH.map(lambda s: ("---\n" + s + "\n---\nBody text.\n").encode("utf-8", "surrogatepass"))),
       suffix=st.sampled_from([".md", ".txt"]))
def test_fuzz_read_file_raises_only_article_errors(tmp_path_factory, data, suffix):
    folder = tmp_path_factory.mktemp("fuzz")
    path = folder / f"a{suffix}"
    path.write_bytes(data)
    try:
        article = reader.read_file(path, path.name, folder, DEFAULT)
    except reader.ArticleError as err:
        assert err.problem.path == path.name and err.problem.message
        return
    assert (article.id, article.path) == ("a", path.name)
    assert all(p.line >= 1 and p.text == " ".join(p.text.split()) and p.text for p in article.paragraphs)


def test_hidden_and_foreign_files_are_listed_as_rejected_not_skipped(tmp_path):
    (tmp_path / ".draft.txt").write_text("A hidden draft of an article, never published anywhere.\n")
    (tmp_path / "photo.jpg").write_bytes(b"\xff\xd8\xff")
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "config").write_text("[core]\n")
    result = prepare.read_folder(tmp_path, DEFAULT)
    assert {r.path: r.reason.split(":")[0] for r in result.rejected} == {
        ".draft.txt": "hidden file", "photo.jpg": "not an article file"}
    assert not result.articles and not result.problems


@given(st.lists(st.tuples(st.sampled_from(["title", "outlet", "url", "published", "Title", "x-y"]),
                          st.text(max_size=30)), max_size=4))
def test_plain_front_matter_reads_as_yaml_does(fields):
    # the fast path for `key: "text"` lines must give exactly what the YAML parser gives, or step aside
    import yaml
    lines = [f'{key}: "{value}"' for key, value in fields]
    fast = reader._plain_fields(lines)
    if fast is not None:
        assert fast == yaml.safe_load("\n".join(lines)) or (fast == {} and not lines)


@pytest.mark.parametrize("line, outlet", [
    ("KIEV (Reuters) - Ukraine's parliament voted on Tuesday to dismiss the government.", "Reuters"),
    ("MOSCOW, March 3 (AFP) - Russia's upper house approved the use of force in Ukraine.", "AFP"),
    ("Read the article on the Newsweek website", "Newsweek"),
    ("For more updates on this developing story, visit Daljoog News.", "Daljoog News"),
    ("This article originally appeared on The Conversation.", "The Conversation"),
    ("© 2014 Associated Press. All rights reserved.", "Associated Press"),
])
def test_an_outlet_the_text_states_is_taken_and_its_line_noted(tmp_path, line, outlet):
    body = ("The parliament met late into the night to debate the budget for the coming year.\n\n" * 3).encode()
    for name, data in (("pasted.txt", line.encode() + b"\n\n" + body), ("front.md", b"---\ntitle: T\n---\n" + body
                                                                           + b"\n" + line.encode() + b"\n")):
        article = read_one(tmp_path, name, data)
        assert article.outlet == outlet, name
        stated = next(p.line for p in article.paragraphs if p.text == line)
        assert f"outlet from line {stated}" in article.notes


def test_a_plain_news_sentence_names_no_outlet(tmp_path):
    article = read_one(tmp_path, "plain.txt", b"WASHINGTON - The Senate met on Tuesday (in the evening) to vote.\n\n"
                       + BODY)
    assert article.outlet is None and "outlet not found" in article.notes


def test_a_long_headline_in_headline_case_is_the_title_not_a_passage(tmp_path):
    headline = "Report: White House Asked Bill Clinton to Urge Sestak to Drop Out of Senate Race"  # 15 words
    article = read_one(tmp_path, "pasted.txt", f"Lakeside Herald\n{headline}\n\n".encode() + BODY)
    assert (article.outlet, article.title) == ("Lakeside Herald", headline)
    assert "outlet from line 1" in article.notes and "title from line 2" in article.notes
    # as long a line in sentence case, without a full stop, is news, not a heading
    line = "The White House asked Bill Clinton to urge Joe Sestak to drop out of the Senate race in May"
    assert not reader.is_heading(line, DEFAULT) and reader.is_heading(headline, DEFAULT)


def test_a_headline_in_sentence_case_under_the_outlets_name_is_the_title(tmp_path):
    # basil-dev: "The Evening Star" was taken for the title, and the headline became a passage (and a wording)
    headline = "Holder says he understands mistrust of police as Ferguson protests dwindle"
    article = read_one(tmp_path, "pasted.txt", f"The Evening Star\n{headline}\n\n".encode() + BODY)
    assert (article.outlet, article.title) == ("The Evening Star", headline)
    assert "outlet from line 1" in article.notes and "title from line 2" in article.notes
    # a lede under a short first line ends with a full stop: it stays news, and the first line the title
    lede = "Holder said on Wednesday that he understands why many black Americans distrust the police."
    article = read_one(tmp_path, "lede.txt", f"Ferguson visit\n{lede}\n\n".encode() + BODY)
    assert (article.outlet, article.title) == (None, "Ferguson visit")
    # a section label over the headline is not the outlet
    article = read_one(tmp_path, "section.txt", f"Opinion\n{headline}\n\n".encode() + BODY)
    assert (article.outlet, article.title) == (None, headline)


def test_a_question_in_headline_case_is_a_subhead_and_one_in_sentence_case_is_news():
    # seeds/003: "A Path Toward Peace or More Diplomatic Deadlock?" was kept as a passage of the briefing
    for subhead in ("A Path Toward Peace or More Diplomatic Deadlock?", "What Comes Next for Kyiv?"):
        assert reader.is_heading(subhead, DEFAULT), subhead
    for sentence in ("Will the truce hold?", "Can Europe deter Russia without the United States?",
                     "“Why Should Ukraine Pay?” Zelensky asked the reporters on Tuesday in Kyiv, and left.", "Why?"):
        assert not reader.is_heading(sentence, DEFAULT), sentence


def test_a_list_mark_glued_to_its_first_word_is_taken_off_and_a_hyphenated_start_is_kept(tmp_path):
    # basil-dev (HuffPost): "-His opponent's campaign admits ..." was shown as "\-His opponent's ..."
    data = (b"Blumenthal statement\n\n"
            b"-His opponent's campaign admits they are the ones who cherry-picked the quotes for the piece.\n\n"
            b"\xe2\x80\xa2\xe2\x80\x9cWe stand by the story,\xe2\x80\x9d the editor said in a statement on Tuesday.\n\n"
            b"- The campaign said it would not comment on the report until the weekend.\n\n"
            b"-5 degrees was the coldest reading of the winter in the city, the weather service said.\n\n"
            b"e-mails show the aides discussed the talking points before the hearing began.\n")
    texts = [p.text for p in read_one(tmp_path, "pasted.txt", data).paragraphs]
    assert "His opponent's campaign admits they are the ones who cherry-picked the quotes for the piece." in texts
    assert "“We stand by the story,” the editor said in a statement on Tuesday." in texts
    assert "The campaign said it would not comment on the report until the weekend." in texts
    assert "-5 degrees was the coldest reading of the winter in the city, the weather service said." in texts
    assert "e-mails show the aides discussed the talking points before the hearing began." in texts


@pytest.mark.parametrize("line, date", [
    ("Posted on 2025-02-24 by the desk", "2025-02-24"),
    ("Washington, February 24, 2025 - Leaders met.", "2025-02-24"),
    ("Updated Feb. 3 2019 at noon", "2019-02-03"),
    ("KYIV, 24 February 2025 (Reuters) -", "2025-02-24"),
    ("Filed 2025-02-30, corrected March 1, 2025", "2025-03-01"),  # no 30 February: the next date stated
    ("At 20:19 on Monday, 1,920 troops arrived", None),  # figures, no year with a day and month
    ("The summit opened on Monday.", None),
])
def test_a_pasted_article_s_date_is_the_first_whole_date_it_states(line, date):
    assert reader.find_date(line) == date
