"""Boilerplate removal: the rules name kinds of chrome, and repetition across unrelated articles."""
import itertools

import pytest
from hypothesis import given, settings as hsettings, strategies as st
from rapidfuzz import fuzz

from generator import clean, features
from generator.settings import DEFAULT
from generator.textnorm import normalise

from .helpers import ROOT, article

NEWS = "The two governments signed a treaty on Sunday that fixes how much water each may draw."


@pytest.mark.parametrize("line", [
    "Share to:", "Share on WhatsApp  Share on LinkedIn", "Table of Contents", "Previous Article Next Article",
    "Posted in World News / Europe", "Posted inemmanuel macron / politics", "Filed under: Europe",
    "Leave a Reply", "Leave a comment", "Your email address will not be published. Required fields are marked *",
    "Sign up for our daily newsletter to get the news first.", "Subscribe to our newsletter for more analysis.",
    "> Read the article on the Newsweek website", "For more updates on this developing story, visit Daljoog News.",
    "Call to Action: Share this insightful analysis with your network.", "Skip to main content", "Advertisement",
    "What do you think? Share your thoughts in the comments below.", "Photo: Reuters/Jane Doe",
    "Shutterstock/Gints Ivuskans", "Q1: What is the main point of contention?",
    "You can call us at the toll-free number 1-800-555-0199, seven days a week.", "Email us at tips@example.com",
    "This story has been updated with a statement from the ministry.",
    "Prairie News is following this developing story and will update this report as more details become available.",
    "This is a developing story. Check back for updates.", "Home > Politics > World", "Opinion", "World News",
    "This post has been revised to reflect the following correction:", "Correction: December 1, 2010",
    "Because of an editing error, an earlier version of this post said that Senator Harry Reid was from Arizona.",
    "An earlier version of this article misstated the date of the vote.",
    "A version of this article appears in print on October 12, 2012, on page A16 of the New York edition with the "
    "headline: Night of Withering Ripostes, Mostly Delivered by Biden.",
])
def test_chrome_kinds_are_recognised_beyond_the_seed_lines(line):
    assert clean.chrome_reason(line) is not None


@pytest.mark.parametrize("line", [
    NEWS, "Shares of the company fell 5 per cent on Monday after the vote.",
    "He posted a statement in which he said the deal was dead.",
    "The newsletter of the ministry said the talks would resume in March.",
    "The vote passed 213-205 on Tuesday, the clerk said.", "“Don't call us heroes,” the firefighter said.",
    "Investigators are following this lead as the story of the crash develops, the police said.",
    "Politics in Europe changed when the vote on the treaty failed.", "Home to 3 million people, the city voted.",
])
def test_news_sentences_survive(line):
    assert clean.chrome_reason(line) is None


@pytest.mark.parametrize("line, reason", [
    # photo captions: the line a credit ends, and the credit alone
    ("A protester shouts to riot police in front of a barricade during clashes in Kyiv, Ukraine, January 22, 2014. "
     "REUTERS/Gleb Garanich", "photo caption"),
    ("Ukrainian President Volodymyr Zelenskiy attends a news conference in Kyiv (Photo: Reuters)", "photo caption"),
    ("(Photo: Reuters)", "photo caption"), ("Photo by Chip Somodevilla/Getty Images", "photo caption"),
    ("President Donald Trump speaks in the Oval Office on Feb. 28, 2025. (AP Photo/Evan Vucci)", "photo caption"),
    ("Emmanuel Macron and Donald Trump at the White House. Ludovic Marin/AFP via Getty Images", "photo caption"),
    ("Ukrainian soldiers fire towards Russian positions near Bakhmut. Photograph: Libkos/AP", "photo caption"),
    ("Firefighters work at the site of a drone strike in Odesa [Nina Liashonok/Reuters]", "photo caption"),
    ("Credit...Brendan Hoffman for The New York Times", "photo caption"),
    ("Image caption, Ukrainian soldiers at a checkpoint in Donetsk", "photo caption"),
    # teasers for other stories and links to them
    ("READ MORE: Trump says Putin wants peace, but Kyiv is not so sure.", "teaser for another story"),
    ("Related: Europe scrambles to agree on a peacekeeping force", "teaser for another story"),
    ("Also read: How the minerals deal was struck in a week", "teaser for another story"),
    ("Also read Zelensky's interview with the BBC", "teaser for another story"),
    ("WATCH | Zelensky addresses the UN General Assembly", "teaser for another story"),
    ("[Trump and Putin to meet in Saudi Arabia](https://example.com/world/2025/02/trump-putin)", "related link"),
    # a live blog's time stamps on lines of their own
    ("14:08", "live-blog time stamp"), ("2:08 p.m. ET", "live-blog time stamp"), ("[14:08 GMT]", "live-blog time stamp"),
    ("Updated 5 min ago", "live-blog time stamp"),
])
def test_captions_teasers_and_time_stamps_are_chrome(line, reason):
    assert clean.chrome_reason(line) == reason


