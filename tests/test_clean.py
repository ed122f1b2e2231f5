"""Boilerplate removal: the rules name kinds of chrome, and repetition across unrelated articles."""
import pytest

from generator import clean
from generator.settings import DEFAULT

from .helpers import article

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
])
def test_chrome_kinds_are_recognised_beyond_the_seed_lines(line):
    assert clean.chrome_reason(line) is not None


@pytest.mark.parametrize("line", [
    NEWS, "Shares of the company fell 5 per cent on Monday after the vote.",
    "He posted a statement in which he said the deal was dead.",
    "The newsletter of the ministry said the talks would resume in March.",
    "The vote passed 213-205 on Tuesday, the clerk said.", "“Don't call us heroes,” the firefighter said.",
])
def test_news_sentences_survive(line):
    assert clean.chrome_reason(line) is None


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


def test_short_line_repeated_across_unrelated_articles_is_boilerplate():
    promo = "Download the Valley app for breaking alerts and more."
    arts = [clean.clean_article(article(f"a{i}", f"Story number {i} has its own first sentence about topic {i}.",
                                        promo), DEFAULT) for i in range(3)]
    out = clean.remove_repeated_lines(arts, {a.id: a.id for a in arts}, DEFAULT)
    assert all(promo not in [p.text for p in ca.paragraphs] for ca in out)
    assert all(r.reason == clean.REPEATED for ca in out for r in ca.removed)


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
