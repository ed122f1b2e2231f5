"""README's two commands are the ones CI runs."""
import re

from .helpers import ROOT


def test_ci_runs_the_readme_commands():
    blocks = re.findall(r"```sh\n(.*?)\n```", (ROOT / "README.md").read_text(encoding="utf-8"), re.S)
    install, tests = blocks[0].strip(), blocks[1].strip()
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8").split("\n")
    assert install in ci and tests in ci
