"""Deduplicate whole articles: which articles are copies of which, and which sentences are the same.

How it works, in three steps that never compare all pairs:

1. Candidates. Every article's normalised text is cut into word shingles; one shingle in
   `shingle_sample` (chosen by hash, the same for every article) goes into an inverted index. Articles
   sharing at least `candidate_min_shared` sampled shingles are candidates. Shingles found in more than
   `shingle_max_df` articles are common phrases and ignored.
2. Alignment. For each candidate pair, sentences are matched: first exactly (after normalisation),
   then the rest with rapidfuzz `fuzz.ratio` >= `sentence_match`, then what is left as a word-for-word
   run inside the other article's text (a piece of a sentence that a reprint cut in two). Identical
   sentences anywhere in the corpus are matched by their hashes too, so a quote shared by any two
   articles is found. Exact and fuzzy matches are the same sentence; a piece is not the same
   sentence as the one it was found in (pieces are kept apart): a quoted phrase that two reports
   both contain would otherwise make their two different sentences one.
3. Decisions. An article is a copy of another when at least `article_duplicate` of its text is found
   in the other (containment: a trimmed copy or an excerpt is wholly inside its original). In that
   share, quoted speech weighs `quote_weight` against the reporter's own words: independent reports
   of one event quote the same people, copies share the narrative too. Each article joins one
   source, the one holding most of it, and families are trees, so one excerpt cannot tie together two
   reports that both contain it. The canonical article of a family is the earliest published, then
   the longest, then the first by id.

The per-article part of step 1 (normalised sentences, sampled shingles) is generator/features.py;
generator/prepare.py computes it in worker processes and caches it, and `find_families` takes it ready.
Results never depend on the order articles are given in: everything is sorted by article id first.
"""
from __future__ import annotations

import bisect
import itertools
from array import array
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from rapidfuzz import fuzz
from rapidfuzz.process import cdist

from . import blocking, features as feats
from .features import ArticleFeatures, Samples
from .memo import Cache, Memo
from .model import CleanArticle, Duplicate
from .settings import Settings

_MIN_EXACT_WORDS = feats.EXACT_MIN_WORDS
# How two matched sentences s (of article a) and t (of article b) relate:
SAME = 0         # one sentence, exactly or nearly
PIECE_OF_T = 1   # s is a piece of a sentence, found word for word in b's text at t
PIECE_OF_S = 2   # t is a piece, found in a's text at s


@dataclass(frozen=True)
class Sentences:
    """Every sentence of every article, normalised for matching, stored column by column (a corpus of
    100k articles has millions of sentences; one object each would cost gigabytes)."""

    norm: Sequence[str]     # each sentence normalised (`Norms`), by sentence id
    chars: array            # characters of the sentence as written ("i")
    quoted: array           # ... of them inside quotation marks ("i")
    para_start: array       # sentences of paragraph g (counted over all articles): para_start[g]:para_start[g + 1]
    article_para: array     # paragraphs of article i: article_para[i]:article_para[i + 1]

    def of_article(self, i: int) -> range:
        return range(self.para_start[self.article_para[i]], self.para_start[self.article_para[i + 1]])

    def of_paragraph(self, i: int, p: int) -> range:
        g = self.article_para[i] + p
        return range(self.para_start[g], self.para_start[g + 1])


@dataclass(frozen=True)
class Alignment:
    """What passage merging reuses from deduplication: the sentences, which ones are the same, and which
    are pieces of which."""

    sentences: Sentences
    root: array             # sentences with the same root are the same sentence (in some article), exactly or nearly
    pieces: array           # (piece, whole) sentence id pairs, flat: the piece is word for word in the text of the
                            # whole's article, starting in the whole (a part of it, or a sentence cut in two there)


@dataclass(frozen=True)
class Families:
    """Article-level decisions: which article copies which, and the order articles are walked in."""

    duplicates: dict[str, Duplicate]            # copy id -> how it joined its family
    family_of: dict[str, str]           # article id -> the id of its family's canonical article
    articles: tuple[CleanArticle, ...]  # sorted by id; indices below refer to this order
    rank: tuple[tuple, ...]             # per article: canonical articles first (earliest, longest), then copies


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


