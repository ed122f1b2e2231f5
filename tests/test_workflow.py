"""The GitHub Pages workflow (.github/workflows/site.yml) is valid and runs README's commands.

GitHub reads the workflow only when it runs, so a typo would otherwise be found there. The schema is
check-jsonschema's vendored GitHub workflow schema (`--builtin-schema vendor.github-workflows`, no
network), run in-process. check-jsonschema names a JSON path such as `$.jobs.test`; schema_errors()
turns that into the file and line of the YAML to fix, e.g.
`.github/workflows/site.yml:17: $.jobs.test: unexpected key 'run-on' (did you mean 'runs-on'?)`.
"""
from __future__ import annotations

import ast
import difflib
import functools
import json
import re
import shlex
from pathlib import Path

import pytest
import yaml
from check_jsonschema import main as check_jsonschema
from check_jsonschema.builtin_schemas import get_builtin_schema
from click.testing import CliRunner

from .helpers import ROOT

WORKFLOW = ROOT / ".github" / "workflows" / "site.yml"
SCHEMA = "vendor.github-workflows"  # check-jsonschema's copy of https://json.schemastore.org/github-workflow.json

# One step of a jsonschema JSON path: .name, ['any key'] (quotes and backslashes escaped) or [index].
_PATH_STEP = re.compile(r"\.([^.\[]+)|\['((?:[^'\\]|\\.)*)'\]|\[(\d+)\]")
_UNEXPECTED = re.compile(r"^Additional properties are not allowed \((.*) (?:was|were) unexpected\)$", re.S)
_REQUIRED = re.compile(r"^'(.*)' is a required property$")


def _display(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(ROOT))
    except ValueError:
        return str(path)


def _walk(root: yaml.Node, json_path: str) -> tuple[yaml.Node | None, yaml.Node]:
    """The key node and value node at a check-jsonschema path ($.jobs.test.steps[2]); the key is None
    for the document and for list items. Stops at the deepest node that exists."""
    key, node, pos = None, root, 1  # after "$"
    while pos < len(json_path):
        step = _PATH_STEP.match(json_path, pos)
        if step is None:
            break
        name, quoted, index = step.groups()
        if index is not None:
            if not isinstance(node, yaml.SequenceNode) or int(index) >= len(node.value):
                break
            key, node = None, node.value[int(index)]
        else:
            name = name if quoted is None else re.sub(r"\\(.)", r"\1", quoted)
            if not isinstance(node, yaml.MappingNode):
                break
            found = [(k, v) for k, v in node.value if isinstance(k, yaml.ScalarNode) and k.value == name]
            if not found:
                break
            key, node = found[0]
        pos = step.end()
    return key, node


def _line(key: yaml.Node | None, node: yaml.Node) -> int:
    return (key or node).start_mark.line + 1


def _key_line(node: yaml.Node, name: str) -> int | None:
    """The line of key `name` in a mapping node."""
    if isinstance(node, yaml.MappingNode):
        for k, _ in node.value:
            if isinstance(k, yaml.ScalarNode) and k.value == name:
                return k.start_mark.line + 1
    return None


def _unexpected(message: str) -> list[str]:
    """The keys an 'Additional properties are not allowed (...)' message names."""
    m = _UNEXPECTED.match(message)
    return [str(k) for k in ast.literal_eval(f"({m.group(1)},)")] if m else []


@functools.cache
def _schema_keys() -> frozenset[str]:
    """Every key the workflow schema defines somewhere."""
    keys: set[str] = set()

    def visit(value):
        if isinstance(value, dict):
            if isinstance(value.get("properties"), dict):
                keys.update(value["properties"])
            for v in value.values():
                visit(v)
        elif isinstance(value, list):
            for v in value:
                visit(v)

    visit(get_builtin_schema(SCHEMA))
    return frozenset(keys)


