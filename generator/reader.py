"""Read a folder of articles: `.txt` as pasted from a web page, `.md` with YAML front matter."""
from __future__ import annotations

import datetime as dt
import os
import re
import stat
import unicodedata
from pathlib import Path
from urllib.parse import urlsplit

import yaml

from .chrome import chrome_reason
from .errors import Problem
from .escape import URL_SCHEMES
from .model import Article, Paragraph, Rejection
from .settings import Settings
from .textnorm import SENTENCE_END, in_headline_case, is_statement

ARTICLE_SUFFIXES = (".txt", ".md")
FRONT_MATTER_FIELDS = {"title": str, "outlet": str, "url": str, "published": str, "author": str}
ID_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
# A list mark: before a space, or a dash or bullet glued to the item's first word ("-His opponent's campaign")
BULLET = re.compile(r"^(?:[•·▪◦●‣\-*+–—]\s+|[•·▪◦●‣\-–—](?=[A-Z“\"‘']))")
MONTHS = ("january february march april may june july august september october november december").split()
_MONTH = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?"
DATE_PATTERNS = (
    re.compile(r"\b(?P<y>(?:19|20)\d\d)-(?P<m>\d\d)-(?P<d>\d\d)\b"),
    re.compile(rf"\b(?P<mon>{_MONTH})\s+(?P<d>\d{{1,2}}),?\s+(?P<y>(?:19|20)\d\d)\b"),
    re.compile(rf"\b(?P<d>\d{{1,2}})\s+(?P<mon>{_MONTH})\s+(?P<y>(?:19|20)\d\d)\b"),
)
HEADER_LINES = 6
# Where an article names its outlet in its own text (group "outlet"): a wire dateline
# ("KIEV (Reuters) -", "MOSCOW, March 3 (AFP) -"), a closing line pointing to the original ("Read the
# article on the Newsweek website", "For more updates ..., visit Daljoog News."), a line saying where it
# first appeared, or a copyright line. Searched in the first and last STATED_LINES paragraphs.
_NAME = r"(?P<outlet>[A-Z0-9][\w&'.’-]*(?: (?:[A-Z0-9&][\w&'.’-]*|of|the|and|de|du|la|for))*)"
OUTLET_STATEMENTS = (
    re.compile(r"^[A-Z][A-Z .'’-]{1,40}(?:, [A-Z][a-z]{2,8}\.? \d{1,2}(?:, \d{4})?)? ?\(" + _NAME + r"\) ?[-–—:]"),
    re.compile(r"^>?\s*Read (?:the )?(?:full |whole |original )?(?:article|story|piece|report) (?:on|at) (?:the )?"
               + _NAME + r"(?: website| site)?\W*$"),
    re.compile(r"^For (?:more|the latest)\b.{0,80}\b(?:visit|follow|see|go to) (?:the )?" + _NAME
               + r"(?: website| site)?\W*$"),
    re.compile(r"^(?:This (?:article|story|report) )?(?:was )?(?:originally |first )?(?:published|appeared) "
               r"(?:on|in|by) (?:the )?" + _NAME + r"(?: website| site)?(?: on .{0,30})?\W*$"),
    re.compile(r"^(?:©|\([cC]\)|[cC]opyright|COPYRIGHT)\s*(?:\d{4}\s*)?" + _NAME
               + r"(?:\W+All [Rr]ights [Rr]eserved)?\W*$"),
)
STATED_LINES = 6
YAML_HINTS = {
    "duplicate key": "keep one of the repeated lines",
    "aliases": "write every value out in full, without '&name' or '*name'",
    "constructor for the tag": "remove the '!!...' tag: front matter holds plain 'key: value' lines",
}
BINARY_SNIFF_BYTES = 8192
OUTLET_MAX_WORDS = 6
LONG_HEADLINE_CAPITALS = 0.9  # share of longer words capitalised in a line longer than `heading_max_words`
QUESTION_MIN_WORDS = 2  # a question in headline case this long or longer is a subhead ("What Next?")


