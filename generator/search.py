"""The site's search index: Pagefind run over the built pages, written into the site's `pagefind/` folder.

Pagefind splits the index into chunks by word and the page texts into one fragment per page, so a
browser downloads only what a query needs (not the whole index, as lunr does). Only what is inside
`data-pagefind-body` (the content area, set by overrides/main.html) is indexed; footnotes and heading
permalinks are left out, since a reader searches for what the passages say, not for source entries.

The index is made of bundles that the reader's browser searches together (Pagefind's `mergeIndex`, results from
all ranked by score): the main one (`pagefind/`) of the pages at the top of the site (the home page) and of the
first sources part, which any file added or removed changes; and one per topic with its archive parts and per run
of sources parts (`pagefind/parts/<name>/`, listed in `pagefind/bundles.js`, which overrides/main.html loads).
The speed trick of a rebuild with the cache: a bundle whose pages have the same HTML as when the published site's
copy of it was made (by the cache's record, `search.json`) is copied from the published site instead of indexed
again, so after one more article only the bundles of the pages that changed are indexed (Pagefind has no
incremental mode of its own).
"""
from __future__ import annotations

import functools
import hashlib
import json
import re
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from . import memo
from .errors import GeneratorError, Problem
from .topics import ARCHIVE_SUFFIX

BUNDLE = "pagefind"  # folder of the index inside the site; overrides/main.html loads pagefind-ui.js from it
PARTS = "parts"      # folder of the other bundles inside it
LIST = "bundles.js"  # the other bundles' names, for the search box: `var briefingsBundles = [...]`
RECORD = "search.json"  # in the cache folder: each bundle's digest of its pages, and of its files
EXCLUDE = (".footnote", "sup.footnote-ref", "a.headerlink")  # not indexed: notes, note marks, the ¶ links
LANGUAGE = "en"
PARTS_PER_BUNDLE = 8  # archive or sources parts in one bundle at least (a reader's first search fetches each bundle's
RUNS = 4              # index) and bundles of one topic, or of the sources, at most
# A merged bundle is read by the main bundle's search box and runtime: its own copies are dropped (3 MB on the 10k site)
_MAIN_ONLY = ("pagefind-ui.*", "pagefind-modular-ui.*", "pagefind-component-ui.*", "pagefind-highlight.js",
              "pagefind.js", "pagefind-worker.js", "wasm.*.pagefind")
_FOLDER = re.compile(r"[a-z0-9][a-z0-9_-]*")  # page folders the generator names (safe in a glob and a path)
_ARCHIVE = re.compile(rf"(.+){re.escape(ARCHIVE_SUFFIX)}(?:-(\d+))?")
_SOURCES = re.compile(r"(sources)(?:-(\d+))?")


def command(site: Path, glob: str | None = None, output: str = BUNDLE) -> list[str]:
    """The Pagefind command line that indexes the pages of `site` that `glob` matches (all by default) into its
    folder `output`."""
    cmd = [sys.executable, "-m", "pagefind", "--site", str(site), "--output-subdir", output,
           "--force-language", LANGUAGE, "--quiet"]
    if glob is not None:
        cmd += ["--glob", glob]
    for selector in EXCLUDE:
        cmd += ["--exclude-selectors", selector]
    return cmd


def bundle_of(page: str, parts: int = 1) -> str:
    """The bundle of a built page (its path in the site): "" (the main one) for a page at the top and the first
    sources part; else its topic's (the topic page and its archive parts) or the sources pages', in runs of parts
    (`_run`: `parts` is how many the topic or the sources have)."""
    family, number = _family(page)
    if not family or (family == "sources" and number == 1):  # with the home page: both give the totals, which
        return ""                                              # change with any file added or removed
    run = (number - 1) // _run(parts)
    return family if run == 0 else f"{family}--{run + 1}"


def _family(page: str) -> tuple[str, int]:
    """A page's topic (or "sources"; "" for a page at the top) and its number among that topic's archive parts or the
    sources parts (1: the first, and the topic page)."""
    folder, _, rest = page.partition("/")
    if not rest or not _FOLDER.fullmatch(folder):
        return "", 1
    found = _ARCHIVE.fullmatch(folder) or _SOURCES.fullmatch(folder)
    return (found.group(1), int(found.group(2) or 1)) if found else (folder, 1)


