"""A Python-Markdown extension that renders the same HTML faster: inline patterns are tried only on text
that holds the characters they need.

Python-Markdown tries every inline pattern (links, emphasis, footnote references, …) on every run of text,
one regular-expression search and several Python calls each: 16 patterns for each of the ~400,000 runs of
text in a 10k-article site, about 60 % of MkDocs' time. Most runs hold no `[`, `*`, `<` or `&` at all. This
extension replaces the inline tree processor with one that skips a pattern when its text lacks every string
the pattern's expression must match (a `[` for a link, a `*` or `_` for emphasis, …). A pattern's search
can only fail on such text, and a failed search changes nothing, so the HTML is the same byte for byte
(tests/test_markdown_speed.py renders each page both ways).

The strings are known only for the patterns listed in `_NEEDS`, each with its exact expression: a pattern
added by another extension, or one whose expression a newer Python-Markdown changes, is simply always
tried, as before.

Used from mkdocs.yml (`markdown_extensions: - generator.markdown_speed`).
"""
from __future__ import annotations

from markdown import Extension, util
from markdown.treeprocessors import InlineProcessor

# (pattern class, its expression) -> strings of which the expression cannot match without one.
_NEEDS: dict[tuple[str, str], tuple[str, ...]] = {
    ("BacktickInlineProcessor", r"(?:(?<!\\)((?:\\{2})+)(?=`+)|(?<!\\)`)"): ("`",),
    ("EscapeInlineProcessor", r"\\(.)"): ("\\",),
    ("FootnoteInlineProcessor", r"\[\^([^\]]*)\]"): ("[^",),
    ("ReferenceInlineProcessor", r"(?<!\!)\["): ("[",),
    ("LinkInlineProcessor", r"(?<!\!)\["): ("[",),
    ("ImageInlineProcessor", r"\!\["): ("![",),
    ("ImageReferenceInlineProcessor", r"\!\["): ("![",),
    ("ShortReferenceInlineProcessor", r"(?<!\!)\["): ("[",),
    ("ShortImageReferenceInlineProcessor", r"\!\["): ("![",),
    ("AutolinkInlineProcessor", r"<([A-Za-z][A-Za-z0-9+.-]*://[^<>]*)>"): ("<",),
    ("AutomailInlineProcessor", r"<([^<> !]+@[^@<> ]+)>"): ("<",),
    ("SubstituteTagInlineProcessor", r"  \n"): ("  \n",),
    ("HtmlInlineProcessor", r"(&(?:\#[0-9]+|\#x[0-9a-fA-F]+|[a-zA-Z0-9]+);)"): ("&",),
    ("DelimiterProcessor", r"\*|_"): ("*", "_"),
}
# Python-Markdown's raw HTML expression: every alternative starts with "<".
_HTML_PREFIX = "(<("


def needs(pattern) -> tuple[str, ...] | None:
    """The strings of which `pattern` cannot match text without one, or None when not known (always try it)."""
    expression = pattern.compiled_re.pattern
    kind = type(pattern).__name__
    if kind == "HtmlInlineProcessor" and expression.startswith(_HTML_PREFIX):
        return ("<",)
    return _NEEDS.get((kind, expression))


class _SkippingInlineProcessor(InlineProcessor):
    """Python-Markdown's inline processor, which does not try a pattern on text that lacks what it needs."""

    def run(self, tree, ancestors=None):
        wanted = [needs(pattern) for pattern in self.inlinePatterns]
        self._strings = sorted({s for strings in wanted if strings for s in strings})
        # Per pattern, a bit for each string it may need (None: always tried).
        self._masks = [None if strings is None else sum(1 << self._strings.index(s) for s in strings)
                       for strings in wanted]
        return super().run(tree, ancestors)

    def _InlineProcessor__handleInline(self, data: str, patternIndex: int = 0) -> str:
        # InlineProcessor.__handleInline (its private name, so run() calls this one), with the skip added.
        # A match replaces text by a placeholder, which holds none of the strings, so the text only ever loses
        # strings: which it holds is found again after each match (once the footnote references are
        # placeholders, a passage holds no "[" and the four link patterns are not tried on it).
        if isinstance(data, util.AtomicString):
            return data
        present = self._present(data)
        patterns, masks, apply = self.inlinePatterns, self._masks, self._InlineProcessor__applyPattern
        startIndex = 0
        count = len(patterns)
        while patternIndex < count:
            mask = masks[patternIndex]
            if mask is not None and not mask & present:
                patternIndex += 1
                startIndex = 0
                continue
            before = data
            data, matched, startIndex = apply(patterns[patternIndex], data, patternIndex, startIndex)
            if not matched:
                patternIndex += 1
            elif data is not before:
                present = self._present(data)
        return data

    def _present(self, data: str) -> int:
        """A bit for each of the strings that the text holds."""
        present = 0
        for bit, string in enumerate(self._strings):
            if string in data:
                present |= 1 << bit
        return present


class SpeedExtension(Extension):
    def extendMarkdown(self, md) -> None:
        md.treeprocessors.register(_SkippingInlineProcessor(md), "inline", 20)


def makeExtension(**kwargs) -> SpeedExtension:
    return SpeedExtension(**kwargs)