class _StrictLoader(yaml.SafeLoader):
    """SafeLoader that refuses aliases and duplicate keys."""

    def compose_node(self, parent, index):  # noqa: D102
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise yaml.constructor.ConstructorError(
                None, None, "YAML aliases (*name) are not allowed in front matter", event.start_mark)
        return super().compose_node(parent, index)

    def construct_mapping(self, node, deep=False):  # noqa: D102
        seen = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            try:
                hash(key)
            except TypeError:
                raise yaml.constructor.ConstructorError(
                    None, None, "a key must be a plain name", key_node.start_mark) from None
            if key in seen:
                raise yaml.constructor.ConstructorError(
                    None, None, f"duplicate key {key!r}", key_node.start_mark)
            seen.add(key)
        return super().construct_mapping(node, deep=deep)


def list_inputs(folder: Path) -> list[tuple[Path, str, bool]]:
    """Every entry below `folder` but hidden folders, with its path relative to it (with '/') and whether it is a
    link, in a stable order; links to folders are listed, not followed."""
    out = []
    pending = [(str(folder), "")]
    while pending:
        root, prefix = pending.pop()
        try:
            with os.scandir(root) as listing:
                entries = list(listing)
        except OSError:  # as os.walk: a folder that cannot be listed has no entries
            continue
        for entry in entries:
            link = entry.is_symlink()  # from the listing: no call to the system per file
            try:
                is_folder = entry.is_dir()
            except OSError:
                is_folder = False
            if is_folder and entry.name.startswith("."):
                continue
            if is_folder and not link:
                pending.append((entry.path, prefix + entry.name + "/"))
            else:
                out.append((Path(entry.path), prefix + entry.name, link))
    return sorted(out, key=lambda entry: entry[1])


def triage(folder: Path) -> list[Problem | Rejection | tuple[Path, str]]:
    """Each entry of a seeds folder, in order: a problem to fix, a rejection, or (path, name) to read."""
    if not folder.is_dir():
        return [Problem(str(folder), "seeds folder not found", "pass --seeds DIR with your articles")]
    out: list[Problem | Rejection | tuple[Path, str]] = []
    seen_ids: dict[str, str] = {}
    inside = folder.resolve()
    for path, rel, link in list_inputs(folder):
        if link and (path.is_dir() or not path.resolve().is_relative_to(inside)):
            where = "inside" if path.resolve().is_relative_to(inside) else "outside"
            kind = "folder" if path.is_dir() else "file"
            out.append(Problem(rel, f"is a link to a {kind} {where} the seeds folder, which is never followed",
                               f"copy the {kind} into the seeds folder instead of linking to it"))
        elif path.name.startswith("."):
            out.append(Rejection(rel, "hidden file: not read (remove the leading '.' if it is an article)"))
        elif path.suffix.lower() not in ARTICLE_SUFFIXES:
            out.append(Rejection(rel, f"not an article file: only {', '.join(ARTICLE_SUFFIXES)} are read"))
        else:
            fold = unicodedata.normalize("NFKC", article_id(rel)).casefold()
            if fold in seen_ids:
                out.append(Problem(rel, f"gives the same article id {article_id(rel)!r} as {seen_ids[fold]}",
                                   f"rename {rel} or {seen_ids[fold]}: ids must differ beyond case, accents and "
                                   "Unicode normalisation"))
                continue
            seen_ids[fold] = rel
            out.append((path, rel))
    return out


class ArticleError(Exception):
    """One file cannot be read as an article."""

    def __init__(self, path: str, message: str, hint: str, line: int | None = None):
        self.problem = Problem(path, message, hint, line)
        super().__init__(str(self.problem))


def read_bytes(path: Path, rel: str, folder: Path, settings: Settings) -> bytes:
    """The bytes of a regular file inside the seeds folder and within the size limit, else ArticleError."""
    fail = _failer(rel)
    if path.is_symlink() and not path.resolve().is_relative_to(folder.resolve()):
        fail("is a link to a file outside the seeds folder, which is never followed",
             "copy the article into the seeds folder instead of linking to it")
    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):
            fail("is not a regular file (a device, pipe or socket)", "remove it from the seeds folder")
        if info.st_size > settings.max_file_bytes:
            fail(f"is {info.st_size:,} bytes, over the {settings.max_file_bytes:,}-byte limit (max_file_bytes)",
                 "split it or check that it is really an article")
        with path.open("rb") as fh:
            # its size and a byte more, to see whether it grew since; then on up to the limit if it did
            # (a read of the limit at once costs a buffer of that size for every file, twice the time)
            raw = fh.read(info.st_size + 1)
            if len(raw) > info.st_size:
                raw += fh.read(settings.max_file_bytes + 1 - len(raw))
    except OSError as err:
        fail(f"cannot be read: {err.strerror or err}", "check that the file exists and is readable")
    if len(raw) > settings.max_file_bytes:
        fail(f"grew past the {settings.max_file_bytes:,}-byte limit (max_file_bytes) while being read",
             "split it or check that it is really an article")
    return raw


