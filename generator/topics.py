"""Topic definitions (a YAML file editors own) and matching passages to them.

File format::

    story:
      title: Diplomacy over Ukraine, 2025        # the site's name and the home page heading
      description: One paragraph for the home page.
    topics:
      - slug: minerals-deal                      # page name: lower-case letters, digits, '-'
        title: The US-Ukraine minerals deal
        description: One or two sentences shown under the title.
        terms:                                   # words and phrases that identify the topic
          - mineral                              # a singular matches its plural too: mineral, minerals
          - rare earths                          # a plural matches the plural only (jobs is not job)
          - raw material*                        # '*' matches any ending: material, materials
          - {term: resources, weight: 0.5}       # a weaker signal counts less
        ignore:                                  # optional: phrases whose words are not the terms' sense
          - natural resources minister           # "resources" here is a job title, not the deal
        min_score: 1                             # optional: weighted hits a passage needs

Matching is on normalised words: case, punctuation and "U.S."/"US" spelling do not matter, and a
hyphen or apostrophe splits words in a term as in the text ("same-sex" matches "same sex", "Don't Ask"
matches "don't ask"); a hyphenated term also matches the word closed up ("re-election" matches
"reelection", "e-mail*" matches "emails"). Where an `ignore` phrase matches, the words it covers hit no
term: a term in another sense ("attorney" in "Attorney General", "security" in "Social Security") is
written off without dropping the term.
"""
from __future__ import annotations

import json
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .errors import GeneratorError, Problem
from .memo import Cache, digest
from .model import Article, Passage
from .settings import Settings
from .textnorm import normalise

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
TOPIC_KEYS = frozenset({"slug", "title", "description", "terms", "ignore", "min_score"})
TERM_KEYS = frozenset({"term", "weight"})
ARCHIVE_SUFFIX = "-archive"
# Names of the other generated pages, which a topic's page must not take: index, ledger, the sources
# pages (sources, sources-2, ...) and any topic's archive pages (<slug>-archive, <slug>-archive-2, ...).
_GENERATED_PAGE = re.compile(r"^(?:index|ledger|sources(?:-[0-9]+)?)$|-archive(?:-[0-9]+)?$")


@dataclass(frozen=True)
class Term:
    """One identifying word or phrase: a tuple of word patterns ('*' ends a prefix)."""

    text: str
    words: tuple[str, ...]
    weight: float
    closed: tuple[str, ...] = ()  # the words with its hyphens closed up ("re-election": reelection), if any


@dataclass(frozen=True)
class Topic:
    """One topic: its page, its description, and the terms that identify it."""

    slug: str
    title: str
    description: str
    terms: tuple[Term, ...]
    min_score: float | None
    ignore: tuple[Term, ...] = ()  # phrases whose words hit no term (weight 0)


@dataclass(frozen=True)
class TopicsFile:
    """What the topics file says: what the whole site is about, and its topics in page order."""

    title: str
    description: str
    topics: tuple[Topic, ...]


def stem(word: str) -> str:
    """A light plural stemmer: minerals -> mineral, guarantees -> guarantee, forces -> force."""
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def parse_term(text: str, weight: float) -> Term:
    """Compile a term into normalised words, split where the text's words split ('*' stays on the last).

    A term with a hyphen also gets its closed-up spelling (`closed`), which texts write too.
    """
    words = _term_words(text)
    closed = _term_words(text.replace("-", "")) if "-" in text else ()
    return Term(text, words, weight, closed if closed != words else ())


def _term_words(text: str) -> tuple[str, ...]:
    parts = []
    for raw in text.split():
        words = normalise(raw.rstrip("*")).split()
        if raw.endswith("*") and words:
            words[-1] += "*"
        parts.extend(words)
    return tuple(parts)


def forms(word: str) -> tuple[str, ...]:
    """The text words a term word matches: a plural itself only; a singular also its plurals (stem)."""
    if stem(word) != word:
        return (word,)
    plurals = [w for w in (word + "s", word[:-1] + "ies" if word.endswith("y") else "") if w and stem(w) == word]
    if word.endswith(("s", "x", "z", "ch", "sh")):
        plurals.append(word + "es")
    return (word, *plurals)