def _describe(error: dict, root: yaml.Node, name: str) -> str:
    """`file:line: path: message` for one error of check-jsonschema's JSON report.

    An error names a place in the document (a JSON path) and can hold the errors of the schema's
    alternatives (a job runs steps or calls a workflow; a step uses an action or runs a command).
    A key that the schema defines nowhere is a typo whatever the alternative: the first such key is
    reported at its own line, with the known key it is closest to. Otherwise the report is
    jsonschema's best (deepest) match, at the line of the key it names."""
    best = error.get("best_deep_match") or error
    unknown = []  # (line, path, key)
    for err in (best, error, *error.get("sub_errors", ())):
        for key in _unexpected(err["message"]):
            if key not in _schema_keys() and (line := _key_line(_walk(root, err["path"])[1], key)):
                unknown.append((line, err["path"], key))
    if unknown:
        line, path, key = min(unknown)
        required = sorted({m.group(1) for err in error.get("sub_errors", ())
                           if err["path"] == path and (m := _REQUIRED.match(err["message"]))})
        meant = (difflib.get_close_matches(key, required, n=1, cutoff=0.75)
                 or difflib.get_close_matches(key, sorted(_schema_keys()), n=1, cutoff=0.75))
        return f"{name}:{line}: {path}: unexpected key {key!r}" + (f" (did you mean {meant[0]!r}?)" if meant else "")
    path, message = best["path"], best["message"]
    key_node, node = _walk(root, path)
    line = _line(key_node, node)
    if unexpected := _unexpected(message):
        line = _key_line(node, unexpected[0]) or line
    return f"{name}:{line}: {path}: {message}"


def _yaml_error(name: str, exc) -> str:
    """`file:line: not valid YAML: ...` for a PyYAML or ruamel.yaml MarkedYAMLError."""
    mark = exc.problem_mark or exc.context_mark
    return f"{name}:{mark.line + 1 if mark else 1}: not valid YAML: {exc.problem or exc}"


def schema_errors(path: Path) -> list[str]:
    """What is wrong with a GitHub workflow file, one `file:line: ...` message per error ([] if valid)."""
    name = _display(path)
    text = path.read_text(encoding="utf-8")
    try:
        root = yaml.compose(text)
    except yaml.MarkedYAMLError as exc:
        return [_yaml_error(name, exc)]
    result = CliRunner().invoke(check_jsonschema, ["--builtin-schema", SCHEMA,
                                                   "--output-format", "json", "--verbose", str(path)])
    if result.exit_code == 0:
        return []
    try:
        report = json.loads(result.stdout)
    except ValueError:
        raise AssertionError(f"check-jsonschema failed on {name} (exit {result.exit_code}):\n{result.output}") from result.exception
    if report.get("parse_errors"):
        # check-jsonschema reads YAML with ruamel.yaml, which refuses more than PyYAML (a duplicate
        # key) and does not say where: ask it again.
        import ruamel.yaml

        try:
            ruamel.yaml.YAML(typ="safe", pure=True).load(text)
        except ruamel.yaml.error.MarkedYAMLError as exc:
            return [_yaml_error(name, exc)]
        return [f"{name}:1: {e['message']}" for e in report["parse_errors"]]
    if root is None:
        return [f"{name}:1: the workflow is empty"]
    problems = [_describe(e, root, name) for e in report.get("errors", [])]
    return problems or [f"{name}: check-jsonschema failed (exit {result.exit_code}):\n{result.output}"]


def test_workflow_matches_the_github_workflow_schema():
    problems = schema_errors(WORKFLOW)
    assert not problems, "\n".join(problems)


def _broken(tmp_path: Path, old: str, new: str) -> tuple[Path, int]:
    """A copy of the workflow named site.yml with the first `old` replaced, and the line of the change."""
    text = WORKFLOW.read_text(encoding="utf-8")
    assert old in text
    copy = tmp_path / "site.yml"
    copy.write_text(text.replace(old, new, 1), encoding="utf-8")
    return copy, text[:text.index(old)].count("\n") + 1


@pytest.mark.parametrize("old, new, below, message", [
    # a misspelt key, at the top, of an event, of a step
    ("    runs-on:", "    run-on:", 0, "$.jobs.test: unexpected key 'run-on' (did you mean 'runs-on'?)"),
    ("permissions:", "permisions:", 0, "$: unexpected key 'permisions' (did you mean 'permissions'?)"),
    ("pull_request:", "pul_request:", 0, "$.on: unexpected key 'pul_request' (did you mean 'pull_request'?)"),
    ("run: briefings build\n", "runs: briefings build\n", 0,
     "$.jobs.deploy.steps[4]: unexpected key 'runs' (did you mean 'run'?)"),
    # a missing key, at the line of what lacks it; a wrong value
    ("  test:\n    runs-on: ubuntu-latest\n", "  test:\n", 0, "$.jobs.test: 'runs-on' is a required property"),
    ("timeout-minutes: 15", "timeout-minutes: soon", 0, "$.jobs.test['timeout-minutes']: 'soon' is not of type 'number'"),
    # invalid YAML: PyYAML finds the unclosed list on the next line, where a `:` cannot be
    ("branches: [main]", "branches: [main", 1, "not valid YAML: expected ',' or ']', but got ':'"),
    ("    timeout-minutes: 15\n", "    timeout-minutes: 15\n    timeout-minutes: 20\n", 1,
     'not valid YAML: found duplicate key "timeout-minutes" with value "20" (original value: "15")'),
], ids=["misspelt-key", "top-level-key", "event", "step-key", "missing-key", "wrong-value", "invalid-yaml",
        "duplicate-key"])
