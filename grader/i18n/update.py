"""`python -m grader.i18n.update`: bring every catalogue in line with the messages its sources use.

New messages are added untranslated (the catalogue test then fails until a translator fills them),
messages no longer used are dropped, existing translations are kept. Run it after changing a message.
"""

from __future__ import annotations

import sys
from datetime import datetime, timezone

from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, write_po

from grader.i18n.catalogues import TRANSLATED, Domain, domains
from grader.i18n.extract import messages


def update(domain: Domain, lang: str) -> tuple[int, int]:
    """Rewrite one catalogue; returns (messages, of them untranslated)."""
    path = domain.po_file(lang)
    old: dict[str, str] = {}
    if path.is_file():
        with path.open("rb") as f:
            for m in read_po(f, locale=lang):
                if m.id and isinstance(m.id, str) and isinstance(m.string, str):
                    old[m.id] = m.string
    stamp = datetime(2026, 11, 23, tzinfo=timezone.utc)  # fixed: an update changes only what changed
    catalog = Catalog(locale=lang, domain=domain.name, project="grader", version="1", charset="utf-8",
                      copyright_holder="the grader authors", msgid_bugs_address="the course staff",
                      last_translator="the grader authors", language_team=f"{lang}",
                      creation_date=stamp, revision_date=stamp)
    catalog.fuzzy = False
    used = messages(domain)
    for msgid in sorted(used, key=lambda m: used[m][0]):
        catalog.add(msgid, old.get(msgid, ""), locations=used[msgid][:1])
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as f:
        write_po(f, catalog, width=100, omit_header=False, include_previous=False)
    return len(used), sum(1 for m in used if not old.get(m))


def main(argv: list[str]) -> int:
    wanted = set(argv)
    for domain in domains():
        if wanted and domain.folder.name not in wanted and domain.name not in wanted:
            continue
        for lang in TRANSLATED:
            n, missing = update(domain, lang)
            print(f"{domain.po_file(lang)}: {n} messages, {missing} untranslated")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
