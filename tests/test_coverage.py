"""The home page's coverage table: passages per topic and outlet, folded and shaded, escaped as HTML."""
from dataclasses import replace

from generator import context as cx, coverage
from generator.escape import html_text
from generator.model import DUPLICATE, REJECTED, USED, Passage
from generator.settings import DEFAULT


def source(aid: str, outlet: str | None, status: str = USED) -> cx.Source:
    return cx.Source(label=aid, id=aid, path=f"{aid}.md", name=aid, title=None, outlet=outlet, published=None,
                     url=None, status=status, anchor=aid, entry="", topics=(), duplicate_of=None,
                     duplicate_title=None, duplicate_entry=None, similarity=None, via=None, reason=None,
                     passages_kept=0, passages_merged=0, lines_removed=0, notes=())


def passage(n: int, *sources: str) -> Passage:
    return Passage(sources[0], n, f"text {n}", sources, n)


def summary(slug: str) -> cx.TopicSummary:
    return cx.TopicSummary(slug, slug.title(), "", 0, 0, None)


SOURCES = {s.id: s for s in [source("a", "Gazette"), source("a2", "Gazette"), source("b", "Courier"),
                             source("c", "Herald", DUPLICATE), source("d", None), source("x", "Ghost", REJECTED)]}
BY_TOPIC = {
    "dams": [passage(0, "a", "c"), passage(1, "a"), passage(2, "b"), passage(3, "a2", "d")],
    "water": [passage(4, "a"), passage(5, "a2")],
    "empty": [],
}
SUMMARIES = tuple(summary(s) for s in BY_TOPIC)


def test_counts_passages_per_outlet_and_topic_copies_included():
    table = coverage.table(SUMMARIES, BY_TOPIC, SOURCES, DEFAULT)
    rows = {r.outlet: ([c.passages for c in r.cells], r.kind, r.articles) for r in table.rows}
    assert rows == {"Gazette": ([3, 2, 0], "outlet", 2), "Courier": ([1, 0, 0], "outlet", 1),
                    "Herald": ([1, 0, 0], "outlet", 1), "outlet not known": ([1, 0, 0], "unknown", 1)}
    assert [r.outlet for r in table.rows] == ["Gazette", "Courier", "Herald", "outlet not known"]  # most, then name
    assert "Ghost" not in rows  # a rejected article gives nothing


def test_single_source_topics_and_shading():
    table = coverage.table(SUMMARIES, BY_TOPIC, SOURCES, DEFAULT)
    assert [(c.topic.slug, c.outlets, c.single_source) for c in table.columns] == [
        ("dams", 4, False), ("water", 1, True), ("empty", 0, False)]
    shades = {r.outlet: [c.shade for c in r.cells] for r in table.rows}
    assert shades["Gazette"] == [4, 3, 0] and shades["Courier"] == [2, 0, 0]


def test_outlets_beyond_the_limit_share_one_row():
    table = coverage.table(SUMMARIES, BY_TOPIC, SOURCES, replace(DEFAULT, coverage_outlets=1))
    assert [(r.outlet, r.kind, [c.passages for c in r.cells]) for r in table.rows] == [
        ("Gazette", "outlet", [3, 2, 0]), ("2 other outlets", "others", [2, 0, 0]),
        ("outlet not known", "unknown", [1, 0, 0])]


def test_no_articles_no_rows():
    assert coverage.table(SUMMARIES, {}, {}, DEFAULT).rows == ()


def test_html_text_escapes_for_a_raw_html_block():
    assert html_text('Evil & Co <i> "x"') == "Evil &amp; Co &lt;i&gt; &quot;x&quot;"
    assert html_text("a_b *c* [d]") == "a_b *c* [d]"  # no Markdown escapes: they would show inside <table>
    assert html_text("x\u202ey\x02z") == "xU+202EyU+0002z"
    assert "///Footnotes Go Here///" not in html_text("///Footnotes Go Here///")
