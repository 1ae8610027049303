"""The translations: gettext `.po` catalogues kept beside the code whose messages they translate.

- `grader/locale/<lang>/LC_MESSAGES/grader.po`: the grader's own messages (comparisons, time-outs,
  import failures, rules, report headings);
- `grader/suites/<suite>/locale/<lang>/LC_MESSAGES/checks.po`: one exercise's check names, messages
  and hints.

They are read with Babel once per process. English is the msgid itself, so it needs no catalogue.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent.parent
LANGUAGES = ("en", "ja")
TRANSLATED = ("ja",)  # languages with catalogues (en is the source language)


@dataclass(frozen=True)
class Domain:
    """One catalogue and the source files whose `_()` messages it must translate."""

    name: str
    folder: Path   # the folder holding locale/
    sources: tuple[Path, ...]

    def po_file(self, lang: str) -> Path:
        return self.folder / "locale" / lang / "LC_MESSAGES" / f"{self.name}.po"


def domains(package_dir: Path = PACKAGE_DIR) -> list[Domain]:
    """The grader's own domain (every module outside suites/) and one per exercise suite."""
    suites = package_dir / "suites"
    own = tuple(sorted(p for p in package_dir.rglob("*.py") if suites not in p.parents))
    out = [Domain("grader", package_dir, own)]
    for suite in sorted(p for p in suites.iterdir() if p.is_dir() and (p / "checks.py").is_file()):
        out.append(Domain("checks", suite, tuple(sorted(suite.rglob("*.py")))))
    return out


@functools.cache
def translations(lang: str) -> dict[str, str]:
    """msgid -> text for `lang`, from every catalogue; untranslated and fuzzy entries are left out."""
    if lang not in TRANSLATED:
        return {}
    table: dict[str, str] = {}
    for domain in domains():
        for path in (domain.po_file(lang), domain.po_file(lang).with_name("_unlocked_checks.po")):
            if path.is_file():  # the second: a graded release's hidden checks, opened for this run
                _read(path, lang, table)
    return table


def _read(path: Path, lang: str, table: dict[str, str]) -> None:
    from babel.messages.pofile import read_po

    with path.open("rb") as f:
        catalog = read_po(f, locale=lang)
    for message in catalog:
        if message.id and isinstance(message.id, str) and isinstance(message.string, str) \
                and message.string and not message.fuzzy:
            table[message.id] = message.string
