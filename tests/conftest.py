"""Fixtures shared by several test modules."""
import json

import pytest

from generator import cli

from .helpers import ROOT


@pytest.fixture(scope="session")
def built(tmp_path_factory):
    """The project's seeds built once per session, into a temporary folder (never the project's own site/).

    Returns (briefings folder, site folder, ledger dict).
    """
    out = tmp_path_factory.mktemp("built")
    briefings, site = out / "briefings", out / "site"
    code = cli.main(["build", "--seeds", str(ROOT / "seeds"), "--templates", str(ROOT / "templates"),
                     "--config", str(ROOT / "mkdocs.yml"), "--briefings", str(briefings), "--site", str(site)])
    assert code == 0, "briefings build failed (see the captured output)"
    ledger = json.loads((briefings / "ledger.json").read_text(encoding="utf-8"))
    return briefings, site, ledger


@pytest.fixture(scope="session")
def synthetic(tmp_path_factory):
    from benchmarks.synth import generate
    root = tmp_path_factory.mktemp("synth") / "corpus"
    generate(root, 200, seed=11, workers=1)
    return root


@pytest.fixture
def alone(monkeypatch):
    """This process seen as running one thread, so that generator.cores forks its workers: earlier tests (the
    browser's and the preview's servers) may leave threads behind in the test process, which a build does not."""
    from generator import cores

    monkeypatch.setattr(cores, "threads", lambda: 1)
