"""Passages: the paragraphs kept for the briefings, each citing every article that carries it.

Paragraphs are walked canonical articles first; one whose text is already `passage_covered` in a kept
passage is merged into it (counted, not shown again), and every kept passage cites each article that
carries `passage_cited` of it (all of it: a footnote vouches only for text its article holds), its
own first. Sentences are the same when deduplication aligned them (generator/families.py); an
article is cited for a sentence only when its text around its matched sentence holds it, as a reader
checking the footnote would find it.
"""
from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from rapidfuzz import fuzz

from .families import Alignment, Families, Sentences, coverage, smallest_members
from .memo import Cache
from .model import Passage
from .settings import Settings


@dataclass(frozen=True)
class Passages:
    """The kept passages, and how many paragraphs of each article were kept or merged."""

    passages: tuple[Passage, ...]   # passage n has order n
    merged: dict[str, int]          # article id -> its paragraphs merged into a passage kept elsewhere
    kept: dict[str, int]            # article id -> its paragraphs kept as passages


def merge_passages(fam: Families, alignment: Alignment, settings: Settings,
                   skip: frozenset[tuple[str, int]] = frozenset(), cache: Cache | None = None,
                   content_keys: Mapping[str, bytes] | None = None) -> Passages:
    """Walk paragraphs, canonical articles first; merge those already covered by a kept passage.

    `skip` names (article id, line) paragraphs removed after alignment (corpus boilerplate). The cache keeps
    the walk of each group of articles sharing sentences (memo "passages"; see `_groups` for its key, which
    needs each article's `content_keys`): a group whose key is unchanged is not walked again.
    """
    articles = fam.articles
    skipped = _skipped(fam, alignment.sentences, skip)
    order = sorted(range(len(articles)), key=lambda i: fam.rank[i])
    with (cache or Cache(None, settings)).memo("passages") as memo:
        groups = _groups(alignment, order, skipped, [(content_keys or {}).get(ca.id) for ca in articles]) \
            if memo else []
        walked: dict[int, _Walked] = {}
        for key, members in groups:
            found = memo.get(key) if key else None
            if found is not None:
                walked.update(zip(members, found))
        fresh = _walk(fam, alignment, settings, [ai for ai in order if ai not in walked], skipped)
        for key, members in groups:
            if key and members[0] in fresh:
                memo.put(key, tuple(map(fresh.__getitem__, members)))
        walked.update(fresh)
    passages: list[Passage] = []
    kept_of = dict.fromkeys((ca.id for ca in articles), 0)
    merged_of = dict(kept_of)
    for ai in order:
        ca, (merged, kept) = articles[ai], walked[ai]
        aid, paragraphs = ca.id, ca.paragraphs
        for pi, cited in kept:
            p = paragraphs[pi]
            passages.append(Passage(aid, p.line, p.text, cited, len(passages)))
        merged_of[aid], kept_of[aid] = merged, len(kept)
    return Passages(tuple(passages), merged_of, kept_of)


# One article's walk: its paragraphs merged into passages kept elsewhere, and (paragraph index, ids of the
# articles it cites) of each it keeps as a passage. (A group's key holds its members' paths, hence their ids.)
_Walked = tuple[int, tuple[tuple[int, tuple[str, ...]], ...]]


