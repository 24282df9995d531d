"""Reading an uploaded CSV or XLSX file into a header and numbered rows, whatever wrote it."""

import csv
import io
import zipfile
from dataclasses import dataclass
from datetime import date, datetime

from django.utils.translation import gettext as _
from openpyxl import load_workbook

MAX_BYTES = 10 * 1024 * 1024
MAX_ROWS = 20_000
# Chinese Excel saves "CSV" in GB18030 (or its subset GBK); everything else writes UTF-8.
ENCODINGS = ["utf-8-sig", "gb18030"]
ENCODING_CHOICES = ["auto", "utf-8", "gb18030"]

Cell = str | datetime | date


class UnreadableFile(ValueError):
    """The file as a whole cannot be read: wrong type, too big, damaged or empty."""


@dataclass(frozen=True)
class Table:
    headers: list[str]
    # (the row number a spreadsheet shows, the cells of that row)
    rows: list[tuple[int, list[Cell]]]
    encoding: str = ""


def check_size(size: int) -> None:
    if size > MAX_BYTES:
        raise UnreadableFile(
            _("The file is larger than %(limit)s MB; split it into several files.")
            % {"limit": MAX_BYTES // (1024 * 1024)}
        )


def read_table(content: bytes, filename: str, *, encoding: str = "auto") -> Table:
    check_size(len(content))
    name = filename.lower()
    if name.endswith(".xlsx"):
        return _read_xlsx(content)
    if name.endswith(".csv") or name.endswith(".txt"):
        return _read_csv(content, encoding)
    raise UnreadableFile(_("Upload a .csv or .xlsx file."))


def _cell(value) -> Cell:
    if value is None:
        return ""
    if isinstance(value, datetime | date):
        return value
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _table(records, encoding: str = "") -> Table:
    headers: list[str] | None = None
    rows = []
    for number, record in enumerate(records, start=1):
        cells = [_cell(value) for value in record]
        if headers is None:
            if not any(cells):
                continue  # blank lines above the header
            headers = [str(cell) for cell in cells]
            continue
        if not any(cells):
            continue
        rows.append((number, cells))
        if len(rows) > MAX_ROWS:
            raise UnreadableFile(
                _("The file has more than %(limit)s rows; split it into several files.")
                % {"limit": MAX_ROWS}
            )
    if headers is None:
        raise UnreadableFile(_("The file is empty: the first row must hold the column headers."))
    return Table(headers=headers, rows=rows, encoding=encoding)


def _decode(content: bytes, encoding: str) -> tuple[str, str]:
    candidates = ENCODINGS if encoding == "auto" else [encoding]
    for candidate in candidates:
        if candidate == "utf-8":
            candidate = "utf-8-sig"
        try:
            return content.decode(candidate), candidate.removesuffix("-sig")
        except (UnicodeDecodeError, LookupError):
            continue
    raise UnreadableFile(
        _("The file is not in the chosen encoding; save it as UTF-8 CSV or choose GB18030.")
    )


def _read_csv(content: bytes, encoding: str) -> Table:
    text, used = _decode(content, encoding)
    if "\x00" in text:
        raise UnreadableFile(_("The file is not a text CSV file."))
    # Excel writes ";" where the decimal mark is a comma, and some tools write tabs: the header
    # line says which one this file uses.
    header_line = text.lstrip("\r\n").split("\n", 1)[0]
    delimiter = max([",", ";", "\t"], key=header_line.count)
    try:
        return _table(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter), used)
    except csv.Error as error:
        raise UnreadableFile(_("The CSV file is damaged: %(error)s") % {"error": error}) from None


def _read_xlsx(content: bytes) -> Table:
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError):
        raise UnreadableFile(_("The file is not a readable XLSX workbook.")) from None
    try:
        return _table(workbook.worksheets[0].iter_rows(values_only=True))
    finally:
        workbook.close()