def test_a_broken_workflow_fails_with_its_file_and_line(tmp_path, old, new, below, message):
    copy, line = _broken(tmp_path, old, new)
    assert schema_errors(copy) == [f"{copy}:{line + below}: {message}"]


# README's commands and the workflow's.

def _commands(script: str) -> list[list[str]]:
    """The commands of a shell script (one a line, or chained with &&), each as its words, with what
    only differs between a venv and CI's Python made equal: `.venv/bin/X` is X, python3 is python,
    `python -m pip` is pip. Creating the venv is left out (CI's Python comes from setup-python)."""
    commands = []
    for line in script.splitlines():
        words = shlex.split(line, comments=True)
        while words:
            cut = words.index("&&") if "&&" in words else len(words)
            command, words = words[:cut], words[cut + 1:]
            command[0] = Path(command[0]).name
            if command[0] == "python3":
                command[0] = "python"
            if command[:3] == ["python", "-m", "pip"]:
                command = command[2:]
            if command[:3] != ["python", "-m", "venv"]:
                commands.append(command)
    return commands


def _readme_commands() -> dict[str, list[str]]:
    """README's "Two commands" section: its install, build and test commands."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = re.search(r"^## Two commands\n(.*?)(?=^## )", readme, re.S | re.M)
    assert section, 'README.md has no "## Two commands" section'
    commands = [c for block in re.findall(r"```sh\n(.*?)```", section.group(1), re.S) for c in _commands(block)]
    kinds = {"install": ["pip", "install"], "build": ["briefings", "build"], "test": ["python", "-m", "pytest"]}
    found = {kind: [c for c in commands if c[:len(start)] == start] for kind, start in kinds.items()}
    assert all(len(cs) == 1 for cs in found.values()), f"README's two commands should install, build and test once each: {commands}"
    return {kind: cs[0] for kind, cs in found.items()}


def _job_commands(job: dict) -> list[list[str]]:
    return [c for step in job.get("steps", []) if "run" in step for c in _commands(step["run"])]


def _project(install: list[str]) -> tuple[list[str], set[str]]:
    """A `pip install -e .[extras]` as its words without the extras, and the extras."""
    words, extras = [], set()
    for word in install:
        if m := re.fullmatch(r"(\.)\[(.*)\]", word):
            word, extras = m.group(1), {e.strip() for e in m.group(2).split(",")}
        words.append(word)
    return words, extras


def test_the_workflow_runs_readmes_install_build_and_test_commands():
    readme = _readme_commands()
    jobs = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))["jobs"]

    # The test job installs as README does, then runs README's tests.
    test = _job_commands(jobs["test"])
    assert readme["install"] in test, f"the test job should run README's install {shlex.join(readme['install'])}: {test}"
    assert readme["test"] in test, f"the test job should run README's tests {shlex.join(readme['test'])}: {test}"
    assert test.index(readme["install"]) < test.index(readme["test"])

    # The job that publishes builds the site as README does, after installing the project as README
    # does (the test extra aside: a build needs none of it).
    deploy = [job for job in jobs.values()
              if any(step.get("uses", "").startswith("actions/deploy-pages@") for step in job.get("steps", []))]
    assert len(deploy) == 1, "one job should deploy to GitHub Pages"
    deploy = _job_commands(deploy[0])
    assert readme["build"] in deploy, f"the deploy job should run README's build {shlex.join(readme['build'])}: {deploy}"
    readme_project, readme_extras = _project(readme["install"])
    installs = [i for i, c in enumerate(deploy) if _project(c)[0] == readme_project and _project(c)[1] <= readme_extras]
    assert installs and installs[0] < deploy.index(readme["build"]), \
        f"the deploy job should install the project as README does ({shlex.join(readme['install'])}) before building: {deploy}"


def test_commands_are_compared_without_the_venv():
    assert _commands("python3 -m venv .venv && .venv/bin/pip install -e '.[test]' && .venv/bin/briefings build") == \
        [["pip", "install", "-e", ".[test]"], ["briefings", "build"]]
    assert _commands("python -m pip install -e '.[test]'\n.venv/bin/python -m pytest  # tests") == \
        [["pip", "install", "-e", ".[test]"], ["python", "-m", "pytest"]]