def _walk(fam: Families, alignment: Alignment, settings: Settings, todo: list[int],
          skipped: set[int]) -> dict[int, _Walked]:
    """The walk of the articles `todo` (whole groups of `_groups`, in rank order): each paragraph covered by a
    passage kept before it is merged, any other kept, citing every article that carries it."""
    if not todo:
        return {}
    articles, sents, root = fam.articles, alignment.sentences, alignment.root
    pieces = np.frombuffer(alignment.pieces, dtype=np.int64).reshape(-1, 2)
    # sentences more than one article has, whole or in part (any other is only its own article's)
    root_of = np.frombuffer(root, dtype=np.int64)
    is_shared = np.bincount(root_of, minlength=len(root_of))[root_of] > 1
    is_shared[pieces.ravel()] = True
    para_start = np.frombuffer(sents.para_start, dtype=np.int64)
    running = np.r_[0, np.cumsum(is_shared)]
    has_shared = (running[para_start[1:]] > running[para_start[:-1]]).tolist()  # per paragraph
    walking = np.zeros(len(articles), dtype=bool)
    walking[todo] = True
    carriers = _carriers(alignment, np.flatnonzero(is_shared), skipped, walking)
    wholes, parts = defaultdict(set), defaultdict(set)  # root of a piece -> roots of its wholes, and back
    for piece, whole in pieces.tolist():
        wholes[root[piece]].add(root[whole])
        parts[root[whole]].add(root[piece])
    owned: set[int] = set()
    position = {a: n for n, a in enumerate(todo)}
    out: dict[int, _Walked] = {}
    for ai in todo:
        ca, first = articles[ai], sents.article_para[ai]
        merged, kept = 0, []
        for pi in range(len(ca.paragraphs)):
            g = first + pi
            if g in skipped:
                continue
            if has_shared[g]:
                ids = range(sents.para_start[g], sents.para_start[g + 1])
                roots = [root[s] for s in ids]
                # a sentence is covered by a kept passage of it, or of a sentence it is a piece of
                covered = {s for s, r in zip(ids, roots) if r in owned or not owned.isdisjoint(wholes.get(r, ()))}
                if ids and coverage(ids, covered, sents) >= settings.passage_covered:
                    merged += 1
                    continue
                owned.update(roots)
                candidates = [{r, *wholes.get(r, ()), *parts.get(r, ())} for r in roots]
                sources = _sources(ai, ids, candidates, carriers, alignment, settings)
                cited = tuple(articles[a].id for a in sorted(sources, key=position.__getitem__))
            else:  # no sentence of it is anywhere else: nothing to merge, and only its own article carries it
                cited = (ca.id,)
            kept.append((pi, cited))
        out[ai] = (merged, tuple(kept))
    return out


def _groups(alignment: Alignment, order: list[int], skipped: set[int],
            keys: Sequence[bytes | None]) -> list[tuple[bytes | None, tuple[int, ...]]]:
    """The articles in groups that share no sentence (whole or in part) with another group, each group's
    members in rank (`order`) order, with a key of everything the walk of the group reads.

    The walk of a group never looks outside it: what covers a paragraph, and who carries it, are
    sentences of its roots and pieces. So its key is, per member in order: its content key (`keys`, for its
    paragraphs and sentences), the root and the pieces of each of its sentences (as (member, sentence) places
    in the group, not corpus-wide numbers, which any other article shifts) and its paragraphs skipped. The
    key is None when a member has no content key.
    """
    sents = alignment.sentences
    n = len(keys)
    start = np.frombuffer(sents.para_start, dtype=np.int64)[np.frombuffer(sents.article_para, dtype=np.int64)]
    article = np.repeat(np.arange(n, dtype=np.int64), np.diff(start))
    root = np.frombuffer(alignment.root, dtype=np.int64)
    pieces = np.frombuffer(alignment.pieces, dtype=np.int64).reshape(-1, 2)
    linked = np.flatnonzero(root != np.arange(len(root)))
    label = smallest_members(n, np.r_[article[linked], article[pieces[:, 0]]],
                             np.r_[article[root[linked]], article[pieces[:, 1]]]).tolist()
    members: dict[int, list[int]] = defaultdict(list)
    place = np.zeros(n, dtype=np.int64)
    for ai in order:
        group = members[label[ai]]
        place[ai] = len(group)
        group.append(ai)
    local = (place[article] << 32) | (np.arange(len(root), dtype=np.int64) - start[article])
    local_root = local[root]
    extra: dict[int, list] = defaultdict(lambda: [[], []])  # article -> its pieces and its skipped paragraphs
    for piece, whole in pieces.tolist():
        extra[int(article[piece])][0].append((int(local[piece]), int(local[whole])))
    article_para = np.frombuffer(sents.article_para, dtype=np.int64)
    for g in skipped:
        ai = int(np.searchsorted(article_para, g, side="right")) - 1
        extra[ai][1].append(g - int(article_para[ai]))
    out = []
    for group in members.values():
        if any(keys[ai] is None for ai in group):
            out.append((None, tuple(group)))
            continue
        h = hashlib.blake2b(digest_size=16)
        for ai in group:
            found, skips = extra.get(ai, ((), ()))
            h.update(keys[ai])
            h.update(local_root[start[ai]:start[ai + 1]].tobytes())
            h.update(repr((sorted(set(found)), sorted(skips))).encode())
        out.append((h.digest(), tuple(group)))
    return out


