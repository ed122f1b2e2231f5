"""Passages: the paragraphs kept for the briefings, each citing every article that carries it.

Paragraphs are walked canonical articles first; one whose text is already `passage_covered` in a kept
passage is merged into it (counted, not shown again), and every kept passage cites each article that
carries `passage_cited` of it (all of it: a footnote vouches only for text its article holds), its
own first. Sentences are the same when deduplication aligned them (generator/families.py); an
article is cited for a sentence only when its text around its matched sentence holds it, as a reader
checking the footnote would find it.
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from rapidfuzz import fuzz

from .families import Alignment, Families, Sentences, coverage
from .model import Passage
from .settings import Settings


@dataclass(frozen=True)
class Passages:
    """The kept passages, and how many paragraphs of each article were kept or merged."""

    passages: tuple[Passage, ...]   # passage n has order n
    merged: dict[str, int]          # article id -> its paragraphs merged into a passage kept elsewhere
    kept: dict[str, int]            # article id -> its paragraphs kept as passages


def merge_passages(fam: Families, alignment: Alignment, settings: Settings,
                   skip: frozenset[tuple[str, int]] = frozenset()) -> Passages:
    """Walk paragraphs, canonical articles first; merge those already covered by a kept passage.

    `skip` names (article id, line) paragraphs removed after alignment (corpus boilerplate).
    """
    articles, sents, root = fam.articles, alignment.sentences, alignment.root
    pieces = np.frombuffer(alignment.pieces, dtype=np.int64).reshape(-1, 2)
    # sentences more than one article has, whole or in part (any other is only its own article's)
    root_of = np.frombuffer(root, dtype=np.int64)
    is_shared = np.bincount(root_of, minlength=len(root_of))[root_of] > 1
    is_shared[pieces.ravel()] = True
    para_start = np.frombuffer(sents.para_start, dtype=np.int64)
    running = np.r_[0, np.cumsum(is_shared)]
    has_shared = (running[para_start[1:]] > running[para_start[:-1]]).tolist()  # per paragraph
    skipped = _skipped(fam, sents, skip)
    carriers = _carriers(alignment, np.flatnonzero(is_shared), skipped)
    wholes, parts = defaultdict(set), defaultdict(set)  # root of a piece -> roots of its wholes, and back
    for piece, whole in pieces.tolist():
        wholes[root[piece]].add(root[whole])
        parts[root[whole]].add(root[piece])
    owned: set[int] = set()
    passages: list[Passage] = []
    kept = dict.fromkeys((ca.id for ca in articles), 0)
    merged = dict(kept)
    order = sorted(range(len(articles)), key=lambda i: fam.rank[i])
    position = {a: n for n, a in enumerate(order)}
    for ai in order:
        ca = articles[ai]
        aid, first, before = ca.id, sents.article_para[ai], len(passages)
        for pi, p in enumerate(ca.paragraphs):
            g = first + pi
            if g in skipped:
                continue
            if has_shared[g]:
                ids = range(sents.para_start[g], sents.para_start[g + 1])
                roots = [root[s] for s in ids]
                # a sentence is covered by a kept passage of it, or of a sentence it is a piece of
                covered = {s for s, r in zip(ids, roots) if r in owned or not owned.isdisjoint(wholes.get(r, ()))}
                if ids and coverage(ids, covered, sents) >= settings.passage_covered:
                    merged[aid] += 1
                    continue
                owned.update(roots)
                candidates = [{r, *wholes.get(r, ()), *parts.get(r, ())} for r in roots]
                sources = _sources(ai, ids, candidates, carriers, alignment, settings)
                cited = tuple(articles[a].id for a in sorted(sources, key=position.__getitem__))
            else:  # no sentence of it is anywhere else: nothing to merge, and only its own article carries it
                cited = (aid,)
            passages.append(Passage(f"{aid}:{p.line}", aid, p.line, p.text, cited, len(passages)))
        kept[aid] = len(passages) - before
    return Passages(tuple(passages), merged, kept)


def _skipped(fam: Families, sents: Sentences, skip: frozenset[tuple[str, int]]) -> set[int]:
    """The paragraphs named in `skip` (article id, line), as paragraph numbers counted over all articles."""
    if not skip:
        return set()
    lines: dict[str, set[int]] = defaultdict(set)
    for aid, line in skip:
        lines[aid].add(line)
    return {sents.article_para[ai] + pi for ai, ca in enumerate(fam.articles) if ca.id in lines
            for pi, p in enumerate(ca.paragraphs) if p.line in lines[ca.id]}


def _carriers(alignment: Alignment, shared: np.ndarray, skipped: set[int]) -> dict[int, dict[int, int]]:
    """Per root of a shared sentence: each article with a sentence of that root (not in a `skipped`
    paragraph), and its longest one."""
    sents, root = alignment.sentences, alignment.root
    paragraph = np.searchsorted(np.frombuffer(sents.para_start, dtype=np.int64), shared, side="right") - 1
    article = np.searchsorted(np.frombuffer(sents.article_para, dtype=np.int64), paragraph, side="right") - 1
    carriers: dict[int, dict[int, int]] = defaultdict(dict)
    for sid, g, ai in zip(shared.tolist(), paragraph.tolist(), article.tolist()):
        if g not in skipped:
            held = carriers[root[sid]]
            if ai not in held or sents.chars[sid] > sents.chars[held[ai]]:
                held[ai] = sid
    return carriers


def _sources(own: int, ids: Sequence[int], candidates: list[set[int]], carriers: dict[int, dict[int, int]],
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
            for a, t in carriers.get(r, _NONE).items():
                if a != own and a not in holders and (norm[t] == norm[s] or
                                                      _holds(norm[s], t, sents.of_article(a), sents, settings)):
                    holders.add(a)
        for a in holders:
            weight[a] += chars[s]
    return {own} | {a for a, w in weight.items() if w / total >= settings.passage_cited}


_NONE: dict[int, int] = {}


def _holds(norm: str, t: int, article: range, sents: Sentences, settings: Settings) -> bool:
    """Whether a normalised sentence is in the text of sentence t and its neighbours in their `article`."""
    if sents.norm[t] == norm:
        return True
    text = " ".join(sents.norm[x] for x in (t - 1, t, t + 1) if x in article)
    return f" {norm} " in f" {text} " or (len(norm) <= len(text)
                                           and fuzz.partial_ratio(norm, text) >= settings.sentence_match)
