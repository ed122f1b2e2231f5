"""What each template receives. Every field carries help text; templates/REFERENCE.md is made from it.

Strings from articles and from the topics file are escaped when a template prints them, so they show
as exactly their characters. Fields typed `Markdown` are already Markdown written by the generator.
"""
from __future__ import annotations

import dataclasses
import typing
from dataclasses import dataclass, field

from .escape import Markdown


def _f(help_text: str, default=dataclasses.MISSING):
    if default is dataclasses.MISSING:
        return field(metadata={"help": help_text})
    return field(default=default, metadata={"help": help_text})


@dataclass(frozen=True, slots=True)
class Source:
    """One input article, as a footnote and a row of the sources page."""

    label: str = _f("Footnote label, unique on the site: write `[^{{ s.label }}]`.")
    id: str = _f("Article id: the file name without its extension.")
    path: str = _f("The file, relative to the seeds folder.")
    name: str = _f("What to call the article: its headline, or its file name when none was found.")
    title: str | None = _f("Headline, when one was given or found.")
    outlet: str | None = _f("Publication name, when known.")
    published: str | None = _f("Publication date YYYY-MM-DD, when known.")
    url: Markdown | None = _f("Link to the original, percent-encoded for use in `<...>`, when known.")
    status: str = _f("`used`, `duplicate` or `rejected`.")
    anchor: str = _f("Id of this source's entry on its sources page: link with `#{{ s.anchor }}` on that page.")
    entry: str = _f("Link target of this source's entry from any page: `[...]({{ s.entry }})` (the sources "
                    "pages are split in parts on large corpora).")
    topics: tuple[str, ...] = _f("Titles of the topics this article's passages appear in.")
    duplicate_of: str | None = _f("Id of the article this one duplicates.")
    duplicate_title: str | None = _f("Name (headline, else file name) of the article this one duplicates.")
    duplicate_entry: str | None = _f("Link target of the sources entry of the article this one duplicates.")
    similarity: float | None = _f("Share (0-1) of the copy's text found in the article it copies, for the link "
                                  "that joined this duplicate to its family.")
    via: str | None = _f("For a duplicate joined through another copy rather than the canonical article: that "
                         "copy's id.")
    reason: str | None = _f("Why a rejected file was not used.")
    passages_kept: int = _f("Paragraphs of this article kept as passages.")
    passages_merged: int = _f("Paragraphs merged into a passage kept from another article or repeated.")
    lines_removed: int = _f("Lines removed as boilerplate, headings or filler.")
    notes: tuple[str, ...] = _f("What was inferred or could not be found (e.g. 'published not found').")


@dataclass(frozen=True, slots=True)
class Wording:
    """One outlet's wording of a claim."""

    text: str = _f("The sentence, exactly as the article has it.")
    sources: tuple[Source, ...] = _f("The articles that hold this wording (an article and its copies).")
    outlets: int = _f("Independent outlets of those articles; for a statement in `disputed`, of every wording of "
                      "its claim (all that state it so).")
    outlet_names: tuple[str, ...] = _f("Names of those outlets, sorted (outlets not known are left out).")


@dataclass(frozen=True, slots=True)
class Claim:
    """A fact, in the words of the most complete report, with the other outlets' wordings of it."""

    text: str = _f("The sentence, taken verbatim from an article.")
    sources: tuple[Source, ...] = _f("The articles that hold this wording: cite these beside `text`.")
    outlets: int = _f("Independent outlets that state the fact, in any wording: copies of one article count once.")
    outlet_names: tuple[str, ...] = _f("Names of the outlets that state it in any wording, sorted (outlets not known "
                                       "are left out).")
    others: tuple[Wording, ...] = _f("The same fact in other outlets' words, each with its own sources.")
    disputed: tuple[Wording, ...] = _f("Other outlets' statements of it with other figures or names (or that deny "
                                       "it), to show beside `text`, never merged with it.")


@dataclass(frozen=True, slots=True)
class PassageView:
    """A kept passage on a topic page."""

    text: str = _f("The passage as the article has it, less sentences shown elsewhere on the page as another "
                   "outlet's wording of a claim (under that claim).")
    sources: tuple[Source, ...] = _f("Every article that reports it: its own first.")
    line: int = _f("Line of the passage in its article file.")
    score: float = _f("Topic relevance: weighted count of topic terms.")
    claims: tuple[Claim, ...] = _f("Sentences of this passage that other outlets state too, with their wordings, "
                                   "or that other outlets dispute.")
    article: Source = _f("The article the passage was kept from (the first of `sources`).")
    outlets: int = _f("Independent outlets that report this passage or a claim it leads (in any wording): copies "
                      "of one article count once.")
    date: str | None = _f("The earliest publication date, YYYY-MM-DD, of the articles that report it: `sources` and "
                          "the other wordings in `claims`; none when none is dated.")