def load(path: Path) -> TopicsFile:
    """Read and check a topics file; every problem names its line."""
    where = str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as err:
        raise GeneratorError(Problem(where, f"cannot read topics file: {err}", "pass --topics FILE")) from err
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        raise GeneratorError(Problem(where, f"not valid YAML: {getattr(err, 'problem', err)}",
                                     "check indentation and quoting", mark.line + 1 if mark else None)) from err
    problems: list[Problem] = []

    def bad(node, message: str, hint: str) -> None:
        problems.append(Problem(where, message, hint, node.start_mark.line + 1 if node is not None else None))

    top = _mapping(root)
    if top is None:
        raise GeneratorError(Problem(where, "must be a mapping with 'story' and 'topics'",
                                     "see the example at the top of generator/topics.py", 1))
    story_node = _mapping(top.get("story"))
    title = _text(story_node.get("title")) if story_node else None
    if not title:
        bad(top.get("story", root), "story needs a 'title'", "add story: {title: ..., description: ...}")
    description = (_text(story_node.get("description")) if story_node else None) or ""
    topics_node = top.get("topics")
    if not isinstance(topics_node, yaml.SequenceNode) or not topics_node.value:
        bad(topics_node or root, "'topics' must be a non-empty list", "add '- slug: ...' entries under topics:")
        raise GeneratorError(problems)
    topics, seen = [], {}
    for node in topics_node.value:
        topic = _topic(node, bad)
        if topic is None:
            continue
        if topic.slug in seen:
            bad(node, f"slug {topic.slug!r} is used twice (first on line {seen[topic.slug]})", "make slugs unique")
            continue
        seen[topic.slug] = node.start_mark.line + 1
        topics.append(topic)
    if problems:
        raise GeneratorError(problems)
    return TopicsFile(title or "", description, tuple(topics))


def _mapping(node) -> dict | None:
    if not isinstance(node, yaml.MappingNode):
        return None
    return {k.value: v for k, v in node.value if isinstance(k, yaml.ScalarNode)}


def _text(node) -> str | None:
    if isinstance(node, yaml.ScalarNode) and node.tag == "tag:yaml.org,2002:str" and node.value.strip():
        return " ".join(node.value.split())
    return None


def _number(node) -> float | None:
    if isinstance(node, yaml.ScalarNode):
        try:
            return float(node.value)
        except ValueError:
            return None
    return None


def _topic(node, bad) -> Topic | None:
    fields = _mapping(node)
    if fields is None:
        bad(node, "each topic must be a mapping", "write '- slug: ...' with title, description and terms")
        return None
    for key, value in fields.items():
        if key not in TOPIC_KEYS:
            bad(value, f"unknown topic field {key!r}", f"use only {', '.join(sorted(TOPIC_KEYS))}")
    slug = _text(fields.get("slug"))
    if not slug or not SLUG.match(slug) or _GENERATED_PAGE.search(slug):
        bad(fields.get("slug", node), f"slug {slug!r} is not usable",
            "use lower-case letters, digits and '-', not index/ledger/sources/sources-N, not ending in -archive "
            "or -archive-N")
        return None
    title = _text(fields.get("title"))
    if not title:
        bad(fields.get("title", node), f"topic {slug!r} needs a title", "add 'title: ...'")
    description = _text(fields.get("description")) or ""
    terms = []
    terms_node = fields.get("terms")
    if not isinstance(terms_node, yaml.SequenceNode) or not terms_node.value:
        bad(terms_node or node, f"topic {slug!r} needs a list of terms", "add 'terms:' with one '- word' per line")
    else:
        for item in terms_node.value:
            term = _term(item, slug, bad)
            if term is not None:
                terms.append(term)
    ignore = _ignore(fields["ignore"], slug, bad) if "ignore" in fields else ()
    min_score = None
    if "min_score" in fields:
        min_score = _number(fields["min_score"])
        if min_score is None or min_score <= 0:
            bad(fields["min_score"], "min_score must be a positive number", "e.g. min_score: 2")
    if not title:
        return None
    return Topic(slug, title, description, tuple(terms), min_score, ignore)


