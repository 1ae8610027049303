"""The words of the reports in English and Japanese (the course is taught in Japanese).

Check messages come from the checks and stay as written; this is the frame around them.
"""

from __future__ import annotations

import os

from grader import catalog

WORDS = {
    "en": {
        "passed": "PASS", "failed": "FAIL", "error": "ERROR", "timeout": "TIMEOUT", "crashed": "CRASH", "skipped": "SKIP", "not_run": "NOT RUN",
        "check": "check", "pts": "pts", "result": "result", "reason": "reason", "hidden": "hidden", "visible": "visible",
        "points": "points", "points_column": "Points", "total": "Total", "over": "over {n} submissions", "report": "Report",
        "title": "Grade report", "exercise": "Exercise", "submission": "Submission", "checks_passed": "Checks passed",
        "where": "Where, in your code:", "output": "Your program's {stream}:", "facts": "Run facts",
        "check_id": "check id", "task": "task", "enforced": "sandbox enforced", "not_enforced": "not enforced",
        "nothing_left_out": "nothing left out", "device": "device", "seed": "seed",
        "grading": "Grading", "graded": "Graded {done} of {n}", "checks": "checks",
    },
    "ja": {
        "passed": "合格", "failed": "不合格", "error": "エラー", "timeout": "時間切れ", "crashed": "異常終了", "skipped": "スキップ", "not_run": "未実行",
        "check": "チェック", "pts": "点", "result": "結果", "reason": "理由", "hidden": "非公開", "visible": "公開",
        "points": "点", "points_column": "得点", "total": "合計", "over": "（{n} 件の提出）", "report": "レポート",
        "title": "採点レポート", "exercise": "演習", "submission": "提出", "checks_passed": "合格したチェック",
        "where": "あなたのコードの該当箇所:", "output": "プログラムの {stream}:", "facts": "実行情報",
        "check_id": "チェック ID", "task": "課題", "enforced": "サンドボックスの制限", "not_enforced": "適用できなかった制限",
        "nothing_left_out": "なし", "device": "デバイス", "seed": "シード",
        "grading": "採点中", "graded": "{n} 件中 {done} 件を採点しました", "checks": "チェック",
    },
}


def pick_language(requested: str = "auto") -> str:
    """'auto' follows the locale: Japanese where LANG or LC_ALL says ja, English otherwise."""
    if requested in WORDS:
        return requested
    locale = os.environ.get("LC_ALL") or os.environ.get("LC_MESSAGES") or os.environ.get("LANG") or ""
    return "ja" if locale.lower().startswith("ja") else "en"


def words(lang: str) -> dict[str, str]:
    return WORDS.get(lang, WORDS["en"])


def exercise_title(exercise_id: str, fallback: str, lang: str) -> str:
    ex = catalog.by_number(exercise_id[:2])
    return ex.title_ja if (lang == "ja" and ex is not None) else fallback
