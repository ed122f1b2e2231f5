"""Deduplicate whole articles and passages.

How it works, in three steps that never compare all pairs:

1. Candidates. Every article's normalised text is cut into word shingles; one shingle in
   `shingle_sample` (chosen by hash, the same for every article) goes into an inverted index. Articles
   sharing at least `candidate_min_shared` sampled shingles are candidates. Shingles found in more than
   `shingle_max_df` articles are common phrases and ignored.
2. Alignment. For each candidate pair, sentences are matched: first exactly (after normalisation),
   then the rest with rapidfuzz `fuzz.ratio` >= `sentence_match`, then what is left as a word-for-word
   run inside the other article's text (a piece of a sentence that a reprint cut in two). Identical
   sentences anywhere in the corpus are matched by their hashes too, so a quote shared by any two
   articles is found.
3. Decisions. An article is a copy of another when at least `article_duplicate` of its text is found
   in the other (containment: a trimmed copy or an excerpt is wholly inside its original). In that
   share, quoted speech weighs `quote_weight` against the reporter's own words: independent reports
   of one event quote the same people, copies share the narrative too. Each article joins one
   source, the one holding most of it, and families are trees, so one excerpt cannot tie together two
   reports that both contain it. The canonical article of a family is the earliest published, then
   the longest, then the first by id. A paragraph is merged when `passage_covered` of its text is
   already in a kept passage; every kept passage cites every article that carries that share of it.

The per-article part of step 1 (normalised sentences, sampled shingles) depends on one article only;
generator/prepare.py computes it in worker processes and caches it, and `find_families` takes it ready.
Results never depend on the order articles are given in: everything is sorted by article id first.
"""
from __future__ import annotations

import bisect
import zlib
from array import array
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from rapidfuzz import fuzz
from rapidfuzz.process import cdist

from .memo import Memo
from .model import CleanArticle, Merge, Passage
from .settings import Settings
from .textnorm import normalise, quoted_chars, sentences

_MIX = np.uint64(0x9E3779B97F4A7C15)
_BASE = np.uint64(1_000_003)
_MIN_EXACT_WORDS = 3


@dataclass(frozen=True)
class Sentences:
    """Every sentence of every article, normalised for matching, stored column by column (a corpus of
    100k articles has millions of sentences; one object each would cost gigabytes)."""

    norm: list[str]
    chars: array            # characters of the sentence as written
    quoted: array           # ... of them inside quotation marks
    para_start: array       # sentences of paragraph g (counted over all articles): para_start[g]:para_start[g + 1]
    article_para: array     # paragraphs of article i: article_para[i]:article_para[i + 1]

    def of_article(self, i: int) -> range:
        return range(self.para_start[self.article_para[i]], self.para_start[self.article_para[i + 1]])

    def of_paragraph(self, i: int, p: int) -> range:
        g = self.article_para[i] + p
        return range(self.para_start[g], self.para_start[g + 1])


@dataclass(frozen=True)
class Alignment:
    """What passage merging reuses from deduplication: the sentences and which ones are the same."""

    sentences: Sentences
    root: array             # sentences with the same root are the same sentence (in some article)


@dataclass(frozen=True)
class Families:
    """Article-level decisions, and the sentence alignment that passage merging reuses."""

    merges: dict[str, Merge]
    family_of: dict[str, str]
    articles: tuple[CleanArticle, ...]
    rank: tuple[tuple, ...]
    alignment: Alignment | None


@dataclass(frozen=True)
class PassageMerge:
    """Passage-level decisions."""

    passages: tuple[Passage, ...]
    merged_paragraphs: dict[str, int]
    kept_paragraphs: dict[str, int]


class _UnionFind:
    """Union-find whose every set's root is its smallest member (so the result is order-independent)."""

    def __init__(self, n: int):
        self.parent = array("q", range(n))

    def find(self, x: int) -> int:
        parent = self.parent
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