def read_file(path: Path, rel: str, folder: Path, settings: Settings) -> Article:
    """Read one article file, or raise ArticleError naming the line and the fix."""
    fail = _failer(rel)
    raw = read_bytes(path, rel, folder, settings)
    text = decode(raw, rel)
    aid = article_id(rel)
    if not ID_PATTERN.match(aid):
        odd = sorted({c for c in aid if not (c.isascii() and (c.isalnum() or c in "._-"))})
        what = ", ".join(f"{c!r} (U+{ord(c):04X})" for c in odd) or f"the first character {aid[:1]!r}"
        fail(f"file name gives the id {aid!r}, which is not a plain name: {what} not allowed",
             "use ASCII letters, digits, '.', '_' and '-' only in article file names, starting with a letter or digit")
    if not text.strip():
        fail("is empty" if not text else "holds only white space", "add the article text or remove the file")
    is_md = path.suffix.lower() == ".md"
    if is_md or text.split("\n", 1)[0].strip() == "---":
        meta, body, offset = split_front_matter(text, rel)
    else:
        meta, body, offset = {}, text, 0
    if is_md:
        paragraphs = markdown_paragraphs(body, offset, settings)
        meta, notes = _markdown_metadata(meta, paragraphs)
    else:
        paragraphs = text_paragraphs(body, offset, settings)
        title, outlet, published, inferred = infer_metadata(paragraphs, settings)
        meta = {"title": title, "outlet": outlet, "published": published,
                **{k: v for k, v in meta.items() if v}}
        given = _given(text, offset)
        notes = tuple(n for n in inferred if n.split()[0] not in given)
    return Article(aid, rel, meta.get("title"), meta.get("outlet"), meta.get("url"),
                   meta.get("published"), paragraphs, notes)


def _markdown_metadata(meta: dict[str, str], paragraphs: tuple[Paragraph, ...]) -> tuple[dict[str, str], tuple[str, ...]]:
    """A Markdown article's front matter, with the outlet its text states when none is given, and its notes."""
    stated = stated_outlet(paragraphs) if not meta.get("outlet") else None
    if stated is not None:
        meta = {**meta, "outlet": stated[0]}
    notes = tuple(f"outlet from line {stated[1]}" if name == "outlet" and stated else f"{name} not given"
                  for name in ("title", "outlet", "published", "url")
                  if not meta.get(name) or (name == "outlet" and stated))
    return meta, notes


def article_id(rel: str) -> str:
    """The id of the article in the file at `rel` (relative to the seeds folder): its path without suffix."""
    return Path(rel).with_suffix("").as_posix().replace("/", "--")


def _given(text: str, offset: int) -> set[str]:
    """Field names set in a file's front matter."""
    if not offset:
        return set()
    head = text.split("\n")[1:offset - 1]
    return {line.split(":", 1)[0].strip() for line in head if ":" in line}


def _failer(rel: str):
    def fail(message: str, hint: str, line: int | None = None):
        raise ArticleError(rel, message, hint, line)
    return fail


