"""Every tunable number of the pipeline, declared once with what it means."""
from __future__ import annotations

from dataclasses import dataclass, field, fields


def _s(default, help_text: str):
    return field(default=default, metadata={"help": help_text})


@dataclass(frozen=True)
class Settings:
    """Thresholds and limits; a changed value changes the output, so it is part of every cache key."""

    max_file_bytes: int = _s(2_000_000, "Files larger than this are rejected before they are read whole.")
    heading_max_words: int = _s(14, "A line this short with no closing punctuation is a heading, not a passage.")
    headline_max_words: int = _s(24, "...and a longer one up to this many words, when most of its longer words are capitalised "
                                     "(a headline: \"Report: White House Asked Bill Clinton to Urge Sestak to Drop Out of Senate Race\").")
    min_passage_words: int = _s(6, "Paragraphs with fewer words are not kept as passages.")
    boilerplate_max_words: int = _s(25, "Only lines up to this many words can be corpus boilerplate.")
    boilerplate_min_families: int = _s(3, "A short line found in this many unrelated articles is boilerplate.")
    boilerplate_min_share: float = _s(0.0, "...and in at least this share of all article families.")
    shingle_words: int = _s(5, "Words per shingle when looking for overlapping articles.")
    shingle_sample: int = _s(4, "Keep one shingle in this many (chosen by hash) in the candidate index.")
    candidate_min_shared: int = _s(2, "Sampled shingles two articles must share to be compared at all.")
    shingle_max_df: int = _s(64, "A sampled shingle found in more articles than this is ignored as common.")
    sentence_match: float = _s(88.0, "rapidfuzz ratio (0-100) at which two normalised sentences are the same.")
    sentence_min_chars: int = _s(24, "Shorter sentences never match across articles on their own.")
    article_duplicate: float = _s(0.6, "Share of an article's text found in another that makes it a copy of it.")
    quote_weight: float = _s(0.25, "Weight of quoted speech, against the reporter's own text, in that share: "
                                   "independent reports quote the same people word for word.")
    passage_covered: float = _s(0.8, "Share of a paragraph's text already kept elsewhere that merges it.")
    passage_cited: float = _s(1.0, "Share of a kept passage's text an article must carry to be cited for it (all of "
                                   "it: a footnote vouches only for text its article holds).")
    topic_min_score: float = _s(1.0, "Weighted term hits a passage needs to belong to a topic (topics may override).")
    topic_article_min_passages: int = _s(2, "Passages of an article that must reach min_score for it to be about a topic (its title may do instead).")
    topic_article_share: float = _s(0.2, "...and the share of its passages they must make up.")
    topic_article_whole: float = _s(0.6, "Share of its passages on a topic that makes an article wholly on it: it lends the topic to all of them.")
    topic_article_dominance: float = _s(0.7, "An article lends only its main topics: term weight at least this share of its strongest topic's.")
    topic_title_weight: float = _s(2.0, "Weight of the title's term hits, against one passage's, in an article's topic weight.")
    topic_passing_strong: float = _s(2.0, "Times min_score a passage needs for a topic its article is not about (one passing mention is not enough).")
    lead_points: int = _s(5, "Key points at the top of each topic page.")
    lead_share: float = _s(0.34, "At most this share of a topic's passages (at least one) is repeated as key points.")
    lead_per_story: int = _s(1, "Key points from any one story (articles joined by copies or by a claim they state), "
                                "while other stories have facts to report.")
    lead_per_article: int = _s(2, "Key points from any one article, while other articles have relevant passages.")
    lead_sentence_max_chars: int = _s(400, "A sentence longer than this is not a key point.")
    lead_min_words: int = _s(6, "A sentence with fewer words is not a key point.")
    lead_central_names: int = _s(10, "A key point's centrality counts the topic's this many most named people, places "
                                     "and organisations it names (besides its topic terms).")
    topic_page_passages: int = _s(200, "Passages shown on a topic page; the rest go to its archive pages.")
    sources_page_entries: int = _s(500, "At most this many input files on each sources page (at least half as many "
                                       "but on the last); more continue on the next (sources-2, ...), cut where the "
                                       "files' paths say.")
    archive_page_passages: int = _s(1000, "At most this many passages on each archive page (at least half as many but "
                                          "on the last), by the day first reported; more continue on the next "
                                          "(-archive-2, ...), cut where the passages say.")
    claim_min_words: int = _s(6, "Sentences with fewer words are not compared as claims (they stay in their passage).")
    claim_max_chars: int = _s(1000, "Longer sentences are not compared as claims (run-on text, tables pasted as one line).")
    claim_max_days: int = _s(7, "Statements of articles published more than this many days apart are not one claim.")
    claim_max_df: int = _s(50, "A word, name or number in more statements than this is not used to find claim candidates.")
    claim_min_shared: int = _s(2, "Index keys (words, names, numbers) two statements must share to be compared as claims.")
    claim_min_shared_stems: int = _s(3, "Content words two statements must share to state the same claim.")
    claim_containment: float = _s(0.5, "IDF-weighted share of the lighter statement's content words found in the "
                                        "other, at which two statements can be the same claim...")
    claim_clause_containment: float = _s(0.6, "...and the share when either side is one clause of a contrast (\"X, but Y\"), shorter than a sentence.")
    claim_predicate: float = _s(0.55, "...and the same share over the words that are not names (what is said of them).")
    claim_min_shared_predicate: int = _s(2, "Content words that are not names two statements must share to state the same claim.")
    claim_fuzzy: float = _s(80.0, "rapidfuzz token_set_ratio (0-100) of the normalised statements at which they are the same "
                                  "claim even below the non-name share above (one quotation, reworded around it).")
    claim_part_share: float = _s(0.3, "IDF-weighted share of the heavier statement's content words that the two share, below "
                                      "which the words they share are a small part of it...")
    claim_part_containment: float = _s(0.8, "...and the lighter must be this much inside it (or the same quotation, "
                                            "claim_fuzzy) to be the same claim: a generic phrase (\"a path to legal "
                                            "status\") shared by different claims is not one.")
    claim_thin_shared: int = _s(7, "Content words in common below which two statements must also read alike (token_set_ratio "
                                   "claim_thin_fuzzy) to be the same claim, unless they state one act of one person...")
    claim_thin_fuzzy: float = _s(65.0, "...that token_set_ratio (0-100): a few words in common are two facts about one thing "
                                       "(\"my account was hacked\" / \"hired a security company to investigate how his "
                                       "account has been hacked\") unless the rest reads alike...")
    claim_thin_containment: float = _s(0.9, "...or the lighter statement is this much (IDF-weighted) inside the other "
                                            "(\"Putin would accept the peacekeeping forces\" / \"Putin told him that he "
                                            "would accept European peacekeepers\").")
    claim_frame_shared: int = _s(3, "...or, below those shares, the content words two statements' themes of one act of one person "
                                    "on one object must share (\"Macron's suggestion that European peacekeepers could keep "
                                    "Ukraine stable\" / \"Macron offered European peacekeepers for Ukraine\": 3; see claims_match.frames).")
    claim_number_tolerance: float = _s(0.02, "Two figures within this relative difference agree (rounding: $43,000 ~ $43,350).")
    claim_approx_tolerance: float = _s(0.25, "...and within this one when either is approximate (\"more than $1 million\").")
    coverage_outlets: int = _s(25, "Outlets given a row of their own in the home page's coverage table (those giving "
                                   "the most passages); the others share one row.")
    feed_entries: int = _s(50, "Entries kept in the Atom feed (feed.xml), newest builds first.")
    feed_entry_passages: int = _s(20, "New passages quoted in one feed entry (the most widely reported first); the "
                                      "entry counts the others.")

    def describe(self) -> list[tuple[str, object, str]]:
        """(name, value, help) for every setting, in declaration order."""
        return [(f.name, getattr(self, f.name), f.metadata["help"]) for f in fields(self)]

    def key(self) -> str:
        """A stable text form of every value, for cache keys."""
        return ";".join(f"{n}={v!r}" for n, v, _ in self.describe())


DEFAULT = Settings()
