"""CI reports as pure functions: JUnit XML (validated against tests/schemas/junit.xsd), the Markdown
summary, GitHub workflow commands, and the --fail-under threshold."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

import click
import pytest
import xmlschema

from grader.cli import _fail_under, under
from grader.report import github, junit, markdown
from grader.results import CheckResult, ExerciseResult, redact_hidden

XSD = xmlschema.XMLSchema(str(Path(__file__).parent / "schemas" / "junit.xsd"))
HOSTILE = "bad\x1b[2J\r\n::error::x %0A | <img src=x> ![t](http://e.x) [l](u) \u202e\x00\ufffe\ud800 `c` *b*, a:b"


def check(cid: str, outcome: str, score: int = 0, max_score: int = 2, visibility: str = "visible", message: str = "",
          frames: list | None = None) -> CheckResult:
    return CheckResult(id=cid, name=f"name of {cid}", task="05.1", outcome=outcome, score=score, max_score=max_score,
                       visibility=visibility, message=message, duration_s=0.25, frames=frames or [])


def result() -> ExerciseResult:
    return ExerciseResult("05_linear_loop", "A loop", "exercises/05", [
        check("ok", "passed", 2, 2),
        check("wrong", "failed", message="losses differ", frames=[{"file": "train_linear.py", "line": 12}]),
        check("raises", "error", message=HOSTILE, frames=[{"file": "helper.py", "line": 3}, {"file": "train_linear.py", "line": 30}]),
        check("slow", "timeout", message="took too long"),
        check("dead", "crashed", message="segfault"),
        check("gone", "skipped", 0, 0, message="no GPU"),
        check("secret", "failed", visibility="hidden", message="hidden input was 1.2345", frames=[{"file": "train_linear.py", "line": 40}]),
    ])


def test_junit_is_valid_and_counts_every_outcome():
    doc = junit.junit_xml([result(), ExerciseResult("01_last_token", "t", "exercises/01", [check("a", "passed", 1, 1)])])
    XSD.validate(doc)
    root = ET.fromstring(doc)
    suites = root.findall("testsuite")
    assert [s.get("name") for s in suites] == ["05_linear_loop", "01_last_token"]
    s = suites[0]
    assert (s.get("tests"), s.get("failures"), s.get("errors"), s.get("skipped")) == ("7", "2", "3", "1")
    assert (root.get("tests"), root.get("failures"), root.get("errors")) == ("8", "2", "3")
    cases = {c.get("name"): c for c in s.findall("testcase")}
    assert all(c.get("classname") == "05_linear_loop" for c in cases.values())
    assert list(cases["ok"]) == []
    assert cases["wrong"].find("failure").get("message") == "losses differ [train_linear.py:12]"
    assert cases["slow"].find("error").get("type") == "timeout" and cases["dead"].find("error").get("type") == "crashed"
    assert cases["gone"].find("skipped") is not None
    props = {p.get("name"): p.get("value") for p in s.find("properties")}
    assert props["score"] == "2" and props["max_score"] == "12" and props["points.ok"] == "2/2"
    assert props["points.wrong"] == "0/2" and props["submission"] == "exercises/05"


def test_junit_of_hostile_text_is_still_valid_xml_and_one_line_messages():
    doc = junit.junit_xml([result()])
    XSD.validate(doc)  # raises on a control character XML cannot hold
    error = ET.fromstring(doc).find(".//testcase[@name='raises']/error")
    assert "\x1b" not in doc and "\u202e" not in doc and "\ufffe" not in doc
    assert "\n" not in error.get("message")
    assert "<img" in error.text  # kept as text, escaped by the serialiser, never as markup
    assert ET.fromstring(doc).find(".//img") is None


def test_junit_schema_rejects_what_it_should():
    """The schema can fail: a testcase without a name, or a count that is not a number."""
    with pytest.raises(xmlschema.XMLSchemaValidationError):
        XSD.validate('<testsuites><testsuite name="a" tests="x" failures="0" errors="0"/></testsuites>')
    with pytest.raises(xmlschema.XMLSchemaValidationError):
        XSD.validate('<testsuites><testsuite name="a" tests="1" failures="0" errors="0"><testcase/></testsuite></testsuites>')


def test_markdown_lists_lost_checks_and_escapes_submission_text():
    text = markdown.summary([result()])
    assert text.startswith("## grade: 2/12 points")
    assert "name of wrong" in text and "name of ok" not in text  # only the checks it lost
    assert "5 of 7 checks passed" not in text and "1 of 7 checks passed" in text
    row = next(line for line in text.splitlines() if "name of raises" in line)
    assert row.count(" | ") == 3  # the student's '|' did not add a cell
    assert not re.search(r"(?<!\\)[<>\[\]()`*|!]", row.split(" | ", 3)[3].rstrip(" |"))  # every markup character escaped
    assert "\x1b" not in text and "\u202e" not in text
    assert "\\<img" in text  # shown literally


def test_markdown_hides_hidden_checks_as_redaction_allows():
    assert "1\\.2345" in markdown.summary([result()])
    hidden = markdown.summary([redact_hidden(result())])
    assert "1\\.2345" not in hidden and "name of secret" in hidden and "(hidden)" in hidden


def test_markdown_is_capped_for_github():
    big = ExerciseResult("05", "t", "s", [check(f"c{i}", "failed", message="x" * 2000) for i in range(5000)])
    text = markdown.summary([big])
    assert len(text.encode()) <= markdown.MAX_BYTES and "summary cut here" in text


def test_github_escaping_as_documented():
    assert github.escape_data("100%\r\nnext") == "100%25%0D%0Anext"
    assert github.escape_property("a:b,c%\n") == "a%3Ab%2Cc%25%0A"
    line = github.command("error", "m:, %", file="a,b.py", line=3, title="t:x")
    assert line == "::error file=a%2Cb.py,line=3,title=t%3Ax::m:, %25"


def test_annotations_point_at_the_students_own_last_frame():
    sources = {"exercises/05": {"train_linear.py": "exercises/05_linear_loop/train_linear.py"}}
    lines = github.error_annotations([result()], sources)
    assert len(lines) == 5  # failed, error, timeout, crashed, hidden failed; not passed or skipped
    assert lines[0].startswith("::error file=exercises/05_linear_loop/train_linear.py,line=12,title=05_linear_loop wrong (0/2 points)%3A ")
    assert "file=exercises/05_linear_loop/train_linear.py,line=30," in lines[1]  # the last frame in a known file
    assert "file=" not in lines[2]  # no frame: no location, still an annotation
    assert all(line.count("\n") == 0 and "\r" not in line and "\x1b" not in line for line in lines)
    assert "%0D" not in lines[1] and "%0A" not in lines[1] and "%250A" in lines[1]  # CR LF never reach the log; % escaped
    assert "\ufffd ::error::x" in lines[1]


def test_annotations_of_redacted_hidden_checks_say_nothing_more():
    sources = {"exercises/05": {"train_linear.py": "e/train_linear.py"}}
    line = github.error_annotations([redact_hidden(result())], sources)[-1]
    assert "1.2345" not in line and "line=40" not in line and "name of secret" in line


def test_annotations_capped():
    many = ExerciseResult("05", "t", "s", [check(f"c{i}", "failed") for i in range(80)])
    lines = github.error_annotations([many], {})
    assert len(lines) == github.MAX_ANNOTATIONS + 1 and lines[-1].startswith("::warning::30 more")


@pytest.mark.parametrize("text, expected", [("20", (20.0, False)), ("80%", (80.0, True)), (" 12.5 % ", (12.5, True)),
                                            ("0", (0.0, False)), ("100%", (100.0, True))])
def test_fail_under_parses(text, expected):
    assert _fail_under(None, None, text) == expected  # type: ignore[arg-type]


@pytest.mark.parametrize("text", ["", "abc", "-1", "101%", "nan", "inf", "80%%", "%"])
def test_fail_under_refuses_malformed_values(text):
    with pytest.raises(click.ClickException) as info:
        _fail_under(None, None, text)  # type: ignore[arg-type]
    assert info.value.exit_code == 2


def test_under():
    assert under(79, 100, (80, True)) and not under(80, 100, (80, True))
    assert under(19, 30, (20, False)) and not under(20, 30, (20, False))
    assert not under(0, 0, (80, True))
    assert under(2, 3, (66.67, True)) and not under(2, 3, (66.66, True))
