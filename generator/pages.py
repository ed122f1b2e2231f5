"""Page layout: the sources list, the figures, each topic's page and archive pages, and the home page.

Everything here turns the stages' records into template contexts (generator/context.py); nothing is
rendered or written. A footnote links to the sources page part that holds the article's entry.
"""
from __future__ import annotations

import hashlib
import itertools
import math
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Container, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace

import numpy as np
from markdown.extensions.toc import slugify
from rapidfuzz import fuzz

from . import claims, claims_match, context as cx, topics
from .claims import Claim, Claims, Wording
from .coverage import table as coverage_table
from .escape import Markdown, md_url
from .families import Families, smallest_members
from .model import DUPLICATE, REJECTED, USED, Article, CleanArticle, Passage, Rejection
from .passages import Passages
from .reader import article_id
from .settings import Settings
from .textnorm import normalise, sentences
from .topics import TopicMatch, TopicsFile

# A sentence opening with a pronoun or link word reads wrongly out of its paragraph: not a key point.
_DANGLING = re.compile(r"^[\"'“‘]?(he|she|they|it|this|that|these|those|his|her|their|its|but|however|also|"
                       r"additionally|moreover|furthermore|meanwhile|still|yet|instead|then|so|and|indeed|"
                       r"likewise|similarly|nevertheless|nonetheless|otherwise|thus|therefore|hence|such|"
                       r"in addition|as a result|by contrast|in turn|for example|for instance|even so)\b",
                       re.IGNORECASE)
# A word that points back to what the sentences before said ("... these concerns", "this plan", "such
# terms"); "this week" and the like only date the report, and "such as" gives examples.
_POINTS_BACK = re.compile(r"\b(?:(?:this|these|those)\b(?!\s+(?:week|month|year|morning|afternoon|evening|weekend|"
                          r"spring|summer|autumn|fall|winter)\b)|such\b(?!\s+as\b))", re.IGNORECASE)
# A quotation whose speaker is only a pronoun ("...," he said.; "...," said she; "By releasing them, he said, the White
# House ..."): who spoke is in the sentences before.
_PRONOUN_SPEAKER = re.compile(r"[\"”’',],?\s+(?:(?:he|she|they)\s+(?:said|says|added|adds|continued|continues|told|"
                              r"tells|wrote|writes|noted|notes|explained|argued|asked|replied|insisted|stated|declared)"
                              r"|(?:said|says|added|adds|continued|wrote|asked|replied)\s+(?:he|she|they))\b",
                              re.IGNORECASE)
# A dateline: where (and through whom) a report was filed ("WASHINGTON —", "FERGUSON, Mo. —", "Denver (AP) –").
_DATELINE = (r"(?:[A-Z][A-Z.'’ -]+(?:, [^,—–()]{1,30})?(?: \([A-Z][\w&.'’ -]{1,30}\))?"
             r"|[A-Z][\w.'’ -]{1,40}(?:, [^,—–()]{1,30})? \([A-Z][\w&.'’ -]{1,30}\))\s+[—–-]{1,2}\s+")
# A label a sentence opens with that says what kind of text follows, not who speaks ("Editor's Note:",
# "UPDATE:"; never "Zelensky:", which names the speaker).
_LABEL = r"(?i:editor['’]?s['’]? note|update[ds]?|analysis|opinion|exclusive|breaking(?: news)?|note):\s+"
_LEADING_DATELINE = re.compile(rf"(?:{_DATELINE}|{_LABEL})(?=[A-Z\"“‘'])")
# What opens a sentence before its subject: a dateline, a label ("Editor's Note:"), an
# opening phrase ending in a comma ("On Monday,", "At the United Nations,"), an article.
_BEFORE_SUBJECT = re.compile(
    rf"(?:{_DATELINE})?(?:[A-Z][\w'’]*(?: [A-Z][\w'’]*){{0,2}}:\s+)?"
    r"(?i:(?:on|at|in|for|after|before|during|despite|amid|following|since|with|earlier|later|last|yesterday|today)"
    r"\b[^,]{0,80},\s+)?(?i:the\s+|a\s+|an\s+)?")
RESTATED = 90.0  # token_set_ratio from which a key point says again what one picked says
UNDATED = "9999-99-99"
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")
_STATUS_RANK = {USED: 0, DUPLICATE: 1, REJECTED: 2}


@dataclass(frozen=True)
class Site:
    """Every page to render, as (template, context) by page name (without `.md`), and what the site counts."""

    pages: dict[str, tuple[str, object]]
    sources: tuple[cx.Source, ...]   # every input file, in the order of the sources pages
    totals: cx.Totals
    per_topic: dict[str, int]         # topic slug -> passages on it


