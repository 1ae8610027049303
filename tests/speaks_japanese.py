"""The assertion every graded corpus, blind and do-nothing submission meets: each text a student reads is translated."""

from __future__ import annotations

from grader.i18n import Msg
from grader.i18n.render import untranslated
from grader.results import localize


def assert_speaks_japanese(result) -> None:
    """Every check name and non-empty message is a message the Japanese catalogues translate.

    A plain str message is text the grader never translates, so the judge must not produce one.
    """
    problems = []
    for c in result.checks:
        problems += [f"{c.id}: name {m!r}" for m in untranslated(Msg(c.name), "ja")]
        if c.message and not isinstance(c.message, Msg):
            problems.append(f"{c.id}: a plain-text message, never translated: {c.message!r}")
        problems += [f"{c.id}: message {m!r}" for m in untranslated(c.message, "ja")]
    assert not problems, "not in Japanese:\n" + "\n".join(problems[:15])
    localize(result, "ja")  # renders without error
