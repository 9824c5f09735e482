"""The report as an .xlsx workbook for the accountant (xlsxwriter, imported only here).

One sheet, "Report": the title, the facts (period, shop, head), warnings, then each section
with a bold header. Money cells are numbers in rupees with an Indian-grouping number format;
text cells are written as strings (never formulas) and neutralised too. The month report's
day-by-day sales also get a native column chart; voided statement lines are struck through.

xlsx stores every number as an IEEE double (that is the file format); the exact Decimal rupee
value is converted only here, at the last edge, and two decimals always survive the trip.
"""

from __future__ import annotations

import io

from kirana.reports.layout import Layout, Money, Qty
from kirana.tabular import neutralise

INDIAN_MONEY = "[>=10000000]##\\,##\\,##\\,##0.00;[>=100000]##\\,##\\,##0.00;##,##0.00"


def xlsx_bytes(layout: Layout) -> bytes:
    import xlsxwriter

    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    bold = book.add_format({"bold": True})
    title = book.add_format({"bold": True, "font_size": 14})
    money = book.add_format({"num_format": INDIAN_MONEY})
    money_bold = book.add_format({"num_format": INDIAN_MONEY, "bold": True})
    italic = book.add_format({"italic": True})
    struck = book.add_format({"font_strikeout": True})
    money_struck = book.add_format({"num_format": INDIAN_MONEY, "font_strikeout": True})
    sheet = book.add_worksheet("Report")
    row = 0
    sheet.write_string(row, 0, neutralise(layout.title), title)
    row += 1
    for label, value in layout.facts:
        sheet.write_string(row, 0, label, bold)
        sheet.write_string(row, 1, neutralise(value))
        row += 1
    for warning in layout.warnings:
        sheet.write_string(row, 0, "Warning", bold)
        sheet.write_string(row, 1, neutralise(warning))
        row += 1
    chart_rows = None
    for section in layout.sections:
        row += 1
        sheet.write_string(row, 0, neutralise(section.title), title)
        row += 1
        for col, header in enumerate(section.header):
            sheet.write_string(row, col, neutralise(header), bold)
        row += 1
        if not section.rows:
            sheet.write_string(row, 0, section.empty, italic)
            row += 1
        first = row
        body = len(section.rows) - section.totals
        for index, cells in enumerate(section.rows):
            is_total, is_struck = index >= body, index in section.struck
            plain = bold if is_total else struck if is_struck else None
            for col, cell in enumerate(cells):
                if isinstance(cell, Money):
                    # exact Decimal rupees; xlsx itself stores every number as a double
                    style = money_bold if is_total else money_struck if is_struck else money
                    sheet.write_number(row, col, cell.rupees, style)
                elif isinstance(cell, Qty):
                    sheet.write_number(row, col, cell.value)
                elif isinstance(cell, int):
                    sheet.write_number(row, col, cell, plain)
                else:
                    sheet.write_string(row, col, neutralise(str(cell)), plain)
            row += 1
        if section.bar is not None and body:
            chart_rows = (first, first + body - 1, section.bar)
        if section.note:
            sheet.write_string(row, 0, neutralise(section.note), italic)
            row += 1
    sheet.set_column(0, 0, 44)
    sheet.set_column(1, 9, 16)
    if chart_rows and layout.chart_title:
        start, end, col = chart_rows
        chart = book.add_chart({"type": "column"})
        chart.add_series(
            {
                "name": layout.chart_title,
                "categories": ["Report", start, 0, end, 0],
                "values": ["Report", start, col, end, col],
            }
        )
        chart.set_legend({"none": True})
        chart.set_title({"name": layout.chart_title})
        sheet.insert_chart(start, 5, chart, {"x_scale": 1.6})
    book.close()
    return buffer.getvalue()
