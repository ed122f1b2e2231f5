"""The real MkDocs build (strict) succeeds, and every footnote in it resolves to a real seed file."""
import re
import subprocess
import sys
from html.parser import HTMLParser

import pytest

from .helpers import ROOT

SEED_FILES = {p.name for p in (ROOT / "seeds").iterdir()}


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    out = tmp_path_factory.mktemp("site")
    proc = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(ROOT / "mkdocs.yml"),
                           "-d", str(out)], capture_output=True, text=True, cwd=ROOT)
    assert proc.returncode == 0, proc.stderr
    return out


class Footnotes(HTMLParser):
    """Collects footnote references (href targets) and footnote bodies (id -> text)."""

    def __init__(self):
        super().__init__()
        self.refs, self.notes, self._open = [], {}, []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "a" and (a.get("href") or "").startswith("#fn:") and "footnote-ref" in (a.get("class") or ""):
            self.refs.append(a["href"][1:])
        if tag == "li" and (a.get("id") or "").startswith("fn:"):
            self._open.append(a["id"])
            self.notes[a["id"]] = ""

    def handle_endtag(self, tag):
        if tag == "li" and self._open:
            self._open.pop()

    def handle_data(self, data):
        for note in self._open:
            self.notes[note] += data


def test_strict_build_makes_every_page(site):
    for page in ["index.html", "sources/index.html", "security-guarantees/index.html",
                 "peacekeeping-force/index.html", "un-vote/index.html", "minerals-deal/index.html",
                 "ledger.json"]:
        assert (site / page).is_file(), page


def test_every_footnote_resolves_to_a_real_seed_file(site):
    total = 0
    for page in site.rglob("*.html"):
        parser = Footnotes()
        parser.feed(page.read_text(encoding="utf-8"))
        for ref in parser.refs:
            assert ref in parser.notes, f"{page}: {ref} has no footnote"
            named = set(re.findall(r"[\w.-]+\.(?:txt|md)", parser.notes[ref])) & SEED_FILES
            assert named, f"{page}: footnote {ref} names no seed file"
            total += 1
    assert total > 20


def test_a_link_to_a_missing_source_entry_fails_the_build(tmp_path):
    # strict MkDocs with anchor validation: a footnote can never point at an entry that is not there
    from generator import output, pipeline
    from generator.errors import GeneratorError
    from generator.settings import DEFAULT
    inputs = pipeline.Inputs(ROOT / "tests" / "fixtures" / "story" / "seeds",
                             ROOT / "tests" / "fixtures" / "story" / "topics.yml", ROOT / "templates")
    result = pipeline.generate(inputs, DEFAULT, skip_invalid=True)
    files = dict(result.files)
    page = next(name for name, text in files.items() if "(sources.md#gazette-treaty)" in text and name != "sources.md")
    output.publish(ROOT / "mkdocs.yml", tmp_path / "good", files, tmp_path / "good-site", [], "Story")
    files[page] = files[page].replace("(sources.md#gazette-treaty)", "(sources.md#no-such-entry)")
    with pytest.raises(GeneratorError):
        output.publish(ROOT / "mkdocs.yml", tmp_path / "bad", files, tmp_path / "bad-site", [], "Story")
    assert not (tmp_path / "bad-site").exists()


class KeyPointBlocks(HTMLParser):
    """For the Key points list: each item's text, and the titles of the collapsible blocks inside it; and
    how many lists the section has (a block outside an item splits the list)."""

    def __init__(self):
        super().__init__()
        self.items: list[tuple[str, list[str]]] = []
        self.lists = 0
        self._section = self._summary = False
        self._depth = 0  # open <li> of the key points list

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "h2":
            self._section = a.get("id") == "key-points"
        elif self._section and tag == "ul" and not self._depth:
            self.lists += 1
        elif self._section and tag == "li" and not self._depth:
            self._depth = 1
            self.items.append(("", []))
        elif self._depth and tag == "summary":
            self._summary = True
            self.items[-1][1].append("")

    def handle_endtag(self, tag):
        if tag == "li" and self._depth:
            self._depth = 0
        elif tag == "summary":
            self._summary = False

    def handle_data(self, data):
        if self._summary:
            self.items[-1][1][-1] += data
        elif self._depth:
            self.items[-1] = (self.items[-1][0] + data, self.items[-1][1])


def test_a_key_points_other_wordings_are_inside_its_list_item(site):
    # the seeds' two claims of 003 and 004 each lead a key point of the peacekeeping-force page
    page = KeyPointBlocks()
    page.feed((site / "peacekeeping-force" / "index.html").read_text(encoding="utf-8"))
    assert page.lists == 1, "a block outside its list item splits the key points into several lists"
    with_blocks = [(text, titles) for text, titles in page.items if titles]
    assert len(with_blocks) == 2
    for text, titles in with_blocks:
        assert "(2 outlets)" in text and titles == ["2 outlets: 1 other wording"]


def test_a_footnote_has_one_back_link_to_its_first_citation(site):
    # 003's footnote is cited by every passage of it on the page: one "↩" per citation was a row of 16
    html = (site / "security-guarantees" / "index.html").read_text(encoding="utf-8")
    notes = re.findall(r'<li id="fn:([^"]+)">(.*?)</li>', html, flags=re.S)
    assert notes
    for label, body in notes:
        assert re.findall(r'class="footnote-backref" href="#([^"]+)"', body) == [f"fnref:{label}"], label
        assert f'id="fnref:{label}"' in html
    assert html.count('id="fnref2:003_3ead7e23d2ba6687"') == 1  # later citations keep their own anchors
