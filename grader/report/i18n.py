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


# The facts a failed check attaches (grader.judge.compare, contract, policy), as the report labels them.
DETAIL_LABELS = {
    "en": {},
    "ja": {
        "shape": "形状", "dtype": "dtype", "mismatched": "一致しない要素数", "total": "要素数",
        "max_abs_error": "最大絶対誤差", "max_rel_error": "最大相対誤差", "where": "位置",
        "actual_value": "あなたの値", "expected_value": "期待される値", "rtol": "相対許容誤差 rtol",
        "atol": "絶対許容誤差 atol", "actual_shape": "あなたの形状", "expected_shape": "期待される形状",
        "actual_dtype": "あなたの dtype", "expected_dtype": "期待される dtype", "actual_length": "あなたの長さ",
        "expected_length": "期待される長さ", "input_changes": "入力の変更", "aliases": "メモリの共有",
        "violations": "違反", "requires": "前提のチェック",
    },
}


def detail_label(key: str, lang: str) -> str:
    """A detail's label: translated where known, else the key made readable (max_abs_error -> max abs error)."""
    return DETAIL_LABELS.get(lang, {}).get(key) or key.replace("_", " ")


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
