"""Messages a student reads, kept as an English template plus arguments until a report renders them.

A check builds `_("loss after step {step} was {got}", step=2, got="0.3212")`: a `Msg`, plain data
that crosses process boundaries and the cache unchanged, and is rendered in the reader's language
only at the edge (terminal, HTML, JSON...), so a class graded once can be reported in either language.
The template is the gettext msgid; `grader.i18n.catalogues` holds the translations.
"""

from __future__ import annotations

import string
from dataclasses import dataclass
from typing import Any, Union

# An argument: text or a number shown as it is, a nested message (translated too), or a sequence
# of them (joined with the language's list separator).
Arg = Union[str, int, float, "Msg", tuple["Arg", ...]]
Text = Union[str, "Msg"]  # a plain str is shown verbatim (student data, code, numbers): never translated

_FORMATTER = string.Formatter()
MAX_DEPTH = 12      # nesting of messages in messages (and in data read back from a cache)
MAX_ITEMS = 64      # items of one sequence argument


def placeholders(template: str) -> list[str]:
    """The `{name}` fields of a template, in order; ValueError for anything but plain named fields."""
    names = []
    for _literal, field, spec, conversion in _FORMATTER.parse(template):
        if field is None:
            continue
        if not field.isidentifier() or spec or conversion:
            raise ValueError(f"message template {template!r}: only plain {{name}} fields are allowed, not {{{field}}}")
        names.append(field)
    return names


def _arg(value: Any, depth: int = 0) -> Arg:
    """As an f-string would show it, except messages (kept, to be translated) and tuples of texts.

    A tuple of str/Msg items is a list for the reader (joined per language); every other value, lists
    and shapes included, becomes its str() here, so a message shows data exactly as an f-string did.
    """
    if isinstance(value, (Msg, str)):
        return value
    if isinstance(value, tuple) and value and all(isinstance(v, (Msg, str)) for v in value) and depth < MAX_DEPTH:
        return tuple(_arg(v, depth + 1) for v in value[:MAX_ITEMS])
    return str(value)


@dataclass(frozen=True)
class Msg:
    """A translatable message: `id` is the English template (the msgid), `args` fill its fields."""

    id: str
    args: tuple[tuple[str, Arg], ...] = ()

    def __str__(self) -> str:
        from grader.i18n.render import render
        return render(self, "en")

    def arg(self, name: str) -> Arg | None:
        return dict(self.args).get(name)


def _(template: str, /, **args: Any) -> Msg:
    """Mark a student-facing message for translation (extracted by Babel: the template must be a literal).

    Values are shown as an f-string shows them; pass numbers already formatted when their digits
    matter (`err=f"{err:.3g}"`): a template has plain `{name}` fields only, so every language shows
    the same digits.
    """
    fields = placeholders(template)
    if sorted(set(fields)) != sorted(args):
        raise ValueError(f"message {template!r}: fields {sorted(set(fields))} but arguments {sorted(args)}")
    return Msg(template, tuple((k, _arg(v)) for k, v in sorted(args.items())))


def to_data(text: Any) -> Any:
    """A Text as JSON data: a str stays a str, a Msg becomes {"msgid", "args"}, a sequence a list."""
    if isinstance(text, Msg):
        return {"msgid": text.id, "args": {k: to_data(v) for k, v in text.args}}
    if isinstance(text, tuple):
        return [to_data(v) for v in text]
    return text


def from_data(data: Any, depth: int = 0) -> Any:
    """The inverse of to_data, for data read back from a cache: bounded, and anything unexpected is text."""
    if isinstance(data, (str, int, float)) and not isinstance(data, bool):
        return data
    if depth >= MAX_DEPTH:
        return "…"
    if isinstance(data, list):
        return tuple(from_data(v, depth + 1) for v in data[:MAX_ITEMS])
    if isinstance(data, dict) and isinstance(data.get("msgid"), str) and isinstance(data.get("args"), dict):
        args = tuple(sorted((str(k), from_data(v, depth + 1)) for k, v in data["args"].items()))
        return Msg(data["msgid"], args)
    return str(data)


def lines(texts: Any) -> Msg:
    """Texts one per line (a message with no words of its own: nothing to translate)."""
    items = tuple(_arg(t) for t in list(texts)[:MAX_ITEMS])
    return Msg("\n".join(f"{{line{i}}}" for i in range(len(items))), tuple((f"line{i}", t) for i, t in enumerate(items)))
