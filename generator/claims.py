"""Claims: the same fact told by several outlets in their own words, joined; and where outlets disagree.

Every sentence of a kept passage on a topic is a statement. generator/claims_match.py pairs statements of
different families that state one fact ("same") or state it with figures or names that disagree
("conflict"), and repeats inside one article. A claim is a group of "same" statements: its
wordings, each held by the articles its passage cites. A claim's independent sources are the
families of those articles: copies of one article count once. Only claims with more than one
wording, or in a conflict, are kept as records; any other sentence is a claim of its passage's
articles alone.
"""
from __future__ import annotations

import datetime as dt
import functools
import hashlib
import io
import pickle
from array import array
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from . import claims_match
from .memo import Cache, digest
from .model import Passage
from .settings import Settings
from .textnorm import sentences


@dataclass(frozen=True, slots=True)
class Wording:
    """One outlet's wording of a claim: a sentence of a kept passage."""

    passage: int                  # the passage's order (its index in the build's passages)
    sentence: int                 # the sentence's index in the passage
    text: str
    sources: tuple[str, ...]      # the articles that hold this wording: the passage's sources


@dataclass(frozen=True, slots=True)
class Claim:
    """A fact as one or more outlets state it."""

    wordings: tuple[Wording, ...]  # the one to show first (the most complete), then by position
    outlets: int                   # independent sources: families of all the wordings' articles
    conflicts: tuple[int, ...]     # claims that state it with other figures or names


@dataclass(frozen=True)
class Claims:
    """The joined claims of a build, and which claim each of their sentences belongs to."""

    claims: tuple[Claim, ...]
    of_sentence: dict[tuple[int, int], int]   # (passage order, sentence index) -> claim index

    @functools.cached_property
    def passages(self) -> frozenset[int]:
        """The passages (by order) with a sentence in a claim."""
        return frozenset(order for order, _ in self.of_sentence)


def join(passages: Sequence[Passage], family_of: Mapping[str, str], published: Mapping[str, str | None],
         settings: Settings, among: Sequence[bool] | None = None, cache: Cache | None = None) -> Claims:
    """Join the sentences of the passages that state the same fact into claims.

    `passages[k]` must have order k; `among[k]` says whether passage k takes part (all by default: a
    build joins the passages that are on some topic, the only ones its pages show). Two statements
    whose articles were published more than `claim_max_days` apart are not one claim (news repeats its
    words about other events); undated articles are not held to that. The cache keeps each passage's
    statements, indexed, by its text, and the links between statements of the last build (`_Links`) by a
    digest of all they are made from (`_links_key`): a build whose passages taking part have the texts, families,
    articles and dates of the build before, in the same order, links nothing again (nothing changed, a
    template edited, or an article added whose passages take no part or merge into others).
    """
    taking = [p for p in passages if among is None or among[p.order]]
    rows = _rows(taking, family_of, published)
    with (cache or Cache(None, settings)).memo("links") as memo:
        links = memo.keep(_links_key(taking, rows) if memo else None, lambda: _links(taking, rows, settings, cache))
    # group the statements in a pair; the most complete wording (most words) leads its claim, then by position
    involved = sorted(links.statements)
    local = {x: k for k, x in enumerate(involved)}
    told = [(taking[k], n, words) for k, n, words in map(links.statements.__getitem__, involved)]
    keys = [f"{1_000_000 - words:07d}:{p.order:012d}:{n:06d}" for p, n, words in told]
    groups, conflicts = claims_match.group(len(involved), [(local[i], local[j], k) for i, j, k in links.pairs], keys)
    return _claims([[Wording(p.order, n, sentences(p.text)[n], p.sources)
                     for p, n, _ in (told[m] for m in sorted(g, key=keys.__getitem__))] for g in groups],
                   conflicts, family_of)


@dataclass(frozen=True)
class _Links:
    """Which statements of the passages taking part state one fact, or disagree: what a build's claims are made
    of besides those passages' orders and sources (and the families of their sources, for outlets)."""

    pairs: list[tuple[int, int, str]]            # (statement, statement, "same" or "conflict"), within claim_max_days
    statements: dict[int, tuple[int, int, int]]  # each statement of a pair: (passage taking part, sentence, words)


def _rows(taking: Sequence[Passage], family_of: Mapping[str, str],
          published: Mapping[str, str | None]) -> list[tuple[int, int, int]]:
    """Per passage taking part: its family and article, numbered as first met (as the index numbers them), and
    its article's publication day (0: not known)."""
    family_id: dict[str, int] = {}
    article_id: dict[str, int] = {}
    days: dict[str, int] = {}
    rows = []
    for p in taking:
        if p.article_id not in days:
            days[p.article_id] = day_number(published.get(p.article_id))
        rows.append((family_id.setdefault(family_of[p.article_id], len(family_id)),
                     article_id.setdefault(p.article_id, len(article_id)), days[p.article_id]))
    return rows


