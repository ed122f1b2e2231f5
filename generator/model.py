"""The frozen records that flow between the stages of a build."""
from __future__ import annotations

import dataclasses
import operator
from dataclasses import dataclass

USED, DUPLICATE, REJECTED = "used", "duplicate", "rejected"


def field_values(cls: type):
    """A function giving a dataclass object's field values, in order, as a tuple (fields named once, not
    looked up per object)."""
    names = tuple(f.name for f in dataclasses.fields(cls))
    get = operator.attrgetter(*names)
    return get if len(names) > 1 else (lambda obj: (get(obj),))


def quick_pickle(cls: type) -> type:
    """A frozen slots dataclass whose pickle state is got and set by its slots, named once.

    The dataclasses module's own `__getstate__`/`__setstate__` for such a class look up its fields on
    every object; a cached rebuild unpickles some twenty records per article of its files, and the
    look-ups were a third of reading the whole cache. The state is the same: the fields' values in order.
    """
    slots = tuple(cls.__dict__[f.name] for f in dataclasses.fields(cls))
    values = field_values(cls)

    def getstate(self) -> list:
        return list(values(self))

    def setstate(self, state) -> None:
        for slot, value in zip(slots, state):
            slot.__set__(self, value)

    cls.__getstate__, cls.__setstate__ = getstate, setstate
    return cls


@quick_pickle
@dataclass(frozen=True, slots=True)
class Paragraph:
    """A block of article text and the line it starts on in its file."""

    line: int
    text: str
    heading: bool = False


@quick_pickle
@dataclass(frozen=True, slots=True)
class Article:
    """One input file as read: metadata, paragraphs, and what had to be guessed."""

    id: str
    path: str
    title: str | None
    outlet: str | None
    url: str | None
    published: str | None
    paragraphs: tuple[Paragraph, ...]
    notes: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        """A human name for the article: its title, or its file name."""
        return self.title or self.path


@quick_pickle
@dataclass(frozen=True, slots=True)
class Removed:
    """A line the cleaner took out, and which rule took it."""

    line: int
    reason: str
    text: str = ""          # when only the start of the line was taken out (a time stamp), what was; the rest is kept


@quick_pickle
@dataclass(frozen=True, slots=True)
class CleanArticle:
    """An article after boilerplate removal: only the paragraphs worth reading remain."""

    article: Article
    paragraphs: tuple[Paragraph, ...]
    removed: tuple[Removed, ...]

    @property
    def id(self) -> str:
        return self.article.id

    @property
    def chars(self) -> int:
        return sum(len(p.text) for p in self.paragraphs)


@quick_pickle
@dataclass(frozen=True, slots=True)
class Rejection:
    """An input file that is not used, and why."""

    path: str
    reason: str
    line: int | None = None


@quick_pickle
@dataclass(frozen=True, slots=True)
class Passage:
    """A kept paragraph, with every article that reports it (its own first)."""

    article_id: str
    line: int
    text: str
    sources: tuple[str, ...]
    order: int              # its index in the build's passages, which names it: canonical articles first, then
                            # article order


@quick_pickle
@dataclass(frozen=True, slots=True)
class Duplicate:
    """An article judged a duplicate of another, with the similarity that decided it."""

    article_id: str
    canonical_id: str
    similarity: float
    via: str | None = None