def _run(parts: int) -> int:
    """Parts in a bundle: PARTS_PER_BUNDLE, or more, so that a topic or the sources has at most RUNS bundles (each
    bundle is one more index to fetch on a reader's first search)."""
    return max(PARTS_PER_BUNDLE, -(-parts // RUNS))


def bundles(site: Path) -> dict[str, list[str]]:
    """Every page of a built site (but the index's own files) by bundle name, sorted; the main bundle ("") first."""
    pages = [path.relative_to(site).as_posix() for path in sorted(site.rglob("*.html"))]
    pages = [page for page in pages if not page.startswith(BUNDLE + "/")]
    parts: dict[str, int] = {}
    for page in pages:
        family, number = _family(page)
        parts[family] = max(parts.get(family, 0), number)
    out: dict[str, list[str]] = {"": []}
    for page in pages:
        out.setdefault(bundle_of(page, parts[_family(page)[0]]), []).append(page)
    return out


def index_site(site: Path, published: Path | None = None, record: Path | None = None) -> dict:
    """Write the search index of the built `site` into `site/pagefind/`; a failure is a GeneratorError.

    With the `published` site and the `record` of its bundles, a bundle whose pages are unchanged is copied from it.
    Returns the record of this site's bundles, for `save` once it is published."""
    old = _load(record) if published is not None else {}
    new, todo = {}, []
    for name, pages in bundles(site).items():
        key = _pages_digest(site, pages)
        if _kept(published, name, old.get(name), key):
            shutil.copytree(published / _folder(name), site / _folder(name))
            new[name] = old[name]
        else:
            todo.append((name, pages, key))
    with ThreadPoolExecutor(max_workers=2) as pool:  # Pagefind uses some 1.5 cores; two runs keep both busy
        list(pool.map(lambda job: _index(site, *job[:2]), todo))
    new.update((name, _made(site / _folder(name), key)) for name, _, key in todo if name)
    (site / BUNDLE / LIST).write_text(f"var briefingsBundles = {json.dumps(sorted(new))};\n", encoding="utf-8")
    return new


def save(record: Path | None, bundles_: dict) -> None:
    """Write the `record` of the published site's bundles (nothing if None)."""
    if record is not None:
        memo.save_record(record, bundles_)


def _kept(published: Path | None, name: str, recorded: list | None, key: str) -> bool:
    """Whether the published site holds bundle `name` (not the main one) made from pages whose digest is `key`,
    with the files it had when it was recorded."""
    kept = published / _folder(name) if name and published is not None else None
    return kept is not None and recorded is not None and recorded[0] == key and kept.is_dir() and \
        _files_digest(kept) == recorded[1]


def _made(folder: Path, key: str) -> list[str]:
    """The record of a bundle just made from pages of digest `key`, once its copies of the search box and runtime
    are dropped (the main bundle's are the ones used)."""
    for path in [p for pattern in _MAIN_ONLY for p in folder.glob(pattern)]:
        path.unlink()
    return [key, _files_digest(folder)]


def _folder(name: str) -> str:
    return f"{BUNDLE}/{PARTS}/{name}" if name else BUNDLE


def _index(site: Path, name: str, pages: list[str]) -> None:
    """Run Pagefind on these pages of `site` into the bundle's folder (the main bundle: the pages at the top, or
    whatever Pagefind finds there when there are none, which fails on a folder without pages)."""
    cmd = command(site, _glob(pages), _folder(name))
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
    except OSError as err:
        raise GeneratorError(Problem(str(site), f"Pagefind could not run: {err}",
                                     "install the project again: pip install -e . (pagefind[bin] ships the binary)")) from None
    made = site / _folder(name) / ("pagefind-ui.js" if not name else "pagefind-entry.json")
    if proc.returncode != 0 or not made.is_file():
        detail = (proc.stderr or proc.stdout).strip().splitlines()[-1:] or ["no index written"]
        raise GeneratorError(Problem(str(site), f"the search index failed: {detail[0]}",
                                     "every page needs data-pagefind-body (overrides/main.html); see the output of "
                                     + " ".join(cmd)))


def _glob(pages: list[str]) -> str:
    """Pagefind's glob of these pages (of the pages at the top of the site when there are none)."""
    return "*.html" if not pages else pages[0] if len(pages) == 1 else "{" + ",".join(pages) + "}"


def _pages_digest(site: Path, pages: list[str]) -> str:
    """A digest of what a bundle is made from: its pages' paths and HTML, how Pagefind is run, and this module (which
    runs it and trims the bundle)."""
    h = hashlib.sha256(_how(__file__))
    h.update(memo.files_digest(site, [site / page for page in pages]))
    return h.hexdigest()


@functools.lru_cache(maxsize=1)
def _how(module: str) -> bytes:
    """A digest of how every bundle is made: Pagefind's options and version, and this module's source (read once)."""
    h = hashlib.sha256(" ".join([*command(Path("."))[2:], memo.package_version("pagefind")]).encode())
    h.update(Path(module).read_bytes())
    return h.digest()


def _files_digest(folder: Path) -> str:
    return memo.files_digest(folder, [p for p in folder.rglob("*") if p.is_file()]).hex()


def _load(record: Path | None) -> dict:
    """The record of the published site's bundles (empty when there is none or it cannot be read)."""
    old = memo.load_record(record)
    return old if isinstance(old, dict) and all(isinstance(v, list) and len(v) == 2 for v in old.values()) else {}
