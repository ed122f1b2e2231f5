"""The claim benchmark's census of joins counts what the claims stage would join, no more."""
import json

from benchmarks.claim_sample import all_joins, corpus_sentences

FACT = ("The city council voted on Tuesday to close the old river bridge to heavy lorries from March.",
        "On Tuesday the city council voted to close the old river bridge to heavy lorries from March.")


def _corpus(tmp_path, days):
    (tmp_path / "articles").mkdir(parents=True)
    labels = {}
    for n, (day, text) in enumerate(zip(days, FACT)):
        name = f"a{n}.md"
        (tmp_path / "articles" / name).write_text(
            f'---\ntitle: "Bridge {n}"\noutlet: "Outlet {n}"\npublished: {day}\n---\n{text}\n', encoding="utf-8")
        labels[name] = {"event": "e", "family": f"f{n}", "kind": "original", "outlet": f"Outlet {n}"}
    (tmp_path / "labels.json").write_text(json.dumps(labels), encoding="utf-8")
    return all_joins(tmp_path, corpus_sentences(tmp_path))


def test_joins_of_articles_published_far_apart_are_not_counted_as_the_claims_stage_does_not_make_them(tmp_path):
    assert len(_corpus(tmp_path / "near", ["2025-03-03", "2025-03-05"])) == 1
    assert _corpus(tmp_path / "far", ["2025-03-03", "2025-05-05"]) == set()