@dataclass(frozen=True)
class Day:
    """The passages of a topic page first reported on one day: an entry of the page's timeline."""

    date: str | None = _f("The day, YYYY-MM-DD; none for the passages of articles with no known date (the last entry).")
    heading: str = _f("The day to show: '24 February 2025', or 'Date not known'.")
    passages: tuple[PassageView, ...] = _f("Its passages, the most widely reported (independent outlets) first, then "
                                           "by article, each article's in their order.")


@dataclass(frozen=True, slots=True)
class ArticleGroup:
    """The passages of one topic page that were kept from one article."""

    source: Source = _f("The article the passages were kept from.")
    passages: tuple[PassageView, ...] = _f("Its passages on this topic, in article order.")


@dataclass(frozen=True, slots=True)
class TopicSummary:
    """A topic as listed on the home page and in page footers."""

    slug: str = _f("Page name: link with `{{ t.slug }}.md`.")
    title: str = _f("Topic title from the topics file.")
    description: str = _f("Topic description from the topics file.")
    passages: int = _f("Passages on the topic.")
    articles: int = _f("Articles reporting at least one of them.")
    latest: str | None = _f("Newest publication date among those articles, if any is known.")


@dataclass(frozen=True, slots=True)
class Totals:
    """Figures for the whole build."""

    files: int = _f("Input files read.")
    used: int = _f("Articles used.")
    duplicates: int = _f("Articles merged as duplicates of another.")
    rejected: int = _f("Files rejected.")
    outlets: int = _f("Distinct known outlets among used and duplicate articles.")
    passages: int = _f("Passages kept.")
    merged: int = _f("Paragraphs merged into a kept passage.")
    unassigned: int = _f("Kept passages that match no topic.")
    earliest: str | None = _f("Earliest known publication date.")
    latest: str | None = _f("Latest known publication date.")
    undated: int = _f("Used articles with no known date.")


@dataclass(frozen=True, slots=True)
class Story:
    """The story the site covers."""

    title: str = _f("Story title from the topics file.")
    description: str = _f("Story description from the topics file.")


@dataclass(frozen=True, slots=True)
class ArchivePart:
    """One archive page of a topic, as its topic page lists it."""

    name: str = _f("Page name: link with `{{ a.name }}.md`.")
    span: str = _f("The days its passages were first reported: 'reported from 3 March 2024 to 9 April 2024'.")
    passages: int = _f("Passages on it.")


@dataclass(frozen=True, slots=True)
class TopicPage:
    """Context of `topic.md.j2`: one page per topic."""

    story: Story = _f("The story.")
    topic: TopicSummary = _f("This topic.")
    key_points: tuple[Claim, ...] = _f("The topic's main facts, best first: the most widely reported (independent "
                                       "outlets), most central and most recent.")
    timeline: tuple[Day, ...] = _f("The passages shown on the page by the day they were first reported, oldest "
                                   "first, undated last.")
    groups: tuple[ArticleGroup, ...] = _f("The same passages grouped by article, oldest first (for a page listed by "
                                          "article rather than by date).")
    footnotes: tuple[Source, ...] = _f("Every source cited on the page, in the order the page first cites them (key "
                                       "points, then the timeline): write one footnote definition each.")
    archive: str | None = _f("Page name of the (next) archive page, with passages not shown here, if any.")
    hidden: int | None = _f("On a topic page, how many of its passages are on archive pages; None on an archive "
                            "page (later passages continue on the next, `archive`).")
    topics: tuple[TopicSummary, ...] = _f("All topics, for cross-links.")
    archives: tuple[ArchivePart, ...] = _f("On a topic page, its archive pages, oldest passages first; empty on an "
                                           "archive page.", ())


@dataclass(frozen=True, slots=True)
class CoverageColumn:
    """A topic as a column of the coverage table."""

    topic: TopicSummary = _f("The topic.")
    outlets: int = _f("Outlets giving the topic at least one passage (articles with no known outlet count as one).")
    single_source: bool = _f("Whether exactly one outlet gives all of the topic's passages.")


@dataclass(frozen=True, slots=True)
class CoverageCell:
    """How much one outlet gives one topic."""

    passages: int = _f("The topic's passages that cite at least one article (original or copy) of the row's "
                       "outlet(s).")
    shade: int = _f("Shading step from 0 (no passage) to 4 (the most passages of any cell in the table), for a "
                    "class name such as `coverage-{{ c.shade }}`.")


@dataclass(frozen=True, slots=True)
class CoverageRow:
    """An outlet as a row of the coverage table."""

    outlet: str = _f("The outlet's name; for the other two kinds, what the row holds ('outlet not known', "
                     "'12 other outlets').")
    kind: str = _f("`outlet`, `others` (the outlets beyond `coverage_outlets`, sharing one row) or `unknown` "
                   "(articles with no known outlet, always the last row).")
    articles: int = _f("Articles (used and duplicates) of the row's outlet(s).")
    cells: tuple[CoverageCell, ...] = _f("One cell per topic, in the order of the columns.")


