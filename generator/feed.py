"""The Atom feed (`feed.xml`): for each build that added passages to a topic, one entry listing them.

"New" is measured against the previous published build, read back from the briefings folder: its
`feed-state.json` (committed and published with the briefings) holds the passages each topic had, by a
hash of their text, and the entries the feed already carries. A build compares its passages with that
state, adds one entry per topic that gained passages, and keeps the earlier entries as they were, so an
identical rebuild writes identical bytes and adding an article adds entries only for the topics it touched.

Nothing here reads a clock: an entry is dated by the newest publication date among the articles of its
new passages; when none of them is dated, by SOURCE_DATE_EPOCH if set, else by the newest date of the
whole corpus, else the Unix epoch. Ids are `urn:uuid:` names derived from the topic slug and the hashes
of the passages the entry lists, so they never change once written.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import html
import json
import re
import uuid
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

from . import context as cx
from .errors import GeneratorError, Problem
from .escape import visible_text
from .memo import Cache, Memo, digest
from .model import REJECTED, Passage
from .settings import Settings
from .ledger import json_text
from .topics import TopicMatch, TopicsFile

NAME = "feed.xml"
STATE = "feed-state.json"
VERSION = 1
ATOM = "http://www.w3.org/2005/Atom"
_IDS = uuid.UUID("6f0f5b1e-2b63-5a4e-9c57-3d1f0e2a7c11")  # namespace of the uuid5 names of feeds and entries
_EPOCH = "1970-01-01T00:00:00Z"
# Characters XML 1.0 does not allow (control characters are already shown as U+XXXX by visible_text).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_STATE_HINT = "it is written by `briefings build`; delete it to start the feed afresh (every passage is then new)"


@dataclass(frozen=True)
class Cited:
    """An article that carries a passage listed in an entry."""

    name: str
    outlet: str | None
    published: str | None
    url: str | None


@dataclass(frozen=True)
class Item:
    """A new passage as an entry lists it."""

    text: str
    sources: tuple[Cited, ...]


@dataclass(frozen=True)
class Entry:
    """One topic's new passages in one build."""

    id: str
    topic: str              # slug
    title: str
    updated: str            # RFC 3339, UTC
    added: int              # new passages, listed or not
    items: tuple[Item, ...]  # at most `feed_entry_passages`, the most widely reported first


@dataclass(frozen=True)
class State:
    """What the feed has published: each topic's passages (text hashes, sorted) and the entries, newest first."""

    topics: dict[str, tuple[str, ...]]
    entries: tuple[Entry, ...]


EMPTY = State({}, ())


def passage_hash(text: str) -> str:
    """A passage's identity in the feed: a hash of its text as shown, so it survives a change of canonical article."""
    return hashlib.sha256(visible_text(text).encode("utf-8")).hexdigest()[:20]


def _passage_hashes(passages: Sequence[Passage], matches: Sequence[TopicMatch], memo: Memo) -> dict[int, str]:
    """`passage_hash` of each passage on some topic, by its order, kept in the memo by a digest of its text (those
    the memo lacks hashed on every core from `PARALLEL_MIN_PASSAGES`)."""
    on = [p for p, m in zip(passages, matches) if m.topics]
    hashes = memo.keep_all([digest(p.text) if memo else None for p in on], lambda k: passage_hash(on[k].text),
                           PARALLEL_MIN_PASSAGES)
    return {p.order: h for p, h in zip(on, hashes)}


PARALLEL_MIN_PASSAGES = 50_000  # to hash, from which workers are started


def load(folder: Path | None) -> State:
    """The state of the previous published build in `folder` (the briefings folder); EMPTY when there is none."""
    if folder is None:
        return EMPTY
    path = folder / STATE
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return EMPTY
    except (OSError, UnicodeDecodeError) as err:
        raise GeneratorError(Problem(str(path), f"cannot be read: {err}", _STATE_HINT)) from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as err:
        raise GeneratorError(Problem(str(path), f"not valid JSON: {err.msg}", _STATE_HINT, err.lineno)) from None
    try:
        if data["version"] != VERSION:
            raise ValueError(f"version {data['version']!r}, not {VERSION}")
        topics = {str(slug): tuple(str(k) for k in keys) for slug, keys in data["topics"].items()}
        entries = tuple(Entry(e["id"], e["topic"], e["title"], e["updated"], int(e["added"]),
                              tuple(Item(i["text"], tuple(Cited(**c) for c in i["sources"])) for i in e["items"]))
                        for e in data["entries"])
    except (KeyError, TypeError, ValueError, AttributeError) as err:
        raise GeneratorError(Problem(str(path), f"not a feed state this version writes ({err!r})",
                                     _STATE_HINT)) from None
    return State(topics, entries)


def update(previous: State, spec: TopicsFile, settings: Settings, sources: Sequence[cx.Source],
           passages: Sequence[Passage], matches: Sequence[TopicMatch], source_date: int | None,
           cache: Cache | None = None) -> State:
    """The new state: this build's passages per topic, and an entry for each topic that gained passages.

    The cache keeps each passage's hash by its text (memo "feed")."""
    by_id = {s.id: s for s in sources if s.status != REJECTED}
    mine: dict[str, list[Passage]] = {t.slug: [] for t in spec.topics}
    for p, m in zip(passages, matches):
        for slug in m.topics:
            mine[slug].append(p)
    with (cache or Cache(None, settings)).memo("feed") as memo:
        hash_of = _passage_hashes(passages, matches, memo)
    fallback = _fallback_stamp(by_id.values(), source_date)
    fresh: list[Entry] = []
    for topic in spec.topics:
        seen = set(previous.topics.get(topic.slug, ()))
        new = [p for p in mine[topic.slug] if hash_of[p.order] not in seen]
        if new:
            fresh.append(_entry(topic.slug, topic.title, new, hash_of, by_id, settings, fallback))
    ids = {e.id for e in fresh}
    slugs = {t.slug for t in spec.topics}
    kept = [e for e in previous.entries if e.id not in ids and e.topic in slugs]
    topics = {slug: tuple(sorted({hash_of[p.order] for p in ps})) for slug, ps in mine.items()}
    return State(topics, tuple([*fresh, *kept][:max(0, settings.feed_entries)]))