def _skipped(fam: Families, sents: Sentences, skip: frozenset[tuple[str, int]]) -> set[int]:
    """The paragraphs named in `skip` (article id, line), as paragraph numbers counted over all articles."""
    if not skip:
        return set()
    lines: dict[str, set[int]] = defaultdict(set)
    for aid, line in skip:
        lines[aid].add(line)
    return {sents.article_para[ai] + pi for ai, ca in enumerate(fam.articles) if ca.id in lines
            for pi, p in enumerate(ca.paragraphs) if p.line in lines[ca.id]}


def _carriers(alignment: Alignment, shared: np.ndarray, skipped: set[int],
              walking: np.ndarray) -> dict[int, tuple[int, ...]]:
    """Per root of a shared sentence of an article `walking` (a mask): each article with a sentence of that root
    (not in a `skipped` paragraph) and its longest one (the first of equal length), as a flat tuple (article,
    sentence, article, sentence, ...) in the order the articles first hold the root. (A dict an entry cost 2.6 GiB
    at a million articles, at the peak of deduplication.)"""
    sents = alignment.sentences
    paragraph = np.searchsorted(np.frombuffer(sents.para_start, dtype=np.int64), shared, side="right") - 1
    article = np.searchsorted(np.frombuffer(sents.article_para, dtype=np.int64), paragraph, side="right") - 1
    keep = walking[article] & ~np.isin(paragraph, np.fromiter(skipped, dtype=np.int64, count=len(skipped)))
    shared, article = shared[keep], article[keep]
    if not len(shared):
        return {}
    root = np.frombuffer(alignment.root, dtype=np.int64)[shared]
    chars = np.frombuffer(sents.chars, dtype=np.intc)[shared].astype(np.int64)
    # each (root, article): its longest sentence (by root, article, length down, id), and its first (by id)
    longest = np.lexsort((shared, -chars, article, root))
    by_root, by_article = root[longest], article[longest]
    heads = np.r_[True, (by_root[1:] != by_root[:-1]) | (by_article[1:] != by_article[:-1])]
    first = shared[np.lexsort((shared, article, root))][heads]
    held_root, held_article, held = by_root[heads], by_article[heads], shared[longest][heads]
    by_first = np.lexsort((first, held_root))
    held_root = held_root[by_first]
    flat = np.column_stack((held_article[by_first], held[by_first])).ravel().tolist()
    bounds = np.flatnonzero(np.r_[True, held_root[1:] != held_root[:-1], True]).tolist()
    return {r: tuple(flat[2 * a:2 * b]) for r, a, b in zip(held_root[bounds[:-1]].tolist(), bounds, bounds[1:])}


def _sources(own: int, ids: Sequence[int], candidates: list[set[int]], carriers: dict[int, tuple[int, ...]],
             alignment: Alignment, settings: Settings) -> set[int]:
    """Articles holding at least `passage_cited` of a paragraph's text (always its own).

    An article holds a sentence when the sentence is found in its text around its sentence of a
    `candidates` root (the sentence's own, a sentence it is a piece of, a piece of it): word for word, or
    at `sentence_match` by rapidfuzz `partial_ratio` (the same sentence after house-style edits). Two
    sentences of one root may still differ in what they say ("you'll have to" against "then you'll be
    able to"), and a quoted phrase is in sentences that say different things: neither is a footnote's
    sentence.
    """
    sents = alignment.sentences
    norm, chars = sents.norm, sents.chars
    total = sum(chars[s] for s in ids) or 1
    weight: dict[int, int] = defaultdict(int)
    for s, roots in zip(ids, candidates):
        holders: set[int] = set()
        for r in roots:  # (an article found to hold s by one root needs no look at its sentence of another)
            held = iter(carriers.get(r, ()))
            for a, t in zip(held, held):  # (article, its sentence of root r), flat
                if a != own and a not in holders and (norm[t] == norm[s] or
                                                      _holds(norm[s], t, sents.of_article(a), sents, settings)):
                    holders.add(a)
        for a in holders:
            weight[a] += chars[s]
    return {own} | {a for a, w in weight.items() if w / total >= settings.passage_cited}


def _holds(norm: str, t: int, article: range, sents: Sentences, settings: Settings) -> bool:
    """Whether a normalised sentence is in the text of sentence t and its neighbours in their `article`."""
    if sents.norm[t] == norm:
        return True
    text = " ".join(sents.norm[x] for x in (t - 1, t, t + 1) if x in article)
    return f" {norm} " in f" {text} " or (len(norm) <= len(text)
                                           and fuzz.partial_ratio(norm, text) >= settings.sentence_match)
