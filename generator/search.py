"""The site's search index: Pagefind run over the built pages, written into the site's `pagefind/` folder.

Pagefind splits the index into chunks by word and the page texts into one fragment per page, so a
browser downloads only what a query needs (not the whole index, as lunr does). Only what is inside
`data-pagefind-body` (the content area, set by overrides/main.html) is indexed; footnotes and heading
permalinks are left out, since a reader searches for what the passages say, not for source entries.
"""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from .errors import GeneratorError, Problem

BUNDLE = "pagefind"  # folder of the index inside the site; overrides/main.html loads pagefind-ui.js from it
EXCLUDE = (".footnote", "sup.footnote-ref", "a.headerlink")  # not indexed: notes, note marks, the ¶ links
LANGUAGE = "en"


def command(site: Path) -> list[str]:
    """The Pagefind command line that indexes `site` in place."""
    cmd = [sys.executable, "-m", "pagefind", "--site", str(site), "--output-subdir", BUNDLE,
           "--force-language", LANGUAGE, "--quiet"]
    for selector in EXCLUDE:
        cmd += ["--exclude-selectors", selector]
    return cmd


def index_site(site: Path) -> None:
    """Write the search index of the built `site` into `site/pagefind/`; a failure is a GeneratorError."""
    try:
        proc = subprocess.run(command(site), capture_output=True, text=True, check=False)
    except OSError as err:
        raise GeneratorError(Problem(str(site), f"Pagefind could not run: {err}",
                                     "install the project again: pip install -e . (pagefind[bin] ships the binary)")) from None
    if proc.returncode != 0 or not (site / BUNDLE / "pagefind-ui.js").is_file():
        detail = (proc.stderr or proc.stdout).strip().splitlines()[-1:] or ["no index written"]
        raise GeneratorError(Problem(str(site), f"the search index failed: {detail[0]}",
                                     "every page needs data-pagefind-body (overrides/main.html); see the output of "
                                     + " ".join(command(site))))
