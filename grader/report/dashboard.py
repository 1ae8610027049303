"""The class dashboard: one self-contained HTML page (inline CSS, SVG and script; nothing fetched).

Grid of students x exercises (sortable by clicking a header), then per exercise a histogram of
scores, the pass rate of each check and the most frequent hints, then every run that timed out,
crashed or was refused. Works opened from a file, on a laptop or a phone.
"""

from __future__ import annotations

import html
from typing import Any

from grader import gradebook
from grader.results import ExerciseResult

_CSS = """
body{font-family:system-ui,sans-serif;margin:0 auto;padding:8px;max-width:1100px;color:#222}
h1{font-size:1.4em}h2{font-size:1.15em;margin-top:1.5em}
.scroll{overflow-x:auto;max-width:100%}
table{border-collapse:collapse;font-size:.9em}
th,td{border:1px solid #ccc;padding:3px 6px;text-align:right}
th{background:#f3f3f3;cursor:pointer;position:sticky;top:0}
td.name,th.name{text-align:left}
td.missing{background:#fde8e8;color:#a00}
small.missing,p.missing,small.unlisted,p.unlisted{color:#a00}
td.full{background:#e6f6e6}
.ex{border-top:2px solid #ddd;margin-top:1em}
.cols{display:flex;flex-wrap:wrap;gap:16px}
.cols>div{flex:1 1 300px;min-width:0}
svg{max-width:100%;height:auto}
.bar{fill:#4a7bd0}
td.msg{text-align:left;word-break:break-word}
"""

_JS = """
document.querySelectorAll('table.sortable th').forEach(function(th,i){
 th.addEventListener('click',function(){
  var tb=th.closest('table').tBodies[0],rows=Array.prototype.slice.call(tb.rows);
  var dir=th.dataset.dir==='asc'?-1:1;th.dataset.dir=dir===1?'asc':'desc';
  rows.sort(function(a,b){var x=a.cells[i].dataset.v,y=b.cells[i].dataset.v;
   var nx=parseFloat(x),ny=parseFloat(y);
   if(!isNaN(nx)&&!isNaN(ny))return dir*(nx-ny);return dir*String(x).localeCompare(String(y));});
  rows.forEach(function(r){tb.appendChild(r);});});});
"""


def _e(value: Any) -> str:
    return html.escape(str(value), quote=True)


def histogram_svg(counts: list[int], max_score: int, label: str) -> str:
    """Bars of `counts` over 0..max_score, as inline SVG with a title for screen readers."""
    w, h, pad = 300, 120, 18
    top = max(counts) or 1
    bw = (w - 2 * pad) / len(counts)
    parts = [f'<svg class="hist" viewBox="0 0 {w} {h + 2 * pad}" width="{w}" role="img" aria-label="{_e(label)}">',
             f"<title>{_e(label)}</title>"]
    for i, c in enumerate(counts):
        bh = h * c / top
        x = pad + i * bw
        parts.append(f'<rect class="bar" x="{x + 1:.1f}" y="{pad + h - bh:.1f}" width="{bw - 2:.1f}" '
                     f'height="{bh:.1f}"><title>{c}</title></rect>')
        if c:
            parts.append(f'<text x="{x + bw / 2:.1f}" y="{pad + h - bh - 3:.1f}" font-size="10" '
                         f'text-anchor="middle">{c}</text>')
    parts.append(f'<text x="{pad}" y="{h + 2 * pad - 4}" font-size="10">0</text>'
                 f'<text x="{w - pad}" y="{h + 2 * pad - 4}" font-size="10" text-anchor="end">{max_score}</text>'
                 f'<line x1="{pad}" y1="{pad + h}" x2="{w - pad}" y2="{pad + h}" stroke="#888"/></svg>')
    return "".join(parts)


_STATUS = {"missing": "on the roster, nothing handed in", "unlisted": "not on the roster"}


def _roster_note(book: gradebook.Gradebook) -> str:
    """With a roster: who handed in nothing, and whose submissions are not on it (graded all the same)."""
    parts = []
    for status, title in (("missing", "Nothing handed in (on the roster)"), ("unlisted", "Not on the roster (graded)")):
        names = [row.student for row in book.rows if row.status == status]
        if names:
            parts.append(f'<p class="{status}"><b>{title}: {len(names)}</b> — {_e(", ".join(names[:200]))}'
                         f'{" …" if len(names) > 200 else ""}</p>')
    return "".join(parts)