def layout(spec: TopicsFile, settings: Settings, articles: Sequence[Article], cleaned: Mapping[str, CleanArticle],
           rejected: Sequence[Rejection], fam: Families, kept: Passages, matches: Sequence[TopicMatch],
           joined: Claims) -> Site:
    """All pages of the site.

    `articles` are the files read as articles and `cleaned` their final cleaned form by id; those in
    use are the ones deduplicated (`fam`). `rejected` lists every file set aside, with the reason.
    """
    sources, source_pages = _sources(spec, settings, articles, cleaned, rejected, fam, kept, matches)
    read = {a.path for a in articles}
    by_id = {s.id: s for s in sources if s.path in read}
    totals = _totals(sources, kept, matches)
    story = cx.Story(spec.title, spec.description)
    by_topic: dict[str, list[Passage]] = {t.slug: [] for t in spec.topics}
    for p, m in zip(kept.passages, matches):
        for slug in m.topics:
            by_topic[slug].append(p)
    summaries = tuple(_summary(t, by_topic[t.slug], by_id) for t in spec.topics)
    rank_of = {ca.id: fam.rank[i] for i, ca in enumerate(fam.articles)}
    reach = _Reach(spec.topics, settings)
    claim_days = _claim_days(joined, by_id)
    pages: dict[str, tuple[str, object]] = {}
    for topic, summary in zip(spec.topics, summaries):
        page, archives = _topic_page(story, summary, summaries, topic, by_topic[topic.slug], matches, by_id,
                                     rank_of, joined, claim_days, fam.family_of, reach, settings)
        pages[topic.slug] = ("topic.md.j2", page)
        pages.update((name, ("topic.md.j2", archive)) for name, archive in archives)
    pages["index"] = ("index.md.j2", cx.IndexPage(story, summaries, totals,
                                                  coverage_table(summaries, by_topic, by_id, settings)))
    names = tuple(name for name, _ in source_pages)
    for n, (name, entries) in enumerate(source_pages):
        pages[name] = ("sources.md.j2", cx.SourcesPage(story, sources[entries], None if n else totals, n + 1, names))
    return Site(pages, sources, totals, {slug: len(ps) for slug, ps in by_topic.items()})


def _sources(spec, settings, articles, cleaned, rejected, fam, kept,
             matches) -> tuple[tuple[cx.Source, ...], list[tuple[str, slice]]]:
    """Every input file as a Source, in sources-page order (used, duplicates, rejected; each by path),
    and the sources pages (`sources`, `sources-2`, ...): each page's name and its entries (`content_parts`)."""
    topics_of: dict[str, set[str]] = defaultdict(set)
    for p, m in zip(kept.passages, matches):
        for src in p.sources:
            topics_of[src].update(m.topics)
    reason_of: dict[str, str] = {}
    for r in rejected:
        reason_of.setdefault(r.path, r.reason)
    labels = _labels(sorted(a.id for a in articles))
    title_of = {a.id: a.label for a in articles}
    # every file in sources-page order first, so that each Source is made once, knowing where its entry is
    files = _listed(articles, rejected, fam)
    anchors = [Markdown(anchor(f.id if isinstance(f, Article) else article_id(f.path))) for f, _ in files]
    parts, entry_of = _source_pages([f.path for f, _ in files], anchors, settings.sources_page_entries)
    path_of = {a.id: a.path for a in articles}
    return tuple(_article_source(f, status, labels[f.id], anchors[k], entry_of, path_of, cleaned.get(f.id), fam, kept,
                                 reason_of, title_of, tuple(t.title for t in spec.topics if t.slug in topics_of[f.id]))
                 if isinstance(f, Article) else _rejected_source(f, anchors[k], entry_of)
                 for k, (f, status) in enumerate(files)), parts


def _listed(articles: Sequence[Article], rejected: Sequence[Rejection],
            fam: Families) -> list[tuple[Article | Rejection, str]]:
    """Every input file with its status, in sources-page order (used, duplicates, rejected; each by path)."""
    used = {ca.id for ca in fam.articles}
    read = {a.path for a in articles}
    files: list[tuple[Article | Rejection, str]] = [
        (a, DUPLICATE if a.id in fam.duplicates else USED if a.id in used else REJECTED) for a in articles]
    files += [(r, REJECTED) for r in rejected if r.path not in read]
    files.sort(key=lambda f: (_STATUS_RANK[f[1]], f[0].path))
    return files


