"""Reports computed by replaying the log: the month report and the GST report.

`month.py` and `gst.py` build render-free data (dataclasses) from a ledger; `tax.py` is the one
place for GST arithmetic; `layout.py` turns report data into titled sections of typed cells;
`render*.py` turn those into table, csv, json, md, xlsx and html. Nothing here imports Typer,
and Rich / xlsxwriter are imported only inside the functions that draw with them.
"""