def _ignore(node, slug: str, bad) -> tuple[Term, ...]:
    """A topic's ignore phrases: whole words, weight 0."""
    if not isinstance(node, yaml.SequenceNode):
        bad(node, f"ignore of topic {slug!r} must be a list of phrases", "write 'ignore:' with one '- phrase' per line")
        return ()
    out = []
    for item in node.value:
        text = _text(item)
        if not text or not normalise(text.replace("*", "")):
            bad(item, f"empty or unusable ignore phrase in topic {slug!r}", "write a word or phrase")
        else:
            out.append(parse_term(text, 0.0))
    return tuple(out)


def _term(item, slug: str, bad) -> Term | None:
    text, weight = _text(item), 1.0
    entry = _mapping(item)
    if entry is not None:
        for key in entry:
            if key not in TERM_KEYS:
                bad(entry[key], f"unknown term field {key!r}", "write {term: ..., weight: ...}")
        text = _text(entry.get("term"))
        weight = _number(entry.get("weight")) if "weight" in entry else 1.0
        if weight is None or weight <= 0:
            bad(item, "term weight must be a positive number", "e.g. weight: 0.5")
            return None
    if not text or not normalise(text.replace("*", "")):
        bad(item, f"empty or unusable term in topic {slug!r}", "write a word or phrase")
        return None
    return parse_term(text, weight)


def words(text: str) -> str:
    """Normalised words of a text joined by single spaces: what terms are matched against."""
    return normalise(text)


def matcher(topic: Topic) -> Matcher:
    """Where a topic's ignore phrases, then its terms, stand in a text (`Matcher`): entry n is `_entries(topic)[n]`.
    The phrases come first, so where a phrase and a term start at one word the phrase wins."""
    return Matcher.of((topic,))


_KNOWN_MAX = 200_000  # words a Matcher keeps what they may start (emptied past it: memory stays bounded)
# A term word as a test of a text word: the words it matches (a word, its plurals, an ordinal's other spelling), or
# the prefix every word it matches starts with ('tax*': "tax")
_WordTest = frozenset[str] | str


@dataclass(frozen=True)
class Matcher:
    """Where topics' entries (ignore phrases, then terms) stand in a normalised text, found word by word, for each
    topic as one expression of its entries in order would find them from left to right: at each word the first
    entry that matches there, and on after it. (That expression, tried at every character, was half of the topics
    stage with 5 terms a topic, and grew with their number: 0.4 ms a paragraph for basil-dev's 8 topics of 20-40.)
    What each word may start is kept (`known`), so one matcher serves one thread: each build makes its own."""

    spellings: tuple[tuple[tuple[tuple[_WordTest, ...], ...], ...], ...]  # topic -> entry -> spellings -> word tests
    exact: dict[str, tuple[tuple[int, int], ...]]     # a text word -> (topic, entry) a spelling of which starts with it
    prefixes: dict[str, tuple[tuple[int, int], ...]]  # a prefix ("tax" of 'tax*') -> (topic, entry) ... with it
    lengths: tuple[int, ...]                          # the prefixes' lengths, shortest first
    known: dict[str, tuple[tuple[int, int], ...]] = field(default_factory=dict, compare=False)  # _may_start, kept

    @classmethod
    def of(cls, topics: Sequence[Topic]) -> Matcher:
        spellings = tuple(tuple(_spellings(term) for term in _entries(t)) for t in topics)
        exact, prefixes = _first_words(spellings)
        return cls(spellings, exact, prefixes, tuple(sorted({len(w) for w in prefixes})))

    def hits(self, normal: str) -> list[list[int]]:
        """Per topic, the entries found in a normalised text (`words`), once per place, in reading order."""
        text = normal.split(" ")
        known = self.known
        for word in set(text).difference(known):
            known[word] = self._may_start(word)
        starts: list[list[tuple[int, int]]] = [[] for _ in self.spellings]  # per topic: (word, entry) that may start
        for i, found in [(i, found) for i, found in enumerate(map(known.__getitem__, text)) if found]:
            for k, n in found:
                starts[k].append((i, n))
        if len(known) > _KNOWN_MAX:
            known.clear()
        return [self._resolved(k, found, text) if found else [] for k, found in enumerate(starts)]

    def _may_start(self, word: str) -> tuple[tuple[int, int], ...]:
        """The (topic, entry) a spelling of which starts with this word (none: most words)."""
        found = self.exact.get(word, ())
        for length in self.lengths:
            if length > len(word):
                break
            found += self.prefixes.get(word[:length], ())
        return found

    def _resolved(self, topic: int, found: list[tuple[int, int]], text: list[str]) -> list[int]:
        """The entries of one topic that match where they may start, left to right, none inside another's match."""
        out, after = [], 0
        for i, n in sorted(found):
            if i < after:
                continue
            for spelling in self.spellings[topic][n]:
                if len(spelling) <= len(text) - i and all(
                        word in test if isinstance(test, frozenset) else word.startswith(test)
                        for test, word in zip(spelling, text[i:])):
                    out.append(n)
                    after = i + len(spelling)
                    break
        return out