def _source_pages(paths: list[str], anchors: list[str], size: int) -> tuple[list[tuple[str, slice]], dict[str, str]]:
    """The sources pages (name, entries) of files listed in this order, and the link to each entry by its file's path."""
    parts = [(part("sources", n + 1), entries) for n, entries in enumerate(content_parts(paths, size))]
    # by path: a file never read as an article may share its id with one that was (foo.md, foo.jpg)
    return parts, {paths[k]: f"{name}.md#{anchors[k]}" for name, entries in parts
                   for k in range(len(paths))[entries]}


def content_parts(keys: Sequence[str], size: int) -> list[slice]:
    """A list (of files by path, of passages by article and line) cut in parts of at most `size` entries,
    where the entries themselves say.

    A part ends after an entry whose key hashes to a multiple of `size // 16` once it holds half of
    `size` (or when it is full, which is rare): parts of about 56 % of `size`. Where a part ends
    depends on the keys near its end, not on positions, so an entry added or removed changes the part
    that holds it (seldom the next one too) instead of shifting every later part: a rebuild rewrites
    that page (and, for the sources list, the first, which gives the totals).
    """
    size = max(1, size)
    least, every = (size + 1) // 2, max(1, size // 16)
    parts, start = [], 0
    for k, key in enumerate(keys):
        held = k + 1 - start
        if held >= size or (held >= least and _key_hash(key) % every == 0):
            parts.append(slice(start, k + 1))
            start = k + 1
    if start < len(keys) or not parts:
        parts.append(slice(start, len(keys)))
    return parts


def _key_hash(key: str) -> int:
    """A number drawn from a key, the same on every machine and in every run."""
    return int.from_bytes(hashlib.blake2b(key.encode(), digest_size=8).digest(), "little")


def _article_source(a: Article, status: str, label: str, anchor_: Markdown, entry_of: Mapping[str, str],
                    path_of: Mapping[str, str], ca: CleanArticle | None, fam: Families, kept: Passages,
                    reason_of: Mapping[str, str], title_of: Mapping[str, str], topic_titles: tuple[str, ...]):
    """The Source of a file read as an article: used, a duplicate, or rejected for having no news text."""
    dup = fam.duplicates.get(a.id)
    return cx.Source(
        label=Markdown(label), id=a.id, path=a.path, name=a.label, title=a.title, outlet=a.outlet,
        published=a.published, url=md_url(a.url) if a.url else None,
        status=status, anchor=anchor_, entry=Markdown(entry_of[a.path]),
        topics=topic_titles, duplicate_of=dup.canonical_id if dup else None,
        duplicate_title=title_of[dup.canonical_id] if dup else None,
        duplicate_entry=Markdown(entry_of[path_of[dup.canonical_id]]) if dup else None,
        similarity=dup.similarity if dup else None, via=dup.via if dup else None,
        reason=None if status != REJECTED else reason_of.get(a.path), passages_kept=kept.kept.get(a.id, 0),
        passages_merged=kept.merged.get(a.id, 0), lines_removed=sum(not r.text for r in ca.removed) if ca else 0,
        notes=a.notes)


def _rejected_source(r: Rejection, anchor_: Markdown, entry_of: Mapping[str, str]) -> cx.Source:
    """The Source of a file that was never read as an article."""
    rid = article_id(r.path)
    return cx.Source(
        label=Markdown(_label(rid)), id=rid, path=r.path, name=r.path, title=None, outlet=None, published=None,
        url=None, status=REJECTED, anchor=anchor_, entry=Markdown(entry_of[r.path]), topics=(),
        duplicate_of=None, duplicate_title=None, duplicate_entry=None, similarity=None, via=None,
        reason=r.reason if r.line is None else f"line {r.line}: {r.reason}",
        passages_kept=0, passages_merged=0, lines_removed=0, notes=())


def _totals(sources: Sequence[cx.Source], kept: Passages, matches: Sequence[TopicMatch]) -> cx.Totals:
    used = [s for s in sources if s.status == USED]
    dated = sorted(s.published for s in sources if s.published and s.status != REJECTED)
    return cx.Totals(
        files=len(sources), used=len(used), duplicates=sum(s.status == DUPLICATE for s in sources),
        rejected=sum(s.status == REJECTED for s in sources),
        outlets=len({s.outlet for s in sources if s.outlet and s.status != REJECTED}),
        passages=len(kept.passages), merged=sum(kept.merged.values()),
        unassigned=sum(not m.topics for m in matches), earliest=dated[0] if dated else None,
        latest=dated[-1] if dated else None, undated=sum(not s.published for s in used))


def _summary(topic: topics.Topic, mine: Sequence[Passage], by_id: Mapping[str, cx.Source]) -> cx.TopicSummary:
    arts = {a for p in mine for a in p.sources}
    return cx.TopicSummary(topic.slug, topic.title, topic.description, len(mine), len(arts), _latest(arts, by_id))


