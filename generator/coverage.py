"""The coverage table of the home page: how many passages each outlet gives each topic.

A passage counts once for every outlet among the articles that carry it (originals and copies), so a
topic that only one outlet reports shows one shaded cell in its column. Articles with no known outlet
share one row, and so do the outlets beyond `coverage_outlets`.
"""
from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Mapping, Sequence

from . import context as cx
from .model import REJECTED, Passage
from .settings import Settings

SHADES = 4            # shading steps above 0: the template's classes coverage-1 ... coverage-4
UNKNOWN = "outlet not known"


def table(summaries: Sequence[cx.TopicSummary], by_topic: Mapping[str, Sequence[Passage]],
          sources: Mapping[str, cx.Source], settings: Settings) -> cx.Coverage:
    """The table: one column per topic (in `summaries` order), one row per outlet of a used or duplicate article."""
    outlet_of = {i: s.outlet for i, s in sources.items() if s.status != REJECTED}
    articles: dict[str | None, int] = defaultdict(int)
    for outlet in outlet_of.values():
        articles[outlet] += 1
    given = _given(summaries, by_topic, outlet_of)
    groups = _rows(articles, {o: sum(len(given[t.slug].get(o, ())) for t in summaries) for o in articles}, settings)
    counts = [[len(set().union(*(given[t.slug].get(o, set()) for o in members))) for t in summaries]
              for _, _, members in groups]
    most = max((n for row in counts for n in row), default=0)
    rows = tuple(cx.CoverageRow(name, kind, sum(articles[o] for o in members),
                                tuple(cx.CoverageCell(n, _shade(n, most)) for n in row))
                 for (name, kind, members), row in zip(groups, counts))
    columns = tuple(cx.CoverageColumn(t, n := sum(1 for ps in given[t.slug].values() if ps), n == 1)
                    for t in summaries)
    return cx.Coverage(columns, rows)


def _given(summaries: Sequence[cx.TopicSummary], by_topic: Mapping[str, Sequence[Passage]],
           outlet_of: Mapping[str, str | None]) -> dict[str, dict[str | None, set[int]]]:
    """For each topic, the passages (by order) that each outlet gives it."""
    given: dict[str, dict[str | None, set[int]]] = {}
    for t in summaries:
        per_outlet: dict[str | None, set[int]] = defaultdict(set)
        for p in by_topic.get(t.slug, ()):
            for a in p.sources:
                per_outlet[outlet_of.get(a)].add(p.order)
        given[t.slug] = per_outlet
    return given


def _rows(articles: Mapping[str | None, int], total: Mapping[str | None, int],
          settings: Settings) -> list[tuple[str, str, list[str | None]]]:
    """The table's rows as (name, kind, outlets): the outlets giving most passages, the others, the unknown."""
    known = sorted((o for o in articles if o is not None), key=lambda o: (-total[o], o.casefold(), o))
    shown, folded = known[:max(0, settings.coverage_outlets)], known[max(0, settings.coverage_outlets):]
    groups: list[tuple[str, str, list[str | None]]] = [(o, "outlet", [o]) for o in shown]
    if folded:
        groups.append((f"{len(folded)} other outlet{'s' if len(folded) != 1 else ''}", "others", list(folded)))
    if None in articles:
        groups.append((UNKNOWN, "unknown", [None]))
    return groups


def _shade(n: int, most: int) -> int:
    """0 for no passage, else 1 to SHADES in proportion to the largest cell."""
    return 0 if n == 0 or most == 0 else max(1, math.ceil(SHADES * n / most))