_ORDINALS = ("first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth thirteenth "
             "fourteenth fifteenth sixteenth seventeenth eighteenth nineteenth twentieth").split()
_FIGURES = "1st 2nd 3rd 4th 5th 6th 7th 8th 9th 10th 11th 12th 13th 14th 15th 16th 17th 18th 19th 20th".split()
# An ordinal in words and in figures are one word to a term: "Fifth Amendment" also matches "5th Amendment".
ORDINAL_SPELLINGS = {**dict(zip(_ORDINALS, _FIGURES)), **dict(zip(_FIGURES, _ORDINALS))}


def _first_words(spellings) -> tuple[dict[str, tuple[tuple[int, int], ...]], dict[str, tuple[tuple[int, int], ...]]]:
    """Each text word, and each prefix, that a spelling starts with: the (topic, entry) of those spellings."""
    exact: dict[str, dict[tuple[int, int], None]] = {}  # (dicts as ordered sets)
    prefixes: dict[str, dict[tuple[int, int], None]] = {}
    for k, n, first in ((k, n, s[0]) for k, entries in enumerate(spellings) for n, entry in enumerate(entries)
                        for s in entry):
        for word in ([first] if isinstance(first, str) else first):
            (prefixes if isinstance(first, str) else exact).setdefault(word, {})[k, n] = None
    return {w: tuple(s) for w, s in exact.items()}, {w: tuple(s) for w, s in prefixes.items()}


def _spellings(term: Term) -> tuple[tuple[_WordTest, ...], ...]:
    """A term's spellings (its words, then closed up) as tests of the text's words, one a word."""
    return tuple(tuple(map(_word_test, spelling)) for spelling in (term.words, term.closed) if spelling)


def _word_test(word: str) -> _WordTest:
    """A term word's test: the prefix of 'word*', else the word and the plurals it matches (an ordinal also in the
    other spelling: "fifth" and "5th")."""
    if word.endswith("*"):
        return word[:-1]
    return frozenset(forms(word) + ((ORDINAL_SPELLINGS[word],) if word in ORDINAL_SPELLINGS else ()))


def _entries(topic: Topic) -> tuple[Term, ...]:
    """What `matcher` matches, in its group order: the ignore phrases (weight 0), then the terms."""
    return topic.ignore + topic.terms


def score(text: str, topic: Topic, pattern: Matcher | None = None) -> float:
    """Weighted count of term occurrences in a normalised text (`words(text)`; pass a `matcher` to go fast)."""
    return scores(text, (topic,), pattern or matcher(topic))[0]


