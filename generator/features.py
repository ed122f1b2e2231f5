"""Per-article matching features: each sentence normalised, with its length and quoted share, a
sample of the article's word shingles, and its short lines normalised (for boilerplate by repetition).

They depend on one cleaned article and the settings only, so generator/prepare.py computes them in
worker processes, beside reading and cleaning, and caches them; generator/families.py takes them ready.
"""
from __future__ import annotations

from array import array
from dataclasses import dataclass, replace

import numpy as np

from . import clean
from .model import CleanArticle, quick_pickle
from .settings import Settings
from .textnorm import hash64, normalise, quoted_chars, sentences

_MIX = np.uint64(0x9E3779B97F4A7C15)
_BASE = np.uint64(1_000_003)
_P = 0x100000001B3  # a word's hash is its bytes' polynomial in _P modulo 2**64; odd, so it has an inverse
# _P ** i and _P ** -i modulo 2**64, i = 0, 1, ...: grown (doubled) to the longest text seen
_POWERS = [np.ones(1, dtype=np.uint64), np.ones(1, dtype=np.uint64)]
EXACT_MIN_WORDS = 3  # a sentence of fewer words is matched exactly only inside a compared pair (families.align)


@quick_pickle
@dataclass(frozen=True, slots=True)
class ArticleFeatures:
    """What deduplication compares of one cleaned article, in columns: a million articles hold tens of
    millions of sentences, and a tuple and two int objects for each would cost gigabytes."""

    norm: str                # each sentence of the kept paragraphs, in order, normalised, joined by "\n" (one str
                             # object an article, not one a sentence: 1.5 GB fewer at a million articles)
    chars: array             # ... its characters as written ("i")
    quoted: array            # ... of them inside quotation marks ("i")
    paragraphs: array        # sentences of each kept paragraph ("i")
    sample: np.ndarray       # sorted sampled shingle hashes of the normalised text
    text_hash: np.ndarray    # per sentence, a 64-bit hash of `norm` (int64; 0 below EXACT_MIN_WORDS words)
    short: tuple[tuple[int, str], ...] = ()  # clean.short_lines: the short paragraphs, normalised


@dataclass(frozen=True)
class Samples:
    """Many articles' sampled shingles in one array, article after article, for blocking to read as they are: a
    million articles' samples are 1.24 GiB, held once instead of per article and again joined for blocking.
    Each article's `ArticleFeatures.sample` is then a view into `values`."""

    values: np.ndarray      # uint64
    stops: np.ndarray       # where each article's values end (int64)
    row: dict[str, int]     # article id -> its place


def gather(feature: dict[str, ArticleFeatures]) -> Samples:
    """Every article's sample copied into one `Samples`, in the order of `feature`, and each article's features
    given a view of it in place of its own array (freed as it is copied, unless something else holds it)."""
    stops = np.cumsum(np.fromiter((len(f.sample) for f in feature.values()), dtype=np.int64, count=len(feature)))
    values = np.empty(int(stops[-1]) if len(stops) else 0, dtype=np.uint64)
    start = 0
    for aid, stop in zip(list(feature), stops.tolist()):  # (ids listed, not features: each goes once replaced)
        f = feature[aid]
        values[start:stop] = f.sample
        feature[aid] = replace(f, sample=values[start:stop])
        start = stop
    f = None
    return Samples(values, stops, {aid: k for k, aid in enumerate(feature)})


def of(ca: CleanArticle, settings: Settings) -> ArticleFeatures:
    """The features of one cleaned article."""
    split = [sentences(p.text) for p in ca.paragraphs]
    norm = tuple(normalise(s) for para in split for s in para)
    return ArticleFeatures("\n".join(norm), array("i", [len(s) for para in split for s in para]),
                           array("i", [quoted_chars(s) for para in split for s in para]),
                           array("i", map(len, split)), shingle_sample(" ".join(norm), settings),
                           np.fromiter(map(text_hash, norm), dtype=np.int64, count=len(norm)),
                           clean.short_lines(ca, settings))


def text_hash(norm: str) -> int:
    """A normalised sentence's hash for finding identical sentences anywhere (the same in every process and
    run), 0 for a sentence of fewer than EXACT_MIN_WORDS words, which is never paired that way."""
    if norm.count(" ") < EXACT_MIN_WORDS - 1:
        return 0
    return hash64(norm)


def shingle_sample(norm_text: str, settings: Settings) -> np.ndarray:
    """Sorted unique sampled hashes of the word shingles of a normalised text."""
    arr = word_hashes(norm_text)
    if not len(arr):
        return np.empty(0, dtype=np.uint64)
    k = min(settings.shingle_words, len(arr))
    n = len(arr) - k + 1
    h = np.zeros(n, dtype=np.uint64)
    for j in range(k):
        h = h * _BASE + arr[j:j + n]
    h = h * _MIX
    h ^= h >> np.uint64(31)
    return np.unique(h[h % np.uint64(settings.shingle_sample) == 0])


def word_hashes(norm_text: str) -> np.ndarray:
    """A 64-bit hash of each word of a normalised text (ASCII words between spaces), all at once: the hash of the
    bytes before each word's end less those before its start, brought back to the start (a third of the time of
    splitting the text and looking its words up, which was a tenth of preparing an article)."""
    raw = np.frombuffer(norm_text.encode("ascii"), dtype=np.uint8)
    spaces = np.flatnonzero(raw == 32)
    starts, ends = np.append(0, spaces + 1), np.append(spaces, len(raw))
    starts, ends = starts[ends > starts], ends[ends > starts]  # no empty words (an empty sentence's two spaces)
    powers, inverses = _powers(len(raw))
    before = np.zeros(len(raw) + 1, dtype=np.uint64)
    np.cumsum(raw * powers[:len(raw)], dtype=np.uint64, out=before[1:])
    out = (before[ends] - before[starts]) * inverses[starts] * _MIX  # (mixed: a short word's sum is small)
    out ^= out >> np.uint64(29)
    return out


def _powers(n: int) -> list[np.ndarray]:
    """_P ** i and _P ** -i modulo 2**64 for i < n at least."""
    if len(_POWERS[0]) < n:
        size = max(n, 2 * len(_POWERS[0]))
        for k, base in enumerate((_P, pow(_P, -1, 2 ** 64))):
            _POWERS[k] = np.full(size, base, dtype=np.uint64)
            _POWERS[k][0] = 1
            np.cumprod(_POWERS[k], dtype=np.uint64, out=_POWERS[k])
    return _POWERS
