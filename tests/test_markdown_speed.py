"""generator.markdown_speed renders exactly the HTML Python-Markdown renders without it."""
from __future__ import annotations

import os

import markdown
import pytest
from hypothesis import example, given, settings as hsettings, strategies as st
from markdown.inlinepatterns import SimpleTagInlineProcessor

from .helpers import ROOT
from .test_security import EXTENSION_CONFIGS, EXTENSIONS

SPEED = "generator.markdown_speed"
PLAIN = [name for name in EXTENSIONS if name != SPEED]


def render(doc: str, speed: bool, extensions: list | None = None) -> str:
    extras = list(extensions or [])
    names = PLAIN + extras + ([SPEED] if speed else [])
    return markdown.markdown(doc, extensions=names, extension_configs=EXTENSION_CONFIGS)


def test_the_site_uses_it():
    assert SPEED in EXTENSIONS


# Every kind of inline syntax, and pieces of it that must not match.
PIECES = ["[a](http://x.org)", "[a][r]", "[r]", "![i](p.png)", "![i][r]", "![r]", "[^1]", "[^2]", "[^", "[",
          "]", "(", ")", "*", "**", "***", "_", "__", "`", "``", "\\", "\\*", "\\[", "<b>", "</b>", "<sup>,</sup>",
          "<http://x.org/a>", "<me@x.org>", "<", ">", "&amp;", "&#42;", "&x", "&", "!", "  \n", "\n", " ", "word",
          "two words", "<!-- c -->", "\x02klzzwxh:0001\x03"]
DOC = st.lists(st.sampled_from(PIECES), max_size=30).map("".join)
PREFIX = "[r]: http://x.org/r\n[^1]: One.\n[^2]: Two *b*.\n\n"
BLOCKS = ["{}", "# {}", "- {}\n- b {}", "| a | b |\n|---|---|\n| {} | c |", '??? quote "T {}"\n    {}',
          "!!! note\n    {}", "> {}"]


@hsettings(max_examples=int(os.environ.get("ESCAPE_EXAMPLES", "150")) * 2, deadline=None)
@given(text=DOC, block=st.sampled_from(BLOCKS))
@example(text="a *b [c](http://x.org) d* e[^1] &amp; <sup>,</sup>[^2]", block="{}")
@example(text="`a [b](c)` \\*d\\* <x@y.org> ![i](p.png) __u__  \nline", block="{}")
def test_any_text_renders_the_same_html_with_and_without_it(text, block):
    doc = PREFIX + block.format(text, text)
    assert render(doc, speed=True) == render(doc, speed=False)


@pytest.mark.parametrize("folder", ["briefings", "tests/golden"])
def test_committed_pages_render_the_same_html(folder):
    pages = sorted((ROOT / folder).glob("*.md"))
    assert pages
    for page in pages:
        text = page.read_text(encoding="utf-8")
        assert render(text, speed=True) == render(text, speed=False), page.name


class Strike(markdown.Extension):
    """An inline pattern the speed table does not know: it must still be tried."""

    def extendMarkdown(self, md):
        md.inlinePatterns.register(SimpleTagInlineProcessor(r"()~~(.+?)~~", "del"), "strike", 175)


def test_a_pattern_it_does_not_know_is_still_applied():
    html = render("plain ~~gone~~ text", speed=True, extensions=[Strike()])
    assert "<del>gone</del>" in html
    assert html == render("plain ~~gone~~ text", speed=False, extensions=[Strike()])
