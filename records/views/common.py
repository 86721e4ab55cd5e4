"""Helpers shared by the records' views."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator
from typing import Any

from django.http import HttpRequest, StreamingHttpResponse

from hls_forum.spreadsheet import csv_cell


class _Echo:
    def write(self, value: str) -> str:
        return value


def posted(request: HttpRequest) -> Any:
    """Form data for a POST (even an empty one, so it is validated), None for a GET."""
    return request.POST if request.method == "POST" else None


def csv_response(filename: str, header: list[str], rows: Iterable[list[Any]]) -> Any:
    """A CSV download whose every cell is safe to open in a spreadsheet (``csv_cell``)."""

    def lines() -> Iterator[str]:
        writer = csv.writer(_Echo())
        yield writer.writerow(header)
        for row in rows:
            yield writer.writerow([csv_cell(value) for value in row])

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