def candidate_pairs(samples: Sequence[np.ndarray], settings: Settings) -> list[tuple[int, int]]:
    """Article index pairs (i < j) that share enough sampled shingles to be worth aligning."""
    left, right = blocking.shared_keys(samples, settings.shingle_max_df, settings.candidate_min_shared)
    return list(zip(left.tolist(), right.tolist()))


_INDEX = b"shingle index"


def _candidates(articles: Sequence[CleanArticle], feature: Sequence[ArticleFeatures], settings: Settings, memo: Memo,
                content_keys: Mapping[str, bytes], samples: Samples | None) -> list[tuple[int, int]]:
    """`candidate_pairs` of the articles (read from `samples` when given); with the memo, found from the previous
    build's by difference (`blocking.reblocked`: the sampled shingle index and its pairs are kept under one key, by
    the articles' content keys, which fix their shingles)."""
    items = [content_keys.get(ca.id) for ca in articles]
    if not memo or None in items:
        return _candidates_flat(articles, samples, settings) if samples is not None else \
            candidate_pairs([f.sample for f in feature], settings)
    samples = [f.sample for f in feature]
    previous = memo.get(_INDEX)
    if previous is not None and previous.items == tuple(items):
        found = previous
    else:
        found = (blocking.reblocked(previous, items, samples, settings.shingle_max_df, settings.candidate_min_shared)
                 if previous is not None else
                 blocking.blocked(items, samples, settings.shingle_max_df, settings.candidate_min_shared))
        memo.put(_INDEX, found)
    left, right = found.pair_indices()
    return list(zip(left.tolist(), right.tolist()))


def _candidates_flat(articles: Sequence[CleanArticle], samples: Samples, settings: Settings) -> list[tuple[int, int]]:
    """`candidate_pairs` of the articles, read from `samples` in place (which may hold other articles too)."""
    place = np.full(len(samples.row), -1, dtype=np.int32)  # per row of `samples`: its article's index, or -1
    place[[samples.row[ca.id] for ca in articles]] = np.arange(len(articles), dtype=np.int32)
    owners = np.repeat(place, np.diff(samples.stops, prepend=0))
    values = samples.values
    if len(articles) < len(samples.row):  # some of them are not among these articles
        values, owners = values[owners >= 0], owners[owners >= 0]
    left, right, _ = blocking.shared_keys_flat(values, owners, len(articles), settings.shingle_max_df,
                                               settings.candidate_min_shared)
    return list(zip(left.tolist(), right.tolist()))


def align(a: range, b: range, sents: Sentences, settings: Settings) -> list[tuple[int, int, int]]:
    """Matched sentences between two articles' sentence ids: (s of a, t of b, how), `how` one of SAME,
    PIECE_OF_T, PIECE_OF_S."""
    chars, min_chars = sents.chars, settings.sentence_min_chars
    norm = dict(zip(a, sents.norm.run(a)))  # each article's text split once, not sliced a sentence at a time
    norm.update(zip(b, sents.norm.run(b)))
    exact: dict[str, int] = {}
    for s in b:
        exact.setdefault(norm[s], s)
    pairs, rest_a = [], []
    matched_b = set()
    for s in a:
        t = exact.get(norm[s])
        if t is not None and norm[s].count(" ") >= _MIN_EXACT_WORDS - 1:
            pairs.append((s, t, SAME))
            matched_b.add(t)
        elif chars[s] >= min_chars:
            rest_a.append(s)
    rest_b = [s for s in b if s not in matched_b and chars[s] >= min_chars]
    if rest_a and rest_b:
        scores = cdist([norm[s] for s in rest_a], [norm[s] for s in rest_b],
                       scorer=fuzz.ratio, score_cutoff=settings.sentence_match, dtype=np.uint8)
        hit_a, hit_b = np.nonzero(scores)
        for i, j in zip(hit_a, hit_b):
            pairs.append((rest_a[i], rest_b[j], SAME))
        done_a, done_b = set(hit_a.tolist()), set(hit_b.tolist())
        pairs += _pieces([s for i, s in enumerate(rest_a) if i not in done_a],
                         [s for i, s in enumerate(rest_b) if i not in done_b], a, b, norm)
    return pairs


