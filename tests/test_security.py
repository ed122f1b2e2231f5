"""Article text is text: escaped Markdown renders as exactly that text, and the built pages stay inert."""
from __future__ import annotations

import os
import string
import unicodedata
from html.parser import HTMLParser

import markdown
import pytest
import yaml
from hypothesis import example, given, settings as hsettings, strategies as st

from generator import htmlcheck
from generator.errors import GeneratorError
from generator.escape import md_text, md_url
from generator.render import opening

from .helpers import ROOT

CONFIG = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=yaml.BaseLoader)
# Extensions that neither read files nor run code nor let text set attributes or raw HTML.
ALLOWED_EXTENSIONS = {"footnotes", "tables", "toc", "abbr", "def_list", "sane_lists", "smarty", "admonition",
                      "pymdownx.details",
                      "generator.markdown_speed",  # ours: the same HTML, faster (tests/test_markdown_speed.py)
                      "generator.footnote_backlink"}  # ours: one back-link per footnote (tests/test_site.py)


def _extensions() -> tuple[list[str], dict]:
    names, configs = [], {}
    for entry in CONFIG["markdown_extensions"]:
        name, conf = next(iter(entry.items())) if isinstance(entry, dict) else (entry, {})
        names.append(name)
        configs[name] = {k: (v == "true" if v in ("true", "false") else v) for k, v in (conf or {}).items()}
    return names, configs


EXTENSIONS, EXTENSION_CONFIGS = _extensions()


def test_mkdocs_extensions_are_on_the_allow_list():
    forbidden = {"pymdownx.snippets", "md_in_html", "attr_list", "macros", "pymdownx.superfences",
                 "pymdownx.arithmatex", "markdown_include.include", "pymdownx.emoji", "pymdownx.magiclink"}
    assert not set(EXTENSIONS) & forbidden
    assert set(EXTENSIONS) <= ALLOWED_EXTENSIONS, "add an extension only after checking it cannot read files or run code"
    plugins = {p if isinstance(p, str) else next(iter(p)) for p in CONFIG.get("plugins", [])}
    assert plugins <= {"search"}, "plugins such as macros run code on page text"


# --- what md_text promises -------------------------------------------------------------------------------

BIDI = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f"
CONTROLS = "".join(chr(c) for c in [*range(32), 127, *range(0x80, 0xA0)])
EMOJI = ["\U0001F600", "\U0001F44D\U0001F3FD", "\U0001F1FA\U0001F1E6", "\U0001F468\u200d\U0001F469", "\u2764\ufe0f"]
PIECES = ["[TOC]", "///Footnotes Go Here///", "[^1]", "[^1]: x", "](javascript:alert(1))", "<script>", "&#58;",
          "&amp;", "{: .x }", "--8<--", "{{ 7*7 }}", "{% raw %}", "1986.", "    ", "\n", "  \n", "!!!", "???",
          "{++", "++}", "***", "---", "===", "* ", "+ ", "> ", "# ", "##", "| a |", ":", "`", "\\"]
ALPHABET = string.punctuation + string.ascii_letters + string.digits + " " + CONTROLS + BIDI
TEXT = st.lists(st.one_of(st.text(alphabet=ALPHABET, max_size=12), st.sampled_from(EMOJI), st.sampled_from(PIECES)),
                max_size=12).map("".join)
_SHOWN_AS_CODE = set(BIDI[:9])  # embeddings, overrides and isolates would reorder the page around them


def normalised(text: str) -> str:
    """The documented form: white space runs become one space; control and bidi-control characters show as U+XXXX."""
    out = []
    for ch in text:
        if ch.isspace():
            out.append(" ")
        elif unicodedata.category(ch) == "Cc" or ch in _SHOWN_AS_CODE:
            out.append(f"U+{ord(ch):04X}")
        else:
            out.append(ch)
    return " ".join("".join(out).split())


