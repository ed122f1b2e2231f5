"""Claims through a whole build: one fact told by two outlets in their own words is shown once, with
both wordings each footnoted to its own article, and counted as two outlets; copies count once."""
from __future__ import annotations

import json
import re

import numpy as np
import pytest

from generator import claims, claims_match, pipeline, render
from generator.settings import DEFAULT

from .helpers import ROOT
from .helpers import BRIDGE_TOPICS as TOPICS
from .helpers import build_story
from .helpers import markdown_article as article

FACT_GAZETTE = "The city council voted on Tuesday to close the old river bridge to heavy lorries from March."
FACT_HERALD = "On Tuesday the council decided by vote that the old river bridge will be closed to heavy lorries in March."
GAZETTE = [FACT_GAZETTE,
           "Engineers found cracks in two steel girders of the bridge during an inspection last autumn.",
           "Repairs to the bridge will cost 14 million euros over two years, the transport department said."]
HERALD = ["Local shops along the river asked the council for compensation for the trade they expect to lose.",
          FACT_HERALD,
          "The mayor, Anna Berg, said the council could not take any risk with a bridge carrying so much traffic."]


def _gazette_its_copy_and_herald(root, topics: str, gazette: list[str], herald: list[str]):
    """A build of three articles of 3 March 2025: the Gazette's, a copy of it (Wire Copy), and the Herald's."""
    return build_story(root, topics, {"gazette.md": article("Gazette story", "Gazette", "2025-03-03", gazette),
                                      "gazette-copy.md": article("Copy", "Wire Copy", "2025-03-04", gazette),
                                      "herald.md": article("Herald story", "Herald", "2025-03-03", herald)})


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    return _gazette_its_copy_and_herald(tmp_path_factory.mktemp("claims"), TOPICS, GAZETTE, HERALD)


def test_a_fact_in_two_outlets_words_is_one_claim_of_two_outlets(built):
    joined = [c for c in built.claims.claims if len(c.wordings) > 1]
    assert len(joined) == 1
    claim = joined[0]
    assert {w.text for w in claim.wordings} == {FACT_GAZETTE, FACT_HERALD}
    assert claim.outlets == 2  # the gazette, its copy (one family) and the herald
    by_text = {w.text: set(w.sources) for w in claim.wordings}
    assert by_text[FACT_GAZETTE] == {"gazette", "gazette-copy"}  # each wording cites only articles holding it
    assert by_text[FACT_HERALD] == {"herald"}


def test_the_page_shows_the_fact_once_with_each_wording_footnoted_to_its_own_article(built):
    page = built.files["bridge.md"]
    lead, other = sorted((FACT_GAZETTE, FACT_HERALD), key=lambda t: -len(t.split()))
    assert page.count(lead) == 2  # the key point, and its passage in detail
    key_point = next(line for line in page.split("\n") if line.startswith("- ") and lead in line)
    assert "*(2 outlets)*" in key_point
    # the other outlet's wording sits under the claim, in a collapsible block, cited to its own article
    wordings = [line.strip() for line in page.split("\n") if other in line]
    assert wordings and all(line.startswith(other) for line in wordings)
    own = ["herald"] if other == FACT_HERALD else ["gazette", "gazette-copy"]
    assert all(re.findall(r"\[\^([^\]]+)\]", line) == own for line in wordings)
    key_points, detail = page.split("## In detail", 1)
    assert [line.strip() for line in key_points.split("\n") if "??? quote" in line] == [
        '??? quote "2 outlets: 1 other wording"']
    # in detail, under a passage that is just this sentence, the title need not name it
    assert [line for line in detail.split("\n") if "??? quote" in line] == ['??? quote "2 outlets: 1 other wording"']
    # the other wording is not repeated as a sentence of its own passage
    assert not any(line.startswith(other) for line in detail.split("\n"))


def test_in_detail_the_block_under_a_passage_of_several_sentences_names_its_sentence(tmp_path):
    # the claim's block sits under the herald's passage, which says more than the claim
    herald = [HERALD[0], FACT_HERALD + " Lorries will have to cross at the new ring road bridge instead.", HERALD[2]]
    page = _gazette_its_copy_and_herald(tmp_path, TOPICS, GAZETTE, herald).files["bridge.md"]
    key_points, detail = page.split("## In detail", 1)
    assert '    ??? quote "2 outlets: 1 other wording"' in key_points.split("\n")
    blocks = [line for line in detail.split("\n") if "??? quote" in line]
    assert blocks == [f'??? quote "“{render.opening(FACT_HERALD)}” is stated by 2 outlets: 1 other wording"']
    assert render.opening(FACT_HERALD) == "On Tuesday the council decided by vote that…"