def _pieces(left_a: list[int], left_b: list[int], a: Sequence[int], b: Sequence[int],
            norm: Mapping[int, str]) -> list[tuple[int, int, int]]:
    """The sentences no whole sentence matched, found word for word in the other article: (s, t, how)."""
    return ([(s, t, PIECE_OF_T) for s, t in _fragments(left_a, b, norm)]
            + [(s, t, PIECE_OF_S) for t, s in _fragments(left_b, a, norm)])


def _local(a: range, b: range, matched: list[tuple[int, int, int]]) -> bytes:
    """Matched pairs as offsets into the two articles, with how they match, packed for the memo."""
    return array("i", [x for s, t, how in matched for x in (s - a.start, t - b.start, how)]).tobytes()


def _fragments(ids: list[int], other: Sequence[int], norm: Mapping[int, str]) -> list[tuple[int, int]]:
    """(sentence, containing sentence) for sentences found word for word inside the other article's text.

    A paragraph split in the middle of a sentence (after "U.S." or a comma) leaves two pieces that
    match no whole sentence; each is still a run of the other article's words.
    """
    if not ids:
        return []
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
                  features: Mapping[str, ArticleFeatures] | None = None, cache: Cache | None = None,
                  content_keys: Mapping[str, bytes] | None = None,
                  samples: Samples | None = None) -> tuple[Families, Alignment]:
    """Group duplicate articles into families, each with its canonical article; and align their sentences.

    `features` holds each article's ArticleFeatures when they are ready (computed here otherwise), and `samples`
    their sampled shingles in one array, which blocking reads without joining them again (`features.gather`).
    The cache keeps each candidate pair's alignment between builds (memo "pairs"), keyed by the two
    articles' `content_keys` (a key stands for a file's path and bytes; the memo's tag for code and settings),
    and the sampled shingle index with its candidate pairs (memo "candidates"), updated by difference.
    """
    articles = tuple(sorted(articles, key=lambda ca: ca.id))
    feature = [(features or {}).get(ca.id) or feats.of(ca, settings) for ca in articles]
    sents = _sentences(feature)
    cache = cache or Cache(None, settings)
    # 1. candidates from the sampled shingle index
    with cache.memo("candidates") as memo:
        pairs = _candidates(articles, feature, settings, memo, content_keys or {}, samples)
    # 2. align sentences: candidate pairs, then identical sentences anywhere
    keys = [canonical_key(ca) for ca in articles]
    with cache.memo("pairs") as memo:
        links, pieces, same = _align_pairs(articles, pairs, sents, settings, memo, content_keys or {})
    same.frombytes(_identical(sents.norm, np.concatenate([f.text_hash for f in feature] or [[]])).tobytes())
    # 3. article families from the copy links
    duplicates, family_of, rank = _decide(articles, keys, links)
    joined = np.frombuffer(same, dtype=np.int64).reshape(-1, 2) if same else np.empty((0, 2), dtype=np.int64)
    root = array("q", smallest_members(len(sents.norm), joined[:, 0], joined[:, 1]).tobytes())
    return Families(duplicates, family_of, articles, rank), Alignment(sents, root, pieces)


def smallest_members(n: int, left: np.ndarray, right: np.ndarray) -> np.ndarray:
    """Per item of 0..n-1, the smallest item linked to it by a chain of links (left[k], right[k]): the root a
    union-find whose roots are their sets' smallest members gives, found in numpy (a corpus has millions
    of linked sentences)."""
    label = np.arange(n, dtype=np.int64)  # always an item of the same set, never above the item
    while len(left):
        low = np.minimum(label[left], label[right])
        np.minimum.at(label, label[left], low)  # each side's label takes the smaller label of the link
        np.minimum.at(label, label[right], low)
        while True:  # then every item the label of its label, until each label is its own
            up = label[label]
            if np.array_equal(up, label):
                break
            label = up
        if np.array_equal(label[left], label[right]):
            break
    return label