def _topic_page(story, summary, summaries, topic, mine: list[Passage], matches, sources, rank_of, joined: Claims,
                claim_days: Mapping[int, str], family_of, reach: _Reach, settings) -> tuple[cx.TopicPage, list[tuple[str, cx.TopicPage]]]:
    """Key points first (the topic's main facts), then the passages as a timeline, by the day first reported.

    Passages are ranked by the independent outlets that carry them, then relevance. At most
    `topic_page_passages` (the most important) are shown; the others go to archive pages (`<slug>-archive`,
    `<slug>-archive-2`, ...) by the day each was first reported, oldest first, each linking to the next;
    they are rendered by the same template without key points, and the topic page lists them with the days
    they span. A part of the archive ends where its passages say (`content_parts`, at most
    `archive_page_passages` each), so a passage added or removed changes the archive page that holds it,
    not every later one. Returns the page and the (name, page) of each archive page.
    """
    score_of = {p.order: matches[p.order].score(topic.slug) for p in mine}
    importance = sorted(mine, key=lambda p: (-claims.outlets(p.sources, family_of), -len(p.sources),
                                             -score_of[p.order], p.order))
    shown, rest = importance[:settings.topic_page_passages], importance[settings.topic_page_passages:]
    first_day = _first_reported(rest, claim_days, sources)
    rest.sort(key=lambda p: (first_day[p.order], p.order))
    key_points = _key_points(topic, shown, len(mine), joined, sources, family_of, reach, settings)
    timeline, groups, footnotes = _groups(shown, sources, rank_of, score_of, key_points, joined, family_of)
    chunks = [rest[k] for k in content_parts([f"{p.article_id}\n{p.line}" for p in rest],
                                             settings.archive_page_passages)] if rest else []
    names = [part(topic.slug + topics.ARCHIVE_SUFFIX, n + 1) for n in range(len(chunks))]
    archives, listed = [], []
    for n, chunk in enumerate(chunks):
        days, groups_, notes = _groups(chunk, sources, rank_of, score_of, [], joined, family_of)
        arts = {a for p in chunk for a in p.sources}
        of_parts = f", part {n + 1} of {len(chunks)}" if len(chunks) > 1 else ""
        span = _span(days)
        archived = replace(
            summary, title=f"{summary.title}: archive{of_parts}",
            description=f"Passages on this topic that the topic page ({topic.title}) does not show, {span}"
                        + (", by the day first reported, oldest first." if any(d.date for d in days) else "."),
            passages=len(chunk), articles=len(arts), latest=_latest(arts, sources))
        archives.append((names[n], cx.TopicPage(story, archived, (), days, groups_, notes,
                                                names[n + 1] if n + 1 < len(names) else None, None, summaries)))
        listed.append(cx.ArchivePart(names[n], span, len(chunk)))
    page = cx.TopicPage(story, summary, tuple(key_points), timeline, groups, footnotes, names[0] if names else None,
                        len(rest), summaries, tuple(listed))
    return page, archives


def _claim_days(joined: Claims, sources: Mapping[str, cx.Source]) -> dict[int, str]:
    """Per passage (by order) that states a claim, the earliest day an article holding a wording of one of its
    claims was reported (UNDATED if none is known)."""
    days: dict[int, str] = {}
    for claim in joined.claims:
        day = _day((a for w in claim.wordings for a in w.sources), sources)
        for w in claim.wordings:
            days[w.passage] = min(days.get(w.passage, UNDATED), day)
    return days


def _first_reported(passages: Sequence[Passage], claim_days: Mapping[int, str],
                    sources: Mapping[str, cx.Source]) -> dict[int, str]:
    """The day each passage was first reported, by order (UNDATED if none is known): the earliest date of the articles
    that hold it or another wording of a claim it states (`_claim_days`), as the timeline heads it when it leads
    those claims."""
    return {p.order: min(_day(p.sources, sources), claim_days.get(p.order, UNDATED)) for p in passages}


def _day(articles: Iterable[str], sources: Mapping[str, cx.Source]) -> str:
    """The earliest publication day of these articles (UNDATED if none is known)."""
    return min((d[:10] for a in articles if (d := sources[a].published)), default=UNDATED)


def _span(days: Sequence[cx.Day]) -> str:
    """The days a timeline covers, as a reader writes them: "reported from 3 March 2024 to 9 April 2024",
    "reported on 3 March 2024", "of unknown date" (and "and some of unknown date" after dated ones)."""
    dated = [d.heading for d in days if d.date]
    if not dated:
        return "of unknown date"
    span = f"reported on {dated[0]}" if len(dated) == 1 else f"reported from {dated[0]} to {dated[-1]}"
    return span + (" and some of unknown date" if len(dated) < len(days) else "")