def scores(text: str, of: Sequence[Topic], pattern: Matcher) -> list[float]:
    """`score` of a normalised text on each of the topics `of`, whose `Matcher.of(of)` is `pattern`: one walk for all."""
    return [sum(entries[n].weight for n in found) for entries, found in zip(map(_entries, of), pattern.hits(text))]


def matched_terms(text: str, topic: Topic, pattern: Matcher | None = None) -> tuple[str, ...]:
    """The topic's terms (as the editor wrote them) that a text hits, once per hit, in reading order."""
    return tuple(entry.text for phrase, entry in _hits(text, topic, pattern) if not phrase)


def ignored(text: str, topic: Topic, pattern: Matcher | None = None) -> tuple[str, ...]:
    """The topic's ignore phrases (as the editor wrote them) that a text hits, once per hit, in reading order."""
    return tuple(entry.text for phrase, entry in _hits(text, topic, pattern) if phrase)


def _hits(text: str, topic: Topic, pattern: Matcher | None) -> list[tuple[bool, Term]]:
    """Each match in a text, in reading order: (whether it is an ignore phrase, the phrase or term)."""
    entries, phrases = _entries(topic), len(topic.ignore)
    return [(n < phrases, entries[n]) for n in (pattern or matcher(topic)).hits(words(text))[0]]


@dataclass(frozen=True, slots=True)
class TopicMatch:
    """The topics one passage belongs to, in page order, with its score for each."""

    topics: tuple[str, ...]
    scores: tuple[float, ...]   # its own weighted term hits (0 for a topic lent by its article)

    def score(self, slug: str) -> float:
        return self.scores[self.topics.index(slug)]


@dataclass(frozen=True, slots=True)
class NearMiss:
    """A passage nearly on a topic: some term hits, or an article on the topic, but not enough."""

    article_id: str
    line: int
    score: float


@dataclass(frozen=True)
class Assignment:
    """What the topics stage decided: each passage's topics, and each topic's near misses."""

    matches: tuple[TopicMatch, ...]                  # one per passage, in the passages' order
    near_misses: dict[str, tuple[NearMiss, ...]]     # topic slug (page order) -> by article id and line


@dataclass(frozen=True)
class _ArticleTopic:
    """How much one article is about one topic, from its title and all its passages."""

    about: bool     # its title matches, or enough of its passages do
    lends: bool     # ...and it is wholly on the topic, which is among its main ones: every passage gets it


def _article_topics(raw: Sequence[Sequence[float]], title_scores: Sequence[float],
                    minimum: Sequence[float], settings: Settings) -> tuple[_ArticleTopic, ...]:
    """Per topic: is this article (its passages' raw scores and its title's) about it, and does it lend it?"""
    n = len(raw)
    hits = [sum(1 for r in raw if r[i] >= low) for i, low in enumerate(minimum)]
    weight = [math.fsum(r[i] for r in raw) + settings.topic_title_weight * title_scores[i]
              for i in range(len(minimum))]
    strongest = max(weight, default=0.0)
    out = []
    for i, low in enumerate(minimum):
        titled = title_scores[i] >= low
        share = hits[i] / n if n else 0.0
        about = titled or (hits[i] >= min(settings.topic_article_min_passages, n)
                           and share >= settings.topic_article_share)
        main = weight[i] > 0 and weight[i] >= settings.topic_article_dominance * strongest
        out.append(_ArticleTopic(about, about and main and (titled or share >= settings.topic_article_whole)))
    return tuple(out)


