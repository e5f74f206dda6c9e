"""Downloads of tables as CSV or a spreadsheet (openpyxl), shared by the audit log and the register."""

from __future__ import annotations

import csv
from collections.abc import Sequence
from io import BytesIO

from django.http import HttpResponse
from openpyxl import Workbook

FORMATS = ("csv", "xlsx")
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

Cell = str | int | float
Sheet = tuple[str, Sequence[Sequence[Cell]]]


def safe_cell(value: Cell) -> Cell:
    """Spreadsheet apps run text starting with = + - @ as a formula: neutralise it."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return "'" + value
    return value


def table_download(*, filename: str, fmt: str, sheets: Sequence[Sheet]) -> HttpResponse:
    """A download of `sheets` (title, rows with the header first). CSV holds the first sheet only."""
    if fmt == "csv":
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        writer = csv.writer(response)
        writer.writerows([[safe_cell(v) for v in row] for row in sheets[0][1]])
    else:
        workbook = Workbook(write_only=True)
        for title, rows in sheets:
            sheet = workbook.create_sheet(title[:31])  # Excel's limit on a sheet name
            for row in rows:
                sheet.append([safe_cell(v) for v in row])
        buffer = BytesIO()
        workbook.save(buffer)
        response = HttpResponse(buffer.getvalue(), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    return response
