"""Text normalisation: the fast paths give what the plain definitions give."""
from __future__ import annotations

import re
import unicodedata

from hypothesis import given, settings as hsettings, strategies as st

from generator import textnorm, topics
from generator.textnorm import normalise


def test_quoted_characters_are_counted_inside_double_quotes():
    assert textnorm.quoted_chars('He said "no way" today.') == len('"no way"')
    assert textnorm.quoted_chars("“For the record, I love my sister,\" she wrote.") == len("“For the record, I love my sister,\"")
    assert textnorm.quoted_chars('"An unclosed quote runs on') == len('"An unclosed quote runs on')
    assert textnorm.quoted_chars("It's Berg's bridge.") == 0


@hsettings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("aeiousyzSU19 .-'“’é\u00a0ﬁİ\u212a—\n")), max_size=60))
def test_fast_normalising_matches_the_reference(text):
    folded = unicodedata.normalize("NFKC", text).translate(textnorm._QUOTES)
    folded = re.sub(r"\b((?:[A-Za-z]\.){2,})", lambda m: m.group(1).replace(".", ""), folded)
    assert normalise(text) == re.sub(r"[^a-z0-9]+", " ", folded.lower()).strip()
    ally = topics.Topic("t", "T", "", (topics.parse_term("ally", 1.0),), None)
    assert topics.score(topics.words(text), ally) == sum(w in ("ally", "allies") for w in normalise(text).split())


def test_a_sentence_does_not_end_at_a_title_a_case_name_or_a_lawmakers_party_and_state():
    assert textnorm.sentences("Former Rep. Asa Hutchinson (R-Ark.) Tuesday released a report. It was long.") == [
        "Former Rep. Asa Hutchinson (R-Ark.) Tuesday released a report.", "It was long."]
    assert textnorm.sentences("He wrote it with his father, Rev. Jesse Jackson. Reps. John Lewis and Andre Carson "
                              "agreed. Patrol Capt. Ron Johnson spoke. The case is Roe v. Wade.") == [
        "He wrote it with his father, Rev. Jesse Jackson.", "Reps. John Lewis and Andre Carson agreed.",
        "Patrol Capt. Ron Johnson spoke.", "The case is Roe v. Wade."]


def test_a_sentence_ends_at_a_place_unless_a_title_follows_and_where_a_parenthesis_ends_it():
    assert textnorm.sentences("He spoke in San Jose, Calif. The crowd cheered. Republicans are calling for Ariz. "
                              "Gov. Jan Brewer to veto the bill.") == [
        "He spoke in San Jose, Calif.", "The crowd cheered.", "Republicans are calling for Ariz. Gov. Jan Brewer to "
        "veto the bill."]
    assert textnorm.sentences("We lack a doctrine (on foreign affairs.) Foreign affairs is hard.") == [
        "We lack a doctrine (on foreign affairs.)", "Foreign affairs is hard."]
    text = "Mr. Smith said no. " * 30 + "XMr. Jones left."  # a title is a whole word, however far the break
    assert textnorm.sentences(text)[-2:] == ["XMr.", "Jones left."]