def _sentences(feature: Sequence[ArticleFeatures]) -> Sentences:
    """Every article's sentences in columns, in article order."""
    norm = Norms()
    chars, quoted = array("i"), array("i")
    para_start, article_para = array("q", [0]), array("q", [0])
    for f in feature:
        norm.add(f.norm, len(f.chars))
        chars.extend(f.chars)
        quoted.extend(f.quoted)
        for size in f.paragraphs:
            para_start.append(para_start[-1] + size)
        article_para.append(len(para_start) - 1)
    return Sentences(norm, chars, quoted, para_start, article_para)


class Norms(Sequence[str]):
    """The normalised sentences of all articles, by sentence id, held as each article's `ArticleFeatures.norm` (its
    sentences joined by "\n") and where each sentence starts and stops in it: 12 bytes a sentence besides its
    characters, where a str object a sentence took 57."""

    def __init__(self) -> None:
        self.texts: list[str] = []
        self.first = array("q")  # each text's first sentence id
        self.holder, self.start, self.stop = array("i"), array("i"), array("i")  # per sentence: its text, span

    def add(self, joined: str, count: int) -> None:
        """The `count` sentences of one article, joined by "\n"."""
        if not count:
            return
        ends = list(itertools.accumulate(len(s) + 1 for s in joined.split("\n")))
        if len(ends) != count:
            raise ValueError(f"{len(ends)} sentences joined, {count} expected")
        self.holder.extend(itertools.repeat(len(self.texts), count))
        self.start.extend(itertools.chain((0,), ends[:-1]))
        self.stop.extend(e - 1 for e in ends)
        self.first.append(len(self.start) - count)
        self.texts.append(joined)

    def __len__(self) -> int:
        return len(self.start)

    def __getitem__(self, s: int) -> str:
        return self.texts[self.holder[s]][self.start[s]:self.stop[s]]

    def run(self, ids: range) -> list[str]:
        """The sentences `ids` of one article, from one split of its text."""
        if not ids:
            return []
        k = self.holder[ids.start]
        if self.holder[ids.stop - 1] != k:
            raise ValueError(f"sentences {ids.start}-{ids.stop - 1} are not of one article")
        return self.texts[k].split("\n")[ids.start - self.first[k]:ids.stop - self.first[k]]

    def __eq__(self, other: object) -> bool:  # the same sentences, in order
        return isinstance(other, Sequence) and len(self) == len(other) and all(a == b for a, b in zip(self, other))

    __hash__ = None  # type: ignore[assignment]


PARALLEL_MIN_PAIRS = 2000  # pairs to align: below it, starting the workers costs more than they save


def _align_pairs(articles, pairs, sents: Sentences, settings: Settings, memo: Memo,
                 content_keys: Mapping[str, bytes]) -> tuple[list[tuple[float, int, int]], array, array]:
    """Align every candidate pair (from the memo when it has them).

    Returns the copy links, (share of the copy found in the source, copy, source), the pieces found
    (Alignment.pieces), and the pairs of sentences found the same, flat. The memo keeps each pair's matches
    as offsets into its two articles (`_local`), with the share of each article found in the other.
    """
    keys = [content_keys.get(ca.id) for ca in articles]
    packed: list[bytes] = []
    links: list[tuple[float, int, int]] = []
    aligned = memo.keep_all([keys[i] + keys[j] if memo and keys[i] and keys[j] else None for i, j in pairs],
                            lambda k: _aligned(*pairs[k], sents, settings), PARALLEL_MIN_PAIRS)
    for (i, j), (local, share_i, share_j) in zip(pairs, aligned):
        packed.append(local)
        for copy, other, share in ((i, j, share_i), (j, i, share_j)):
            if share >= settings.article_duplicate:
                links.append((share, copy, other))
    # every pair's matches as sentence ids, at once: (s of the left article, t of the right, how)
    first = np.frombuffer(sents.para_start, dtype=np.int64)[np.frombuffer(sents.article_para, dtype=np.int64)]
    sizes = np.fromiter(map(len, packed), dtype=np.int64, count=len(packed)) // 12
    found = np.frombuffer(b"".join(packed), dtype=np.int32).reshape(-1, 3).astype(np.int64)
    left = np.fromiter((i for i, _ in pairs), dtype=np.int64, count=len(pairs))
    right = np.fromiter((j for _, j in pairs), dtype=np.int64, count=len(pairs))
    s, t, how = (found[:, 0] + np.repeat(first[left], sizes), found[:, 1] + np.repeat(first[right], sizes),
                 found[:, 2])
    one = how == SAME
    piece, whole = np.where(how == PIECE_OF_T, s, t)[~one], np.where(how == PIECE_OF_T, t, s)[~one]
    return (links, array("q", np.column_stack([piece, whole]).tobytes()),
            array("q", np.column_stack([s[one], t[one]]).tobytes()))