def _grid(book: gradebook.Gradebook, links: dict[str, str]) -> str:
    head = "".join(f'<th title="{_e(ex)}">{_e(ex)}<br><small>/{book.max_scores[ex]}</small></th>' for ex in book.exercises)
    rows = []
    for row in book.rows:
        cells = []
        for ex in book.exercises:
            s = row.scores[ex]
            if s is None:
                cells.append('<td class="missing" data-v="-1">missing</td>')
            else:
                cls = ' class="full"' if s == book.max_scores[ex] and s else ""
                cells.append(f'<td{cls} data-v="{s}">{s}</td>')
        link = f'<a href="students/{_e(links[row.student])}.html">{_e(row.student)}</a>' if row.student in links \
            else _e(row.student)
        if row.status:
            link += f' <small class="{_e(row.status)}">{_e(_STATUS[row.status])}</small>'
        rows.append(f'<tr><td class="name" data-v="{_e(row.student)}">{link}</td>{"".join(cells)}'
                    f'<td data-v="{row.total}"><b>{row.total}</b></td></tr>')
    return (f'<div class="scroll"><table id="grid" class="sortable"><thead><tr><th class="name">student</th>{head}'
            f'<th>total<br><small>/{book.max_total}</small></th></tr></thead><tbody>{"".join(rows)}</tbody></table></div>')


def _exercise(book: gradebook.Gradebook, results: list[ExerciseResult], ex: str) -> str:
    scores = [row.scores[ex] for row in book.rows if row.scores[ex] is not None]
    missing = sum(1 for row in book.rows if row.scores[ex] is None)
    hist = histogram_svg(gradebook.histogram([s for s in scores if s is not None], book.max_scores[ex]),
                         book.max_scores[ex], f"{ex}: score distribution")
    rates = "".join(f'<tr><td class="name">{_e(name)}<br><small>{_e(cid)}</small></td><td>{p}/{n}</td>'
                    f'<td>{(100 * p / n if n else 0):.0f}%</td></tr>'
                    for cid, name, p, n in sorted(gradebook.pass_rates(results, ex), key=lambda t: t[2] / (t[3] or 1)))
    hints = "".join(f'<tr><td class="msg">{_e(h)}</td><td>{n}</td></tr>'
                    for h, n in gradebook.common_mistakes(results, ex)) or '<tr><td colspan="2">none</td></tr>'
    return (f'<section class="ex"><h2 id="ex-{_e(ex)}">{_e(ex)}</h2>'
            f"<p>{len(scores)} submissions, {missing} missing, max {book.max_scores[ex]} points</p>"
            f'<div class="cols"><div>{hist}</div>'
            f'<div><h3>Pass rate per check</h3><div class="scroll"><table class="rates"><tbody>{rates}</tbody></table></div></div>'
            f'<div><h3>Most frequent mistakes</h3><div class="scroll"><table class="hints"><thead><tr><th class="name">hint</th>'
            f"<th>students</th></tr></thead><tbody>{hints}</tbody></table></div></div></div></section>")


def render(book: gradebook.Gradebook, results: list[ExerciseResult], links: dict[str, str], facts: dict[str, Any]) -> str:
    troubles = "".join(f'<tr><td class="msg">{_e(s)}</td><td>{_e(o)}</td><td class="msg">{_e(m[:300])}</td></tr>'
                       for s, o, m in gradebook.troubles(results)) or '<tr><td colspan="3">none</td></tr>'
    sections = "".join(_exercise(book, results, ex) for ex in book.exercises)
    return (f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>Class gradebook</title><style>{_CSS}</style></head><body>"
            f"<h1>Class gradebook</h1><p>{len(book.rows)} students, {len(results)} submissions; "
            f"device {_e(facts.get('device', '?'))}, seed {_e(facts.get('seed', '?'))}. Click a header to sort.</p>"
            f"{_roster_note(book)}{_grid(book, links)}{sections}"
            f'<h2 id="troubles">Timed out, crashed or refused</h2><div class="scroll"><table class="troubles"><thead><tr>'
            f'<th class="name">submission</th><th>outcome</th><th class="name">message</th></tr></thead>'
            f"<tbody>{troubles}</tbody></table></div>"
            f"<script>{_JS}</script></body></html>")
