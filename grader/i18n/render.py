"""Rendering a message in one language: the only place a template meets its translation."""

from __future__ import annotations

from typing import Any

from grader.i18n.catalogues import translations
from grader.i18n.messages import MAX_DEPTH, Msg

LIST_SEPARATOR = {"en": "; ", "ja": "、"}


def render(text: Any, lang: str, depth: int = 0) -> str:
    """A Text in `lang`: a str as it is, a Msg translated (English where no translation exists)."""
    if isinstance(text, str):
        return text
    if isinstance(text, Msg):
        if depth >= MAX_DEPTH:
            return "…"
        args = {k: render(v, lang, depth + 1) for k, v in text.args}
        template = translations(lang).get(text.id, text.id)
        for candidate in (template, text.id):
            try:
                return candidate.format_map(args)
            except (KeyError, ValueError, IndexError, AttributeError):
                continue  # a translation with a broken field: fall back to English
        return text.id
    if isinstance(text, tuple):
        return LIST_SEPARATOR.get(lang, "; ").join(render(v, lang, depth + 1) for v in text)
    if isinstance(text, float):
        return f"{text:.6g}"
    return str(text)


def name(msgid: str, lang: str) -> str:
    """A check's name: its msgid, translated when the catalogue has it."""
    return render(Msg(msgid), lang) if isinstance(msgid, str) else str(msgid)


def untranslated(text: Any, lang: str, depth: int = 0) -> list[str]:
    """The msgids in `text` that `lang` has no translation for (templates with no words need none)."""
    if isinstance(text, tuple):
        return [m for v in text for m in untranslated(v, lang, depth + 1)]
    if not isinstance(text, Msg) or depth >= MAX_DEPTH:
        return []
    missing = [] if not needs_translation(text.id) or text.id in translations(lang) else [text.id]
    return missing + [m for _k, v in text.args for m in untranslated(v, lang, depth + 1)]


def needs_translation(msgid: str) -> bool:
    """Whether a template has words of its own ("{what}[{index}]" has none: it reads the same everywhere)."""
    import re
    return re.search(r"[A-Za-z]{2,}", re.sub(r"\{\w+\}", "", msgid)) is not None
