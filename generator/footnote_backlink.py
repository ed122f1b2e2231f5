"""A Python-Markdown extension: one back-link per footnote, to its first citation.

A briefing footnotes the article each sentence is quoted from, so one article's footnote is cited by
every passage of it on a page: 16 times on the seeds' security-guarantees page, hundreds of times on
an archive page. Python-Markdown gives a footnote one "↩" per citation, each titled alike ("Jump back to
footnote 2 in the text"): a reader sees a row of identical arrows and cannot tell which one is theirs,
and on basil-dev's topic pages the arrows were about a fifth of the HTML. This extension keeps the
first; the browser's Back button returns a reader to the citation they came from, and the footnote's
tooltip (Material's `content.footnote.tooltips`) shows it without leaving the text at all.

Used from mkdocs.yml (`markdown_extensions:`, in any place of the list).
"""
from __future__ import annotations

from markdown import Extension
from markdown.preprocessors import Preprocessor

# Python-Markdown's footnotes extension adds the back-links of second and later citations in this tree
# processor (markdown.extensions.footnotes.FootnotePostTreeprocessor).
_DUPLICATES = "footnote-duplicate"


class OneBacklinkExtension(Extension):
    """Drops the footnotes extension's back-links for second and later citations of a footnote."""

    def extendMarkdown(self, md) -> None:  # noqa: N802 (Python-Markdown's name)
        md.preprocessors.register(_Unregister(md), "footnote-one-backlink", 0)


class _Unregister(Preprocessor):
    """Takes the footnotes extension's duplicate back-links out before a document is converted: by then
    every extension of the list is loaded, whichever comes first. The text passes unchanged."""

    def run(self, lines: list[str]) -> list[str]:
        if _DUPLICATES in self.md.treeprocessors:
            self.md.treeprocessors.deregister(_DUPLICATES)
        return lines


def makeExtension(**kwargs) -> OneBacklinkExtension:  # noqa: N802 (the name Python-Markdown looks up)
    return OneBacklinkExtension(**kwargs)
