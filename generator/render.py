"""Render page contexts through the Jinja2 templates into Markdown strings."""
from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import io
import pickle
import sys
import tempfile
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path

import jinja2
from jinja2 import meta

from . import context
from .context import PAGES, Source
from .errors import GeneratorError, Problem
from .escape import Markdown, html_text, md_text
from .memo import Cache, files_digest
from .model import field_values


def _finalize(value):
    """Every string a template prints is escaped unless our code already made it Markdown."""
    if isinstance(value, str):
        return md_text(value)
    return value


def cite(sources) -> Markdown:
    """Footnote references to each of the given sources: `{{ cite(p.sources) }}`.

    They are separated by a raised comma: side by side, footnote numbers would read as one number.
    """
    return Markdown(_CITE_SEPARATOR.join(f"[^{s.label}]" for s in sources))


_CITE_SEPARATOR = "<sup>,</sup>"


def opening(text: str, words: int = 8) -> str:
    """The first `words` words of a text, with "…" when it goes on and without quotation marks at either
    end (a sentence of a quotation opens or closes one): to name a sentence in a title, in quotation marks
    of its own (`“{{ point.text|opening }}”`). Still text: printing it escapes it."""
    parts = text.split()
    short = " ".join(parts[:words])
    if len(parts) > words:
        short = short.rstrip(",;:—–-") + "…"
    return short.strip(_QUOTES)


_QUOTES = "\"“”‘’'"


def environment(templates: Path) -> jinja2.Environment:
    """The Jinja2 environment: strict names, escaped output, stable whitespace."""
    if not templates.is_dir():
        raise GeneratorError(Problem(str(templates), "templates folder not found", "pass --templates DIR"))
    missing = [name for name in PAGES if not (templates / name).is_file()]
    if missing:
        raise GeneratorError([Problem(str(templates / name), "template missing",
                                      "copy it from the project's templates/ folder") for name in missing])
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(templates)), undefined=jinja2.StrictUndefined,
        finalize=_finalize, autoescape=False, keep_trailing_newline=True, trim_blocks=True,
        lstrip_blocks=True)
    env.globals["cite"] = cite
    env.globals["html"] = html_text
    env.filters["opening"] = opening
    return env


def render(env: jinja2.Environment, name: str, context) -> str:
    """Render one page; template mistakes become a GeneratorError naming file and line."""
    if not isinstance(context, PAGES[name]):
        raise TypeError(f"{name} takes a {PAGES[name].__name__}, not {type(context).__name__}")
    variables = {f: getattr(context, f) for f in context.__dataclass_fields__}
    try:
        return env.get_template(name).render(**variables)
    except jinja2.TemplateSyntaxError as err:
        message, line = err.message or "syntax error", err.lineno
        start = _open_tag_line(err.source, line) if err.source else line
        if start != line:
            message, line = f"{message} (in the tag opened here, which runs on to line {line})", start
        raise GeneratorError(Problem(_where(env, err.name or name, err.filename), message,
                                     "check that every {% ... %} block is closed and every {{ }} balanced",
                                     line)) from None
    except jinja2.UndefinedError as err:
        file, line = _template_frame(env, sys.exc_info()[2], name)
        message = err.message or "undefined name"
        hint = f"the names {name} can use are listed in templates/REFERENCE.md"
        if message.startswith("'None' has no attribute"):  # a field that may be None, used as if it never were
            hint = (f"a field of {name} that can be None (templates/REFERENCE.md says which) is used without a test: "
                    "put it inside {% if field %} ... {% endif %}")
        raise GeneratorError(Problem(file, message, hint, line)) from None
    except jinja2.TemplateError as err:
        file, line = _template_frame(env, sys.exc_info()[2], name)
        raise GeneratorError(Problem(file, str(err), "see templates/REFERENCE.md", line)) from None


