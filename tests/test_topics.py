"""Topic definitions are data an editor owns; matching catches the wording articles use."""
import textwrap

import pytest

from generator import topics
from generator.errors import GeneratorError

from .helpers import ROOT

DEFAULTS = topics.load(ROOT / "templates" / "topics.yml")


def matching(text: str) -> set[str]:
    stemmed = topics.stemmed(text)
    return {t.slug for t in DEFAULTS.topics if topics.score(stemmed, t) >= (t.min_score or 1)}


def test_default_topics_are_the_four_of_the_story():
    assert [t.slug for t in DEFAULTS.topics] == ["security-guarantees", "peacekeeping-force", "un-vote",
                                                "minerals-deal"]


@pytest.mark.parametrize("text", [
    "Kyiv submitted a final draft agreement on the exploitation of Ukraine's raw materials.",
    "The deal would give Washington a share of Ukraine's rare earths.",
    "Talks on the minerals deal resumed on Friday.",
])
def test_minerals_topic_catches_other_wording(text):
    assert "minerals-deal" in matching(text)


def test_un_vote_needs_more_than_the_word_resolution():
    assert "un-vote" not in matching("Both hoped for a peaceful resolution of the conflict.")
    assert "un-vote" in matching("The U.N. Security Council passed the resolution, with France abstaining.")


def test_a_passage_can_belong_to_several_topics():
    text = ("Macron said European peacekeepers could deploy once security guarantees were agreed, "
            "while the minerals deal was still being negotiated.")
    assert matching(text) == {"security-guarantees", "peacekeeping-force", "minerals-deal"}


def test_news_unrelated_to_any_topic_matches_none():
    assert matching("Civilians are hunkered down in below-freezing conditions with periodic power.") == set()


def write(tmp_path, text):
    path = tmp_path / "topics.yml"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def test_errors_name_the_line_and_the_fix(tmp_path):
    path = write(tmp_path, """\
        story:
          title: A story
        topics:
          - slug: Bad Slug
            title: X
            terms: [x]
          - slug: ok
            title: Fine
            terms: []
          - slug: ok
            title: Again
            terms: [y]
            colour: red
        """)
    with pytest.raises(GeneratorError) as info:
        topics.load(path)
    text = str(info.value)
    assert f"{path}:4: slug 'Bad Slug' is not usable (use lower-case letters" in text
    assert f"{path}:9: topic 'ok' needs a list of terms" in text
    assert f"{path}:13: unknown topic field 'colour'" in text
    assert "slug 'ok' is used twice (first on line 7)" in text


def test_invalid_yaml_names_the_line(tmp_path):
    path = write(tmp_path, "story:\n  title: [unclosed\ntopics: []\n")
    with pytest.raises(GeneratorError, match=r"topics.yml:3: not valid YAML"):
        topics.load(path)


@pytest.mark.parametrize("slug", ["talks-archive", "talks-archive-2", "sources", "sources-2", "index", "ledger"])
def test_slugs_that_would_clash_with_generated_pages_are_refused(tmp_path, slug):
    path = write(tmp_path, f"""\
        story:
          title: A story
        topics:
          - slug: {slug}
            title: X
            terms: [x]
        """)
    with pytest.raises(GeneratorError) as info:
        topics.load(path)
    assert f"{path}:4: slug '{slug}' is not usable" in str(info.value)


def test_slugs_that_only_resemble_generated_pages_are_fine(tmp_path):
    path = write(tmp_path, """\
        story:
          title: A story
        topics:
          - slug: sources-of-funding
            title: X
            terms: [x]
          - slug: archive-2
            title: Y
            terms: [y]
        """)
    assert [t.slug for t in topics.load(path).topics] == ["sources-of-funding", "archive-2"]