def _fallback_stamp(sources: Iterable[cx.Source], source_date: int | None) -> str:
    """The date of an entry whose articles give none: SOURCE_DATE_EPOCH, else the corpus' newest date."""
    if source_date is not None:
        return _epoch_stamp(source_date)
    latest = max((s.published for s in sources if s.published), default=None)
    return _day_stamp(latest) if latest else _EPOCH


def _entry(slug: str, title: str, new: list[Passage], hash_of: Mapping[int, str], by_id: Mapping[str, cx.Source],
           settings: Settings, fallback: str) -> Entry:
    """The entry of one topic's new passages: the most widely reported (by independent outlets) listed first."""
    def outlets(p: Passage) -> int:  # independent outlets: a copy counts with the article it copies
        return len({by_id[a].duplicate_of or a for a in p.sources if a in by_id})

    new = sorted(new, key=lambda p: (-outlets(p), -len(p.sources), p.order))
    hashes = sorted({hash_of[p.order] for p in new})
    entry_id = f"urn:uuid:{uuid.uuid5(_IDS, ' '.join(['entry', slug, *hashes]))}"
    dates = [by_id[a].published for p in new for a in p.sources if a in by_id and by_id[a].published]
    items = tuple(Item(visible_text(p.text), tuple(_cited(by_id[a]) for a in p.sources if a in by_id))
                  for p in new[:max(0, settings.feed_entry_passages)])
    n = len(new)
    return Entry(entry_id, slug, f"{visible_text(title)}: {n} new passage{'s' if n != 1 else ''}",
                 _day_stamp(max(dates)) if dates else fallback, n, items)


def _cited(s: cx.Source) -> Cited:
    return Cited(visible_text(s.name), visible_text(s.outlet) if s.outlet else None, s.published,
                 str(s.url) if s.url else None)


def _day_stamp(day: str) -> str:
    return f"{day}T00:00:00Z"


def _epoch_stamp(seconds: int) -> str:
    return dt.datetime.fromtimestamp(seconds, dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def files(state: State, spec: TopicsFile, source_date: int | None) -> dict[str, str]:
    """The feed and its state, as files of the briefings folder."""
    data = {"version": VERSION, "topics": {slug: list(keys) for slug, keys in state.topics.items()},
            "entries": [asdict(e) for e in state.entries]}
    return {STATE: json_text(data), NAME: atom(state, spec, source_date)}


def atom(state: State, spec: TopicsFile, source_date: int | None) -> str:
    """The Atom (RFC 4287) document: links are relative to the site's root, where feed.xml is published."""
    feed = ET.Element("feed", xmlns=ATOM)
    _text(feed, "id", f"urn:uuid:{uuid.uuid5(_IDS, 'feed ' + spec.title)}")
    _text(feed, "title", f"{spec.title}: what is new")
    _text(feed, "subtitle", spec.description)
    updated = max((e.updated for e in state.entries), default=None)
    _text(feed, "updated", updated or (_epoch_stamp(source_date) if source_date is not None else _EPOCH))
    ET.SubElement(feed, "link", rel="self", type="application/atom+xml", href=NAME)
    ET.SubElement(feed, "link", rel="alternate", type="text/html", href="./")
    _text(ET.SubElement(feed, "author"), "name", spec.title)
    _text(feed, "generator", "briefings")
    titles = {t.slug: t.title for t in spec.topics}
    for e in state.entries:
        entry = ET.SubElement(feed, "entry")
        _text(entry, "id", e.id)
        _text(entry, "title", e.title)
        _text(entry, "updated", e.updated)
        ET.SubElement(entry, "link", rel="alternate", type="text/html", href=f"{e.topic}/")
        _text(entry, "content", _content(e, titles.get(e.topic, e.topic)), type="html")
    ET.indent(feed)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(feed, encoding="unicode") + "\n"


def _text(parent: ET.Element, tag: str, text: str, **attrs: str) -> ET.Element:
    el = ET.SubElement(parent, tag, attrs)
    el.text = _NOT_XML.sub(lambda m: f"U+{ord(m.group()):04X}", text)
    return el


def _content(e: Entry, topic_title: str) -> str:
    """The entry's HTML: each new passage with its sources, then how many more are on the topic page."""
    esc = html.escape
    out = [f'<p>{e.added} passage{"s" if e.added != 1 else ""} added to '
           f'<a href="{esc(e.topic)}/">{esc(visible_text(topic_title))}</a>.</p>', "<ul>"]
    for item in e.items:
        cited = "; ".join(_source_html(c) for c in item.sources)
        out.append(f"<li><p>{esc(item.text)}</p><p>Sources: {cited}</p></li>")
    out.append("</ul>")
    if e.added > len(e.items):
        more = e.added - len(e.items)
        out.append(f"<p>{more} more new passage{'s are' if more != 1 else ' is'} on the topic page.</p>")
    return "".join(out)


def _source_html(c: Cited) -> str:
    name = html.escape(c.name)
    shown = f'<a href="{html.escape(c.url)}">{name}</a>' if c.url else name
    about = ", ".join(html.escape(x) for x in (c.outlet, c.published) if x)
    return f"{shown} ({about})" if about else shown