@pytest.mark.parametrize("line", [
    "A Reuters/Ipsos poll released on Tuesday showed 53% of Americans back more aid to Ukraine.",
    "He said the figures came from Reuters/Ipsos and Gallup polls.",
    "The photo, taken by a Reuters photographer, shows soldiers in a trench near Bakhmut.",
    "Photos shared on Telegram showed the damage to the power plant, the governor said.",
    "Denver (AP) – Colorado's top law enforcement official promises to defend the state's law.",
    "Related talks between the two delegations will continue in Riyadh next week, officials said.",
    "More than 200 people were evacuated from the village on Tuesday.",
    "Watch the vote closely, the diplomat told reporters on Monday.",
    "Also on Tuesday, the European Commission proposed a new package of sanctions.",
    "The source said the talks had stalled over the question of security guarantees.",
    "Trump later posted a photo of the meeting on Truth Social with the caption: 'Peace!'",
    "The meeting ended at 14:08 - two hours later than planned.",
    "At 10:30 the delegations met again, a spokesman said.",
    "An earlier version of the bill was rejected by the Senate in March.",
    "The correction of the budget figures came a week later, the ministry said.",
])
def test_news_that_mentions_photos_agencies_links_or_times_survives(line):
    assert clean.chrome_reason(line) is None
    assert clean.live_stamp(line) == ("", line)


@pytest.mark.parametrize("lines, kept, taken", [
    # a live blog's time stamps; a figure is no stamp
    (["14:08 - Ukrainian forces retook the village of Pishchane, the army said on Tuesday.",
      "2.08pm: Zelensky arrives in Washington for talks with Trump at the White House.", "14:30",
      "9:30 a.m. ET — The Security Council meets to vote on the resolution drafted by the US.",
      "1.50 - 2.00 euros a litre is what drivers in Kyiv now pay for diesel, the ministry said."],
     ["Ukrainian forces retook the village of Pishchane, the army said on Tuesday.",
      "Zelensky arrives in Washington for talks with Trump at the White House.",
      "The Security Council meets to vote on the resolution drafted by the US.",
      "1.50 - 2.00 euros a litre is what drivers in Kyiv now pay for diesel, the ministry said."],
     [(1, clean.STAMP, "14:08 -"), (3, clean.STAMP, "2.08pm:"), (5, clean.STAMP, ""), (7, clean.STAMP, "9:30 a.m. ET —")]),
    # a post's update labels; "Updated figures" is news
    (["UPDATE: AARP CEO A. Barry Rand said in a statement that Social Security must be strengthened.",
      "UPDATE 2:52 p.m. -- Additional records disclosed Wednesday revealed more of the campaign's expenses.",
      "UPDATE: 9 p.m. -- White House spokesman Eric Schultz said he hoped the release would end the issue.",
      "Updated: Rick Santorum on Sunday tried to clarify his comment about the president's theology.",
      "Updated figures show that the deficit fell by a fifth in the last quarter, the office said."],
     ["AARP CEO A. Barry Rand said in a statement that Social Security must be strengthened.",
      "Additional records disclosed Wednesday revealed more of the campaign's expenses.",
      "White House spokesman Eric Schultz said he hoped the release would end the issue.",
      "Rick Santorum on Sunday tried to clarify his comment about the president's theology.",
      "Updated figures show that the deficit fell by a fifth in the last quarter, the office said."],
     [(1, clean.UPDATE_LABEL, "UPDATE:"), (3, clean.UPDATE_LABEL, "UPDATE 2:52 p.m. --"),
      (5, clean.UPDATE_LABEL, "UPDATE: 9 p.m. --"), (7, clean.UPDATE_LABEL, "Updated:")]),
])
def test_an_entry_keeps_its_text_and_the_ledger_lists_the_stamp_or_label_taken_off(lines, kept, taken):
    ca = clean.clean_article(article("live", *lines), DEFAULT)
    assert [p.text for p in ca.paragraphs] == kept
    assert [(r.line, r.reason, r.text) for r in ca.removed] == taken