class Tree(HTMLParser):
    """Every start tag with its attributes, and the text inside each element of interest."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, tuple]] = []
        self.stack: list[tuple[str, dict]] = []
        self.text: list[tuple[tuple, str]] = []
        self.comments = 0

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, tuple(attrs)))
        if tag not in ("hr", "br", "img", "input", "meta", "link"):
            self.stack.append((tag, dict(attrs)))

    def handle_endtag(self, tag):
        while self.stack and self.stack.pop()[0] != tag:
            pass

    def handle_data(self, data):
        self.text.append((tuple(self.stack), data))

    def handle_comment(self, data):
        self.comments += 1

    def inside(self, tag: str, **attrs) -> str:
        """Text within `tag` (with these attributes), leaving out any link our wrapper adds."""
        def match(el):
            return el[0] == tag and all(el[1].get(k) == v for k, v in attrs.items())
        return "".join(d for stack, d in self.text if any(match(el) for el in stack)
                       and not any(el[0] == "a" for el in stack))


# Each wrapper puts the text where a template puts it, and names the element that must show it.
WRAPPERS = {
    "paragraph": ("{}\n", ("p", {})),
    "list item": ("Intro\n\n- {}\n", ("li", {})),
    "table cell": ("| Reason | Status |\n|---|---|\n| {} | used |\n", ("td", {})),
    "footnote": ("Quoted.[^src1]\n\n[^src1]: {} Seed file [a.txt](sources.md#a).\n", ("li", {"id": "fn:src1"})),
    "heading": ("### {}\n", ("h3", {})),
    "collapsible": ('??? quote "Other wordings"\n    {}\n', ("p", {})),
    "collapsible under a key point": ('- Point.\n\n    ??? quote "Other wordings"\n        {}\n', ("details", {})),
    # claim.md.j2 names a passage's sentence in the title: its opening words, in quotation marks
    "collapsible title": ('??? quote "“{}” is stated by 2 outlets"\n    Body.\n', ("summary", {})),
}


def render(doc: str) -> str:
    """Markdown to HTML with the site's real extension list."""
    return markdown.markdown(doc, extensions=EXTENSIONS, extension_configs=EXTENSION_CONFIGS)


def _shape(tags, context: str):
    """Tags with attributes; heading ids and their permalinks are derived from the text, so only their form counts."""
    out = []
    for tag, attrs in tags:
        if context == "heading":
            attrs = tuple((k, "#ID" if k == "href" and v.startswith("#") else "ID" if k == "id" else v)
                          for k, v in attrs)
        out.append((tag, attrs))
    return out


@pytest.mark.parametrize("context", sorted(WRAPPERS))
@hsettings(max_examples=int(os.environ.get("ESCAPE_EXAMPLES", "150")), deadline=None)
@given(text=TEXT)
@example(text="[TOC]")
@example(text="///Footnotes Go Here///")
@example(text="Title ##")
@example(text="&#0")  # a character reference without its ";", which browsers read as one
@example(text="&copy 2025")
@example(text="a  b\t\tc")
@example(text="<img src=x onerror=alert(1)>")
@example(text="![x](javascript:alert(1)) [c](JaVaScRiPt:alert(1)) javascript&#58;alert(1)")
@example(text="[^1]: injected [src1]: https://evil.example")
@example(text='!!! warning "Injected"')
@example(text='??? note "Injected"')
@example(text="???+ note")
def test_escaped_text_renders_as_that_text_and_nothing_else(context, text):
    template, (tag, attrs) = WRAPPERS[context]
    if context == "collapsible title":
        text = opening(text, words=10**6)  # as the template prints it: one line
    expected = normalised(text)
    got = Tree()
    got.feed(render(template.format(md_text(text))))
    blank = Tree()
    blank.feed(render(template.format("X")))
    if expected:
        assert _shape(got.tags, context) == _shape(blank.tags, context), "text added or removed markup"
    assert not {t for t, _ in got.tags} & {"a", "img", "script", "code", "em", "strong"} - {
        t for t, _ in blank.tags}
    assert got.comments == 0
    shown = got.inside(tag, **attrs)
    if context == "table cell":
        shown = shown.strip().removesuffix("used")
    if context == "footnote":
        shown = shown.strip().removesuffix("Seed file .")
    if context == "collapsible title":
        shown = shown.removeprefix("“").removesuffix("” is stated by 2 outlets")
    if context == "collapsible under a key point":
        shown = shown.strip().removeprefix("Other wordings")
    assert shown.strip() == expected