class _Reach:
    """How strongly texts name each topic: their weighted term hits over the topic's min_score (1 or more:
    their words alone would put them on the topic), for ranking key points (`tier`). One matcher finds every
    topic's terms in a text at once, and a text's scores are kept: a claim's wordings are candidates on
    every topic page that shows them."""

    def __init__(self, spec_topics: Sequence[topics.Topic], settings: Settings) -> None:
        self._topics = tuple(spec_topics)
        self._matcher = topics.Matcher.of(self._topics)
        self._needs = [t.min_score or settings.topic_min_score for t in self._topics]
        self._index = {t.slug: k for k, t in enumerate(self._topics)}
        self._scores: dict[str, list[float]] = {}

    def score(self, text: str, slug: str) -> float:
        """A text's `topics.score` on one topic."""
        return self._scored(text)[self._index[slug]]

    def tier(self, texts: Sequence[str], slug: str) -> int:
        """2 when the texts (a claim's wordings) name this topic more strongly than any other (of equals, the
        first in page order), 1 when they name it, 0 when they are on it only through their article's context."""
        scored = [self._scored(text) for text in texts]
        strength = [max(s[k] for s in scored) / needs for k, needs in enumerate(self._needs)]
        mine = self._index[slug]
        if strength[mine] < 1:
            return 0
        return 2 if max(range(len(strength)), key=strength.__getitem__) == mine else 1

    def _scored(self, text: str) -> list[float]:
        if text not in self._scores:
            self._scores[text] = topics.scores(topics.words(text), self._topics, self._matcher)
        return self._scores[text]


def _key_points(topic: topics.Topic, shown: list[Passage], total: int, joined: Claims,
                sources: Mapping[str, cx.Source], family_of: Mapping[str, str], reach: _Reach,
                settings: Settings) -> list[cx.Claim]:
    """The topic's main facts: first those that name this topic more than any other (`_Reach` of some
    outlet's wording), then those that name it, then those on the topic only through their article's
    context (a fact on several pages leads the one it names most); within each, claims ranked by
    independent outlets, then reports of who did or said what before comment (`_reports`), then
    centrality to the topic, then recency.

    Centrality is the sentence's topic-term score plus how many of the topic's most named people,
    places and organisations it names. Only sentences that read on their own are candidates: a claim is told in
    its most complete wording that does ("'We will close the bridge ...,' she said." in another outlet's words
    that name the mayor; none: the claim is no key point).
    """
    named = Counter(n for p in shown for n in claims_match.names(p.text))
    central = set(sorted(named, key=lambda n: (-named[n], n))[:settings.lead_central_names])
    found: dict[object, tuple[tuple, Wording, Claim | None, bool]] = {}  # rank, lead, claim, is a fact
    told_together: list[Iterable[str]] = []  # articles that tell one story: a passage's copies, a claim's outlets
    for rank, p in enumerate(shown):
        told_together.append(p.sources)
        for n, text in enumerate(sentences(p.text)):
            cid = joined.of_sentence.get((p.order, n))
            key = cid if cid is not None else (p.order, n)
            if key in found:
                continue
            claim = joined.claims[cid] if cid is not None else None
            if claim:
                told_together.append([a for w in claim.wordings for a in w.sources])
            wordings = claim.wordings if claim else (Wording(p.order, n, text, p.sources),)
            lead = _told_alone(wordings, settings)
            if lead is None:
                continue
            outlets = claim.outlets if claim else claims.outlets(p.sources, family_of)
            tier = reach.tier([w.text for w in wordings], topic.slug)
            centrality = reach.score(lead.text, topic.slug) + len(central & claims_match.names(lead.text))
            newest = max((claims.day_number(sources[a].published) for w in wordings for a in w.sources), default=0)
            reports = _reports(lead.text, named)
            found[key] = ((-tier, -outlets, -reports, -centrality, -newest, rank, n), lead, claim,
                          outlets > 1 or reports)
    limit = min(settings.lead_points, max(1, math.ceil(settings.lead_share * total)))
    picked = _pick(sorted(found.values(), key=lambda f: f[0]), limit, joined, _stories(told_together).__getitem__,
                   settings)
    return [_without_dateline(_claim_view(lead, claim, joined, sources, family_of))
            for _, lead, claim, _ in sorted(picked, key=lambda f: f[0])]


def _without_dateline(point: cx.Claim) -> cx.Claim:
    """A key point without the dateline or label its sentence opens with ("WASHINGTON — With just three
    weeks left ..." -> "With just three weeks left ...", "Editor's Note: President Macron's ..."): where a
    report was filed, or what kind of text it is, is not the fact, and In detail keeps the passage whole."""
    m = _LEADING_DATELINE.match(point.text)
    return replace(point, text=point.text[m.end():]) if m else point