def _aligned(i: int, j: int, sents: Sentences, settings: Settings) -> tuple[bytes, float, float]:
    """Articles i and j aligned: their matches as `_local` packs them, and the share of each found in the other."""
    a, b = sents.of_article(i), sents.of_article(j)
    matched = align(a, b, sents, settings)
    return (_local(a, b, matched), copy_evidence(a, {s for s, _, _ in matched}, sents, settings),
            copy_evidence(b, {t for _, t, _ in matched}, sents, settings))


def _decide(articles: Sequence[CleanArticle], keys: list[tuple], links: list[tuple[float, int, int]]):
    """Families from the copy links: duplicates, family of each article id, and each article's rank.

    Strongest links first, each article takes one source, and a family is a tree (a link inside a
    family is skipped). So an excerpt that two different reports both contain joins only the one that
    holds most of it, and two near-identical copies still reach their original.
    """
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
    duplicates: dict[str, Duplicate] = {}
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
            duplicates[articles[m].id] = Duplicate(articles[m].id, articles[canon].id, round(share, 3),
                                           via=None if other == canon else articles[other].id)
    return duplicates, family_of, tuple(rank[i] for i in range(len(articles)))


def _identical(norm: Sequence[str], hashes: np.ndarray) -> np.ndarray:
    """(first, other) sentence id pairs with the same text of at least three words, `first` the smallest, as the rows
    of an int64 array (a million articles have millions of them: as tuples of Python ints, 120 bytes a pair).

    `hashes` are the sentences' `features.text_hash`. Sorting them with numpy keeps this to a few bytes a
    sentence; texts are compared to be sure.
    """
    n = len(norm)
    hashes = hashes.astype(np.int64, copy=False)
    order = np.argsort(hashes, kind="stable")  # equal hashes: ascending sentence ids
    ordered = hashes[order]
    starts_run = np.r_[True, ordered[1:] != ordered[:-1]]
    later = np.flatnonzero(~starts_run & (ordered != 0))
    first = order[np.maximum.accumulate(np.where(starts_run, np.arange(n), 0))][later]
    other = order[later]
    same = np.zeros(len(later), dtype=bool)
    collided: set[int] = set()
    for at in range(0, len(later), _PAIR_CHUNK):
        part = slice(at, at + _PAIR_CHUNK)
        same[part] = [norm[a] == norm[b] for a, b in zip(first[part].tolist(), other[part].tolist())]
        collided.update(first[part][~same[part]].tolist())  # two texts with one hash: that run grouped by its texts
    extra: list[tuple[int, int]] = []
    for a in collided:
        run = order[ordered == hashes[a]].tolist()
        by_text: dict[str, int] = {}
        extra += [(by_text.setdefault(norm[b], b), b) for b in run if by_text.setdefault(norm[b], b) != b]
    return np.concatenate([np.column_stack((first[same], other[same])),
                           np.array(extra, dtype=np.int64).reshape(-1, 2)])


_PAIR_CHUNK = 1 << 16