def test_escaping_leaves_plain_prose_readable():
    assert md_text("Talks resume on 24 February, officials said.") == "Talks resume on 24 February, officials said."
    assert md_text("1986. A year") == "1986\\. A year"
    assert md_text("# not a heading") == "\\# not a heading"


@pytest.mark.parametrize("url", ["javascript:alert(1)", "JaVaScRiPt:alert(1)", "data:text/html,x", "//evil.example/x",
                                 "ftp://x.example/"])
def test_md_url_refuses_other_schemes(url):
    with pytest.raises(ValueError):
        md_url(url)


def test_md_url_encodes_brackets_and_parentheses_into_one_link():
    link = md_url("https://e.com/a)(x)")
    assert link == "https://e.com/a%29%28x%29"
    page = render(f"See <{link}>.")
    assert page.count("<a ") == 1 and 'href="https://e.com/a%29%28x%29"' in page


# --- the check over built pages ----------------------------------------------------------------------------

def _page(content: str) -> str:
    return (f'<html><head><script src="assets/x.js"></script></head><body><nav><a href="javascript:void 0">x</a>'
            f'</nav><article class="md-content__inner md-typeset">{content}</article><script>ok()</script></body></html>')


@pytest.mark.parametrize("content", [
    "<script>alert(1)</script>", "<iframe src='https://x.example'></iframe>", "<form action='/x'></form>",
    "<style>p{}</style>", "<meta http-equiv='refresh'>", "<base href='https://evil.example/'>",
    "<p onclick='x()'>t</p>", "<p ONMOUSEOVER='x()'>t</p>", "<p style='color:red'>t</p>",
    "<a href='javascript:alert(1)'>t</a>", "<a href=' JaVaScRiPt:alert(1)'>t</a>", "<img src='data:image/png,x'>",
    "<a href='java\tscript:x'>t</a>", "<form><button formaction='vbscript:x'>b</button></form>",
])
def test_htmlcheck_refuses_active_content(content):
    problems = htmlcheck.check_page(_page(content), "topic/index.html")
    assert problems and all(p.path == "topic/index.html" and p.line for p in problems)


@pytest.mark.parametrize("content", [
    "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>", "<a href='https://e.com/a'>x</a>", "<a href='../sources/#a'>x</a>",
    "<a href='#fn:1'>x</a>", "<a href='mailto:desk@e.com'>x</a>", "<img src='../img/x.png' alt=''>",
    "<a href='http://e.com'>x</a>",
])
def test_htmlcheck_accepts_plain_content_and_theme_scripts(content):
    assert htmlcheck.check_page(_page(content), "index.html") == []


def test_htmlcheck_looks_only_at_the_content_area():
    assert htmlcheck.check_page("<html><body><script>x()</script></body></html>", "404.html") == []


def test_check_site_names_every_bad_page(tmp_path):
    (tmp_path / "good").mkdir()
    (tmp_path / "good" / "index.html").write_text(_page("<p>fine</p>"), encoding="utf-8")
    (tmp_path / "bad").mkdir()
    (tmp_path / "bad" / "index.html").write_text(_page("<p onclick='x()'>t</p>"), encoding="utf-8")
    with pytest.raises(GeneratorError) as err:
        htmlcheck.check_site(tmp_path)
    assert [p.path for p in err.value.problems] == ["bad/index.html"]