def _stories(told_together: Sequence[Sequence[str]]) -> dict[str, str]:
    """Which story each article tells, named by its first article (by key): articles told together (copies of
    one passage, outlets of one claim) and, by a chain of those, all that join them tell one story."""
    articles = sorted({a for group in told_together for a in group})
    number = {a: k for k, a in enumerate(articles)}
    links = np.array([(number[group[0]], number[a]) for group in told_together for a in group[1:]],
                     dtype=np.int64).reshape(-1, 2)
    root = smallest_members(len(articles), links[:, 0], links[:, 1])
    return {a: articles[r] for a, r in zip(articles, root.tolist())}


def _pick(ranked: list[tuple], limit: int, joined: Claims, story_of: Callable[[str], str],
          settings: Settings) -> list[tuple]:
    """The first `limit` of the ranked (key, lead, claim, fact) candidates: facts first (claims of several
    outlets, and reports of who did or said what), at most `lead_per_story` from one story (`_stories`) and
    `lead_per_article` from one article while others remain, then at most `lead_per_article` from one
    article, then the other facts; then the rest the same way, without the story cap; leaving out a claim
    that disputes one picked (it is shown beside it) and one that says again what one picked says
    (`_restates`). A topic that spans several stories opens with the
    main fact of each, not with five facts of the latest."""
    picked: list[tuple] = []
    per_article: dict[str, int] = defaultdict(int)
    per_story: dict[str, int] = defaultdict(int)
    texts: dict[int, list[str]] = {}  # id of a candidate -> its wordings, normalised

    def wordings(c: tuple) -> list[str]:
        if id(c) not in texts:
            texts[id(c)] = [normalise(w.text) for w in (c[2].wordings if c[2] else (c[1],))]
        return texts[id(c)]

    def fits(f: tuple) -> bool:
        return f not in picked and not (f[2] and any(joined.claims[k] is g[2] for g in picked for k in f[2].conflicts)) \
            and not any(_restates(wordings(f), wordings(g)) for g in picked)

    def capped(f: tuple, cap: str) -> bool:
        article = f[1].sources[0]
        return cap != "" and (per_article[article] >= settings.lead_per_article or
                              (cap == "story" and per_story[story_of(article)] >= settings.lead_per_story))

    for facts, cap in ((True, "story"), (True, "article"), (True, ""), (False, "article"), (False, "")):
        for f in ranked:
            if len(picked) == limit:
                return picked
            if (f[3] or not facts) and not capped(f, cap) and fits(f):
                picked.append(f)
                per_article[f[1].sources[0]] += 1
                per_story[story_of(f[1].sources[0])] += 1
    return picked


def _restates(a: Sequence[str], b: Sequence[str]) -> bool:
    """Whether a wording of one key-point candidate says again what a wording of another says (normalised
    texts): all the words of one inside the other ("As President, I'll end Obama's war on religion." / "As
    president, I'll end Obama's war on religion and I'll fight against liberal attacks ...", two claims of
    one ad)."""
    return any(fuzz.token_set_ratio(x, y) >= RESTATED for x in a for y in b)


def _reports(text: str, named: Container[str]) -> bool:
    """Whether a sentence reports who did or said what, or a figure, rather than comment on it: its subject
    is a name, one of `named` (the words the topic's passages capitalise inside a sentence: "The Kremlin has
    consistently stated ...", "On Monday, President Macron indicated ..."), or it states a figure ("a
    European force of fewer than 30,000 soldiers"); "The willingness to involve European nations ... marks
    a shift" and "Farmers in the delta say ..." do neither."""
    for word in text[_BEFORE_SUBJECT.match(text).end():].split()[:4]:  # the subject's capitalised words
        norm = normalise(word).split()
        if not (norm and word[:1].isupper()):
            break
        if norm[0] in named:  # after a title, if any ("President Macron's", "Mayor Anna Berg")
            return True
    return bool(claims_match.numbers(text))


def _told_alone(wordings: Sequence[Wording], settings: Settings) -> Wording | None:
    """The first (most complete) of a claim's wordings that reads on its own (`_standalone`), if any."""
    return next((w for w in wordings if _standalone(w.text, settings)), None)


def _standalone(text: str, settings: Settings) -> bool:
    """A sentence that reads on its own as a statement: not a question, not a piece of a quotation nor one whose
    speaker is only a pronoun ("...," he said.), not opening with a pronoun or link word that needs the sentence
    before nor pointing back to it ("these concerns", "such terms"), and of a readable length."""
    return (not text.rstrip("\"'”’ ").endswith("?") and not _DANGLING.match(text) and not _POINTS_BACK.search(text)
            and not _PRONOUN_SPEAKER.search(text) and text.count('"') % 2 == 0 and text.count("“") == text.count("”")
            and settings.lead_min_words <= len(text.split()) and len(text) <= settings.lead_sentence_max_chars)