@dataclass(frozen=True, slots=True)
class Coverage:
    """The coverage table: topics (columns) against outlets (rows), counting passages."""

    columns: tuple[CoverageColumn, ...] = _f("The topics, in the order of the topics file.")
    rows: tuple[CoverageRow, ...] = _f("Outlets giving the most passages first (then by name), then the other "
                                       "outlets in one row, then 'outlet not known'; empty when no article was "
                                       "used.")


@dataclass(frozen=True, slots=True)
class IndexPage:
    """Context of `index.md.j2`: the home page."""

    story: Story = _f("The story.")
    topics: tuple[TopicSummary, ...] = _f("All topics in the order of the topics file.")
    totals: Totals = _f("Figures for the whole build.")
    coverage: Coverage = _f("How many passages each outlet gives each topic. Its strings go inside a raw HTML "
                            "`<table>`: print them with `html(...)`, not `{{ ... }}` alone.")


@dataclass(frozen=True, slots=True)
class SourcesPage:
    """Context of `sources.md.j2`: every input file and what became of it."""

    story: Story = _f("The story.")
    sources: tuple[Source, ...] = _f("The input files on this page (all of them unless the list is split in "
                                     "parts): used first, then duplicates, then rejected, each by path.")
    totals: Totals | None = _f("Figures for the whole build, on part 1 only (None on the others, which so stay "
                                "the same when a file elsewhere in the list is added or removed).")
    part: int = _f("Which part of the list this page is: 1, 2, ...")
    parts: tuple[str, ...] = _f("Page names of all the parts, in order (one name when the list is not split).")


PAGES = {"index.md.j2": IndexPage, "topic.md.j2": TopicPage, "sources.md.j2": SourcesPage}


def reference() -> str:
    """The template authors' reference page, generated from the classes above."""
    lines = [
        "# Template reference", "",
        "Generated by `python -m generator reference` from `generator/context.py`: do not edit.", "",
        "Templates are Jinja2 with `StrictUndefined`: an unknown name stops the build with the template's "
        "file and line. Every `{{ ... }}` that prints a string escapes it for Markdown, so article text "
        "shows as exactly its characters; write Markdown syntax in the template itself, around the "
        "expression (`[^{{ s.label }}]`, `[{{ s.title }}](<{{ s.url }}>)`). It also collapses the string's "
        "whitespace and trims its ends, so write spaces in the template, outside the braces: "
        "`passage{% if n != 1 %}s are{% else %} is{% endif %}`, not `passage{{ \"s are\" if n != 1 else \" is\" }}` "
        "(which prints \"passageis\").", "",
        "Besides the fields below, every template can call `cite(sources)`, which writes a footnote "
        "reference to each source in a list (`{{ cite(p.sources) }}`), and `html(text)`, which escapes text for "
        "raw HTML such as a `<table>` (Markdown is not read there, so Markdown escapes would show): "
        "`<th>{{ html(r.outlet) }}</th>`. The filter `opening(n)` keeps a text's first n words (8 by default) "
        "and adds \"…\" when it goes on, to name a sentence in a title: `{{ point.text|opening }}`.", "",
    ]
    seen: list[type] = []

    def visit(cls: type) -> None:
        if cls in seen:
            return
        seen.append(cls)
        for f in dataclasses.fields(cls):
            for inner in _nested(typing.get_type_hints(cls)[f.name]):
                visit(inner)

    for name, cls in PAGES.items():
        visit(cls)
    for name, cls in PAGES.items():
        lines += _table(f"`{name}`", cls)
    for cls in seen:
        if cls not in PAGES.values():
            lines += _table(f"`{cls.__name__}`", cls)
    return "\n".join(lines).rstrip() + "\n"


def _table(heading: str, cls: type) -> list[str]:
    hints = typing.get_type_hints(cls)
    out = [f"## {heading}", "", (cls.__doc__ or "").strip(), "", "| name | type | meaning |", "|---|---|---|"]
    for f in dataclasses.fields(cls):
        out.append(f"| `{f.name}` | `{_type_name(hints[f.name])}` | {f.metadata['help'].replace('|', '&#124;')} |")
    return out + [""]


def _nested(tp) -> list[type]:
    if dataclasses.is_dataclass(tp):
        return [tp]
    return [t for arg in typing.get_args(tp) for t in _nested(arg)]


def _type_name(tp) -> str:
    if dataclasses.is_dataclass(tp) or isinstance(tp, type):
        return tp.__name__
    args = typing.get_args(tp)
    origin = typing.get_origin(tp)
    if origin is tuple:
        return f"list of {_type_name(args[0])}"
    if type(None) in args:
        return f"{_type_name(next(a for a in args if a is not type(None)))} or none"
    return str(tp)
