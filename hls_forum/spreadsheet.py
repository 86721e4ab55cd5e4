"""Cells for CSV files that people open in a spreadsheet."""

from __future__ import annotations

import datetime
import decimal
import json
from typing import Any

# A cell starting with one of these would run as a formula in a spreadsheet (CSV injection).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: Any) -> str:
    """Plain text for one cell: nothing for ``None``, JSON for structured values, ISO 8601
    for dates, and a leading quote on any text a spreadsheet would run as a formula.

    Numbers are written as they are: a negative number is not a formula."""
    if value is None:
        return ""
    if isinstance(value, bool | int | float | decimal.Decimal):
        return str(value)
    if isinstance(value, dict | list):
        text = json.dumps(value, default=str, ensure_ascii=False)
    elif isinstance(value, datetime.date):
        text = value.isoformat()
    else:
        text = str(value)
    return "'" + text if text.startswith(FORMULA_START) else text
