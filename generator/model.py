"""The frozen records that flow between the stages of a build."""
from __future__ import annotations

from dataclasses import dataclass

USED, DUPLICATE, REJECTED = "used", "duplicate", "rejected"


@dataclass(frozen=True, slots=True)
class Paragraph:
    """A block of article text and the line it starts on in its file."""

    line: int
    text: str
    heading: bool = False


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


@dataclass(frozen=True, slots=True)
class Removed:
    """A line the cleaner took out, and which rule took it."""

    line: int
    reason: str
    text: str = ""          # when only the start of the line was taken out (a time stamp), what was; the rest is kept


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


@dataclass(frozen=True, slots=True)
class Rejection:
    """An input file that is not used, and why."""

    path: str
    reason: str
    line: int | None = None


@dataclass(frozen=True, slots=True)
class Passage:
    """A kept paragraph, with every article that reports it (its own first)."""

    key: str
    article_id: str
    line: int
    text: str
    sources: tuple[str, ...]
    order: int              # its index in the build's passages: canonical articles first, then article order


@dataclass(frozen=True, slots=True)
class Duplicate:
    """An article judged a duplicate of another, with the similarity that decided it."""

    article_id: str
    canonical_id: str
    similarity: float
    via: str | None = None
