"""MkDocs hooks of `briefings serve` (passed as `hooks` by generator/cli.py, never listed in mkdocs.yml).

Each preview rebuild renders only the pages whose Markdown changed (generator/site_memo.py, with its record
in the served folder; `serve` runs MkDocs' dirty builds): an edited article re-renders the few pages that
cite it, not the whole site. When the configuration, theme or navigation changed, the folder is emptied and
every page is rendered, as in a clean build.

Each preview build gets its search index: Pagefind runs over the served build once it is written, before
MkDocs reloads the browser, so the header's search box works in the preview and finds what the last
rebuild shows. A failed index is reported and the preview goes on without search.

MkDocs loads this file by its path, outside the package: it imports the package absolutely, which
`briefings serve` has already imported.
"""
from __future__ import annotations

import logging
import shutil
from pathlib import Path

from mkdocs.utils import clean_directory

from generator import search, site_memo
from generator.errors import GeneratorError

log = logging.getLogger("mkdocs.briefings")
RECORD = ".briefings-site.json"  # in the served folder
_plan: site_memo.Plan | None = None  # of the build under way (MkDocs loads this file again for each build)


def on_files(files, config, **kwargs):
    """Keep the HTML of unchanged pages from the last preview build; empty the folder when nothing is kept."""
    global _plan
    site = Path(config.site_dir)
    _plan = site_memo.plan(site / RECORD, Path(config.config_file_path), Path(config.docs_dir), site, config.nav,
                           config.site_name)
    if _plan.reuse:
        shutil.rmtree(site / search.BUNDLE, ignore_errors=True)  # made again after the build; old chunks would stay
        for dest in _plan.gone:  # its HTML and the folders left empty, as a clean build would not make them
            path = site / dest
            path.unlink(missing_ok=True)
            while path.parent != site and not any(path.parent.iterdir()):
                path = path.parent
                path.rmdir()
    else:
        clean_directory(str(site))
    site_memo.mark(files, _plan)
    return files


def on_post_build(config, **kwargs) -> None:
    """Index the finished preview build for search; a failure is logged, and the preview is served without it."""
    site = Path(config.site_dir)
    if _plan is not None:
        site_memo.save(site / RECORD, _plan, site)
    try:
        search.index_site(site)
    except GeneratorError as err:
        log.error(f"No search in the preview: {err}")
