"""JUnit XML as a pure function of the results: what GitLab, Jenkins and most CI dashboards read.

One <testsuite> per graded exercise, one <testcase> per check (classname = exercise id, name = check id).
The layout follows the Jenkins xunit-plugin junit-10 schema (Ant's format), which allows <properties> only
on a testsuite: a suite carries its submission, score and max_score, and each check's points as
`points.<check id>` = "score/max".
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from grader.report.text import one_line, printable
from grader.results import CheckResult, ExerciseResult

# What XML 1.0 cannot hold at all, even escaped (printable already replaced the other controls).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_ELEMENT = {"failed": "failure", "skipped": "skipped"}  # every other non-pass outcome is an <error>


def _text(value: object, single: bool = False) -> str:
    return _NOT_XML.sub("\N{REPLACEMENT CHARACTER}", printable(value, one_line=single))


def _seconds(value: float) -> str:
    return f"{max(float(value), 0.0):.3f}"


def _testcase(suite: ET.Element, exercise_id: str, check: CheckResult) -> None:
    case = ET.SubElement(suite, "testcase", classname=_text(exercise_id, True), name=_text(check.id, True),
                         time=_seconds(check.duration_s))
    if check.outcome == "passed":
        return
    kind = _ELEMENT.get(check.outcome, "error")
    element = ET.SubElement(case, kind, message=_text(one_line(check, 400), True))
    if kind != "skipped":
        element.set("type", check.outcome)
        element.text = _text(f"{check.name}\n{check.message}")


def _testsuite(root: ET.Element, result: ExerciseResult) -> None:
    outcomes = [c.outcome for c in result.checks]
    failures = outcomes.count("failed")
    skipped = outcomes.count("skipped")
    suite = ET.SubElement(root, "testsuite", name=_text(result.id, True), tests=str(len(outcomes)),
                          failures=str(failures), errors=str(len(outcomes) - failures - skipped - outcomes.count("passed")),
                          skipped=str(skipped), time=_seconds(sum(c.duration_s for c in result.checks)))
    properties = ET.SubElement(suite, "properties")
    pairs = [("submission", result.label), ("score", result.score), ("max_score", result.max_score)]
    pairs += [(f"points.{c.id}", f"{c.score}/{c.max_score}") for c in result.checks]
    for name, value in pairs:
        ET.SubElement(properties, "property", name=_text(name, True), value=_text(value, True))
    for check in result.checks:
        _testcase(suite, result.id, check)


def junit_xml(results: list[ExerciseResult]) -> str:
    """The whole run as one JUnit XML document (UTF-8, with declaration)."""
    root = ET.Element("testsuites", name="grade", tests=str(sum(len(r.checks) for r in results)))
    for result in results:
        _testsuite(root, result)
    counts = [s.attrib for s in root]
    root.set("failures", str(sum(int(c["failures"]) for c in counts)))
    root.set("errors", str(sum(int(c["errors"]) for c in counts)))
    ET.indent(root)
    return ET.tostring(root, encoding="unicode", xml_declaration=True)