def assign(spec: TopicsFile, passages: Sequence[Passage], articles: Sequence[Article], settings: Settings,
           cache: Cache | None = None) -> Assignment:
    """Each passage's topics, read with its article's context (none is possible), and the near misses.

    A passage belongs to a topic when its weighted term hits reach the topic's `min_score` and its
    article is about the topic (its title matches, or `topic_article_min_passages` and
    `topic_article_share` of its passages do), or when the hits reach `topic_passing_strong` times
    `min_score` on their own: a passing mention in an article about something else does not count.
    An article wholly on a topic (title, or `topic_article_whole` of its passages) that is one of its
    main topics (`topic_article_dominance`) lends it to all its passages, with no topic word or few.
    Passages with some hits that get neither are near misses.
    What one article's passages get depends on its title and their texts only: the cache keeps it per
    article, keyed by a hash of those (memo "topics", tagged by the terms).
    """
    same: dict[tuple, TopicMatch] = {}  # one record per distinct result: most passages share a few
    out = []
    near: dict[str, list[NearMiss]] = {t.slug: [] for t in spec.topics}
    for p, (slugs, scores, misses) in zip(passages, _decisions(spec, passages, articles, settings, cache)):
        match = same.get((slugs, scores))
        if match is None:
            match = same[slugs, scores] = TopicMatch(slugs, scores)
        out.append(match)
        for t, s in misses:
            near[spec.topics[t].slug].append(NearMiss(p.article_id, p.line, s))
    return Assignment(tuple(out), {slug: tuple(sorted(misses, key=lambda m: (m.article_id, m.line)))
                                   for slug, misses in near.items()})


PARALLEL_MIN_ARTICLES = 2000  # articles to decide: below it, starting the workers costs more than they save


def _decisions(spec: TopicsFile, passages: Sequence[Passage], articles: Sequence[Article], settings: Settings,
               cache: Cache | None) -> list[_Decided]:
    """What each passage gets (`assign`), decided per article (from the cache when its inputs are the same)."""
    every = Matcher.of(spec.topics)
    minimum = [t.min_score or settings.topic_min_score for t in spec.topics]
    title_of = {a.id: a.title or "" for a in articles}
    by_article: dict[str, list[int]] = {}
    for n, p in enumerate(passages):
        by_article.setdefault(p.article_id, []).append(n)
    jobs = [[title_of.get(aid, "")] + [passages[n].text for n in members] for aid, members in by_article.items()]
    decided: list[_Decided] = [((), (), ())] * len(passages)
    with (cache or Cache(None, settings)).memo("topics", scoring_key(spec)) as memo:
        found = memo.keep_all([digest(*texts) if memo else None for texts in jobs],
                              lambda k: _article_decisions(spec, jobs[k][0], jobs[k][1:], every, minimum, settings),
                              PARALLEL_MIN_ARTICLES)
        for members, one_article in zip(by_article.values(), found):
            for n, one in zip(members, one_article):
                decided[n] = one
    return decided


# what one passage gets: its topics, its score on each, and its near misses (topic index, score)
_Decided = tuple[tuple[str, ...], tuple[float, ...], tuple[tuple[int, float], ...]]


def _article_decisions(spec: TopicsFile, title: str, texts: Sequence[str], every: Matcher, minimum: Sequence[float],
                       settings: Settings) -> tuple[_Decided, ...]:
    """What each passage of one article gets (`assign`), from its title and its passages' texts."""
    raw = [_term_scores(spec, text, every) for text in texts]
    context = _article_topics(raw, _term_scores(spec, title, every), minimum, settings)
    out = []
    for scores in raw:
        hits, misses = [], []
        for k, (t, s, low, art) in enumerate(zip(spec.topics, scores, minimum, context)):
            if (s >= low and (art.about or s >= settings.topic_passing_strong * low)) or art.lends:
                hits.append((t.slug, s))
            elif s > 0:
                misses.append((k, s))
        out.append((tuple(slug for slug, _ in hits), tuple(s for _, s in hits), tuple(misses)))
    return tuple(out)


def _term_scores(spec: TopicsFile, text: str, every: Matcher) -> tuple[float, ...]:
    """A text's weighted term hits per topic (a passage's, an article title's), found for all topics at once."""
    return tuple(float(sum(entries[n].weight for n in found))
                 for entries, found in zip(map(_entries, spec.topics), every.hits(words(text))))


def scoring_key(spec: TopicsFile) -> bytes:
    """What topic scores depend on in the topics file: slugs, terms, weights and thresholds."""
    return json.dumps([(t.slug, [(term.words, term.closed, term.weight) for term in _entries(t)], t.min_score)
                       for t in spec.topics]).encode()