def test_a_headline_after_the_story_and_a_list_of_other_stories_are_removed():
    teaser = ("Trump And Putin To Meet In Alaska As Talks On A Ceasefire In Ukraine Stall Again, Officials Say, "
              "After Weeks Of Quarrels About The Venue")  # longer than a heading (headline_max_words)
    other = "Zelensky said Ukraine would not accept any deal on its territory that was made without it."
    dams = "Engineers will inspect the three old dams on the river every spring."
    ca = clean.clean_article(article("a", NEWS, dams, teaser), DEFAULT)
    assert [p.text for p in ca.paragraphs] == [NEWS, dams]
    assert [(r.line, r.reason) for r in ca.removed] == [(5, clean.TRAILING_TEASER)]
    shorter = "Trump And Putin To Meet In Alaska As Talks On A Ceasefire In Ukraine Stall Again, Officials Say"
    ca = clean.clean_article(article("a", NEWS, dams, shorter), DEFAULT)  # a headline: a heading
    assert [p.text for p in ca.paragraphs] == [NEWS, dams] and [r.reason for r in ca.removed] == ["heading"]
    ca = clean.clean_article(article("b", NEWS, "Related coverage", other, "Background", dams), DEFAULT)
    assert [p.text for p in ca.paragraphs] == [NEWS, dams]
    assert [r.reason for r in ca.removed][:2] == ["SEO filler section 'Related coverage'"] * 2
    # the last line of a story is kept when it is a sentence, even without its full stop
    cut = "Ryan, a Catholic and chairman of the House Budget Committee, said last week the letters were wrong"
    assert clean.clean_article(article("b", NEWS, cut), DEFAULT).paragraphs[-1].text == cut


def test_article_cleaning_removes_headline_repeat_filler_sections_and_headings():
    a = article("a", "River treaty signed", "River treaty signed", NEWS, "People Also Ask",
                "Why does the treaty matter for the farmers downstream of the dam?",
                "A: Because it fixes the water they may take in August and September.",
                "Background", "Engineers will inspect the three old dams on the river every spring.",
                title="River treaty signed")
    ca = clean.clean_article(a, DEFAULT)
    assert [p.text for p in ca.paragraphs] == [NEWS, "Engineers will inspect the three old dams on the river every spring."]
    reasons = {r.line: r.reason for r in ca.removed}
    assert reasons[3] == "headline repeated"
    assert reasons[9].startswith("SEO filler section")
    assert reasons[13] == "heading"


def test_a_headline_pasted_before_the_first_sentence_is_taken_out_and_listed():
    lede = "WASHINGTON -- Former Rep. Asa Hutchinson (R-Ark.) Tuesday released a 225-page report on school safety."
    headline = "NRA School Safety Report Recommends Arming Teachers, Loosening Gun Laws"
    for title in (headline, f"Report: {headline}"):
        ca = clean.clean_article(article("a", f"{headline} {lede}", NEWS, title=title), DEFAULT)
        assert [p.text for p in ca.paragraphs] == [lede, NEWS]
        assert [(r.line, r.reason, r.text) for r in ca.removed] == [(1, clean.HEADLINE, headline)]
    # inside the story it is the story's text, and is left to the other rules
    ca = clean.clean_article(article("a", NEWS, f"{headline} {lede}", title=headline), DEFAULT)
    assert [p.text for p in ca.paragraphs] == [NEWS, f"{headline} {lede}"] and not ca.removed
    # news that opens with the headline's first words, and a headline too short to tell, stay as they are
    opens = "NRA School Safety Report Recommends Arming Teachers in every school, the lobby said on Tuesday."
    short = "Treaty signed. The river treaty was signed on Tuesday by both governments after years of talks."
    for text, title in ((opens, headline), (short, "Treaty signed")):
        assert [p.text for p in clean.clean_article(article("a", text, title=title), DEFAULT).paragraphs] == [text]