def sentence_data(ca: CleanArticle) -> tuple[tuple[tuple[str, int, int], ...], ...]:
    """(normalised sentence, characters, quoted characters) for each sentence, per kept paragraph."""
    return tuple(tuple((normalise(s), len(s), quoted_chars(s)) for s in sentences(p.text)) for p in ca.paragraphs)


def shingle_sample(norm_text: str, settings: Settings, vocab: dict[str, int]) -> np.ndarray:
    """Sorted unique sampled hashes of the word shingles of a normalised text."""
    toks = norm_text.split()
    if not toks:
        return np.empty(0, dtype=np.uint64)
    for t in set(toks).difference(vocab):
        vocab[t] = zlib.crc32(t.encode())
    arr = np.fromiter(map(vocab.__getitem__, toks), dtype=np.uint64, count=len(toks))
    k = min(settings.shingle_words, len(arr))
    n = len(arr) - k + 1
    h = np.zeros(n, dtype=np.uint64)
    for j in range(k):
        h = h * _BASE + arr[j:j + n]
    h = h * _MIX
    h ^= h >> np.uint64(31)
    return np.unique(h[h % np.uint64(settings.shingle_sample) == 0])


def candidate_pairs(samples: Sequence[np.ndarray], settings: Settings) -> list[tuple[int, int]]:
    """Article index pairs (i < j) that share enough sampled shingles to be worth aligning."""
    if not samples:
        return []
    hashes = np.concatenate(samples)
    owners = np.concatenate([np.full(len(s), i, dtype=np.int64) for i, s in enumerate(samples)])
    order = np.lexsort((owners, hashes))
    hashes, owners = hashes[order], owners[order]
    starts = np.flatnonzero(np.r_[True, hashes[1:] != hashes[:-1]])
    sizes = np.diff(np.r_[starts, len(hashes)])
    n = len(samples)
    codes = []
    for size in np.unique(sizes):
        if size < 2 or size > settings.shingle_max_df:
            continue
        group_starts = starts[sizes == size]
        members = owners[group_starts[:, None] + np.arange(size)]
        for a in range(size):
            for b in range(a + 1, size):
                codes.append(members[:, a] * n + members[:, b])
    if not codes:
        return []
    uniq, counts = np.unique(np.concatenate(codes), return_counts=True)
    keep = uniq[counts >= settings.candidate_min_shared]
    return [(int(c // n), int(c % n)) for c in keep]


def align(a: Sequence[int], b: Sequence[int], sents: Sentences, settings: Settings) -> list[tuple[int, int]]:
    """Matched sentence id pairs between two articles' sentence ids."""
    norm, chars, min_chars = sents.norm, sents.chars, settings.sentence_min_chars
    exact: dict[str, int] = {}
    for s in b:
        exact.setdefault(norm[s], s)
    pairs, rest_a = [], []
    matched_b = set()
    for s in a:
        t = exact.get(norm[s])
        if t is not None and norm[s].count(" ") >= _MIN_EXACT_WORDS - 1:
            pairs.append((s, t))
            matched_b.add(t)
        elif chars[s] >= min_chars:
            rest_a.append(s)
    rest_b = [s for s in b if s not in matched_b and chars[s] >= min_chars]
    if rest_a and rest_b:
        scores = cdist([norm[s] for s in rest_a], [norm[s] for s in rest_b],
                       scorer=fuzz.ratio, score_cutoff=settings.sentence_match, dtype=np.uint8)
        hit_a, hit_b = np.nonzero(scores)
        for i, j in zip(hit_a, hit_b):
            pairs.append((rest_a[i], rest_b[j]))
        done_a, done_b = set(hit_a.tolist()), set(hit_b.tolist())
        pairs += _fragments([s for i, s in enumerate(rest_a) if i not in done_a], b, sents)
        pairs += [(s, t) for t, s in _fragments([s for i, s in enumerate(rest_b) if i not in done_b], a, sents)]
    return pairs


def _local(a: range, b: range, matched: list[tuple[int, int]]) -> bytes:
    """Matched pairs as offsets into the two articles, packed for the memo."""
    return array("i", [x for s, t in matched for x in (s - a.start, t - b.start)]).tobytes()


def _aligned(a: range, b: range, packed: bytes | None) -> list[tuple[int, int]] | None:
    """The matched pairs `_local` packed, as sentence ids again (None when there is nothing kept)."""
    if packed is None:
        return None
    flat = array("i")
    flat.frombytes(packed)
    return [(a.start + flat[k], b.start + flat[k + 1]) for k in range(0, len(flat), 2)]


def _fragments(ids: list[int], other: Sequence[int], sents: Sentences) -> list[tuple[int, int]]:
    """(sentence, containing sentence) for sentences found word for word inside the other article's text.

    A paragraph split in the middle of a sentence (after "U.S." or a comma) leaves two pieces that
    match no whole sentence; each is still a run of the other article's words.
    """
    if not ids:
        return []
    norm = sents.norm
    text, starts = " ", []
    for t in other:
        starts.append(len(text))
        text += norm[t] + " "
    found = []
    for s in ids:
        at = text.find(" " + norm[s] + " ")
        if at >= 0:
            found.append((s, other[bisect.bisect_right(starts, at + 1) - 1]))
    return found


def coverage(ids: Sequence[int], matched: set[int], sents: Sentences) -> float:
    """Share of the characters of these sentences that are in `matched`."""
    chars = sents.chars
    total = sum(chars[s] for s in ids)
    return sum(chars[s] for s in ids if s in matched) / total if total else 0.0


def copy_evidence(ids: Sequence[int], matched: set[int], sents: Sentences, settings: Settings) -> float:
    """Share of an article's text found in another, with quoted speech counting `quote_weight`.

    Independent reports of one event quote the same people word for word; a copy also shares the
    reporter's own sentences. So quotes are weak evidence of copying, and narrative text strong.
    """
    total = found = 0.0
    chars, quoted, discount = sents.chars, sents.quoted, 1.0 - settings.quote_weight
    for s in ids:
        w = chars[s] - discount * quoted[s]
        total += w
        if s in matched:
            found += w
    return found / total if total else 0.0


def canonical_key(ca: CleanArticle) -> tuple:
    """Documented rule: earliest published first, then the most complete (longest), then by id."""
    return (ca.article.published or "9999-99-99", -ca.chars, ca.id)


def find_families(articles: Sequence[CleanArticle], settings: Settings,
                  prepared: Mapping[str, object] | None = None, memo: Memo | None = None,
                  content_keys: Mapping[str, bytes] | None = None) -> Families:
    """Group duplicate articles into families, each with its canonical article.

    `prepared` maps article ids to generator.prepare.Prepared records (normalised sentences and shingle
    sample of exactly these cleaned paragraphs), so that the per-article work is not done again.
    `memo` keeps each candidate pair's alignment between builds, keyed by the two articles'
    `content_keys` (a key stands for a file's path and bytes; the memo's tag for code and settings).
    """
    articles = sorted(articles, key=lambda ca: ca.id)
    prepared = prepared or {}
    norm: list[str] = []
    chars, quoted = array("q"), array("q")
    para_start, article_para = array("q", [0]), array("q", [0])
    samples: list[np.ndarray | None] = []
    for ca in articles:
        prep = prepared.get(ca.id)
        if prep is not None and prep.cleaned is not None and prep.cleaned.paragraphs == ca.paragraphs:
            per_para, sample = prep.sentences, prep.sample
        else:
            per_para, sample = sentence_data(ca), None
        for para in per_para:
            for n, c, q in para:
                norm.append(n)
                chars.append(c)
                quoted.append(q)
            para_start.append(len(norm))
        article_para.append(len(para_start) - 1)
        samples.append(sample)
    sents = Sentences(norm, chars, quoted, para_start, article_para)
    by_article = [sents.of_article(i) for i in range(len(articles))]

    # 1. candidates from the sampled shingle index
    vocab: dict[str, int] = {}
    samples = [shingle_sample(" ".join(norm[s] for s in ids), settings, vocab) if sample is None else sample
               for ids, sample in zip(by_article, samples)]
    pairs = candidate_pairs(samples, settings)
    del samples, vocab

    # 2. align sentences: candidate pairs, then identical sentences anywhere
    sentence_uf = _UnionFind(len(norm))
    keys = [canonical_key(ca) for ca in articles]
    links: list[tuple[float, int, int]] = []  # (share of the copy found in the source, copy, source)
    content_keys = content_keys or {}
    for i, j in pairs:
        key_i, key_j = content_keys.get(articles[i].id), content_keys.get(articles[j].id)
        pair_key = key_i + key_j if memo and key_i and key_j else None
        matched = _aligned(by_article[i], by_article[j], memo.get(pair_key) if pair_key else None)
        if matched is None:
            matched = align(by_article[i], by_article[j], sents, settings)
            if pair_key:
                memo.put(pair_key, _local(by_article[i], by_article[j], matched))
        for s, t in matched:
            sentence_uf.union(s, t)
        for copy, other, share in ((i, j, copy_evidence(by_article[i], {s for s, _ in matched}, sents, settings)),
                                   (j, i, copy_evidence(by_article[j], {t for _, t in matched}, sents, settings))):
            if share >= settings.article_duplicate:
                links.append((share, copy, other))
    for a, b in _identical(norm):
        sentence_uf.union(a, b)

    # 3a. article families: strongest links first, each article takes one source, and a family is a
    # tree (a link inside a family is skipped). So an excerpt that two different reports both contain
    # joins only the one that holds most of it, and two near-identical copies still reach their original.
    article_uf = _UnionFind(len(articles))
    source: dict[int, tuple[float, int]] = {}
    copies_of: dict[int, list[tuple[float, int]]] = defaultdict(list)
    for share, copy, original in sorted(links, key=lambda l: (-l[0], keys[l[2]], keys[l[1]])):
        if copy not in source and article_uf.find(copy) != article_uf.find(original):
            article_uf.union(copy, original)
            source[copy] = (share, original)
            copies_of[original].append((share, copy))
    families: dict[int, list[int]] = defaultdict(list)
    for i in range(len(articles)):
        families[article_uf.find(i)].append(i)
    merges: dict[str, Merge] = {}
    family_of: dict[str, str] = {}
    rank: dict[int, tuple] = {}
    for members in families.values():
        canon = min(members, key=keys.__getitem__)
        for m in members:
            family_of[articles[m].id] = articles[canon].id
            rank[m] = (keys[canon], m != canon, keys[m])
            if m == canon:
                continue
            # the link that brought m in: its own source, or else its closest copy
            share, other = source[m] if m in source else max(copies_of[m], key=lambda c: (c[0], -c[1]))
            merges[articles[m].id] = Merge(articles[m].id, articles[canon].id, round(share, 3),
                                           via=None if other == canon else articles[other].id)

    root = array("q", map(sentence_uf.find, range(len(norm))))
    return Families(merges, family_of, tuple(articles), tuple(rank[i] for i in range(len(articles))),
                    Alignment(sents, root))


def _identical(norm: list[str]) -> list[tuple[int, int]]:
    """(first, other) sentence id pairs with the same text of at least three words, `first` the smallest.

    Sorting 64-bit hashes with numpy keeps this to a few bytes a sentence; texts are compared to be sure.
    """
    n = len(norm)
    hashes = np.fromiter((hash(t) if t.count(" ") >= _MIN_EXACT_WORDS - 1 else 0 for t in norm),
                         dtype=np.int64, count=n)
    order = np.argsort(hashes, kind="stable")  # equal hashes: ascending sentence ids
    ordered = hashes[order]
    starts_run = np.r_[True, ordered[1:] != ordered[:-1]]
    first = order[np.maximum.accumulate(np.where(starts_run, np.arange(n), 0))]
    later = np.flatnonzero(~starts_run & (ordered != 0))
    pairs, collided = [], set()
    for a, b in zip(first[later].tolist(), order[later].tolist()):
        if norm[a] == norm[b]:
            pairs.append((a, b))
        else:  # two texts with one hash: group that run by its texts instead
            collided.add(a)
    for a in collided:
        run = order[ordered == hashes[a]].tolist()
        by_text: dict[str, int] = {}
        pairs += [(by_text.setdefault(norm[b], b), b) for b in run if by_text.setdefault(norm[b], b) != b]
    return pairs


def merge_passages(fam: Families, settings: Settings, skip: frozenset[tuple[str, int]] = frozenset()) -> PassageMerge:
    """Walk paragraphs, canonical articles first; merge those already covered by a kept passage.

    `skip` names (article id, line) paragraphs removed after alignment (corpus boilerplate).
    """
    articles, sents, root = fam.articles, fam.alignment.sentences, fam.alignment.root
    # articles carrying each sentence that more than one article has (any other is only its own article's)
    root_of = np.frombuffer(root, dtype=np.int64)
    is_shared = np.bincount(root_of, minlength=len(root_of))[root_of] > 1
    shared = np.flatnonzero(is_shared)
    para_start = np.frombuffer(sents.para_start, dtype=np.int64)
    running = np.r_[0, np.cumsum(is_shared)]
    has_shared = (running[para_start[1:]] > running[para_start[:-1]]).tolist()  # per paragraph
    paragraph = np.searchsorted(para_start, shared, side="right") - 1
    article = np.searchsorted(np.frombuffer(sents.article_para, dtype=np.int64), paragraph, side="right") - 1
    carriers: dict[int, set[int]] = defaultdict(set)
    for sid, g, ai in zip(shared.tolist(), paragraph.tolist(), article.tolist()):
        ca = articles[ai]
        if not skip or (ca.id, ca.paragraphs[g - sents.article_para[ai]].line) not in skip:
            carriers[root[sid]].add(ai)
    owned: set[int] = set()
    passages: list[Passage] = []
    kept = dict.fromkeys((ca.id for ca in articles), 0)
    merged = dict(kept)
    order = sorted(range(len(articles)), key=lambda i: fam.rank[i])
    position = {a: n for n, a in enumerate(order)}
    for ai in order:
        ca = articles[ai]
        for pi, p in enumerate(ca.paragraphs):
            if (ca.id, p.line) in skip:
                continue
            if has_shared[sents.article_para[ai] + pi]:
                ids = sents.of_paragraph(ai, pi)
                roots = [root[s] for s in ids]
                covered = {s for s, r in zip(ids, roots) if r in owned}
                if ids and coverage(ids, covered, sents) >= settings.passage_covered:
                    merged[ca.id] += 1
                    continue
                owned.update(roots)
                sources = _sources(ai, ids, roots, carriers, sents, settings)
            else:  # no sentence of it is anywhere else: nothing to merge, and only its own article carries it
                sources = {ai}
            passages.append(Passage(
                key=f"{ca.id}:{p.line}", article_id=ca.id, line=p.line, text=p.text,
                sources=tuple(articles[a].id for a in sorted(sources, key=position.__getitem__)),
                order=len(passages)))
            kept[ca.id] += 1
    return PassageMerge(tuple(passages), merged, kept)


def _sources(own: int, ids: Sequence[int], roots: list[int], carriers: dict[int, set[int]],
             sents: Sentences, settings: Settings) -> set[int]:
    """Articles carrying at least `passage_covered` of a paragraph's text (always its own)."""
    chars = sents.chars
    total = sum(chars[s] for s in ids) or 1
    weight: dict[int, int] = defaultdict(int)
    for s, r in zip(ids, roots):
        for a in carriers.get(r, ()):
            weight[a] += chars[s]
    return {own} | {a for a, w in weight.items() if w / total >= settings.passage_covered}