def test_opening_names_a_sentence_by_its_first_words():
    assert render.opening("“We stand by the story,” the editor said.", words=4) == "We stand by the…"
    assert render.opening("Short one.") == "Short one."
    assert render.opening("It can make her strong again.”") == "It can make her strong again."
    assert render.opening("One, two, three, four, five", words=3) == "One, two, three…"


def test_the_ledger_records_the_claim_and_its_outlets(built):
    ledger = json.loads(built.files["ledger.json"])
    assert ledger["counts"]["claims_several_outlets"] == 1
    (claim,) = [c for c in ledger["claims"] if len(c["wordings"]) > 1]
    assert claim["outlets"] == 2
    assert sorted(w["article"] for w in claim["wordings"]) == ["gazette", "herald"]


def test_statements_far_apart_in_time_are_not_joined(tmp_path):
    result = build_story(tmp_path, TOPICS, {"gazette.md": article("Bridge to close", "Gazette", "2025-03-03", GAZETTE),
                                            "herald.md": article("Council votes", "Herald", "2025-06-03", HERALD)})
    assert not [c for c in result.claims.claims if len(c.wordings) > 1]


@pytest.fixture(scope="module")
def seeds():
    return pipeline.generate(pipeline.Inputs(ROOT / "seeds", ROOT / "templates" / "topics.yml", ROOT / "templates"),
                             DEFAULT)


def test_statements_indexed_in_chunks_give_the_claims_of_one_pass(seeds, monkeypatch):
    """A million articles index their statements in parts (claims.INDEX_CHUNK), to bound memory: same claims."""
    matches = seeds.matches
    family_of = {a: a for p in seeds.passages for a in p.sources}

    def joined():
        return claims.join(seeds.passages, family_of, {}, DEFAULT, among=[bool(m.topics) for m in matches])

    whole = joined()
    monkeypatch.setattr(claims, "INDEX_CHUNK", 3)
    assert joined() == whole and [c for c in whole.claims if len(c.wordings) > 1]


def test_stem_columns_summed_in_slices_give_the_claims_of_one_pass(seeds, monkeypatch):
    """A million articles' stem columns are summed a slice at a time (claims_match.SLICE_ENTRIES): same claims,
    and no slice cuts a statement's entries (its weight is summed in one slice, in the order of one pass)."""
    family_of = {a: a for p in seeds.passages for a in p.sources}

    def joined():
        return claims.join(seeds.passages, family_of, {}, DEFAULT, among=[bool(m.topics) for m in seeds.matches])

    whole = joined()
    monkeypatch.setattr(claims_match, "SLICE_ENTRIES", 7)
    assert joined() == whole
    owner = np.array([0, 0, 0, 1, 2, 2, 2, 2, 2, 2, 2, 2, 3, 4, 4])
    slices = claims_match._owner_slices(owner)
    assert np.array_equal(np.concatenate([owner[s] for s in slices]), owner) and len(slices) > 1
    assert all(owner[a.stop - 1] != owner[b.start] for a, b in zip(slices, slices[1:]))


# 003 and 004 report one press conference in their own words, each of two facts; 004's wording leads
SEED_TARGETS = [
    # 003: "He [Trump] indicated that ... Putin would likely accept the presence of such peacekeeping forces",
    # 004: "... but Trump claimed that Putin told him that he would be willing to accept them" (one side of a contrast)
    ("He indicated that Russian President Putin would likely accept the presence",
     "but Trump claimed that Putin told him that he would be willing to accept them"),
    # one act of one person on one object (claims_match.frames), in sentences that share few words
    ("Trump agreed with Macron’s suggestion that European peacekeepers could play a crucial role",
     "On Monday, President Macron indicated a willingness to send European peacekeepers to Ukraine"),
]


