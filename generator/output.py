"""Write generated pages and build the site, so that a failure leaves the last good output in place."""
from __future__ import annotations

import contextlib
import logging
import os
import shutil
import tempfile
from collections.abc import Mapping
from pathlib import Path

from . import htmlcheck, search, site_memo, site_parallel
from .errors import GeneratorError, Problem
from .render import Files

MANIFEST = ".generated"


def _manifest(folder: Path) -> set[str]:
    try:
        return set((folder / MANIFEST).read_text(encoding="utf-8").split("\n")) - {""}
    except FileNotFoundError:
        return set()


def _bytes(files: Mapping[str, str], name: str) -> bytes:
    """File `name`'s bytes as written (held encoded already by a Files)."""
    return files.data(name) if isinstance(files, Files) else files[name].encode("utf-8")


def differences(folder: Path, files: Mapping[str, str]) -> list[tuple[str, str]]:
    """What writing `files` into `folder` would change: (file name, what is wrong with it), by name."""
    out = []
    for name in sorted(files):
        path = folder / name
        if not path.is_file():
            out.append((name, "missing"))
        elif path.read_bytes() != _bytes(files, name):
            out.append((name, "out of date"))
    out += [(name, "no longer generated") for name in sorted(_manifest(folder) - set(files))
            if (folder / name).exists()]
    return out


def sync(folder: Path, files: Mapping[str, str]) -> list[str]:
    """Write only files whose bytes change and delete generated files no longer produced.

    Unchanged files are not touched, so `mkdocs serve` watching the folder sees no change and does not
    rebuild in a loop. New contents go to temporary files first, then each is renamed into place.
    """
    folder.mkdir(parents=True, exist_ok=True)
    before = _manifest(folder)
    changed = [name for name in sorted(files) if not _same(folder / name, _bytes(files, name))]
    manifest = ("\n".join(sorted(files)) + "\n").encode("utf-8")
    staged: list[tuple[Path, Path]] = []
    try:
        for name in changed + ([MANIFEST] if not _same(folder / MANIFEST, manifest) else []):
            target = folder / name
            target.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
            with os.fdopen(fd, "wb") as fh:
                fh.write(_bytes(files, name) if name in files else manifest)
            staged.append((Path(tmp), target))
    except BaseException:
        for tmp, _ in staged:
            tmp.unlink(missing_ok=True)
        raise
    for tmp, target in staged:
        os.replace(tmp, target)
    stale = sorted(before - set(files))
    for name in stale:
        with contextlib.suppress(FileNotFoundError):
            (folder / name).unlink()
    return changed + [f"{name} (deleted)" for name in stale]


def _same(path: Path, data: bytes) -> bool:
    try:
        return path.read_bytes() == data
    except (FileNotFoundError, IsADirectoryError):
        return False


def publish(config_file: Path, briefings: Path, files: Mapping[str, str], site: Path, nav: list,
            site_name: str, cache: Path | None = None) -> list[str]:
    """Build and check the site from the new briefings first; only if that succeeds write `briefings` and `site`.

    A failed build leaves both folders exactly as they were. Returns what `sync` changed in `briefings`.
    With a `cache` folder, pages whose Markdown and shared inputs are unchanged keep the HTML of the
    published site instead of being rendered again (generator/site_memo.py).
    """
    site = site.resolve()
    site.parent.mkdir(parents=True, exist_ok=True)
    stage = Path(tempfile.mkdtemp(prefix=f".{site.name}-docs-", dir=site.parent))
    tmp = Path(tempfile.mkdtemp(prefix=f".{site.name}-new-", dir=site.parent))
    try:
        docs = stage / "docs"
        if briefings.is_dir():
            shutil.copytree(briefings, docs, symlinks=True)
        sync(docs, files)
        record = cache / site_memo.RECORD if cache else None
        plan = site_memo.plan(record, config_file, docs, site, nav, site_name)
        site_memo.copy_reused(plan, site, tmp)
        found = cache / search.RECORD if cache else None
        indexed = _mkdocs(config_file, docs, tmp, nav, site_name, plan, site if cache else None, found)
        changed = sync(briefings, files)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    finally:
        shutil.rmtree(stage, ignore_errors=True)
    _swap(tmp, site)
    site_memo.save(record, plan, site)
    search.save(found, indexed)
    return changed


def _mkdocs(config_file: Path, docs: Path, out: Path, nav: list, site_name: str, plan: site_memo.Plan,
            published: Path | None, found: Path | None) -> dict:
    """The strict MkDocs build of `docs` into `out`, the content check of the pages it rendered, then the search
    index (the bundles of unchanged pages copied from the `published` site, by the record `found`); failures are
    GeneratorErrors (and leave the published site as it was, since `out` is not yet swapped in). Returns the
    record of the search bundles."""
    build_site(config_file, docs, out, nav, site_name, plan)
    htmlcheck.check_site(out, skip=frozenset(plan.reuse.values()))
    return search.index_site(out, published, found)


def build_site(config_file: Path, docs: Path, out: Path, nav: list, site_name: str,
               plan: site_memo.Plan | None = None, cores: int | None = None) -> None:
    """The strict MkDocs build of the briefings in `docs` into `out` (no check, no index); a failure is a GeneratorError.

    With a `plan`, the pages it reuses (already copied into `out`) are not rendered, and it learns where MkDocs
    writes every page. The pages are converted on `cores` cores (default: all; generator/site_parallel.py)."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    try:
        logging.getLogger("mkdocs").setLevel(logging.WARNING)
        config = load_config(str(config_file), docs_dir=str(docs.resolve()), site_dir=str(out), strict=True,
                             nav=nav, site_name=site_name)
        dirty = bool(plan and plan.reuse)
        if plan is not None:
            config.plugins["briefings-site-memo"] = site_memo.Reuse(plan)
        config.plugins["briefings-parallel"] = site_parallel.Render(dirty, cores)
        with site_memo.dirty_build_allowed():
            build(config, dirty=dirty)
    except (MkDocsException, SystemExit) as err:
        raise GeneratorError(Problem(str(config_file), f"MkDocs build failed: {err}",
                                     "the warnings above name the page; fix the template or mkdocs.yml")) from None


def _swap(new: Path, site: Path) -> None:
    """Put the finished `new` folder in place of `site`; if that is interrupted, the old site is put back."""
    old = None
    if site.exists():
        old = Path(tempfile.mkdtemp(prefix=f".{site.name}-old-", dir=site.parent))
        os.replace(site, old / "site")
    try:
        os.replace(new, site)
    except BaseException:
        if old is not None and not site.exists():
            os.replace(old / "site", site)
        shutil.rmtree(new, ignore_errors=True)
        raise
    finally:
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
