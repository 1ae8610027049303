"""Property checks score only once the behaviour they qualify is right."""

from __future__ import annotations

from grader.results import CheckResult, apply_requirements


def _c(cid: str, outcome: str, requires: tuple[str, ...] = ()) -> CheckResult:
    return CheckResult(cid, cid.title(), "01.1", outcome, 2 if outcome == "passed" else 0, 2, "visible", "",
                       requires=list(requires))


def test_a_property_of_wrong_behaviour_earns_nothing() -> None:
    out = apply_requirements([_c("forward", "failed"), _c("inputs_untouched", "passed", ("forward",))])
    assert out[1].outcome == "failed" and out[1].score == 0 and "Forward" in str(out[1].message)


def test_a_property_of_right_behaviour_keeps_its_points() -> None:
    out = apply_requirements([_c("forward", "passed"), _c("inputs_untouched", "passed", ("forward",))])
    assert [c.score for c in out] == [2, 2]


def test_a_requirement_that_did_not_run_withholds_the_points() -> None:
    out = apply_requirements([_c("inputs_untouched", "passed", ("forward",))])
    assert out[0].score == 0 and "not run" in str(out[0].message)


def test_alternatives_need_one_of_them() -> None:
    """`a|b`: a property of a model that computes right at one depth or the other keeps its points."""
    one = apply_requirements([_c("deep", "failed"), _c("shallow", "passed"), _c("eval", "passed", ("deep|shallow",))])
    assert one[2].score == 2
    none = apply_requirements([_c("deep", "failed"), _c("shallow", "error"), _c("eval", "passed", ("deep|shallow",))])
    assert none[2].score == 0 and "one of “Deep”; “Shallow”" in str(none[2].message)
    assert none[2].details == {"requires": ["deep|shallow"]}
    absent = apply_requirements([_c("eval", "passed", ("deep|shallow",))])
    assert absent[0].score == 0 and "deep|shallow (not run)" in str(absent[0].message)