def test_short_line_repeated_across_unrelated_articles_is_boilerplate():
    promo = "Download the Valley app for breaking alerts and more."
    arts = [clean.clean_article(article(f"a{i}", f"Story number {i} has its own first sentence about topic {i}.",
                                        promo), DEFAULT) for i in range(3)]
    out = clean.remove_repeated_lines(arts, {a.id: a.id for a in arts}, DEFAULT)
    assert all(promo not in [p.text for p in ca.paragraphs] for ca in out)
    assert all(r.reason == clean.REPEATED for ca in out for r in ca.removed)
    # the short lines as the features keep them (prepared and cached per file) give the same result
    short = {ca.id: features.of(ca, DEFAULT).short for ca in arts}
    assert (1, "download the valley app for breaking alerts and more") in short[arts[0].id]
    assert clean.remove_repeated_lines(arts, {a.id: a.id for a in arts}, DEFAULT, short) == out


def test_line_repeated_only_within_one_duplicate_family_is_kept():
    quote = "\"This treaty ends thirty years of quarrels over every drop,\" the minister said."
    arts = [clean.clean_article(article(f"c{i}", quote, f"Copy {i} carries the same wire story on its page."),
                                DEFAULT) for i in range(4)]
    out = clean.remove_repeated_lines(arts, {a.id: "c0" for a in arts}, DEFAULT)
    assert all(quote in [p.text for p in ca.paragraphs] for ca in out)


def test_a_short_sentence_of_news_is_kept_and_a_short_pleasantry_is_not():
    a = article("a", NEWS, "The Kremlin denies any involvement.", "Thanks for reading.", "Stay tuned.")
    ca = clean.clean_article(a, DEFAULT)
    assert [p.text for p in ca.paragraphs] == [NEWS, "The Kremlin denies any involvement."]
    assert {r.reason for r in ca.removed} == {"too short to be a passage"}


def test_an_article_of_one_sentence_without_a_full_stop_is_news_not_a_heading():
    one = "The new structure will be called the United Armed Forces of Novorossiya"
    kept, rejected = clean.with_news([clean.clean_article(article("one", one), DEFAULT)])
    assert [p.text for p in kept[0].paragraphs] == [one] and not rejected
    # a headline is still a heading: an article of nothing else has no news left
    kept, rejected = clean.with_news([clean.clean_article(article("h", "Macron Fails To Bridge US-Ukraine Gap"),
                                                          DEFAULT)])
    assert not kept and rejected[0].reason.startswith("no news text left")


def test_a_repeated_line_is_boilerplate_up_to_boilerplate_max_words_words_and_not_beyond():
    most = DEFAULT.boilerplate_max_words
    at_most = " ".join(f"word{n}" for n in range(most)) + "."
    longer = "  " + " ".join(f"term{n}" for n in range(most + 1)) + ".  "  # spaces either side count no word
    arts = [clean.clean_article(article(f"d{i}", f"Story number {i} has its own first sentence about topic {i}.",
                                        at_most, longer), DEFAULT) for i in range(3)]
    out = clean.remove_repeated_lines(arts, {a.id: a.id for a in arts}, DEFAULT)
    assert all([p.text for p in ca.paragraphs][1:] == [longer] for ca in out)


def test_a_filler_sections_table_is_removed_with_its_header_row():
    """A "Key Takeaways" table flattened to text: its header row reads as a heading, but it is the table's,
    so the rows under it (label and text run together) stay in the filler section; the next heading ends it."""
    rows = ["French Advocacy for NATO Strong push for a broader NATO-style security framework, despite US reservations.",
            "Ukrainian Concerns Desire for strong, legally binding security guarantees to deter future aggression."]
    ca = clean.clean_article(article("a", NEWS, "Key Takeaways", "Point Description", *rows,
                                     "Macron's Proposed Framework", "Engineers will inspect the three old dams "
                                     "on the river every spring."), DEFAULT)
    assert [p.text for p in ca.paragraphs] == [NEWS, "Engineers will inspect the three old dams on the river every spring."]
    reasons = {r.line: r.reason for r in ca.removed}
    assert [reasons[line] for line in (3, 5, 7, 9)] == ["SEO filler section 'Key Takeaways'"] * 4
    assert reasons[11] == "heading"


