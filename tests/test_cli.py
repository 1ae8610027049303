"""The `grade` command end to end: exit codes, one-line errors, JSON and a self-contained HTML report."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import textwrap

import pytest
import torch
from class_files import build_class
from click.testing import CliRunner

from grader import catalog
from grader.cli import main

REPO = catalog.REPO_ROOT


def run(*args: str, cwd=REPO) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "grader", *args], cwd=cwd, capture_output=True, text=True,
                          timeout=600, env={"PATH": "/usr/bin:/bin", "CI": "1", "HOME": "/tmp"})


def test_stub_exits_1_with_zero_points_and_writes_reports(tmp_path):
    out = run("exercises/05", "--html", str(tmp_path / "r.html"), "--json", str(tmp_path / "r.json"))
    assert out.returncode == 1, out.stderr
    doc = json.loads((tmp_path / "r.json").read_text())
    assert doc["total"]["score"] == 0 and doc["total"]["max_score"] > 0
    assert all(c["outcome"] == "error" for c in doc["exercises"][0]["checks"])
    assert "05_linear_loop: 0/" in out.stdout and str(tmp_path / "r.html") in out.stdout
    assert "\x1b[" not in out.stdout  # plain text when not a terminal


def test_reference_exits_0_with_full_points(tmp_path):
    out = run("solutions/05_linear_loop", "--html", str(tmp_path / "r.html"), "--json", "-")
    assert out.returncode == 0, out.stderr
    doc = json.loads(out.stdout)
    assert doc["total"]["score"] == doc["total"]["max_score"] > 0
    html = (tmp_path / "r.html").read_text()
    assert "<style>" in html and not re.search(r"(src|href)=\"(https?:)?//", html)
    assert "Total: " in html and "torch" in html


@pytest.mark.parametrize("args, needle", [
    (["no/such/folder"], "no such file or folder"),
    ([str(REPO / "exercises/05"), "--exercise", "42"], "unknown exercise"),
    ([str(REPO / "exercises/05"), "--device", "tpu"], "expected auto, cpu, cuda"),
])
def test_usage_errors_exit_2_with_one_line(args, needle):
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 2
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1 and needle in lines[0]


@pytest.mark.skipif(torch.cuda.is_available(), reason="needs a machine without CUDA")
def test_cuda_on_a_machine_without_it_is_a_usage_error():
    result = CliRunner().invoke(main, [str(REPO / "exercises/05"), "--device", "cuda"])
    assert result.exit_code == 2 and "no usable CUDA GPU" in result.output


def test_broken_archive_is_a_usage_error(tmp_path):
    bad = tmp_path / "sub.zip"
    bad.write_bytes(b"not a zip")
    result = CliRunner().invoke(main, [str(bad)])
    assert result.exit_code == 2 and "not a readable archive" in result.output


def test_broken_checks_are_the_graders_failure(monkeypatch, tmp_path):
    """A check that itself raises is reported as the grader's failure: exit 3, not a student's fault."""
    from grader.judge import plugin

    real = plugin.classify

    def broken(exc):
        return {"outcome": "error", "grader_error": True, "message": "internal error"} if exc is None else real(exc)

    monkeypatch.setattr(plugin, "classify", broken)
    result = CliRunner().invoke(main, [str(REPO / "solutions/05_linear_loop"), "-k", "steps_zero", "--html", str(tmp_path / "r.html")])
    assert result.exit_code == 3


@pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a CUDA GPU")
def test_reference_on_cuda_gets_full_points(tmp_path):
    out = run("solutions/", "--device", "cuda", "--html", str(tmp_path / "r.html"), "--json", "-")
    assert out.returncode == 0, out.stdout + out.stderr
    doc = json.loads(out.stdout)
    assert doc["facts"]["device"] == "cuda"
    assert doc["total"]["score"] == doc["total"]["max_score"]


def test_parallel_jobs_grade_in_order_like_one_job():
    from grader import discovery
    from grader.api import grade_all

    subs = discovery.resolve(str(REPO / "solutions" / "05_linear_loop")) + discovery.resolve(str(REPO / "exercises" / "05_linear_loop"))
    seen = []
    results = grade_all(subs, jobs=2, on_result=lambda i, r: seen.append(i), device="cpu")
    assert sorted(seen) == [0, 1]
    assert [r.label for r in results] == [s.label for s in subs]
    assert results[0].score == results[0].max_score > 0 and results[1].score == 0


def test_japanese_reports(tmp_path, monkeypatch):
    from grader.report import i18n

    monkeypatch.setenv("LANG", "ja_JP.UTF-8")
    monkeypatch.delenv("LC_ALL", raising=False)
    monkeypatch.delenv("LC_MESSAGES", raising=False)
    assert i18n.pick_language("auto") == "ja" and i18n.pick_language("en") == "en"
    assert set(i18n.WORDS["ja"]) == set(i18n.WORDS["en"])
    result = CliRunner().invoke(main, [str(REPO / "exercises/05"), "-k", "steps_zero", "--html", str(tmp_path / "r.html")])
    assert result.exit_code == 1
    assert "不合格" in result.output or "エラー" in result.output
    html = (tmp_path / "r.html").read_text(encoding="utf-8")
    assert '<html lang="ja">' in html and "採点レポート" in html and "手書きの線形モデル学習ループ" in html


def test_student_text_is_shown_literally_never_as_markup(tmp_path):
    hostile = REPO / "tests" / "hostile" / "markup_in_message.py"
    result = CliRunner().invoke(main, [str(hostile), "-e", "05", "-k", "steps_zero", "-v", "--html", str(tmp_path / "r.html")])
    assert result.exit_code == 1, result.output
    assert "shape [/in] mismatch [link=file:///etc/passwd]click[/link]" in result.output
    assert "\x1b[2J" not in result.output and "[bold red]fake[/]" in result.output
    html = (tmp_path / "r.html").read_text()
    assert "<script>" not in html and "&lt;script&gt;" in html and "&lt;b&gt;x&lt;/b&gt;" in html


def test_an_unwritable_report_path_is_a_usage_error(tmp_path):
    result = CliRunner().invoke(main, [str(REPO / "solutions/05_linear_loop"), "-k", "steps_zero",
                                       "--html", "/proc/no/such/report.html"])
    assert result.exit_code == 2 and "cannot write /proc/no/such/report.html" in result.output


def test_a_bug_in_the_grader_is_one_line_and_exit_3(monkeypatch, tmp_path):
    from grader import api

    def broken(*args, **kwargs):
        raise KeyError("oops")

    monkeypatch.setattr(api, "grade_all", broken)
    result = CliRunner().invoke(main, [str(REPO / "solutions/05_linear_loop"), "--html", str(tmp_path / "r.html")])
    assert result.exit_code == 3 and "internal error (KeyError" in result.output
    assert "Traceback" not in result.output


def test_brief_output_is_one_line_per_submission(tmp_path):
    paths = [str(REPO / "solutions/05_linear_loop"), str(REPO / "exercises/05_linear_loop")]
    result = CliRunner().invoke(main, [*paths, "--brief", "-k", "steps_zero", "--html", str(tmp_path / "r.html")])
    assert result.exit_code == 1
    lines = [line for line in result.output.splitlines() if "05_linear_loop  " in line]
    # steps_zero qualifies a loop that trains: -k runs the check it requires too
    assert len(lines) == 2 and "2/2 points" in lines[0] and "0/2 points  FAIL: " in lines[1]
    assert "steps_zero" in lines[1] and "trains_the_model" in lines[1]


def test_a_selection_that_matches_nothing_is_a_usage_error(tmp_path):
    result = CliRunner().invoke(main, [str(REPO / "exercises"), "-k", "no_such_check", "--html", str(tmp_path / "r.html")])
    assert result.exit_code == 2 and "matches no check" in result.output
    assert "the check ids are: 01_last_token: rejects_bad_shapes" in result.output
    assert "05_linear_loop: " in result.output and "steps_zero" in result.output
    result = CliRunner().invoke(main, [str(REPO / "exercises"), "-k", "steps_zero", "--html", str(tmp_path / "r.html")])
    assert result.exit_code == 1 and "05_linear_loop: 0/2" in result.output  # with trains_the_model, which it requires


def test_a_class_run_accounts_for_every_submission_in_every_report(tmp_path):
    """One student's problem is that student's row (error, 0 of the full score); the others are graded."""
    cls = build_class(tmp_path)
    eve = cls / "eve\x1b[2J\x1b[1;32m" / "05_linear_loop"
    eve.mkdir(parents=True)
    (eve / "train_linear.py").write_bytes((REPO / "exercises/05_linear_loop/train_linear.py").read_bytes())
    broken = tmp_path / "frank.zip"
    broken.write_bytes(b"PK\x03\x04 broken")
    out = {k: tmp_path / f"r.{k}" for k in ("json", "csv", "html", "gs")}
    result = CliRunner().invoke(main, [str(cls), str(broken), "--brief", "-k", "steps_zero", "--json", str(out["json"]),
                                       "--csv", str(out["csv"]), "--html", str(out["html"]), "--gradescope", str(out["gs"])])
    assert result.exit_code == 1, result.output
    doc = json.loads(out["json"].read_text())
    rows = {e["submission"].split("/")[-2] if "/class/" in e["submission"] else "frank": e for e in doc["exercises"]}
    students = ["alice", "bob", "carol", "dave", "eve\x1b[2J\x1b[1;32m", "frank", "henry", "ivan", "mallory",
                "oscar", "zoe"]
    assert len(doc["exercises"]) == len(students)
    assert rows["alice"]["score"] == rows["alice"]["max_score"] == 2  # with trains_the_model, which steps_zero requires
    for e in doc["exercises"]:
        if e["checks"][0]["id"] == "submission":
            assert e["score"] == 0 and e["checks"][0]["outcome"] == "error" and e["checks"][0]["message"]
    assert rows["dave"]["max_score"] == rows["mallory"]["max_score"] > 1  # the exercise's full score
    csv_text, gs_text, html = out["csv"].read_text(), out["gs"].read_text(), out["html"].read_text()
    for needle in ("too many files", "not a readable archive", "symbolic link", "put it in", "has no train_linear.py"):
        assert needle in result.output and needle in csv_text and needle in gs_text and needle in html, needle
    for text in (result.output, csv_text, html):
        assert "\x1b" not in text
    assert "\\u001b" not in gs_text


def test_report_paths_are_checked_before_grading(monkeypatch, tmp_path):
    from grader import api

    def not_reached(*args, **kwargs):
        raise AssertionError("graded before checking the report paths")

    monkeypatch.setattr(api, "grade_all", not_reached)
    (tmp_path / "ro").mkdir()
    (tmp_path / "ro" / "file").write_text("")
    for option, path in (("--json", "/proc/no/such/r.json"), ("--csv", str(tmp_path / "ro" / "file" / "x.csv")),
                         ("--gradescope", "/proc/gradescope.json")):
        result = CliRunner().invoke(main, [str(REPO / "solutions/05_linear_loop"), option, path,
                                           "--html", str(tmp_path / "r.html")])
        assert result.exit_code == 2 and "cannot write" in result.output, (option, result.output)


def test_hide_hidden_publishes_nothing_a_passing_hidden_check_printed(tmp_path):
    chatty = tmp_path / "05_linear_loop"
    chatty.mkdir()
    source = (REPO / "solutions/05_linear_loop/train_linear.py").read_text()
    (chatty / "train_linear.py").write_text(source + textwrap.dedent('''
        _reference = train_linear

        def train_linear(*args, **kwargs):
            print("HIDDEN-INPUT", args)
            return _reference(*args, **kwargs)
    '''))
    result = CliRunner().invoke(main, [str(chatty), "--hide-hidden", "--json", str(tmp_path / "r.json"),
                                       "--html", str(tmp_path / "r.html")])
    doc = json.loads((tmp_path / "r.json").read_text())
    checks = doc["exercises"][0]["checks"]
    hidden = [c for c in checks if c["visibility"] == "hidden"]
    assert hidden and any(c["outcome"] == "passed" for c in hidden), result.output
    assert all(c["output"] == {} and c["details"] == {} and c["frames"] == [] for c in hidden)
    assert "HIDDEN-INPUT" not in json.dumps(hidden) and "HIDDEN-INPUT" in json.dumps(checks)  # visible ones keep it


def test_a_judge_that_dies_loses_no_finished_result():
    """A pool process killed mid-class (say, out of memory): the others' results stand, the rest are
    listed as not graded and marked as the grader's failure (exit 3), and the reports can still be written."""
    import multiprocessing

    from grader import api, discovery

    hang = str(REPO / "tests" / "hostile" / "infinite_loop.py")  # keeps the other judge busy when the first ends
    subs = discovery.resolve_all([str(REPO / "solutions" / "05_linear_loop"), hang, hang, hang], "05")
    seen = []

    def kill_the_judges(i, result):
        seen.append(i)
        if len(seen) == 1:
            for child in multiprocessing.active_children():
                child.kill()

    got = api.grade_all(subs, jobs=2, on_result=kill_the_judges, device="cpu", select="steps_zero")
    assert len(got) == 4 and seen[0] == 0 and got[0].score == got[0].max_score == 2  # steps_zero and trains_the_model, which it requires
    died = [r for r in got if r.problem == api.POOL_DIED_MESSAGE]
    assert died and all(r.grader_error for r in died) and len(seen) == 4


def test_reasons_are_shown_in_full_with_ids_and_details_on_request(tmp_path):
    """Nothing cut off: a long reason wraps instead of ending in an ellipsis; --ids and -v add ids and places."""
    long = tmp_path / "long.py"
    long.write_text("def train_linear(x, y, weight, bias, lr=0.01, steps=1000):\n"
                    "    raise ValueError('" + "word " * 120 + "THE_END')\n")
    result = CliRunner().invoke(main, [str(long), "-e", "05", "-k", "steps_zero", "--ids", "-v",
                                       "--html", str(tmp_path / "r.html")])
    assert result.exit_code == 1, result.output
    table = result.output.split("0/2 points")[0]  # steps_zero and trains_the_model, which it requires
    assert "THE_END [long.py:2]" in table and "…" not in table
    assert "steps_zero" in result.output.split("steps=0")[0]  # the id column comes before the name
    assert "[steps_zero] long.py:2 in train_linear: raise ValueError(" in result.output
