"""Progress: a bar and a line per stage on a terminal; nothing when the output is not one, or with --quiet."""
from __future__ import annotations

import io

from generator import cli, pipeline, prepare
from generator.progress import Progress
from generator.settings import DEFAULT

from .helpers import FIXTURE, ROOT


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def _build(progress: Progress) -> None:
    pipeline.generate(pipeline.Inputs(FIXTURE / "seeds", FIXTURE / "topics.yml", ROOT / "templates"), DEFAULT,
                      skip_invalid=True, stage=progress.stage, files=progress.files)


def test_a_terminal_sees_a_bar_while_files_are_read_and_a_line_per_stage():
    out = Terminal()
    _build(Progress(out))
    text = out.getvalue()
    assert "read+clean" in text and "file" in text  # the bar: its label and unit
    lines = [line.strip() for line in text.replace("\r", "\n").split("\n") if line.strip().endswith(" s")]
    assert [line.split(" done")[0] for line in lines] == ["read+clean", "dedup", "topics", "claims", "pages"]


def test_nothing_is_shown_when_the_output_is_not_a_terminal_or_quiet():
    for progress in (Progress(io.StringIO()), Progress(Terminal(), enabled=False)):
        _build(progress)
        assert progress.stream.getvalue() == ""


def test_reading_reports_files_done_up_to_all_of_them(monkeypatch):
    monkeypatch.setattr(prepare, "CHUNK", 2)  # several chunks even on the small fixture
    seen = []
    prepare.read_folder(FIXTURE / "seeds", DEFAULT, progress=lambda done, total: seen.append((done, total)))
    total = seen[0][1]
    assert total > 2 and seen[-1] == (total, total)
    assert [d for d, _ in seen] == sorted(d for d, _ in seen)


def test_quiet_build_writes_nothing_to_standard_error(tmp_path, capsys):
    args = ["build", "--no-site", "--quiet", "--skip-invalid", "--seeds", str(FIXTURE / "seeds"),
            "--topics", str(FIXTURE / "topics.yml"), "--briefings", str(tmp_path / "b")]
    assert cli.main(args) == 0
    assert capsys.readouterr().err == ""
