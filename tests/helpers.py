"""Small builders shared by the tests."""
from __future__ import annotations

from pathlib import Path

from generator.model import Article, Paragraph
from generator.reader import is_heading
from generator.settings import DEFAULT

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = ROOT / "tests" / "fixtures" / "story"


def article(aid: str, *paragraphs: str, title: str | None = None, published: str | None = None) -> Article:
    """An Article with one paragraph per string, on lines 1, 3, 5, ..."""
    paras = tuple(Paragraph(2 * i + 1, text, is_heading(text, DEFAULT)) for i, text in enumerate(paragraphs))
    return Article(aid, f"{aid}.txt", title, None, None, published, None, paras, aid)