def test_check_site_on_several_cores_names_the_same_pages_in_the_same_order(tmp_path, monkeypatch, alone):
    for n in range(12):
        (tmp_path / f"p{n:02d}").mkdir()
        body = "<p onclick='x()'>t</p><script>y()</script>" if n % 3 == 0 else "<p>fine</p>"
        (tmp_path / f"p{n:02d}" / "index.html").write_text(_page(body), encoding="utf-8")
    monkeypatch.setattr(htmlcheck, "PARALLEL_MIN_BYTES", 0)
    found = {}
    for cores in (1, 2):
        with pytest.raises(GeneratorError) as err:
            htmlcheck.check_site(tmp_path, skip=frozenset({"p03/index.html"}), cores=cores)
        found[cores] = [(p.path, p.message) for p in err.value.problems]
    assert found[2] == found[1]
    assert [path for path, _ in found[2]][::2] == ["p00/index.html", "p06/index.html", "p09/index.html"]


# --- hostile article text through the real build ---------------------------------------------------------

HOSTILE = {
    "html": ["<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "<!-- hidden -->"],
    "links": ["[c](javascript:alert(1))", "[c](JaVaScRiPt:alert(1))", "javascript&#58;alert(1)",
              "![x](javascript:alert(1))"],
    "references": ["[^1]: injected", "[src1]: https://evil.example", "[^gazette-treaty]: forged"],
    "attributes": ['{: onclick="x" }', "{: style=color:red }", '--8<-- ".git/config"', "{{ 7*7 }}", "{% raw %}"],
    # `# ` and `* ` followed by a space at a line start are read as the article's own heading or bullet (pasted
    # pages carry them); these forms are not, and must come out literally.
    "syntax": ["*star*", "_under_", "#hashtag", "#1", "| a | b |", "> quote", "1986. year", "---", "!!! note", "??? tip",
               "{++ added ++}", "    indented code"],
}
# One paragraph per payload, each on the dam-safety topic so it is printed on that page.
HOSTILE_BODY = "\n\n".join(f"{p} The dam inspection report {i} for {group} was published on Monday."
                           for group, payloads in HOSTILE.items() for i, p in enumerate(payloads))
BRACKETS = "The dam inspection teams logged " + "[" * 20000 + "]" * 20000 + " during the spillway checks."


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory):
    import shutil
    from generator import cli

    from .helpers import FIXTURE

    tmp = tmp_path_factory.mktemp("hostile")
    seeds = tmp / "seeds"
    shutil.copytree(FIXTURE / "seeds", seeds)
    (seeds / "hostile.md").write_text(
        '---\ntitle: "<b>Bold</b> [x](javascript:alert(1)) {{ 7*7 }} #"\noutlet: "Evil & Co <i>"\n'
        'published: 2025-03-05\nurl: "https://e.com/a)(x)"\n---\n\n' + HOSTILE_BODY + "\n", encoding="utf-8")
    (seeds / "brackets.txt").write_text(f"Brackets\n\n{BRACKETS}\n", encoding="utf-8")
    code = cli.main(["build", "--seeds", str(seeds), "--topics", str(FIXTURE / "topics.yml"),
                     "--templates", str(ROOT / "templates"), "--briefings", str(tmp / "briefings"),
                     "--site", str(tmp / "site"), "--config", str(ROOT / "mkdocs.yml"), "--skip-invalid"])
    assert code == 0
    return tmp / "site"


def _content(page) -> Tree:
    tree = Tree()
    text = page.read_text(encoding="utf-8")
    start = text.index('<article class="md-content__inner')
    tree.feed(text[start:text.index("</article>", start)])
    return tree