def _rule_by_rule(text: str) -> str | None:
    """chrome_reason with every rule searched, in order: what the rules say without the strings they need."""
    from generator import chrome

    line = text.strip().lower()
    words = chrome._SOCIAL_WORD.findall(line)
    if words and all(w in chrome.SOCIAL_WORDS for w in words) and chrome.SHARE_BUTTONS & set(words):
        return "share buttons"
    for reason, pattern in chrome.CHROME_PATTERNS:
        if pattern.search(line):
            return reason
    return "photo caption" if "/" in line and chrome.SIGNED_CREDIT.search(text.strip()) else None


GUARDED = [  # a line for each rule that names what a line must hold
    "Share your thoughts in the comments below.", "Don't miss a story: get the app.", "A crowd in Kyiv. Jane Doe/AFP via Getty Images",
    "A protester outside parliament. Photo by Jane Doe", "Credit...Jane Doe for The New York Times",
    "Our toll-free hotline is open.", "Questions? 202-555-0143 any day", "(202) 555-0143",
    "Questions? ٢٠٢-٥٥٥-٠١٤٣ any day, “please”", "Protesters in Kyiv on Monday (Photo: Jane Doe)",
    "A march in Lviv (Credit: Jane Doe)", "A march in Lviv [Photo by Jane Doe]", "A march in Lviv [Jane Doe/Reuters]",
    # a rule tried at the start of the line, and an earlier one searched in it: the earlier one names the line
    "Read more: the march in Lviv (Photo: Jane Doe)", "Read more: subscribe to our newsletter",
]


def test_at_start_tells_the_rules_that_match_only_at_the_start_of_a_line():
    from generator.chrome import _at_start

    assert [_at_start(p) for p in ("^(a|b)c", "^[|]x", "^[]|]x", "^[^]|]x", r"^\|x")] == [True] * 5
    assert [_at_start(p) for p in ("^a|b", "a", r"^a\\|b", "^(?:a)|b", "^[a-z]|b", "(^|x)a")] == [False] * 6


def test_chrome_reason_is_the_first_rule_that_matches(synthetic):
    """Rules tried at the start of a line in one expression, and the strings the others need, change nothing."""
    lines = [line for folder in (ROOT / "seeds", ROOT / "tests" / "fixtures", synthetic) for path in
             sorted(folder.rglob("*")) if path.is_file() and path.suffix in (".txt", ".md", ".html", "")
             for line in path.read_text(encoding="utf-8", errors="replace").splitlines()] + GUARDED
    reasons = [clean.chrome_reason(line) for line in lines]
    assert reasons == [_rule_by_rule(line) for line in lines]
    assert all(clean.chrome_reason(line) is not None for line in GUARDED)


_TITLE_WORDS = st.sampled_from("river treaty signed dam U.S. talks 2025 on the at".split())
_AROUND = st.sampled_from(["", " ", "—", " -- ", "...", "!!!", "  ", "\t", ":", "'", "a", "ab", "river", "é"])


@hsettings(max_examples=400, deadline=None)
@given(st.lists(_TITLE_WORDS, min_size=1, max_size=8), st.lists(_AROUND, min_size=1, max_size=12))
def test_a_repeated_headline_is_never_skipped_by_the_length_bound(title_words, around):
    """The paragraph lengths that cannot repeat the headline are ruled out before normalising: never one that does."""
    title = " ".join(title_words)
    text = around[0] + "".join(w + a for w, a in zip(title_words, itertools.cycle(around[1:] or [""])))
    norm_title = normalise(title)
    assert clean._repeats_headline(text, norm_title) == (fuzz.ratio(normalise(text), norm_title) >= clean.HEADLINE_REPEAT)


def test_a_paragraph_far_longer_or_shorter_than_the_headline_is_not_normalised_to_compare(monkeypatch):
    title = normalise("River treaty signed after talks")
    assert clean._repeats_headline("River treaty signed -- after talks!", title)
    monkeypatch.setattr(clean, "normalise", lambda text: pytest.fail(f"normalised {text!r}"))
    assert not clean._repeats_headline(NEWS * 2, title) and not clean._repeats_headline("Signed.", title)
