"""The map from an exercise's spec to its checks: every promise checked, nothing checked unpromised.

Each suite keeps `spec_map.py` with RULES, a list of SpecRule: a sentence quoted word for word from
the exercise's README.md and the ids of the checks that hold the submission to it. The tests
fail when a rule has no check, when a quote is not in the spec, or when a check enforces no rule.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class SpecRule:
    quote: str                 # words of the spec (README.md), verbatim up to whitespace
    checks: tuple[str, ...]    # check ids (function names without check_)
