"""Showing a comparison: side by side in the terminal (rich), an HTML redline page, Markdown."""

from __future__ import annotations

import html
from typing import Any

from ..compare.changes import ClausePair, Comparison


def visible_pairs(comparison: Comparison, *, changed_only: bool) -> list[ClausePair]:
    return [p for p in comparison.pairs if not (changed_only and p.status == "same")]


STATUS_STYLE = {"same": "dim", "changed": "yellow", "moved": "magenta", "added": "green", "removed": "red"}


def pair_texts(pair: ClausePair, show_variants: bool) -> tuple[Any, Any]:
    """The two sides of a pair as rich Texts: deletions struck in red, insertions underlined in green,
    variant and format differences underlined only when asked for."""
    from rich.text import Text

    left, right = Text(), Text()
    if pair.a_clause:
        left.append(pair.a_clause + "\n", style="cyan")
    if pair.b_clause:
        right.append(pair.b_clause + "\n", style="cyan")
    if pair.status == "removed":
        left.append(pair.a_text, style="red")
    elif pair.status == "added":
        right.append(pair.b_text, style="green")
    else:
        for seg in pair.segments:
            if seg.op == "equal":
                left.append(seg.a)
                right.append(seg.b)
            elif seg.kind in ("variant", "format"):
                style = "underline magenta" if show_variants else ""
                left.append(seg.a, style=style)
                right.append(seg.b, style=style)
            else:
                left.append(seg.a, style="bold red strike")
                right.append(seg.b, style="bold green underline")
    return left, right


def status_text(pair: ClausePair) -> Any:
    from rich.text import Text

    status = Text(pair.status, style=STATUS_STYLE[pair.status])
    if pair.relation:
        status.append(f"\n{pair.relation}", style="dim")
    if pair.status in ("same", "changed", "moved"):
        status.append(f"\n{pair.similarity:.0%}", style="dim")
    return status


# --- terminal ------------------------------------------------------------------------------------

def terminal_table(comparison: Comparison, *, changed_only: bool = False, show_variants: bool = False) -> Any:
    """A rich Table: the two texts in columns, pair by pair, changes coloured (CJK widths handled)."""
    from rich.table import Table

    a, b = comparison.a, comparison.b
    table = Table(show_lines=True, expand=True, title=_title(comparison), title_justify="left")
    table.add_column(f"{a.id}  {a.doc_number or ''}", ratio=1, overflow="fold")
    table.add_column("", width=9, no_wrap=True)
    table.add_column(f"{b.id}  {b.doc_number or ''}", ratio=1, overflow="fold")
    for pair in visible_pairs(comparison, changed_only=changed_only):
        left, right = pair_texts(pair, show_variants)
        table.add_row(left, status_text(pair), right)
    return table


def _title(comparison: Comparison) -> str:
    s = comparison.summary()
    st = s["status"]
    parts = [f"{v} {k}" for k, v in st.items() if v]
    return (f"{comparison.a.title}  ⇄  {comparison.b.title}\n" + ", ".join(parts) +
            f"; {s['kind']['substantive']} substantive changes, {s['kind']['variant']} variant, "
            f"{s['kind']['format']} format")


# --- HTML redline ----------------------------------------------------------------------------------

_CSS = """
body{font-family:"Noto Serif CJK SC","Source Han Serif SC","SimSun",serif;max-width:60em;margin:2em auto;
line-height:1.8;color:#222}
h1{font-size:1.3em} .summary{background:#f4f4f4;padding:.6em 1em;border-radius:4px}
.pair{border-top:1px solid #ddd;padding:.6em 0} .path{font-family:monospace;color:#357;font-size:.85em}
.status{font-family:sans-serif;font-size:.75em;padding:0 .4em;border-radius:3px;margin-left:.5em}
.same{background:#eee}.changed{background:#fe9}.moved{background:#dcf}.added{background:#cfc}.removed{background:#fcc}
del{color:#b00;text-decoration:line-through} ins{color:#070;text-decoration:underline}
span.variant{border-bottom:1px dotted #999}
"""