def _claim_view(lead: Wording, claim: Claim | None, joined: Claims, sources: Mapping[str, cx.Source],
                family_of: Mapping[str, str]) -> cx.Claim:
    """A claim as the page shows it: `lead` with its sources, the other wordings and the disputing ones (each
    of those with the outlets of its whole claim)."""
    def view(w: Wording, stating: Sequence[Wording] = ()) -> cx.Wording:
        articles = {a for x in (stating or (w,)) for a in x.sources}
        return cx.Wording(w.text, tuple(sources[a] for a in w.sources), claims.outlets(articles, family_of),
                          _outlet_names(articles, sources))

    if claim is None:
        return cx.Claim(lead.text, view(lead).sources, claims.outlets(lead.sources, family_of),
                        _outlet_names(lead.sources, sources), (), ())
    other = [joined.claims[c] for c in claim.conflicts]
    return cx.Claim(lead.text, view(lead).sources, claim.outlets,
                    _outlet_names({a for w in claim.wordings for a in w.sources}, sources),
                    tuple(view(w) for w in claim.wordings if w != lead),
                    tuple(view(c.wordings[0], c.wordings) for c in other))


def _outlet_names(article_ids: Iterable[str], sources: Mapping[str, cx.Source]) -> tuple[str, ...]:
    """The known outlets of these articles, sorted."""
    return tuple(sorted({o for a in article_ids if (o := sources[a].outlet)}))


def _latest(article_ids: Iterable[str], sources: Mapping[str, cx.Source]) -> str | None:
    """The newest known publication date among these articles."""
    return max((sources[a].published for a in article_ids if sources[a].published), default=None)


def _groups(chosen: list[Passage], sources, rank_of, score_of, key_points: Sequence[cx.Claim], joined: Claims,
            family_of: Mapping[str, str]):
    """The passages as a timeline of days and grouped by article, and the footnotes they need.

    A claim stated in several of the chosen passages is shown once, in the passage of its most complete
    wording on the page, with its other wordings under it; those leave their own passages (a passage
    left with nothing is not shown). Footnotes are listed in the order the page first cites them (key
    points, then the timeline), so their numbers rise as the reader goes down the page.
    """
    chosen = sorted(chosen, key=lambda p: p.order)
    # the sentences of the passages that state a claim (of the others, none is shown apart from its passage)
    split = {p.order: sentences(p.text) for p in chosen if p.order in joined.passages}
    lead_of = _leads(chosen, split, joined)
    views = _disputes_once(_in_time([(p, v) for p in chosen if (v := _passage_view(
        p, split.get(p.order), score_of[p.order], lead_of, joined, sources, family_of))], rank_of))
    groups: dict[str, list[cx.PassageView]] = defaultdict(list)
    for _, view in sorted(views, key=lambda pv: pv[0].order):
        groups[view.article.id].append(view)
    group_order = sorted(groups, key=lambda a: (sources[a].published or UNDATED, rank_of[a]))
    timeline = tuple(cx.Day(date, day_heading(date), tuple(v for _, v in day))
                     for date, day in itertools.groupby(views, key=lambda pv: pv[1].date))
    cited: dict[str, None] = {}
    for k in key_points:
        _cite(cited, k.sources, k)
    for _, view in views:
        _cite(cited, view.sources, *view.claims)
    footnotes = tuple(sources[i] for i in cited if sources[i].status != REJECTED)
    return timeline, tuple(cx.ArticleGroup(sources[a], tuple(groups[a])) for a in group_order), footnotes


def _leads(chosen: list[Passage], split: Mapping[int, list[str]], joined: Claims) -> dict[int, Wording]:
    """Claim -> its wording shown on this page: the first of its wordings (most complete first) that is
    in one of these passages (`split`: the sentences of those that state a claim)."""
    on_page = {p.order for p in chosen}
    lead_of: dict[int, Wording] = {}
    for p in chosen:
        for n in range(len(split.get(p.order, ()))):
            cid = joined.of_sentence.get((p.order, n))
            if cid is not None and cid not in lead_of:
                lead_of[cid] = next(w for w in joined.claims[cid].wordings if w.passage in on_page)
    return lead_of


