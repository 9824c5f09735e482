"""The report as one self-contained, printable HTML page with an inline SVG bar chart.

No scripts, no external files: styles are inline in <style>, the chart is <svg>. Every piece
of text goes through `esc`: control and bidi characters made visible (kirana.safe_text), then
HTML-escaped. A UPI pay link (a statement's) is drawn as a QR code too (segno, inline SVG). Voided statement lines (class "void") are struck through.
"""

from __future__ import annotations

from html import escape

from kirana.i18n import language, tr
from kirana.money import format_rupees
from kirana.reports.layout import Layout, Section
from kirana.safe_text import visible

STYLE = """
body { font-family: system-ui, sans-serif; margin: 2em; color: #111; }
h1 { font-size: 1.5em; margin-bottom: .3em; }
h2 { font-size: 1.1em; margin: 1.4em 0 .4em; }
dl.facts { display: grid; grid-template-columns: max-content auto; gap: .2em 1em; }
dl.facts dt { font-weight: bold; }
dl.facts dd { margin: 0; word-break: break-all; }
table { border-collapse: collapse; min-width: 40%; }
th, td { border: 1px solid #bbb; padding: .25em .6em; }
th { background: #eee; text-align: left; }
td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
tr.total td { font-weight: bold; border-top: 2px solid #555; }
tr.void td { text-decoration: line-through; color: #777; }
p.warning { background: #fff3cd; border: 1px solid #e0c36c; padding: .4em .6em; }
p.note, p.empty { color: #555; font-style: italic; }
svg text { font-size: 10px; fill: #333; }
figure.qr { margin: 1em 0; } figure.qr figcaption { font-size: .85em; word-break: break-all; }
@media print { body { margin: 0; } h2 { break-after: avoid; } table { break-inside: avoid; } }
"""


def esc(value: object) -> str:
    """Text for the page: hidden characters made visible, then HTML-escaped (quotes too)."""
    return escape(visible(str(value)))


def svg_chart(points: list[tuple[str, int]], title: str) -> str:
    """A bar per point (label, paise); heights scaled to the largest value."""
    pad, height = 30, 220
    step = max(12, 700 // max(len(points), 1))
    width = 2 * pad + step * len(points)
    top = max((value for _, value in points), default=0)
    plot = height - 2 * pad
    parts = [
        (
            f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
            f'viewBox="0 0 {width} {height}" role="img" aria-label="{esc(title)}">'
        ),
        f"<title>{esc(title)}</title>",
        (
            f'<line x1="{pad}" y1="{height - pad}" x2="{width - pad}" y2="{height - pad}" '
            'stroke="#555"/>'
        ),
        f'<text x="{pad}" y="{pad - 12}">max {esc(format_rupees(top))}</text>',
    ]
    for index, (label, value) in enumerate(points):
        bar = plot * value // top if top > 0 and value > 0 else 0  # integer geometry
        x = pad + index * step
        parts.append(
            f'<rect x="{x + step // 6}" y="{height - pad - bar}" width="{step * 2 // 3}" '
            f'height="{bar}" fill="#2b6cb0">'
            f"<title>{esc(label)}: {esc(format_rupees(value))}</title></rect>"
        )
        parts.append(
            f'<text x="{x + step // 2}" y="{height - pad + 14}" '
            f'text-anchor="middle">{esc(label)}</text>'
        )
    parts.append("</svg>")
    return "\n".join(parts)


def _section(section: Section) -> str:
    out = [f"<h2>{esc(section.title)}</h2>"]
    if not section.rows:
        out.append(f'<p class="empty">{esc(section.empty)}</p>')
        return "\n".join(out)
    right = section.right_aligned()
    out.append("<table><thead><tr>")
    out += [f"<th>{esc(h)}</th>" for h in section.header]
    out.append("</tr></thead><tbody>")
    body = len(section.rows) - section.totals
    for index, row in enumerate(section.rows):
        if index >= body:
            out.append('<tr class="total">')
        else:
            out.append('<tr class="void">' if index in section.struck else "<tr>")
        for col, cell in enumerate(row):
            css = ' class="num"' if col in right else ""
            out.append(f"<td{css}>{esc(cell)}</td>")
        out.append("</tr>")
    out.append("</tbody></table>")
    if section.note:
        out.append(f'<p class="note">{esc(section.note)}</p>')
    return "\n".join(out)


def qr_figure(link: str) -> str:
    """The link as a QR code (segno, inline SVG) that a UPI app scans, with the link under it."""
    import segno

    svg = segno.make(link, error="m").svg_inline(scale=4, title=tr("Pay by UPI"))
    scan = esc(tr("Scan with any UPI app to pay:"))
    return (
        f'<figure class="qr">{svg}<figcaption>{scan} '
        f'<a href="{esc(link)}">{esc(link)}</a></figcaption></figure>'
    )


def html_text(layout: Layout) -> str:
    out = [
        "<!DOCTYPE html>",
        f'<html lang="{language()}"><head><meta charset="utf-8">',
        f"<title>{esc(layout.title)}</title>",
        f"<style>{STYLE}</style></head><body>",
        f"<h1>{esc(layout.title)}</h1>",
        '<dl class="facts">',
    ]
    for label, value in layout.facts:
        out.append(f"<dt>{esc(label)}</dt><dd>{esc(value)}</dd>")
    out.append("</dl>")
    for warning in layout.warnings:
        out.append(f'<p class="warning"><strong>Warning:</strong> {esc(warning)}</p>')
    if layout.qr:
        out.append(qr_figure(layout.qr))
    for section in layout.sections:
        out.append(_section(section))
        if section.bar is not None and layout.chart:
            out.append(f"<figure>{svg_chart(layout.chart, layout.chart_title)}</figure>")
    out.append("</body></html>")
    return "\n".join(out) + "\n"
