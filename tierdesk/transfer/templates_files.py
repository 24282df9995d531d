"""The template workbook of each import kind: its header row and one example row."""

from io import BytesIO

from openpyxl import Workbook
from openpyxl.styles import Font

from tierdesk.transfer.columns import COLUMNS


def template_workbook(kind: str, language: str) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = kind
    columns = COLUMNS[kind]
    sheet.append([column.header(language) for column in columns])
    sheet.append([column.example for column in columns])
    for cell, column in zip(sheet[1], columns, strict=True):
        cell.font = Font(bold=column.required)
        sheet.column_dimensions[cell.column_letter].width = max(14, len(column.example) * 2)
    sheet.freeze_panes = "A2"
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