class Files(Mapping[str, str]):
    """Generated files by name, each file's text held UTF-8-encoded in one spooled temporary file: in memory up to
    `SPOOL_BYTES` in all, then on disk. A million articles' pages are gigabytes of Markdown, which would otherwise
    stay in memory, beside the stages' records, from their rendering until they are written."""

    SPOOL_BYTES = 128 << 20

    def __init__(self) -> None:
        self._spool = tempfile.SpooledTemporaryFile(max_size=self.SPOOL_BYTES)
        self._where: dict[str, tuple[int, int]] = {}  # name -> (offset, length) in the spool
        self._end = 0

    def add(self, name: str, text: str | Iterable[str]) -> None:
        """Hold `text`, or the pieces of text one after another, as file `name` (in place of what was held under
        that name)."""
        start = self._end
        self._spool.seek(start)
        for batch in ([text] if isinstance(text, str) else _batches(text)):
            self._end += self._spool.write(batch.encode("utf-8"))
        self._where[name] = (start, self._end - start)

    def data(self, name: str) -> bytes:
        """File `name`'s bytes, as they are written."""
        start, size = self._where[name]
        self._spool.seek(start)
        return self._spool.read(size)

    def __getitem__(self, name: str) -> str:
        return self.data(name).decode("utf-8")

    def __contains__(self, name: object) -> bool:  # without reading the file, as Mapping's own would
        return name in self._where

    def __iter__(self) -> Iterator[str]:
        return iter(self._where)

    def __len__(self) -> int:
        return len(self._where)


def _batches(pieces: Iterable[str], size: int = 1 << 20) -> Iterator[str]:
    """Pieces of text joined into batches of about `size` characters (one write each, not one per piece)."""
    batch: list[str] = []
    held = 0
    for piece in pieces:
        batch.append(piece)
        held += len(piece)
        if held >= size:
            yield "".join(batch)
            batch, held = [], 0
    if batch:
        yield "".join(batch)


def render_all(env: jinja2.Environment, pages: Mapping[str, tuple[str, object]], cache: Cache) -> Files:
    """Every page (file name -> (template, context)) rendered, by file name, each held as it is rendered.

    The cache keeps each rendered page (memo "pages") by its template's name and a digest of the fields of
    its context that the template names, tagged by every file of the templates folder; so a rebuild renders
    again only the pages whose context changed where the template reads it (after one more article, most
    topic and archive pages are the same, though every page's context counts all files or all topics).
    From `PARALLEL_MIN_PAGES` pages to render, they are rendered on every core (`Memo.keep_each`, in page order).
    """
    out = Files()
    folder = Path(env.loader.searchpath[0])
    with cache.memo("pages", files_digest(folder, (p for p in folder.rglob("*") if p.is_file()))) as memo:
        _compile({template for template, _ in pages.values()}, env)
        listed = list(pages.items())
        # closed on the way out, whatever happens here (Ctrl-C while spooling): its workers stop, its gc freeze ends
        with contextlib.closing(memo.keep_each(_keys(env, pages, memo), lambda k: render(env, *listed[k][1]),
                                               PARALLEL_MIN_PAGES)) as texts:
            for (name, _), text in zip(listed, texts):
                out.add(name, text)
    return out


def _compile(templates: Iterable[str], env: jinja2.Environment) -> None:
    """Compile templates once, before workers are forked to render with them (a mistake is left to `render`, which
    names its file and line)."""
    for template in sorted(templates):
        try:
            env.get_template(template)
        except jinja2.TemplateError:
            pass


def _keys(env: jinja2.Environment, pages: Mapping[str, tuple[str, object]], memo) -> list[bytes | None]:
    """Each page's key in the pages memo: a digest of its template's name and the fields of its context that the
    template names (None without a cache folder: the pages are just rendered)."""
    if not memo:
        return [None] * len(pages)
    digests = _ContextDigest()
    used: dict[str, tuple[str, ...]] = {}
    keys: list[bytes | None] = []
    for template, page in pages.values():
        if template not in used:
            used[template] = fields_used(env, template, type(page))
        keys.append(digests.of(template, page, used[template]))
    return keys


PARALLEL_MIN_PAGES = 16  # to render, from which workers are started (a rebuild renders a few: it stays in process)


def fields_used(env: jinja2.Environment, name: str, context: type) -> tuple[str, ...]:
    """The fields of a context class that a template names, itself or in a template it includes, extends or
    imports; all of them when it names a template by a variable or cannot be parsed (render reports why)."""
    every = tuple(f.name for f in dataclasses.fields(context))
    try:
        named = _names(env, name, {name})
    except (jinja2.TemplateSyntaxError, jinja2.TemplateNotFound):
        return every
    return every if named is None else tuple(f for f in every if f in named)