def test_hostile_text_is_shown_as_text_on_the_built_page(hostile_site):
    site = hostile_site
    tree = _content(site / "dam-safety" / "index.html")
    shown = " ".join("".join(d for _, d in tree.text).split())
    for payloads in HOSTILE.values():
        for payload in payloads:
            assert " ".join(payload.split()) in shown
    assert "<b>Bold</b> [x](javascript:alert(1)) {{ 7*7 }} #" in tree.inside("em")  # the line naming the article
    for tag, attrs in tree.tags:
        assert tag not in ("img", "script", "iframe", "blockquote", "pre", "code", "strong", "table", "h4", "del"), tag
        assert not any(k.startswith("on") or k == "style" for k, _ in attrs)
        href = dict(attrs).get("href") or ""
        assert not href.lower().startswith(("javascript", "data")) and "evil" not in href


def test_hostile_outlet_is_text_in_the_home_pages_coverage_table(hostile_site):
    site = hostile_site
    tree = _content(site / "index.html")
    assert "Evil & Co <i>" in tree.inside("th", scope="row")
    assert "i" not in {tag for tag, _ in tree.tags}


def test_hostile_text_adds_no_footnote_and_changes_none(hostile_site):
    site = hostile_site
    tree = _content(site / "dam-safety" / "index.html")
    notes = [dict(a)["id"] for t, a in tree.tags if t == "li" and dict(a).get("id", "").startswith("fn:")]
    refs = {dict(a)["href"][1:] for t, a in tree.tags if t == "a" and "footnote-ref" in (dict(a).get("class") or "")}
    assert set(notes) == refs and "fn:1" not in notes and "fn:src1" not in notes
    assert "forged" not in "".join(tree.inside("li", id="fn:gazette-treaty"))
    assert "https://e.com/a%29%28x%29" in [dict(a).get("href") for t, a in tree.tags if t == "a"]


def test_pathological_brackets_reach_markdown_escaped_and_show_as_written(hostile_site):
    """20,000 nested brackets would send Python-Markdown's link pattern into a search that does not end in any
    useful time: each bracket reaches it escaped, so it has no link to look for, and the page shows them all."""
    site = hostile_site
    briefing = (site.parent / "briefings" / "dam-safety.md").read_text(encoding="utf-8")
    assert "\\[" * 20000 + "\\]" * 20000 in briefing
    assert "[" * 20000 + "]" * 20000 in "".join(d for _, d in _content(site / "dam-safety" / "index.html").text)


def test_every_page_of_the_real_build_passes_the_content_check(tmp_path):
    from generator import output

    files = {p.name: p.read_text(encoding="utf-8") for p in (ROOT / "briefings").iterdir()
             if not p.name.startswith(".")}
    output.publish(ROOT / "mkdocs.yml", tmp_path / "docs", files, tmp_path / "site", [{"Home": "index.md"}],
                   "Check")
    assert (tmp_path / "site" / "index.html").is_file()
    htmlcheck.check_site(tmp_path / "site")


def test_build_refuses_a_page_with_active_content(tmp_path):
    from generator import output

    files = {"index.md": "# Home\n\n<p onclick=\"x()\">raw html from a template</p>\n"}
    (tmp_path / "site").mkdir()
    (tmp_path / "site" / "old.html").write_text("previous", encoding="utf-8")
    with pytest.raises(GeneratorError) as err:
        output.publish(ROOT / "mkdocs.yml", tmp_path / "docs", files, tmp_path / "site", [{"Home": "index.md"}],
                       "Check")
    assert str(err.value).startswith("index.html:")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"], "docs written or temporary folder left behind"
    assert [p.name for p in (tmp_path / "site").iterdir()] == ["old.html"]


def test_fast_path_of_visible_text_covers_exactly_the_characters_shown_as_code():
    from generator.escape import _NEEDS_CODE, _visible
    for i in range(0x110000):
        ch = chr(i)
        assert (_visible(ch) not in (ch, " ")) == bool(_NEEDS_CODE.match(ch)), hex(i)
