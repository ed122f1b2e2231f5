"""A failed build leaves the last good briefings/ and site/ byte for byte; a good build is reproducible."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from generator import cli, pipeline, reader, search
from generator.settings import DEFAULT

from .helpers import FIXTURE, ROOT

EPOCH = "1700000000"


def tree(folder: Path) -> dict[str, bytes]:
    """Every file below `folder` (hidden ones too) and its bytes."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def project(tmp_path: Path) -> list[str]:
    """A copy of the fixture story, the templates, mkdocs.yml and its theme overrides; the CLI options that build it
    into tmp_path."""
    shutil.copytree(FIXTURE / "seeds", tmp_path / "seeds")
    shutil.copytree(ROOT / "templates", tmp_path / "templates")
    shutil.copytree(ROOT / "overrides", tmp_path / "overrides")
    shutil.copy(FIXTURE / "topics.yml", tmp_path / "topics.yml")
    shutil.copy(ROOT / "mkdocs.yml", tmp_path / "mkdocs.yml")
    return ["--seeds", str(tmp_path / "seeds"), "--topics", str(tmp_path / "topics.yml"),
            "--templates", str(tmp_path / "templates"), "--briefings", str(tmp_path / "briefings"),
            "--site", str(tmp_path / "site"), "--config", str(tmp_path / "mkdocs.yml"), "--skip-invalid"]


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """One good build; each test works on its own copy of it."""
    base = tmp_path_factory.mktemp("good")
    args = project(base)
    assert cli.main(["build", *args]) == 0
    return base


@pytest.fixture
def good(built, tmp_path):
    shutil.copytree(built, tmp_path, dirs_exist_ok=True)
    return tmp_path, [a.replace(str(built), str(tmp_path)) for a in project_args(built)]


def project_args(base: Path) -> list[str]:
    return ["--seeds", str(base / "seeds"), "--topics", str(base / "topics.yml"),
            "--templates", str(base / "templates"), "--briefings", str(base / "briefings"),
            "--site", str(base / "site"), "--config", str(base / "mkdocs.yml"), "--skip-invalid"]


def break_template(base: Path, needle: str, replacement: str) -> int:
    """Replace the first line of topic.md.j2 holding `needle`; return that line's number."""
    path = base / "templates" / "topic.md.j2"
    lines = path.read_text(encoding="utf-8").split("\n")
    number = next(i for i, line in enumerate(lines, start=1) if needle in line)
    lines[number - 1] = lines[number - 1].replace(needle, replacement)
    path.write_text("\n".join(lines), encoding="utf-8")
    return number


@pytest.mark.parametrize("needle, replacement, message", [
    ("{{ p.text }}", "{{ p.text }", "unexpected '}'"),
    ("{{ p.text }}", "{{ p.txet }}", "has no attribute 'txet'"),
    ("{{ p.text }}", "{{ nonsense }}", "'nonsense' is undefined"),
])
def test_template_error_mid_build_leaves_previous_output(good, capsys, needle, replacement, message):
    base, args = good
    before = {"briefings": tree(base / "briefings"), "site": tree(base / "site")}
    entries = sorted(p.name for p in base.iterdir())
    line = break_template(base, needle, replacement)
    assert cli.main(["build", *args]) == 1
    err = capsys.readouterr().err
    assert f"Error: {base / 'templates' / 'topic.md.j2'}:{line}: " in err and message in err
    assert {"briefings": tree(base / "briefings"), "site": tree(base / "site")} == before
    assert sorted(p.name for p in base.iterdir()) == entries, "temporary folder left behind"


def test_failed_site_check_leaves_previous_briefings_and_site(good, capsys):
    base, args = good
    before = {"briefings": tree(base / "briefings"), "site": tree(base / "site")}
    entries = sorted(p.name for p in base.iterdir())
    template = base / "templates" / "index.md.j2"
    template.write_text(template.read_text(encoding="utf-8") + '\n<span onclick="x()">raw</span>\n', encoding="utf-8")
    assert cli.main(["build", *args]) == 1
    assert "Error: index.html:" in capsys.readouterr().err
    assert {"briefings": tree(base / "briefings"), "site": tree(base / "site")} == before
    assert sorted(p.name for p in base.iterdir()) == entries


def _state(base):
    """The built briefings and site, and the entries of the build folder, to compare after a failed build."""
    return {"briefings": tree(base / "briefings"), "site": tree(base / "site")}, sorted(p.name for p in base.iterdir())


def _edit_a_seed(base) -> None:
    """A real change of input, so that a build has something new to write."""
    seed = base / "seeds" / "gazette-treaty.md"
    seed.write_text(seed.read_text(encoding="utf-8") + "\nThe dam inspection was delayed.\n", encoding="utf-8")


def test_interrupted_build_leaves_previous_output(good, monkeypatch):
    from mkdocs.commands import build as mkdocs_build

    base, args = good
    before, entries = _state(base)
    _edit_a_seed(base)

    def interrupted(config, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(mkdocs_build, "build", interrupted)
    with pytest.raises(KeyboardInterrupt):
        cli.main(["build", *args])
    assert {"briefings": tree(base / "briefings"), "site": tree(base / "site")} == before
    assert sorted(p.name for p in base.iterdir()) == entries


def test_failed_search_index_leaves_previous_briefings_and_site(good, capsys, monkeypatch):
    base, args = good
    before, entries = _state(base)
    _edit_a_seed(base)
    monkeypatch.setattr(search, "command", lambda site, *how: [sys.executable, "-c", "raise SystemExit('no index')"])
    assert cli.main(["build", *args]) == 1
    assert "the search index failed: no index" in capsys.readouterr().err
    assert {"briefings": tree(base / "briefings"), "site": tree(base / "site")} == before
    assert sorted(p.name for p in base.iterdir()) == entries, "temporary folder left behind"


def _build_in_subprocess(base: Path, out: Path, hashseed: str) -> None:
    env = {**os.environ, "SOURCE_DATE_EPOCH": EPOCH, "PYTHONHASHSEED": hashseed, "PYTHONPATH": str(ROOT)}
    args = [a.replace(str(base / "briefings"), str(out / "briefings")).replace(str(base / "site"), str(out / "site"))
            for a in project_args(base)]
    proc = subprocess.run([sys.executable, "-m", "generator", "build", *args], env=env, capture_output=True,
                          text=True, cwd=base)
    assert proc.returncode == 0, proc.stderr


def test_builds_are_byte_identical_across_folders_and_hash_seeds(built, tmp_path):
    _build_in_subprocess(built, tmp_path / "one", "1")
    _build_in_subprocess(built, tmp_path / "two", "2")
    one, two = tree(tmp_path / "one" / "site"), tree(tmp_path / "two" / "site")
    assert one and one == two
    assert tree(tmp_path / "one" / "briefings") == tree(tmp_path / "two" / "briefings")


def test_file_order_on_disk_changes_nothing(monkeypatch):
    inputs = pipeline.Inputs(FIXTURE / "seeds", FIXTURE / "topics.yml", ROOT / "templates")
    expected = pipeline.generate(inputs, DEFAULT, skip_invalid=True).files
    walk = os.walk

    def reversed_walk(top, **kwargs):
        for root, dirs, files in walk(top, **kwargs):
            dirs.reverse()
            files.reverse()
            yield root, dirs, files

    monkeypatch.setattr(reader.os, "walk", reversed_walk)
    assert pipeline.generate(inputs, DEFAULT, skip_invalid=True).files == expected