def decode(raw: bytes, rel: str) -> str:
    """Bytes to text: UTF-8 (with or without BOM) or UTF-16 with a BOM; anything else is an error."""
    fail = _failer(rel)
    head = raw[:BINARY_SNIFF_BYTES]
    if raw.startswith((b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")):
        fail("is UTF-32 text", "re-save the file as UTF-8")
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            text = raw.decode("utf-16")
        except UnicodeDecodeError as err:
            fail(f"is not valid UTF-16 at byte {err.start}", "re-save the file as UTF-8")
    elif b"\x00" in head:
        if len(head) > 1 and (head[1::2].count(0) > len(head) // 4 or head[0::2].count(0) > len(head) // 4) \
                and head.count(0) <= (len(head) + 1) // 2:
            fail("looks like UTF-16 text without a byte-order mark", "re-save the file as UTF-8")
        fail("is a binary file, not text", "only plain-text articles (.txt, .md) can be read; remove it")
    else:
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as err:
            bom = 3 if raw.startswith(b"\xef\xbb\xbf") else 0
            start = err.start + bom
            line = raw[:start].count(b"\n") + 1
            fail(f"byte 0x{raw[start]:02x} at line {line} is not UTF-8 (the file looks like cp1252 or latin-1)",
                 "re-save the file as UTF-8", line)
    return text.replace("\r\n", "\n").replace("\r", "\n")


def split_front_matter(text: str, rel: str) -> tuple[dict[str, str], str, int]:
    """Split `---` front matter from the body; returns (fields, body, line offset of the body)."""
    fail = _failer(rel)
    lines = text.split("\n")
    if lines[0].strip() != "---":
        fail("has no front matter", "start a .md article with '---', the fields title/outlet/url/published, "
             "and '---' (or rename it to .txt)", 1)
    end = next((i for i in range(1, len(lines)) if lines[i].strip() in ("---", "...")), None)
    if end is None:
        fail("front matter opened on line 1 is never closed", "add a line '---' after the last field", 1)
    try:
        data = _plain_fields(lines[1:end])
        if data is None:
            data = yaml.load("\n".join(lines[1:end]), Loader=_StrictLoader)  # noqa: S506 - strict safe loader
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None) or getattr(err, "context_mark", None)
        line = mark.line + 2 if mark else 1
        problem = getattr(err, "problem", None) or str(err).splitlines()[0]
        hint = next((h for key, h in YAML_HINTS.items() if key in problem), "write plain 'key: value' lines")
        fail(f"front matter is not valid YAML: {problem}", hint, line)
    except RecursionError:
        fail("front matter is nested too deeply", "write plain 'key: value' lines", 2)
    except (ValueError, TypeError, OverflowError) as err:
        fail(f"front matter holds a value YAML cannot build: {err}",
             "put the value in quotes, or write dates as YYYY-MM-DD", 2)
    if data is None:
        data = {}
    if not isinstance(data, dict):
        fail("front matter must be 'key: value' lines", "see README.md for the fields", 2)
    return _checked_fields(data, lines, end, rel), "\n".join(lines[end + 1:]), end + 1


def _checked_fields(data: dict, lines: list[str], end: int, rel: str) -> dict[str, str]:
    """The front matter's values, checked field by field (the line of a bad one is named)."""
    fail = _failer(rel)
    meta = {}
    for key, value in data.items():
        line = _key_line(lines, end, key)
        if key not in FRONT_MATTER_FIELDS:
            fail(f"unknown front matter field {key!r}",
                 f"use only {', '.join(FRONT_MATTER_FIELDS)}", line)
        if value is None:
            continue
        if key == "published":
            meta[key] = parse_published(value, rel, line)
            continue
        if not isinstance(value, str):
            fail(f"field {key!r} must be text, not {type(value).__name__} ({value!r})",
                 f"put the value in quotes: {key}: \"...\"", line)
        value = " ".join(value.split())
        if not value:
            continue
        if key == "url":
            value = check_url(value, rel, line)
        meta[key] = value
    return meta


# `key: "text"`: a double-quoted scalar with no escapes, no line breaks and only characters YAML
# accepts as printable (a stricter set is fine: anything else goes to the YAML parser).
_PLAIN_FIELD = re.compile(r'([a-z]+): "([^"\\\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff\ufeff\ufffe\uffff]*)" *')


def _plain_fields(lines: list[str]) -> dict[str, str] | None:
    """What YAML gives for front matter made only of `key: "text"` lines, without running the YAML
    parser (the slowest part of reading a file); None for anything else, which YAML then reads."""
    data: dict[str, str] = {}
    for line in lines:
        m = _PLAIN_FIELD.fullmatch(line)
        if m is None or m.group(1) in data:
            return None
        data[m.group(1)] = m.group(2)
    return data


def _key_line(lines: list[str], end: int, key: object) -> int:
    for i in range(1, end):
        if lines[i].split(":", 1)[0].strip().strip("'\"") == str(key):
            return i + 1
    return 2


def parse_published(value: object, rel: str, line: int) -> str:
    """An ISO 8601 date or datetime (with offset) as `YYYY-MM-DD`; anything ambiguous is an error."""
    fail = _failer(rel)
    if isinstance(value, dt.datetime):
        if value.tzinfo is None and value.time() != dt.time():
            fail("published has a time but no UTC offset", "write e.g. 2025-02-24T17:30:00+01:00", line)
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, str):
        try:
            parsed = dt.datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
        except ValueError:
            parsed = None
        if parsed and re.match(r"^\d{4}-\d{2}-\d{2}", value.strip()):
            if len(value.strip()) > 10 and parsed.tzinfo is None:
                fail("published has a time but no UTC offset", "write e.g. 2025-02-24T17:30:00+01:00", line)
            return parsed.date().isoformat()
    fail(f"published {value!r} is not an ISO 8601 date", "write the date as YYYY-MM-DD, e.g. 2025-02-24", line)
    raise AssertionError  # unreachable: fail raises


def check_url(value: str, rel: str, line: int) -> str:
    """Accept only absolute http(s) URLs without credentials; return them percent-safe."""
    fail = _failer(rel)
    if any(ord(c) < 33 or ord(c) == 127 for c in value):
        fail("url contains spaces or control characters", "percent-encode them or remove them", line)
    try:
        parts = urlsplit(value)
        port = parts.port
    except ValueError as err:
        fail(f"url is malformed: {err}", "write a full https://… address", line)
    if parts.scheme.lower() not in URL_SCHEMES or not parts.hostname:
        fail(f"url {value!r} is not an http(s) address", "write a full https://… address", line)
    if parts.username is not None or parts.password is not None:
        fail("url carries a user name or password", "remove the 'user:password@' part", line)
    del port
    return value


def markdown_paragraphs(body: str, offset: int, settings: Settings) -> tuple[Paragraph, ...]:
    """Blank-line separated blocks of a Markdown body; `#` lines are headings."""
    out: list[Paragraph] = []
    block: list[str] = []
    start = 0
    for i, line in enumerate(body.split("\n") + [""], start=offset + 1):
        stripped = line.strip()
        if stripped.startswith("#") and re.match(r"^#{1,6}\s", stripped):
            _flush(block, start, out, settings)
            block = []
            out.append(Paragraph(i, stripped.lstrip("#").strip(), heading=True))
        elif not stripped:
            _flush(block, start, out, settings)
            block = []
        else:
            if not block:
                start = i
            block.append(stripped)
    return tuple(out)


def text_paragraphs(text: str, offset: int, settings: Settings) -> tuple[Paragraph, ...]:
    """Pasted text: every non-empty line is a paragraph."""
    out: list[Paragraph] = []
    for i, line in enumerate(text.split("\n"), start=offset + 1):
        if line.strip():
            _flush([line.strip()], i, out, settings)
    return tuple(out)


def _flush(block: list[str], line: int, out: list[Paragraph], settings: Settings) -> None:
    if not block:
        return
    text = " ".join(" ".join(block).split())
    text = BULLET.sub("", text)
    if text.startswith("#") and re.match(r"^#{1,6}\s", text):
        out.append(Paragraph(line, text.lstrip("#").strip(), heading=True))
        return
    out.append(Paragraph(line, text, heading=is_heading(text, settings)))


def is_heading(text: str, settings: Settings) -> bool:
    """A short line with no closing punctuation reads as a heading, not as a sentence, unless it is a
    sentence in sentence case with a finite verb ("The new structure will be called the United Armed
    Forces of Novorossiya"): headlines are mostly capitalised and rarely say "will", "was" or "said". A
    longer line, up to `headline_max_words`, is a heading only in headline case. So is a short question
    ("A Path Toward Peace or More Diplomatic Deadlock?", "What Comes Next?"): a subhead that asks, where a
    question the story asks is in sentence case ("Will the truce hold?")."""
    words = text.split()
    if len(words) > settings.headline_max_words:
        return False
    if SENTENCE_END.search(text):
        return (text.rstrip("\"'”’)]").endswith("?") and QUESTION_MIN_WORDS <= len(words) <= settings.heading_max_words
                and in_headline_case(words, share=LONG_HEADLINE_CAPITALS))
    if len(words) > settings.heading_max_words:
        return in_headline_case(words, share=LONG_HEADLINE_CAPITALS)  # a news sentence may name many names
    return not is_statement(words)




def stated_outlet(paragraphs: tuple[Paragraph, ...]) -> tuple[str, int] | None:
    """The outlet an article names in its own text (a dateline, "Read the article on ..."), with its line."""
    ends = list(paragraphs[:STATED_LINES]) + list(paragraphs[STATED_LINES:][-STATED_LINES:])
    for p in ends:
        for pattern in OUTLET_STATEMENTS:
            m = pattern.search(p.text.strip())
            if m and len(m.group("outlet").split()) <= OUTLET_MAX_WORDS:
                return m.group("outlet").rstrip(".’'"), p.line
    return None


def infer_metadata(paragraphs: tuple[Paragraph, ...],
                   settings: Settings) -> tuple[str | None, str | None, str | None, tuple[str, ...]]:
    """Outlet, title and date from pasted text, and a note for each: where it was found, or that it was not."""
    title, outlet, notes = _title_and_outlet(paragraphs, settings)
    published = None
    for p in list(paragraphs[:HEADER_LINES]) + list(paragraphs[-3:]):
        published = find_date(p.text)
        if published:
            notes.append(f"published from line {p.line}")
            break
    notes += [f"{name} not found" for name, value in
              (("title", title), ("outlet", outlet), ("published", published)) if not value]
    notes.append("url not found")
    return title, outlet, published, tuple(notes)


def _title_and_outlet(paragraphs: tuple[Paragraph, ...],
                      settings: Settings) -> tuple[str | None, str | None, list[str]]:
    """Title and outlet of pasted text, with where each was found: a short line over the headline is the
    outlet's name; else the headline is the first line (`_headline`) or a heading under it, and the outlet
    is one the text states (`stated_outlet`)."""
    head = [p for p in paragraphs[:HEADER_LINES + 4] if not chrome_reason(p.text)][:HEADER_LINES]
    if (len(head) >= 2 and head[0].heading and len(head[0].text.split()) <= OUTLET_MAX_WORDS
            and _headline(head[1], settings)):
        return head[1].text, head[0].text, [f"outlet from line {head[0].line}", f"title from line {head[1].line}"]
    title = outlet = None
    notes = []
    first = head[0] if head and _headline(head[0], settings) else next((p for p in head[1:2] if p.heading), None)
    if first is not None:
        title = first.text
        notes.append(f"title from line {first.line}")
    stated = stated_outlet(paragraphs)
    if stated is not None:
        outlet = stated[0]
        notes.append(f"outlet from line {stated[1]}")
    return title, outlet, notes


def _headline(p: Paragraph, settings: Settings) -> bool:
    """A line at the top that reads as a headline: a heading, or a line of at most `headline_max_words` that
    ends without a full stop, even in sentence case with a verb ("The Evening Star" / "Holder says he
    understands mistrust of police ...")."""
    return p.heading or (not SENTENCE_END.search(p.text) and len(p.text.split()) <= settings.headline_max_words)


def find_date(text: str) -> str | None:
    """The first complete calendar date (with a year) stated in the text, as YYYY-MM-DD."""
    if "19" not in text and "20" not in text:
        return None  # no year of DATE_PATTERNS: most lines, found hundreds of times faster than by searching
    for pattern in DATE_PATTERNS:
        for m in pattern.finditer(text):
            parts = m.groupdict()
            month = int(parts["m"]) if parts.get("m") else _month(parts["mon"])
            try:
                return dt.date(int(parts["y"]), month, int(parts["d"])).isoformat()
            except ValueError:
                continue
    return None


def _month(name: str) -> int:
    key = name.lower().rstrip(".")[:3]
    return next(i for i, m in enumerate(MONTHS, start=1) if m.startswith(key))
