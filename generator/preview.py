"""MkDocs hooks of `briefings serve` (passed as `hooks` by generator/cli.py, never listed in mkdocs.yml).

Each preview build gets its search index: Pagefind runs over the served build once it is written, before
MkDocs reloads the browser, so the header's search box works in the preview and finds what the last
rebuild shows. A failed index is reported and the preview goes on without search.

MkDocs loads this file by its path, outside the package: it imports the package absolutely, which
`briefings serve` has already imported.
"""
from __future__ import annotations

import logging
from pathlib import Path

from generator import search
from generator.errors import GeneratorError

log = logging.getLogger("mkdocs.briefings")


def on_post_build(config, **kwargs) -> None:
    """Index the finished preview build for search; a failure is logged, and the preview is served without it."""
    try:
        search.index_site(Path(config.site_dir))
    except GeneratorError as err:
        log.error(f"No search in the preview: {err}")
