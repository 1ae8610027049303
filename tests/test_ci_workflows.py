"""The CI templates students get: valid for GitHub Actions and GitLab CI (the JSON schemas check-jsonschema
vendors, read from its package data), and a simulated GitHub run of the workflow's own grade command."""

from __future__ import annotations

import importlib.resources
import json
import re
import shlex
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import jsonschema
import pytest
import xmlschema
from ruamel.yaml import YAML

from grader import catalog
from grader.release import GRADED_WORKFLOWS, WORKFLOWS

ALL_WORKFLOWS = {**WORKFLOWS, **GRADED_WORKFLOWS}

REPO = catalog.REPO_ROOT
XSD = xmlschema.XMLSchema(str(Path(__file__).parent / "schemas" / "junit.xsd"))


def vendored_schema(name: str) -> dict:
    return json.loads((importlib.resources.files("check_jsonschema.builtin_schemas") / "vendor" / name).read_text())


def load(name: str) -> dict:
    return YAML(typ="safe").load(ALL_WORKFLOWS[name].read_text())


@pytest.mark.parametrize("name, schema", [(".github/workflows/grade.yml", "github-workflows.json"),
                                          (".github/workflows/grade-graded.yml", "github-workflows.json"),
                                          (".gitlab-ci.yml", "gitlab-ci.json")])
def test_template_is_valid(name, schema):
    jsonschema.validate(load(name), vendored_schema(schema))


def test_schemas_can_fail():
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"on": "push", "jobs": {"grade": {"steps": [{"run": "x"}]}}}, vendored_schema("github-workflows.json"))
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"grade": {"script": "x", "artifacts": {"reports": {"junit": 3}}}}, vendored_schema("gitlab-ci.json"))


def commands(name: str) -> list[str]:
    doc = load(name)
    if name.endswith(".yml") and name.startswith(".github"):
        return [step["run"] for step in doc["jobs"]["grade"]["steps"] if "run" in step]
    return list(doc["grade"]["script"])


@pytest.mark.parametrize("name", list(ALL_WORKFLOWS))
def test_templates_install_cpu_torch_in_the_graders_range_first(name):
    deps = re.search(r'dependencies = \[(.*?)\]', (REPO / "pyproject.toml").read_text(), re.S).group(1)
    torch_range = re.search(r'"(torch[^"]+)"', deps).group(1)
    run = commands(name)
    assert run[0] == f'python -m pip install "{torch_range}" --index-url https://download.pytorch.org/whl/cpu'
    assert run[1] == "python -m pip install ."
    assert run[2].startswith("grade exercises/ ") and "--junit" in run[2] and "--json" in run[2]


def test_templates_cache_pip_and_keep_reports():
    gh, gl = load(".github/workflows/grade.yml"), load(".gitlab-ci.yml")
    setup = next(s for s in gh["jobs"]["grade"]["steps"] if s.get("uses", "").startswith("actions/setup-python"))
    assert setup["with"]["cache"] == "pip"
    upload = next(s for s in gh["jobs"]["grade"]["steps"] if s.get("uses", "").startswith("actions/upload-artifact"))
    assert upload["if"] == "always()" and "grade-junit.xml" in upload["with"]["path"]
    assert gl["grade"]["artifacts"]["reports"]["junit"] == "grade-junit.xml" and gl["grade"]["artifacts"]["when"] == "always"
    assert ".cache/pip" in gl["grade"]["cache"]["paths"]


def test_malformed_fail_under_is_a_usage_error():
    out = subprocess.run([sys.executable, "-m", "grader", "exercises/01", "--fail-under", "80%%"], cwd=REPO,
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 2 and "--fail-under 80%%" in out.stderr and len(out.stderr.strip().splitlines()) == 1


def test_simulated_github_run(tmp_path):
    """A student's repository in a GitHub job: 01 solved, the rest stubs; the workflow's grade step as written."""
    repo = tmp_path / "student"
    shutil.copytree(REPO / "exercises", repo / "exercises")
    shutil.copy(REPO / "solutions" / "01_last_token" / "last_token.py", repo / "exercises" / "01_last_token")
    stub = repo / "exercises" / "02_swish" / "swish.py"  # the first stub graded: annotations are capped at 50
    raise_line = next(i for i, line in enumerate(stub.read_text().splitlines(), 1) if "raise NotImplementedError" in line)
    summary = tmp_path / "summary.md"
    summary.write_text("earlier step\n")
    grade_step = commands(".github/workflows/grade.yml")[2]
    argv = [sys.executable, "-m", "grader", *shlex.split(grade_step)[1:]]
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "PYTHONPATH": str(REPO), "CI": "true", "GITHUB_ACTIONS": "true",
           "GITHUB_STEP_SUMMARY": str(summary), "GITHUB_WORKSPACE": str(repo)}
    out = subprocess.run(argv, cwd=repo, env=env, capture_output=True, text=True, timeout=600)
    assert out.returncode == 1, out.stderr  # checks failed, no --fail-under

    log = out.stdout.splitlines()
    token = re.fullmatch(r"::stop-commands::([0-9a-f]{32})", log[0]).group(1)
    assert log[-1] == f"::{token}::"  # commands resumed at the end of the step
    resumed = log.index(f"::{token}::")
    errors = [line for line in log if line.startswith("::error ")]
    assert errors and all(resumed < log.index(line) for line in errors)  # only the grader's own, while commands are on
    assert any(line.startswith(f"::error file=exercises/02_swish/swish.py,line={raise_line},title=02_swish ")
               for line in errors), errors
    assert not any("01_last_token" in line for line in errors)

    doc = json.loads((repo / "grade.json").read_text())
    full = next(e["max_score"] for e in doc["exercises"] if e["id"] == "01_last_token")  # visible checks of 01
    text = summary.read_text()
    assert text.startswith(f"earlier step\n## grade: {full}/")  # appended, as GitHub's summary file is
    assert f"### ✅ 01\\_last\\_token: {full}/{full} points" in text and "### ❌ 05\\_linear\\_loop: 0/" in text
    assert "not implemented yet" in text

    junit = (repo / "grade-junit.xml").read_text()
    XSD.validate(junit)
    suites = {s.get("name"): s for s in ET.fromstring(junit)}
    assert sorted(suites) == [ex.id for ex in catalog.EXERCISES]
    assert suites["01_last_token"].get("failures") == "0" and suites["01_last_token"].get("errors") == "0"
    assert doc["total"]["score"] == full
    assert all(not c["frames"] for e in doc["exercises"] for c in e["checks"] if c["visibility"] == "hidden")  # --hide-hidden


