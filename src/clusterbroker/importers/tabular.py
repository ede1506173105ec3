"""Read and write tables as CSV, XLSX and JSON, independent of what the rows mean."""

import csv
import io
import json
import re
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
# A number or phone number may start with + or -; anything else starting like a
# formula is refused on import (formula injection into later spreadsheets).
PLAIN_SIGNED = re.compile(r"[+-][\d\s().,/-]*")
MAX_ROWS = 100_000


class TableError(ValueError):
    """The file cannot be read as a table at all (wrong format, encoding, no header)."""


@dataclass(frozen=True)
class Table:
    """A table read from a file: its header and its rows with their line numbers in the file."""

    source: str
    header: list[str]
    rows: list[tuple[int, dict[str, str]]]


def read_table(name: str, content: bytes) -> Table:
    """Read a CSV or XLSX file; the format is chosen by the file name's extension."""
    suffix = Path(name).suffix.lower()
    if suffix == ".csv":
        return _read_csv(name, content)
    if suffix == ".xlsx":
        return _read_xlsx(name, content)
    raise TableError(
        _("%(name)s: unsupported file type “%(suffix)s”; use .csv or .xlsx.")
        % {"name": name, "suffix": suffix or "none"}
    )


def _read_csv(name: str, content: bytes) -> Table:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise TableError(
            _("%(name)s: not UTF-8 text (byte %(byte)s); save the file as CSV UTF-8.")
            % {"name": name, "byte": error.start}
        ) from error
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        raise TableError(
            _("%(name)s: line %(line)s holds a NUL character; save the file as plain CSV text.")
            % {"name": name, "line": line}
        )
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text), dialect)
    return _table(name, enumerate(reader, start=1))


def _read_xlsx(name: str, content: bytes) -> Table:
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as error:
        raise TableError(
            _("%(name)s: not a readable XLSX workbook (%(error)s).")
            % {"name": name, "error": error}
        ) from error
    sheet = workbook.worksheets[0]
    rows = (
        (number, ["" if cell is None else str(cell) for cell in values])
        for number, values in enumerate(sheet.iter_rows(values_only=True), start=1)
    )
    return _table(name, rows)


def _table(name: str, numbered_rows: Iterable[tuple[int, list[str]]]) -> Table:
    iterator = iter(numbered_rows)
    header: list[str] = []
    for _number, values in iterator:
        if any(v.strip() for v in values):
            header = [v.strip().lower() for v in values]
            break
    if not header:
        raise TableError(
            _("%(name)s: the file is empty; the first row must name the columns.") % {"name": name}
        )
    rows, formulas = [], []
    for number, values in iterator:
        if not any(str(v).strip() for v in values):
            continue
        if len(rows) >= MAX_ROWS:
            raise TableError(
                _("%(name)s: more than %(limit)s rows; split the file.")
                % {"name": name, "limit": f"{MAX_ROWS:,}"}
            )
        padded = list(values) + [""] * (len(header) - len(values))
        row = {h: str(v).strip() for h, v in zip(header, padded, strict=False) if h}
        formulas.extend((number, h, v) for h, v in row.items() if looks_like_formula(v))
        rows.append((number, row))
    if formulas:
        cells = "; ".join(
            _("row %(row)s, column “%(column)s”: “%(value)s”")
            % {"row": n, "column": h, "value": v[:40]}
            for n, h, v in formulas[:5]
        )
        raise TableError(
            _(
                "%(name)s: %(count)s cell(s) start like a spreadsheet formula, which is not "
                "imported (%(cells)s). Remove the leading = + - or @."
            )
            % {"name": name, "count": len(formulas), "cells": cells}
        )
    return Table(source=name, header=header, rows=rows)


def looks_like_formula(value: str) -> bool:
    """True for text that a spreadsheet would run: =…, @…, or +/- not followed by a number."""
    if not value:
        return False
    if value[0] in "=@":
        return True
    return value[0] in "+-" and not PLAIN_SIGNED.fullmatch(value)


def neutralise(value: object) -> object:
    """Make a cell safe for spreadsheets: text starting like a formula is quoted."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def write_csv(columns: list[str], rows: Iterable[dict]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(columns)
    for row in rows:
        writer.writerow([neutralise(_cell(row.get(c))) for c in columns])
    return out.getvalue().encode("utf-8-sig")


# What a workbook's sheet name may not hold (a translated title such as "KPI:t ...").
SHEET_NAME_FORBIDDEN = re.compile(r"[\\/*?:\[\]]")


def sheet_name(title: str, fallback: str = "-") -> str:
    """A title as a sheet name: without the characters a workbook refuses in one (nor an
    apostrophe at either end) and at most 31 characters long; `fallback` if nothing is left."""
    return SHEET_NAME_FORBIDDEN.sub("", str(title)).strip(" '")[:31].strip(" '") or fallback


def write_xlsx(columns: list[str], rows: Iterable[dict], title: str = "Export") -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(sheet_name(title, "Export"))
    sheet.append(columns)
    for row in rows:
        sheet.append([neutralise(_xlsx_text(_cell(row.get(c)))) for c in columns])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _xlsx_text(value: object) -> object:
    """Control characters cannot be stored in a spreadsheet cell: they are left out."""
    return ILLEGAL_CHARACTERS_RE.sub("", value) if isinstance(value, str) else value


def write_json(columns: list[str], rows: Iterable[dict]) -> bytes:
    records = [{c: row.get(c) for c in columns} for row in rows]
    return json.dumps(records, ensure_ascii=False, indent=2, default=str).encode("utf-8")


def _cell(value: object) -> object:
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        return "; ".join(str(v) for v in value)
    return value if isinstance(value, int | float) else str(value)


WRITERS = {"csv": write_csv, "xlsx": write_xlsx, "json": write_json}
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "json": "application/json",
}


def write_table(fmt: str, columns: list[str], rows: Iterable[dict]) -> bytes:
    """Write rows in one of the formats of `WRITERS`."""
    if fmt not in WRITERS:
        raise ValueError(f"unknown export format {fmt!r}")
    return WRITERS[fmt](columns, list(rows))
