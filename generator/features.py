"""Per-article matching features: each sentence normalised, with its length and quoted share, and a
sample of the article's word shingles.

They depend on one cleaned article and the settings only, so generator/prepare.py computes them in
worker processes, beside reading and cleaning, and caches them; generator/families.py takes them ready.
"""
from __future__ import annotations

import zlib
from dataclasses import dataclass

import numpy as np

from .model import CleanArticle
from .settings import Settings
from .textnorm import normalise, quoted_chars, sentences

_MIX = np.uint64(0x9E3779B97F4A7C15)
_BASE = np.uint64(1_000_003)
# word -> its hash for shingling, kept across the articles one process handles (a pure function of the
# word, so sharing it changes no result); emptied when it grows past _VOCAB_MAX words
_VOCAB: dict[str, int] = {}
_VOCAB_MAX = 500_000


@dataclass(frozen=True)
class ArticleFeatures:
    """What deduplication compares of one cleaned article."""

    sentences: tuple[tuple[tuple[str, int, int], ...], ...]  # per kept paragraph: (normalised, chars, quoted chars)
    sample: np.ndarray                                        # sorted sampled shingle hashes of the normalised text


def of(ca: CleanArticle, settings: Settings) -> ArticleFeatures:
    """The features of one cleaned article."""
    sents = sentence_data(ca)
    if len(_VOCAB) > _VOCAB_MAX:
        _VOCAB.clear()
    return ArticleFeatures(sents, shingle_sample(" ".join(n for para in sents for n, _, _ in para), settings, _VOCAB))


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
