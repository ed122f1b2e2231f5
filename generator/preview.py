"""MkDocs hooks of `briefings serve` (passed as `hooks` by generator/cli.py, never listed in mkdocs.yml).

Each preview rebuild renders only the pages whose Markdown changed (generator/site_memo.py, with its record
in the served folder; `serve` runs MkDocs' dirty builds): an edited article re-renders the few pages that
cite it, not the whole site. When the configuration, theme or navigation changed, the folder is emptied and
every page is rendered, as in a clean build.

Each preview build gets its search index: Pagefind runs over the served build once it is written, before
MkDocs reloads the browser, so the header's search box works in the preview and finds what the last
rebuild shows. A failed index is reported and the preview goes on without search. As in `briefings build`
with the cache, the bundles of the index whose pages did not change are kept (generator/search.py, with its
record in the served folder): the last build's index is moved aside while MkDocs rebuilds, then taken from.

MkDocs loads this file by its path, outside the package: it imports the package absolutely, which
`briefings serve` has already imported.
"""
from __future__ import annotations

import logging
import shutil
import tempfile
from pathlib import Path

from mkdocs.utils import clean_directory

from generator import search, site_memo
from generator.errors import GeneratorError

log = logging.getLogger("mkdocs.briefings")
RECORD = ".briefings-site.json"  # in the served folder
SEARCH_RECORD = ".briefings-search.json"  # in the served folder
LAST_INDEX_PREFIX = "briefings-search-"  # of the folder in the system's temporary folder that holds the last index
_plan: site_memo.Plan | None = None  # of the build under way (MkDocs loads this file again for each build)
_last_index: Path | None = None  # a folder holding the last build's search index while MkDocs rebuilds


def on_files(files, config, **kwargs):
    """Keep the HTML of unchanged pages from the last preview build; empty the folder when nothing is kept."""
    global _plan
    site = Path(config.site_dir)
    _plan = site_memo.plan(site / RECORD, Path(config.config_file_path), Path(config.docs_dir), site, config.nav,
                           config.site_name)
    if _plan.reuse:
        _set_aside(site / search.BUNDLE)  # made again after the build (old chunks would stay), from its bundles
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
        search.save(site / SEARCH_RECORD, search.index_site(site, _last_index, site / SEARCH_RECORD))
    except GeneratorError as err:
        log.error(f"No search in the preview: {err}")
    finally:
        on_build_error()


def on_build_error(**kwargs) -> None:
    """Let go of the last build's search index."""
    global _last_index
    if _last_index is not None:
        shutil.rmtree(_last_index, ignore_errors=True)
        _last_index = None


def _set_aside(bundle: Path) -> None:
    """Move the last build's search index out of the served folder, for the next index to take unchanged bundles
    from (`_last_index`, a folder laid out as a site)."""
    global _last_index
    _last_index = Path(tempfile.mkdtemp(prefix=LAST_INDEX_PREFIX))
    if bundle.is_dir():
        shutil.move(bundle, _last_index / search.BUNDLE)