def _links_key(taking: Sequence[Passage], rows: Sequence[tuple[int, int, int]]) -> bytes:
    """A digest of everything `_links` reads: the passages taking part in order, each as its text and its `_rows`
    entry. (Pickled without a memo, so equal values give equal bytes whether or not they are one object.)"""
    buffer = io.BytesIO()
    pickler = pickle.Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL)
    pickler.fast = True
    pickler.dump([(p.text, *row) for p, row in zip(taking, rows)])
    return hashlib.blake2b(buffer.getbuffer(), digest_size=16).digest()


def _links(taking: Sequence[Passage], rows: Sequence[tuple[int, int, int]], settings: Settings,
           cache: Cache | None) -> _Links:
    """The statements of these passages indexed and linked (`claims_match.link_index`)."""
    found = _statements(taking, rows, settings, cache)

    def reading(i: int, r: int) -> str:
        told = sentences(taking[found.where[2 * i]].text)
        n = found.where[2 * i + 1]
        return _readings(told, n)[r]

    day = found.day
    pairs = [(i, j, kind) for i, j, kind in claims_match.link_index(found.index, reading, settings)
             if not far_apart(day[i], day[j], settings)]
    return _Links(pairs, {x: (found.where[2 * x], found.where[2 * x + 1], found.words[x])
                          for x in sorted({x for i, j, _ in pairs for x in (i, j)})})


def _claims(groups: list[list[Wording]], conflicts: list[tuple[int, int]], family_of: Mapping[str, str]) -> Claims:
    """The groups of more than one wording, or in a conflict, as claims (numbered in group order)."""
    against: dict[int, set[int]] = {}
    for a, b in conflicts:
        against.setdefault(a, set()).add(b)
        against.setdefault(b, set()).add(a)
    kept = [g for g, members in enumerate(groups) if len(members) > 1 or g in against]
    number = {g: n for n, g in enumerate(kept)}
    out, of_sentence = [], {}
    for g in kept:
        families = {family_of[a] for w in groups[g] for a in w.sources}
        out.append(Claim(tuple(groups[g]), len(families), tuple(sorted(number[c] for c in against.get(g, ())))))
        for w in groups[g]:
            of_sentence[w.passage, w.sentence] = number[g]
    return Claims(tuple(out), of_sentence)


@dataclass(frozen=True)
class _Statements:
    """Every statement of the passages, indexed for matching, in columns."""

    index: claims_match.Index
    where: array    # statement i: passage taking part where[2i] (their index), sentence index where[2i + 1]
    words: array    # its words
    day: array      # its article's publication day (0: not known)


def _statements(taking: Sequence[Passage], rows: Sequence[tuple[int, int, int]], settings: Settings,
                cache: Cache | None) -> _Statements:
    """Index each sentence of at least `claim_min_words` words of each passage taking part (`rows`: their
    families, articles and days)."""
    index = claims_match.Index()
    where, words, day = array("q"), array("i"), array("q")
    told = []  # (parts of each reading, family, article) of each statement, indexed INDEX_CHUNK at a time
    with (cache or Cache(None, settings)).memo("claims") as memo:
        kept = memo.keep_all([digest(p.text) if memo else None for p in taking],
                             lambda k: _passage_statements(taking[k].text, settings), PARALLEL_MIN_PASSAGES)
        for k, (statements, (family, article, date)) in enumerate(zip(kept, rows)):
            for n, size, found in statements:
                told.append((found, family, article))
                where.extend((k, n))
                words.append(size)
                day.append(date)
            if len(told) >= INDEX_CHUNK:
                index.add_all(told)
                told = []
    index.add_all(told)
    return _Statements(index, where, words, day)


# Statements indexed at once: the work lists of `Index.add_all` cost some 100 bytes a stem, and a million
# articles hold a quarter of a billion indexed stems. Chunks give the same index (ids as first met, in order).
INDEX_CHUNK = 100_000


# Passages whose statements are found on every core (`Memo.keep_all`): below it, starting the workers costs more
PARALLEL_MIN_PASSAGES = 5000


def _passage_statements(text: str, settings: Settings) -> tuple[tuple[int, int, tuple[claims_match.Parts, ...]], ...]:
    """(sentence index, words, indexed parts of each reading) of each statement of a passage (the memo "claims"
    keeps them per text)."""
    told = sentences(text)
    return tuple((n, size, tuple(claims_match.parts(r) for r in _readings(told, n)))
                 for n, s in enumerate(told)
                 if (size := len(s.split())) >= settings.claim_min_words and len(s) <= settings.claim_max_chars)


def _readings(told: Sequence[str], n: int) -> tuple[str, ...]:
    """The readings of sentence n of a passage, with the sentence before it in the passage."""
    return claims_match.readings(told[n], told[n - 1] if n else "")


def far_apart(day_a: int, day_b: int, settings: Settings) -> bool:
    """Whether two statements' publication days (`day_number`) are more than `claim_max_days` apart, so that
    they are not one claim; an unknown day (0) is never far."""
    return bool(day_a and day_b and abs(day_a - day_b) > settings.claim_max_days)


def day_number(published: str | None) -> int:
    """A publication date as a day number that grows with time (0 when not known)."""
    return dt.date.fromisoformat(published[:10]).toordinal() if published else 0


def outlets(sources: Sequence[str], family_of: Mapping[str, str]) -> int:
    """Independent sources among these articles: copies of one article count once."""
    return len({family_of[a] for a in sources})
