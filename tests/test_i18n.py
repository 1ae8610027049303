"""Every message a student reads has a Japanese text: catalogues complete, placeholders kept, terms consistent."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from grader.i18n import Msg, _, from_data, render, to_data
from grader.i18n.catalogues import TRANSLATED, domains
from grader.i18n.extract import messages, untranslatable
from grader.i18n.messages import placeholders
from grader.i18n.render import needs_translation, untranslated

GLOSSARY = Path(__file__).resolve().parent.parent / "docs" / "glossary.md"
DOMAINS = domains()


def _catalogue(domain, lang):
    path = domain.po_file(lang)
    assert path.is_file(), f"{path} is missing: run `python -m grader.i18n.update`"
    with path.open("rb") as f:
        return {m.id: m for m in read_po(f, locale=lang) if m.id}


def _ids(d):
    return d.folder.name if d.name == "checks" else d.name


@pytest.mark.parametrize("lang", TRANSLATED)
@pytest.mark.parametrize("domain", DOMAINS, ids=_ids)
def test_every_message_used_is_in_the_catalogue_and_nothing_else(domain, lang):
    used, have = set(messages(domain)), set(_catalogue(domain, lang))
    assert not used - have, f"not in {domain.po_file(lang)} (run `python -m grader.i18n.update`): {sorted(used - have)[:10]}"
    assert not have - used, f"no longer used, still in {domain.po_file(lang)}: {sorted(have - used)[:10]}"


@pytest.mark.parametrize("lang", TRANSLATED)
@pytest.mark.parametrize("domain", DOMAINS, ids=_ids)
def test_every_message_is_translated_with_the_same_placeholders(domain, lang):
    problems = []
    for msgid, m in _catalogue(domain, lang).items():
        if m.fuzzy or not m.string:
            if needs_translation(msgid) or m.fuzzy:
                problems.append(f"untranslated: {msgid!r}")
            continue
        try:
            want, got = sorted(placeholders(msgid)), sorted(placeholders(m.string))
        except ValueError as exc:
            problems.append(str(exc))
            continue
        if want != got:
            problems.append(f"{msgid!r}: placeholders {want} but the translation has {got}")
        if re.search(r"[A-Za-z]{4,}", re.sub(r"\{\w+\}|`[^`]*`|[\w.]+\(\)|\b\w*[._]\w+\b", "", m.string)) and \
                not re.search(r"[\u3040-\u30ff\u4e00-\u9fff]", m.string):
            problems.append(f"{msgid!r}: the translation has no Japanese in it: {m.string!r}")
    assert not problems, "\n".join(problems[:20])


def test_a_message_means_the_same_in_every_catalogue():
    seen: dict[str, tuple[str, str]] = {}
    clashes = []
    for domain in DOMAINS:
        for msgid, m in _catalogue(domain, "ja").items():
            if msgid in seen and m.string and seen[msgid][0] != m.string:
                clashes.append(f"{msgid!r}: {seen[msgid][1]} and {domain.po_file('ja')} differ")
            seen.setdefault(msgid, (m.string, str(domain.po_file("ja"))))
    assert not clashes, "\n".join(clashes)


def test_every_template_is_a_literal_babel_can_extract():
    bad = [b for d in DOMAINS for p in d.sources for b in untranslatable(p)]
    assert not bad, f"_() needs one string literal (no f-string, no variable): {bad}"


def _glossary() -> list[tuple[str, str]]:
    rows = []
    for line in GLOSSARY.read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) >= 3 and cells[2] == "checked":
            rows.append((cells[0], cells[1]))
    return rows


def test_the_glossary_terms_are_used_consistently():
    terms = _glossary()
    assert len(terms) >= 8, "docs/glossary.md lost its checked terms"
    problems = []
    for domain in DOMAINS:
        for msgid, m in _catalogue(domain, "ja").items():
            # code (torch.Tensor, w.grad, dropout=1.0) is not prose
            english = re.sub(r"`[^`]*`|\{\w+\}|\w*[._]\w[\w.()]*|\w+=[^\s,)]+", "", msgid)
            for en, ja in terms:
                pattern = r"\b" + re.escape(en).replace(r"\ ", r"[\s-]") + r"(s|es|ed)?\b"
                if re.search(pattern, english, re.IGNORECASE) and m.string and ja not in m.string:
                    problems.append(f"{msgid!r} says {en!r}: its translation should use {ja} ({m.string!r})")
    assert not problems, "\n".join(problems[:20])


def test_a_message_renders_in_either_language_and_survives_a_round_trip_as_data():
    inner = _("the loss")
    msg = _("{what}: got {got}, expected {expected} (error {error})", what=inner, got="0.5", expected="0.25",
            error=(_("the loss"), "x"))
    assert render(msg, "en") == "the loss: got 0.5, expected 0.25 (error the loss; x)"
    assert from_data(to_data(msg)) == msg
    assert render("plain student text {not a field}", "ja") == "plain student text {not a field}"


def test_a_broken_or_missing_translation_falls_back_to_english():
    msg = Msg("a message no catalogue has: {x}", (("x", "1"),))
    assert render(msg, "ja") == "a message no catalogue has: 1"
    assert untranslated(msg, "ja") == ["a message no catalogue has: {x}"]
    assert untranslated(Msg("{what}[{index}]", (("what", "w"), ("index", "0"))), "ja") == []


def test_templates_take_plain_fields_and_exactly_their_arguments():
    with pytest.raises(ValueError):
        _("{x:.3g}", x=1.0)
    with pytest.raises(ValueError):
        _("{x}", y=1)
    with pytest.raises(ValueError):
        _("{0}")


def test_data_read_back_from_a_cache_is_bounded():
    deep: object = "end"
    for _i in range(100):
        deep = {"msgid": "{x}", "args": {"x": deep}}
    back = from_data(deep)
    assert render(back, "en").endswith("…")
    assert from_data({"msgid": 3, "args": {}}) == "{'msgid': 3, 'args': {}}"


def test_lang_ja_reaches_the_terminal_the_html_and_the_json(tmp_path):
    """One run in Japanese: the check names and messages, not only the headings, are Japanese everywhere."""
    import json
    import subprocess
    import sys

    root = Path(__file__).resolve().parent.parent
    html = tmp_path / "r.html"
    done = subprocess.run([sys.executable, "-m", "grader", "exercises/02", "--lang", "ja", "--json", "-",
                           "--html", str(html)], cwd=root, capture_output=True, text=True, timeout=600)
    assert done.returncode == 1, done.stderr[-2000:]
    doc = json.loads(done.stdout)
    assert doc["lang"] == "ja"
    [exercise] = doc["exercises"]
    japanese = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")
    for c in exercise["checks"]:
        assert japanese.search(c["name"]), c["name"]
        assert c["message"].startswith("まだ実装されていません"), c["message"]
    page = html.read_text(encoding="utf-8")
    assert "順伝播が x * sigmoid(x) に等しい" in page and "まだ実装されていません" in page
    assert "順伝播が x * sigmoid(x) に等しい" in done.stderr  # the table goes to stderr when --json is -