def _names(env: jinja2.Environment, name: str, seen: set[str]) -> set[str] | None:
    """The names a template and the templates it refers to use without setting them (None: a template is
    named by a variable)."""
    tree = env.parse(env.loader.get_source(env, name)[0])
    named = set(meta.find_undeclared_variables(tree))
    for other in meta.find_referenced_templates(tree):
        if other is None:
            return None
        if other not in seen:
            seen.add(other)
            more = _names(env, other, seen)
            if more is None:
                return None
            named |= more
    return named


def _by_fields(cls: type):
    """A pickle reducer of a context class: the class called with its fields' values, as a tuple (what
    pickle would otherwise find through `__reduce_ex__` and dataclasses' `__getstate__`, in Python, per object)."""
    values = field_values(cls)
    return lambda obj: (cls, values(obj))


_FAST = {cls: _by_fields(cls) for cls in vars(context).values()
         if isinstance(cls, type) and dataclasses.is_dataclass(cls) and cls.__module__ == context.__name__}
_FAST[Markdown] = lambda obj: (Markdown, (str(obj),))


class _ContextDigest(pickle.Pickler):
    """Digests of page contexts: of the pickle of each, where a source (the same objects recur on every page
    that cites them) stands for a digest of its own pickle, made once.

    The sources are found by the pickler's dispatch table, which it consults for Source objects only (a
    `persistent_id` hook would be called from C for every object of every page). Both picklers run in
    "fast" mode, without a memo: with one, two equal strings pickle differently as they are one object or
    two, which varies between runs (a set of outlet names keeps one of the equal strings), and the same
    page would be rendered again on every build.
    """

    def __init__(self):
        self._buffer = io.BytesIO()
        self._sources: dict[int, tuple[Source, bytes]] = {}
        self._inner_buffer = io.BytesIO()
        self._inner = pickle.Pickler(self._inner_buffer, protocol=pickle.HIGHEST_PROTOCOL)
        self._inner.dispatch_table = _FAST
        self.dispatch_table = {**_FAST, Source: self._source}  # read by Pickler.__init__
        super().__init__(self._buffer, protocol=pickle.HIGHEST_PROTOCOL)
        self.fast = self._inner.fast = True

    def _source(self, obj: Source):
        """A source pickled as its digest (unlike any pickle of a real Source: the class called with bytes)."""
        known = self._sources.get(id(obj))
        if known is None:  # the object is kept with its digest, so its id is never reused for another
            self._inner.dump(obj)
            known = self._sources[id(obj)] = (obj, hashlib.blake2b(self._inner_buffer.getbuffer(),
                                                                   digest_size=16).digest())
            self._inner_buffer.seek(0)
            self._inner_buffer.truncate()
        return Source, (known[1],)

    def of(self, template: str, context, fields: Sequence[str]) -> bytes:
        """The digest of a template's name and these fields of a context to render with it."""
        self._buffer.seek(0)
        self._buffer.truncate()
        self.dump((template, type(context).__name__, tuple(getattr(context, f) for f in fields)))
        return hashlib.blake2b(self._buffer.getbuffer(), digest_size=16).digest()


def _open_tag_line(source: str, lineno: int) -> int:
    """The line where the tag Jinja was reading at `lineno` opened: a tag missing its `%}` or `}}` runs
    on into the next lines, and Jinja reports the line where it gave up, not the one to fix."""
    before = "".join(source.splitlines(keepends=True)[:lineno - 1])
    opened = max(before.rfind("{%"), before.rfind("{{"))
    if opened < 0 or before.find("%}" if before[opened + 1] == "%" else "}}", opened) >= 0:
        return lineno
    return before.count("\n", 0, opened) + 1


def _where(env: jinja2.Environment, name: str, filename: str | None) -> str:
    return filename or str(Path(env.loader.searchpath[0]) / name)


def _template_frame(env: jinja2.Environment, tb, name: str) -> tuple[str, int | None]:
    """The innermost traceback frame that is a template: its file and line."""
    found = (_where(env, name, None), None)
    root = Path(env.loader.searchpath[0]).resolve()
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        try:
            if Path(filename).resolve().is_relative_to(root):
                found = (filename, tb.tb_lineno)
        except (OSError, ValueError):
            pass
        tb = tb.tb_next
    return found
