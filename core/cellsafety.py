"""Spreadsheet formula injection (SEC-06): text that citizens or officers typed must not become a live formula when an
export is opened in Excel or LibreOffice (``=HYPERLINK(...)`` leaking the neighbouring cells, ``=cmd|...``).

Every export passes its cells through here: CSV cells starting with =, +, -, @, tab or carriage return get a leading
apostrophe (the OWASP advice; spreadsheets hide it), and xlsx cells are stored as explicit strings (openpyxl would
store "=..." as a formula). Numbers and dates are left alone.
"""

from __future__ import annotations

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value):
    """The CSV cell for ``value``: text that a spreadsheet would read as a formula gets a leading apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def neutralise_workbook(workbook) -> None:
    """Store every text cell of ``workbook`` as a string, never as a formula (the text itself is kept as typed)."""
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if isinstance(cell.value, str) and cell.value.startswith(FORMULA_STARTS):
                    cell.data_type = "s"
