"""A Python-Markdown extension: one back-link per footnote, to its first citation.

A briefing footnotes the article each sentence is quoted from, so one article's footnote is cited by
every passage of it on a page: 16 times on the seeds' security-guarantees page, hundreds of times on
an archive page. Python-Markdown gives a footnote one "↩" per citation, each titled alike ("Jump back to
footnote 2 in the text"): a reader sees a row of identical arrows and cannot tell which one is theirs,
and on basil-dev's topic pages the arrows were about a quarter of the HTML. This extension keeps the
first; the browser's Back button returns a reader to the citation they came from, and the footnote's
tooltip (Material's `content.footnote.tooltips`) shows it without leaving the text at all.

Used from mkdocs.yml (`markdown_extensions:`, after `footnotes`).
"""
from __future__ import annotations

from markdown import Extension

# Python-Markdown's footnotes extension adds the back-links of second and later citations in this tree
# processor (markdown.extensions.footnotes.FootnotePostTreeprocessor).
_DUPLICATES = "footnote-duplicate"


class OneBacklinkExtension(Extension):
    """Drops the footnotes extension's back-links for second and later citations of a footnote."""

    def extendMarkdown(self, md) -> None:  # noqa: N802 (Python-Markdown's name)
        if _DUPLICATES not in md.treeprocessors:
            raise ValueError("generator.footnote_backlink must come after footnotes in markdown_extensions")
        md.treeprocessors.deregister(_DUPLICATES)


def makeExtension(**kwargs) -> OneBacklinkExtension:  # noqa: N802 (the name Python-Markdown looks up)
    return OneBacklinkExtension(**kwargs)