@pytest.mark.parametrize("said_003, said_004", SEED_TARGETS, ids=["putin-would-accept", "macron-offered"])
def test_on_the_seeds_a_fact_both_outlets_state_is_one_claim_of_two_outlets(seeds, said_003, said_004):
    (claim,) = [c for c in seeds.claims.claims
                if any(said_003 in w.text for w in c.wordings) and any(said_004 in w.text for w in c.wordings)]
    assert claim.outlets == 2
    assert {w.sources for w in claim.wordings} == {("003_3ead7e23d2ba6687",), ("004_1e41a0e355824cc0",)}
    page = seeds.files["peacekeeping-force.md"]
    key_points, detail = page.split("## Key points", 1)[1].split("## In detail", 1)
    (key_point,) = [line for line in key_points.split("\n") if said_004 in line]  # once, with both outlets
    assert key_point.startswith("- ") and key_point.endswith("[^004_1e41a0e355824cc0] *(2 outlets)*")
    # 003's wording is shown beside it, once, cited to 003 only
    (other,) = [line for line in key_points.split("\n") if said_003 in line]
    assert other.startswith("    ") and other.endswith("[^003_3ead7e23d2ba6687]")
    # in detail, the passage leading the claim counts the outlets of the claim, as its key point does
    passage = next(line for line in detail.split("\n") if said_004 in line)
    assert passage.endswith("[^004_1e41a0e355824cc0] *(2 outlets)*")


KILLED_GAZETTE = "At least 17 soldiers were killed in the attack on the army base near the border on Monday, officials said."
KILLED_HERALD = "Twenty soldiers were killed in the attack on the army base near the border on Monday."
ATTACK_GAZETTE = [KILLED_GAZETTE,
                  "The army said the base had been shelled for two hours before dawn and that the barracks burned down.",
                  "Rescue teams were still searching the ruins of the base on Tuesday morning, the governor said."]
ATTACK_HERALD = ["Villagers near the base said they heard explosions through the night and fled to the hills.",
                 KILLED_HERALD,
                 "The defence minister promised an inquiry into why the base had no shelters for its soldiers."]
ATTACK_TOPICS = """story: {title: Attack, description: An attack.}
topics:
  - slug: attack
    title: The attack
    description: The attack on the army base.
    terms: [attack*, base, soldier*]
"""


@pytest.fixture(scope="module")
def disputed(tmp_path_factory):
    return _gazette_its_copy_and_herald(tmp_path_factory.mktemp("disputed"), ATTACK_TOPICS, ATTACK_GAZETTE,
                                        ATTACK_HERALD)


def test_figures_that_disagree_are_two_claims_in_conflict_never_one(disputed):
    by_text = {w.text: c for c in disputed.claims.claims for w in c.wordings}
    seventeen, twenty = by_text[KILLED_GAZETTE], by_text[KILLED_HERALD]
    assert seventeen is not twenty and len(seventeen.wordings) == len(twenty.wordings) == 1
    claims = disputed.claims.claims
    assert [claims[c] for c in seventeen.conflicts] == [twenty] and [claims[c] for c in twenty.conflicts] == [seventeen]


def test_the_page_shows_disputed_wordings_side_by_side_each_with_its_outlets_and_articles(disputed):
    page = disputed.files["attack.md"]
    tables = re.findall(r'^!!! warning "Outlets differ"\n\n    (\|.*\|)\n    \|---\|---\|\n    (\|.*\|)$', page, flags=re.M)
    assert tables, "no table of disputed statements"
    for header, row in tables:
        heads = [h.strip() for h in header.strip("|").split("|")]
        cells = [c.strip() for c in re.split(r"(?<!\\)\|", row.strip("|"))]
        sides = {KILLED_GAZETTE: ("Gazette, Wire Copy (1 outlet)", ["gazette", "gazette-copy"]),
                 KILLED_HERALD: ("Herald (1 outlet)", ["herald"])}
        assert len(cells) == 2
        for head, cell in zip(heads, cells):
            text = next(t for t in sides if cell.startswith(t))  # each wording whole, in a cell of its own
            assert head == sides[text][0]
            assert re.findall(r"\[\^([^\]]+)\]", cell) == sides[text][1]  # footnoted to its own articles only
        assert {t for t in sides if t in row} == set(sides)
    # never merged: neither is shown as another wording of the other
    assert "other wording" not in page


def test_a_dispute_is_one_key_point_not_one_per_side(disputed):
    key_points = disputed.files["attack.md"].split("## Key points", 1)[1].split("## In detail", 1)[0]
    items = [line for line in key_points.split("\n") if line.startswith("- ")]
    assert sum(KILLED_GAZETTE in line or KILLED_HERALD in line for line in items) == 1
    assert key_points.count('!!! warning "Outlets differ"') == 1


def test_in_detail_a_dispute_is_one_table_under_the_first_passage_stating_a_side(disputed):
    detail = disputed.files["attack.md"].split("## In detail", 1)[1]
    assert detail.count('!!! warning "Outlets differ"') == 1
    first_side = min(detail.index(KILLED_GAZETTE), detail.index(KILLED_HERALD))
    assert detail.index('!!! warning "Outlets differ"') > first_side
