"""MkDocs renders only the pages whose Markdown changed: the site stage's speed trick, used with the cache.

A page's HTML depends on its own Markdown and on what all pages share: mkdocs.yml, the theme overrides, the
navigation, the site name, the title (first line) of each page the navigation lists without a title of its
own, the generator's code that runs inside MkDocs (`SITE_CODE`: a change elsewhere in the generator shows in
the Markdown, or nowhere) and the
versions of MkDocs, Material and Python-Markdown. Pages outside the navigation (archive and sources parts)
appear in no other page's HTML, so one added or removed does not change the others. The cache folder keeps a record of the last site built with it
(`site.json`): a digest of the shared part and, per page, the digest of its Markdown, where its HTML was
written and the digest of that HTML. The next build takes a page's HTML from the published site when the
shared digest is the same, the page's Markdown is the same, and the published file still has the recorded
bytes; MkDocs renders every other page (its `dirty` build, told what changed by this module rather than by
file times). Without a record, or with any shared change, every page is rendered.

Anchor checks: links from a rendered page into a reused one are not checked again by MkDocs (it checks only
pages it rendered), and the reused page's own links were checked when it was built.
"""
from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from mkdocs.plugins import BasePlugin

from . import memo

RECORD = "site.json"  # in the cache folder of `briefings build`
_PACKAGES = ("mkdocs", "mkdocs-material", "markdown", "pymdown-extensions")
_DIRTY_WARNING = "A 'dirty' build is being performed"
_HERE = Path(__file__).parent
# The generator's modules that take part in turning Markdown into a page: the Markdown extensions of mkdocs.yml,
# the MkDocs build and this module.
SITE_CODE = ("footnote_backlink.py", "markdown_speed.py", "output.py", "site_memo.py", "site_parallel.py")


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def shared_digest(config_file: Path, docs: Path, nav: list, site_name: str) -> str:
    """A digest of everything every page's HTML depends on besides its own Markdown."""
    overrides = config_file.parent / "overrides"
    titles = [(page, _first_line(docs / page)) for page in _untitled(nav)]
    theme = memo.files_digest(overrides, [p for p in overrides.rglob("*") if p.is_file()]) if overrides.is_dir() else b""
    parts = [config_file.read_bytes(), theme, json.dumps([nav, site_name, titles]).encode(),
             memo.files_digest(_HERE, [_HERE / name for name in SITE_CODE]),
             " ".join(f"{p}={memo.package_version(p)}" for p in _PACKAGES).encode()]
    h = hashlib.sha256()
    for part in parts:
        h.update(len(part).to_bytes(8, "little") + part)
    return h.hexdigest()


def _untitled(nav) -> list[str]:
    """The pages a navigation list names without a title (MkDocs shows their first heading), in its order."""
    if isinstance(nav, str):
        return [nav]
    if isinstance(nav, dict):  # {title: page} or {section: [...]}: a titled page, or a section to look into
        return [page for entry in nav.values() if not isinstance(entry, str) for page in _untitled(entry)]
    return [page for entry in nav for page in _untitled(entry)]


def _first_line(path: Path) -> str:
    try:
        with path.open(encoding="utf-8") as fh:
            return fh.readline()
    except FileNotFoundError:
        return ""


@dataclass
class Plan:
    """What one build reuses from the published site, and what it records for the next."""

    shared: str
    markdown: dict[str, str]  # page (path below docs) -> digest of its Markdown
    reuse: dict[str, str] = field(default_factory=dict)  # page -> where its HTML is, below the site
    gone: list[str] = field(default_factory=list)  # where the HTML of recorded pages no longer made is, below the site
    written: dict[str, str] = field(default_factory=dict)  # page -> where MkDocs puts its HTML (every page)

    def record(self, site: Path) -> dict:
        return {"shared": self.shared,
                "pages": {page: [self.markdown[page], dest, _digest((site / dest).read_bytes())]
                          for page, dest in sorted(self.written.items()) if (site / dest).is_file()}}


def plan(record: Path | None, config_file: Path, docs: Path, site: Path, nav: list, site_name: str) -> Plan:
    """The pages whose HTML the published `site` already holds, by the `record` file of its build (None: none)."""
    markdown = {p.relative_to(docs).as_posix(): _digest(p.read_bytes()) for p in docs.rglob("*.md")}
    out = Plan(shared_digest(config_file, docs, nav, site_name), markdown)
    old = memo.load_record(record)
    if not isinstance(old, dict) or old.get("shared") != out.shared:
        return out
    try:
        entries = [(page, md_digest, dest, html_digest)
                   for page, (md_digest, dest, html_digest) in old["pages"].items()
                   if not Path(dest).is_absolute() and ".." not in Path(dest).parts]
    except (KeyError, TypeError, ValueError, AttributeError):  # a record of another form: none
        return out
    untitled = set(_untitled(nav))  # their title in every page's navigation is read from them: always rendered
    for page, md_digest, dest, html_digest in entries:
        published = site / dest
        if page not in markdown:
            out.gone.append(dest)
        elif page not in untitled and markdown[page] == md_digest and published.is_file() and \
                _digest(published.read_bytes()) == html_digest:
            out.reuse[page] = dest
    return out


def save(record: Path | None, plan_: Plan, site: Path) -> None:
    """Write the `record` file of the finished `site` for the next build (nothing if None)."""
    if record is not None:
        memo.save_record(record, plan_.record(site))


def copy_reused(plan_: Plan, site: Path, out: Path) -> None:
    """Put the reused pages' HTML from the published `site` into the new build folder `out`."""
    for dest in plan_.reuse.values():
        (out / dest).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(site / dest, out / dest)


def mark(files, plan_: Plan) -> None:
    """Tell MkDocs' dirty build which files to render or copy (all but the reused pages), and learn where it
    writes each page."""
    for file in files:
        page = file.is_documentation_page()
        reused = page and file.src_uri in plan_.reuse
        file.is_modified = (lambda r=reused: not r)
        if page:
            plan_.written[file.src_uri] = file.dest_uri


class Reuse(BasePlugin):
    """`mark` as a plugin, for a build's configuration."""

    def __init__(self, plan_: Plan):
        super().__init__()
        self.plan = plan_

    def on_files(self, files, config):
        mark(files, self.plan)
        return files


def _not_the_dirty_warning(record: logging.LogRecord) -> bool:
    return not record.getMessage().startswith(_DIRTY_WARNING)


@contextlib.contextmanager
def dirty_build_allowed():
    """MkDocs warns (an error under `strict`) that a dirty build may leave stale navigation: true of its test of
    file times, not of this module's, which reuses a page only when nothing it shows changed."""
    logger = logging.getLogger("mkdocs.commands.build")
    logger.addFilter(_not_the_dirty_warning)
    try:
        yield
    finally:
        logger.removeFilter(_not_the_dirty_warning)
