"""MkDocs converts the pages' Markdown on every core: the site stage's speed trick for the pages it renders.

Python-Markdown takes nearly all of a large site's MkDocs build, one page after another (benchmarks/README.md,
"The 10k site in MkDocs"). `Render` hands the pages MkDocs is about to render to worker processes before it
reads them: forked, so they share the build's configuration, files and navigation, and each runs MkDocs' own
reading and `Page.render` on the next page left, the largest first. MkDocs then takes each page's result
(HTML, table of contents, anchors, links to anchors) instead of converting the page again; everything after
(the theme's templates, the anchor checks, writing) runs in the build as before. The same code converts the
same Markdown, so the site is the same bytes. What a conversion logs (under `strict`, a link to a missing page
fails the build) is logged again in the build at the page it belongs to; a page whose conversion raised is
rendered in the build, which reports the error as MkDocs does.
"""
from __future__ import annotations

import functools
import logging
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

from mkdocs.plugins import BasePlugin
from mkdocs.structure.pages import Page

from . import cores

_LOGGERS = ("mkdocs", "MARKDOWN")  # what MkDocs and Python-Markdown log to while a page converts


def largest_first(sizes: dict[str, int]) -> list[str]:
    """Pages (by name, with their sizes) in the order the workers take them: the largest first, so that no large
    page is left to the end while the other workers wait (ties: by name)."""
    return sorted(sizes, key=lambda p: (-sizes[p], p))


class Render(BasePlugin):
    """Renders the pages of a build in worker processes when there is enough Markdown to be worth it.

    `dirty`: the build renders only the pages marked modified (generator/site_memo.py); `workers`: how many at
    most (default: every core this process may use)."""

    def __init__(self, dirty: bool = False, workers: int | None = None) -> None:
        super().__init__()
        self.dirty, self.workers = dirty, workers
        self.results: dict[str, tuple] = {}

    def on_nav(self, nav, config, files):
        """Before MkDocs reads the pages: render the ones it will render, in the workers (`cores.fork_map`, one page
        at a time)."""
        pages = [f for f in files.documentation_pages() if not self.dirty or f.is_modified()]
        sizes = {f.src_uri: Path(f.abs_src_path).stat().st_size for f in pages}
        workers = self.workers or cores.count()
        if workers < 2 or len(pages) < 2 or sum(sizes.values()) < cores.PARALLEL_MIN_BYTES or \
                not cores.can_fork(workers):
            return nav  # MkDocs renders them, as it would without this plugin
        order = largest_first(sizes)
        try:
            done = cores.fork_map(lambda name: _render(config, files, name), order, 2, workers, size=1)
        except BrokenProcessPool:  # a worker died (killed, out of memory): the build renders every page itself
            return nav
        self.results = {name: result for name, result in zip(order, done) if result is not None}
        return nav

    def on_pre_page(self, page, config, files):
        """A page rendered by a worker takes its result when MkDocs renders it."""
        result = self.results.pop(page.file.src_uri, None)
        if result is not None:
            page.render = functools.partial(_apply, page, result)  # the instance's own, in place of the method
        return page


class _Records(logging.Handler):
    """Keeps what is logged, as (logger, level, message)."""

    def __init__(self) -> None:
        super().__init__()
        self.kept: list[tuple[str, int, str]] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.kept.append((record.name, record.levelno, record.getMessage()))


def _render(config, files, name: str) -> tuple | None:
    """A page read and rendered as MkDocs' build does it, with what it logged (not printed: the build logs it again
    when it takes the result); None if it fails, for the build to render."""
    file = files.get_file_from_path(name)
    page = file.page or Page(None, file, config)
    records = _Records()
    loggers = [logging.getLogger(n) for n in _LOGGERS]
    saved = [(logger.handlers, logger.propagate) for logger in loggers]
    for logger in loggers:
        logger.handlers, logger.propagate = [records], False
    config._current_page = page
    try:
        page = config.plugins.on_pre_page(page, config=config, files=files)
        page.read_source(config)
        page.markdown = config.plugins.on_page_markdown(page.markdown, page=page, config=config, files=files)
        page.render(config, files)
    except Exception:
        return None
    finally:
        config._current_page = None
        for logger, (handlers, propagate) in zip(loggers, saved):
            logger.handlers, logger.propagate = handlers, propagate
    links = page.links_to_anchors
    return (page.content, page.toc, page._title_from_render, page.present_anchor_ids,
            None if links is None else {f.src_uri: anchors for f, anchors in links.items()}, records.kept)


def _apply(page: Page, result: tuple, config, files) -> None:
    """`Page.render` of a page a worker rendered: its results, and what it logged, logged again."""
    page.content, page.toc, page._title_from_render, page.present_anchor_ids, links, logged = result
    if links is not None:
        page.links_to_anchors = {files.get_file_from_path(name): anchors for name, anchors in links.items()}
    for name, level, message in logged:
        logging.getLogger(name).log(level, message)
