"""The refused rows of a run as a file to fix: the file's own columns, as it had them,
and one more, "Error", saying what to fix on that line."""

from collections import defaultdict
from collections.abc import Iterator
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .export_columns import TEXT, Column
from .models import ImportRun
from .runner import read_run


def refused_rows(run: ImportRun) -> tuple[list[Column], Iterator[list[str]]]:
    sheet, index = read_run(run)
    problems: dict[int, list[str]] = defaultdict(list)
    for refusal in run.refusals:
        where = f"{refusal['column']}: " if refusal.get("column") else ""
        problems[int(refusal["line"])].append(f"{where}{refusal['message']}")
    width = max([len(run.headers), *(len(cells) for _line, cells in sheet.rows)], default=0)
    headers = [*run.headers, *[""] * (width - len(run.headers))]
    columns = [Column(header, TEXT, _cell(i)) for i, header in enumerate(headers)]
    columns.append(Column(gettext_lazy("Error"), TEXT, lambda row: row[-1]))

    def rows() -> Iterator[list[str]]:
        for line, cells in sheet.rows[index + 1 :]:
            if line in problems:
                padded = [*cells, *[""] * (width - len(cells))]
                yield [*padded, " · ".join(problems[line]) or _("Refused")]

    return columns, rows()


def _cell(index: int) -> Any:
    return lambda row: row[index]
