"""The ledger (`ledger.json`): every input file accounted for, machine-readable, in a stable order."""
from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence

from .claims import Claims
from .model import CleanArticle, Passage
from .pages import Site
from .settings import Settings
from .topics import Assignment, TopicsFile

NAME = "ledger.json"
VERSION = 1


def ledger(spec: TopicsFile, settings: Settings, site: Site, cleaned: Mapping[str, CleanArticle],
           passages: Sequence[Passage], assigned: Assignment, joined: Claims) -> list[str]:
    """The ledger's text, in pieces to write one after another (a million articles' ledger is most of a gigabyte,
    which joined would be held twice): one entry per input file, the build's counts, near misses, the claims joined
    across outlets (each wording: article, line of its passage, sentence number in it), and the settings."""
    unassigned: dict[str, int] = defaultdict(int)
    for p, m in zip(passages, assigned.matches):
        if not m.topics:
            unassigned[p.article_id] += 1
    slug_of = {t.title: t.slug for t in spec.topics}
    by_path = {ca.article.path: ca for ca in cleaned.values()}
    entries = Encoded()  # each file's record encoded as it is made: a million of them as dicts cost gigabytes
    for s in site.sources:
        ca = by_path.get(s.path)
        entries.append(_encode({
            "path": s.path, "id": s.id, "status": s.status, "duplicate_of": s.duplicate_of,
            "similarity": s.similarity, "via": s.via, "topics": [slug_of[t] for t in s.topics],
            "reason": s.reason, "title": s.title, "outlet": s.outlet,
            "published": s.published, "url": str(s.url) if s.url else None,
            "passages_kept": s.passages_kept, "passages_merged": s.passages_merged,
            "passages_unassigned": unassigned.get(s.id, 0),
            "lines_removed": [{"line": r.line, "reason": r.reason, **({"text": r.text} if r.text else {})}
                              for r in ca.removed] if ca else [],
            "notes": list(s.notes),
        }))
    totals = site.totals
    data = {
        "version": VERSION,
        "story": spec.title,
        "topics": [{"slug": t.slug, "title": t.title} for t in spec.topics],
        "counts": {
            "files": totals.files, "used": totals.used, "duplicate": totals.duplicates,
            "rejected": totals.rejected, "passages_kept": totals.passages, "passages_merged": totals.merged,
            "passages_unassigned": totals.unassigned, "per_topic": site.per_topic,
            "claims_joined": len(joined.claims),
            "claims_several_outlets": sum(c.outlets > 1 for c in joined.claims),
        },
        # Per topic (page order), passages nearly on it, by article id and line: what to check when a
        # topic page misses something (terms to add, or a threshold in settings).
        "near_misses": {t.slug: [{"article": m.article_id, "line": m.line, "score": m.score}
                                 for m in assigned.near_misses.get(t.slug, ())] for t in spec.topics},
        "settings": {name: value for name, value, _ in settings.describe()},
        "files": entries,
        "claims": Encoded(_encode({"outlets": c.outlets, "conflicts": list(c.conflicts),
                                   "wordings": [{"article": passages[w.passage].article_id,
                                                 "line": passages[w.passage].line, "sentence": w.sentence,
                                                 "sources": list(w.sources)} for w in c.wordings]})
                          for c in joined.claims),
    }
    return json_pieces(data)


def json_text(data: object) -> str:
    """JSON for files kept in git: objects open one key a line, a list of records one record a line
    (each written by the C encoder: json.dumps with indent is pure Python, slow on a big corpus)."""
    return "".join(json_pieces(data))


def json_pieces(data: object) -> list[str]:
    """`json_text(data)` in the pieces it is made of, in order (each concatenation would be a copy)."""
    pieces: list[str] = []
    _write(data, "", pieces.append)
    if isinstance(data, dict) and data:
        pieces.append("\n")
    return pieces


def _write(data: object, indent: str, out: Callable[[str], None]) -> None:
    inner = indent + "  "
    if isinstance(data, dict) and data:
        for k, (key, value) in enumerate(data.items()):
            out(("{\n" if k == 0 else ",\n") + f"{inner}{_encode(key)}: ")
            _write(value, inner, out)
        out(f"\n{indent}}}")
    elif (records := _records(data)) is not None:
        for k, record in enumerate(records):
            out(("[\n" if k == 0 else ",\n") + inner)
            out(record)
        out(f"\n{indent}]")
    else:
        out(_encode(data))


def _records(data: object) -> Iterable[str] | None:
    """A list's records, encoded, when it is written one record a line (a list of objects or lists); else None."""
    if isinstance(data, Encoded):
        return data or None
    if isinstance(data, list) and any(isinstance(x, (dict, list)) for x in data):
        return map(_encode, data)
    return None


class Encoded(list):
    """A list of records for `json_text`, each already encoded (`_encode`): one a line, as a list of records is
    written, without holding the records themselves."""


# json.dumps(x, ensure_ascii=False), with one encoder made once (dumps makes one a call for those options)
_encode = json.JSONEncoder(ensure_ascii=False).encode