def _in_time(views: list[tuple[Passage, cx.PassageView]],
             rank_of: Mapping[str, int]) -> list[tuple[Passage, cx.PassageView]]:
    """Passages by the day they were first reported (undated last); in a day, the most widely reported
    first, then by article and the article's order."""
    return sorted(views, key=lambda pv: (pv[1].date or UNDATED, -pv[1].outlets, rank_of[pv[0].article_id],
                                         pv[0].order))


def _disputes_once(views: list[tuple[Passage, cx.PassageView]]) -> list[tuple[Passage, cx.PassageView]]:
    """The passages with each dispute shown once, under the first passage (in this order) that states a
    side of it: the table holds both sides, each cited to its own articles."""
    shown: set[frozenset[str]] = set()
    out = []
    for p, view in views:
        kept = []
        for c in view.claims:
            sides = frozenset([c.text, *(w.text for w in c.disputed)])
            if c.disputed and sides in shown:
                c = replace(c, disputed=())
            shown.add(sides)
            if c.others or c.disputed:
                kept.append(c)
        out.append((p, replace(view, claims=tuple(kept)) if len(kept) != len(view.claims) else view))
    return out


def day_heading(date: str | None) -> str:
    """A date YYYY-MM-DD as a reader writes it ("24 February 2025"), whatever the locale."""
    if date is None:
        return "Date not known"
    year, month, day = date[:10].split("-")
    return f"{int(day)} {MONTHS[int(month) - 1]} {year}"


def _passage_view(p: Passage, parts: list[str] | None, score: float, lead_of: Mapping[int, Wording],
                  joined: Claims, sources: Mapping[str, cx.Source], family_of: Mapping[str, str]) -> cx.PassageView | None:
    """A passage as the page shows it, without the wordings of claims shown in another passage of the page.

    `parts` are its sentences when one states a claim (None: it is shown whole)."""
    if parts is None:  # most passages: shown whole, cited to the articles that report it
        cited = tuple(sources[s] for s in p.sources)
        return cx.PassageView(p.text, cited, p.line, score, (), sources[p.article_id],
                              claims.outlets(p.sources, family_of), _earliest(cited))
    kept, notes = [], []
    reporting = set(p.sources)  # the articles that report the passage or a claim it leads
    for n, text in enumerate(parts):
        cid = joined.of_sentence.get((p.order, n))
        if cid is not None:
            lead = lead_of[cid]
            if (lead.passage, lead.sentence) != (p.order, n):
                continue  # another outlet's wording, shown under the claim where it leads
            notes.append(_claim_view(lead, joined.claims[cid], joined, sources, family_of))
            reporting.update(a for w in joined.claims[cid].wordings for a in w.sources)
        kept.append(text)
    if not kept:
        return None
    text = p.text if len(kept) == len(parts) else " ".join(kept)
    cited = [sources[s] for s in p.sources] + [s for c in notes for w in c.others for s in w.sources]
    return cx.PassageView(text, tuple(sources[s] for s in p.sources), p.line, score, tuple(notes),
                          sources[p.article_id], claims.outlets(tuple(reporting), family_of), _earliest(cited))


def _earliest(cited: Iterable[cx.Source]) -> str | None:
    """The earliest publication day, YYYY-MM-DD, of these sources (None when none is dated)."""
    return min((s.published[:10] for s in cited if s.published), default=None)


def _cite(cited: dict[str, None], first: Sequence[cx.Source], *shown: cx.Claim) -> None:
    """Record, in reading order, the sources cited by a text and by the claims shown with it."""
    cited.update((s.id, None) for s in first)
    for c in shown:
        for w in (*c.others, *c.disputed):
            cited.update((s.id, None) for s in w.sources)


def _label(article_id: str) -> str:
    return re.sub(r"[^A-Za-z0-9_-]", "-", article_id)


def _labels(ids: list[str]) -> dict[str, str]:
    """Footnote labels from article ids, made unique where two ids would clash."""
    out, used = {}, set()
    for i in ids:
        label, n = _label(i), 1
        while label.lower() in used:
            n += 1
            label = f"{_label(i)}-{n}"
        used.add(label.lower())
        out[i] = label
    return out


def part(page: str, number: int) -> str:
    """The name of part `number` (1, 2, ...) of a page split in parts: `page`, `page-2`, `page-3`, ..."""
    return page if number == 1 else f"{page}-{number}"


# An id that toc's slugify leaves as it is: lower-case ASCII words joined by single hyphens (most ids are).
_PLAIN_ID = re.compile(r"[a-z0-9_]+(?:-[a-z0-9_]+)*")


def anchor(article_id: str) -> str:
    """The id Python-Markdown's toc gives a sources-page heading that is exactly the article id."""
    if _PLAIN_ID.fullmatch(article_id):
        return article_id  # slugify's work (Unicode normalising, two substitutions) would change nothing
    return slugify(article_id, "-")