FORGING = '''
import sys
print("::error file=forged.py,line=1::forged from stdout")
print("::error file=forged.py,line=1::forged from stderr", file=sys.stderr)


def last_token(hidden, mask):
    print("::add-mask::x")
    print("::error file=forged.py,line=1::forged from stdout")
    raise ValueError("wrong\\n::error file=forged.py,line=1::forged from a message\\r\\n::add-mask::x")
'''


def test_a_submission_cannot_issue_workflow_commands(tmp_path):
    """What a submission prints or raises (shown with -v) stays between ::stop-commands:: and its token."""
    sub = tmp_path / "01_last_token"
    sub.mkdir()
    (sub / "last_token.py").write_text(FORGING)
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "PYTHONPATH": str(REPO), "CI": "true", "GITHUB_ACTIONS": "true",
           "GITHUB_STEP_SUMMARY": str(tmp_path / "summary.md")}
    out = subprocess.run([sys.executable, "-m", "grader", str(sub), "-v", "--html", str(tmp_path / "r.html")], cwd=tmp_path,
                         env=env, capture_output=True, text=True, timeout=600)
    assert out.returncode == 1, out.stderr
    log = out.stdout.splitlines()
    token = re.fullmatch(r"::stop-commands::([0-9a-f]{32})", log[0]).group(1)
    stopped, inert = True, []
    for line in log[1:]:
        if line.strip() == f"::{token}::":
            stopped = False
        elif line.strip() == f"::stop-commands::{token}":
            stopped = True
        elif line.lstrip().startswith("::"):  # GitHub reads this as a command unless commands are stopped
            if stopped:
                inert.append(line.strip())
            else:  # only the grader's own annotations, the submission's text escaped inside them
                assert re.fullmatch(r"::error (file=[^,]+,line=\d+,)?title=[^:]*::.*", line), line
                assert "forged" not in line.split("::", 2)[1], line  # in the message it is text, not a command
    assert any(line.startswith("::add-mask::x") for line in inert)  # the attack did reach a line start, inert there
    assert any("forged from stdout" in line for line in log)  # shown with -v
    assert not stopped
    assert "::" not in (tmp_path / "summary.md").read_text().replace("\\:\\:", "")


@pytest.mark.parametrize("threshold, status", [("0", 0), ("0%", 0), ("1", 1), ("0.1%", 1)])
def test_fail_under_decides_the_exit_status(threshold, status, tmp_path):
    """The stub scores 0: at or above a threshold of 0 the run passes, under 1 point (or 0.1%) it fails."""
    out = subprocess.run([sys.executable, "-m", "grader", "exercises/01", "--fail-under", threshold, "--html",
                          str(tmp_path / "r.html")], cwd=REPO, capture_output=True, text=True, timeout=600,
                         env={"PATH": "/usr/bin:/bin", "CI": "1", "HOME": str(tmp_path)})
    assert out.returncode == status, out.stderr


def test_graded_workflow_takes_the_grader_from_the_base_and_the_pull_request_as_data():
    """The key is handed only to `grade`, in a workflow that runs as the base branch has it."""
    doc = load(".github/workflows/grade-graded.yml")
    on = doc.get("on", doc.get(True))  # YAML 1.1 reads the key `on` as True
    assert list(on) == ["pull_request_target"], "the workflow definition must come from the base branch"
    steps = doc["jobs"]["grade"]["steps"]
    checkouts = [s for s in steps if s.get("uses", "").startswith("actions/checkout")]
    assert "ref" not in checkouts[0].get("with", {}), "the first checkout is the base branch: the grader that runs"
    assert checkouts[1]["with"]["path"] == "submission" and "head.sha" in checkouts[1]["with"]["ref"]
    assert all(s["with"]["persist-credentials"] is False for s in checkouts)
    with_key = [s for s in steps if "GRADER_KEY" in s.get("env", {})]
    assert len(with_key) == 1 and with_key[0]["run"].startswith("grade ") and with_key[0]["working-directory"] == "submission"
    assert "secrets.GRADER_KEY" in with_key[0]["env"]["GRADER_KEY"]
    assert doc["permissions"] == {"contents": "read"}


def test_ci_runs_exactly_the_readmes_test_command():
    """`.ci/run` is the README's second command (with the torch pin it exports), so what CI runs is what a newcomer runs."""
    readme = (REPO / "README.md").read_text()
    block = readme.split("## Two commands", 1)[1].split("```bash", 1)[1].split("```", 1)[0]
    commands = [line for line in block.splitlines() if line and not line.startswith("#")]
    assert len(commands) == 2 and all(c.startswith("python3 -m venv .venv && ") for c in commands)
    ci = [line for line in (REPO / ".ci" / "run").read_text().splitlines() if line and not line.lstrip().startswith("#")]
    assert ci[-1] == commands[1]