def _redline_html(pair: ClausePair, show_variants: bool) -> str:
    if pair.status == "added":
        return f"<ins>{html.escape(pair.b_text)}</ins>"
    if pair.status == "removed":
        return f"<del>{html.escape(pair.a_text)}</del>"
    out = []
    for seg in pair.segments:
        if seg.op == "equal":
            out.append(html.escape(seg.b))
        elif seg.kind in ("variant", "format") and not show_variants:
            out.append(html.escape(seg.b))
        elif seg.kind in ("variant", "format"):
            out.append(f'<span class="variant" title="{html.escape(seg.a)}">{html.escape(seg.b)}</span>')
        else:
            if seg.a:
                out.append(f"<del>{html.escape(seg.a)}</del>")
            if seg.b:
                out.append(f"<ins>{html.escape(seg.b)}</ins>")
    return "".join(out)


def render_html(comparison: Comparison, *, changed_only: bool = False, show_variants: bool = False) -> str:
    """A self-contained redline page: deletions struck through, insertions underlined, summary on top."""
    a, b = comparison.a, comparison.b
    s = comparison.summary()
    rows = []
    for pair in visible_pairs(comparison, changed_only=changed_only):
        la, lb = pair.a_clause, pair.b_clause
        path = html.escape(f"{la or '—'} → {lb or '—'}")
        rel = f" ({pair.relation})" if pair.relation else ""
        rows.append(f'<div class="pair"><span class="path">{path}</span><span class="status {pair.status}">'
                    f"{pair.status}{rel}</span><div>{_redline_html(pair, show_variants)}</div></div>")
    status = "，".join(f"{k} {v}" for k, v in s["status"].items())
    kinds = "，".join(f"{k} {v}" for k, v in s["kind"].items())
    return f"""<!DOCTYPE html>
<html lang="zh"><head><meta charset="utf-8"><title>{html.escape(a.title)} ⇄ {html.escape(b.title)}</title>
<style>{_CSS}</style></head><body>
<h1>{html.escape(a.title)}（{html.escape(a.doc_number or a.id)}）<br>
⇄ {html.escape(b.title)}（{html.escape(b.doc_number or b.id)}）</h1>
<div class="summary"><p>Clauses: {html.escape(status)}</p><p>Changes: {html.escape(kinds)}</p>
<p><del>deleted</del> · <ins>inserted</ins> · text shown as in {html.escape(b.id)}</p></div>
{"".join(rows)}
</body></html>
"""


# --- Markdown ------------------------------------------------------------------------------------

def _md_escape(text: str) -> str:
    return text.replace("~", "\\~").replace("*", "\\*").replace("\n", " ")


def render_markdown(comparison: Comparison, *, changed_only: bool = False, show_variants: bool = False) -> str:
    a, b = comparison.a, comparison.b
    s = comparison.summary()
    lines = [f"## {a.title}（{a.doc_number or a.id}）⇄ {b.title}（{b.doc_number or b.id}）", "",
             "| status | count |", "|---|---|"]
    lines += [f"| {k} | {v} |" for k, v in s["status"].items()]
    lines += ["", f"Changes: {s['kind']['substantive']} substantive, {s['kind']['variant']} variant, "
              f"{s['kind']['format']} format. ~~deleted~~ **inserted**.", ""]
    for pair in visible_pairs(comparison, changed_only=changed_only):
        la, lb = pair.a_clause, pair.b_clause
        lines.append(f"### {la or '—'} → {lb or '—'} ({pair.status}{', ' + pair.relation if pair.relation else ''})")
        lines.append("")
        if pair.status == "added":
            lines.append(f"**{_md_escape(pair.b_text)}**")
        elif pair.status == "removed":
            lines.append(f"~~{_md_escape(pair.a_text)}~~")
        else:
            out = []
            for seg in pair.segments:
                if seg.op == "equal" or (seg.kind in ("variant", "format") and not show_variants):
                    out.append(_md_escape(seg.b))
                elif seg.kind in ("variant", "format"):
                    out.append(f"{_md_escape(seg.b)}[{_md_escape(seg.a)}]")
                else:
                    if seg.a.strip():
                        out.append(f"~~{_md_escape(seg.a)}~~")
                    if seg.b.strip():
                        out.append(f"**{_md_escape(seg.b)}**")
            lines.append("".join(out))
        lines.append("")
    return "\n".join(lines)
