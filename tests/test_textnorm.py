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
    pattern = topics.matcher(topics.Topic("t", "T", "", (topics.parse_term("ally", 1.0),), None))
    found = [m.group(0) for m in pattern.finditer(topics.words(text))]
    assert found == [w for w in normalise(text).split() if w in ("ally", "allies")]
