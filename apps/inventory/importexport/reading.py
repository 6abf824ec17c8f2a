"""Read the rows of an import file, each with the line it starts on.

CSV: the first line names the columns; text cells lose the leading apostrophe export adds
against spreadsheet formulas. JSON: an array of objects (what export writes); numbers may
be numbers or strings. Either way every value comes back as text ("" when blank)."""

import csv
import json
from collections.abc import Iterator
from dataclasses import dataclass, field

from .columns import COLUMNS, TEXT_COLUMNS, unescape_cell


class FileFormatError(ValueError):
    """The file as a whole cannot be read (not a row error)."""


@dataclass
class Row:
    line: int
    values: dict[str, str]
    # Columns the row carries: a column left out changes nothing; a blank cell clears.
    present: frozenset[str] = field(default_factory=frozenset)


def read_rows(path, fmt: str) -> Iterator[Row]:
    if fmt == "csv":
        return _read_csv(path)
    if fmt == "json":
        return _read_json(path)
    raise FileFormatError(f"Unknown format {fmt!r}: use csv or json.")


def guess_format(path: str) -> str:
    return "json" if str(path).lower().endswith(".json") else "csv"


def _check_columns(names, where: str) -> None:
    unknown = [name for name in names if name not in COLUMNS]
    if unknown:
        raise FileFormatError(
            f"{where}: unknown column(s) {', '.join(map(repr, unknown))}; "
            f"the columns are {', '.join(COLUMNS)}."
        )


def _read_csv(path) -> Iterator[Row]:
    with open(path, newline="", encoding="utf-8-sig") as handle:
        reader = csv.reader(handle)
        try:
            header = next(reader)
        except StopIteration:
            raise FileFormatError("The file is empty.") from None
        names = [name.strip().lower() for name in header]
        _check_columns(names, "line 1")
        if "sku" not in names:
            raise FileFormatError("line 1: the column 'sku' is required.")
        present = frozenset(names)
        width = len(names)
        line = reader.line_num + 1
        for cells in reader:
            start, line = line, reader.line_num + 1
            if not any(cell.strip() for cell in cells):
                continue
            if len(cells) != width:
                raise FileFormatError(
                    f"line {start}: {len(cells)} cells where the header names {width} columns."
                )
            values = {}
            for name, cell in zip(names, cells, strict=True):
                cell = cell.strip()
                values[name] = unescape_cell(cell) if name in TEXT_COLUMNS else cell
            yield Row(start, values, present)


def _read_json(path) -> Iterator[Row]:
    with open(path, encoding="utf-8-sig") as handle:
        text = handle.read()
    decoder = json.JSONDecoder()
    position = _skip_space(text, 0)
    if position >= len(text) or text[position] != "[":
        raise FileFormatError("line 1: a JSON import is an array of objects ([{...}, ...]).")
    position = _skip_space(text, position + 1)
    line, counted = 1, 0
    first = True
    while position < len(text) and text[position] != "]":
        if not first:
            if text[position] != ",":
                raise FileFormatError(f"line {_line(text, position)}: expected ',' or ']'.")
            position = _skip_space(text, position + 1)
        first = False
        line += text.count("\n", counted, position)
        counted = position
        try:
            obj, position = decoder.raw_decode(text, position)
        except json.JSONDecodeError as error:
            raise FileFormatError(f"line {error.lineno}: invalid JSON ({error.msg}).") from None
        if not isinstance(obj, dict):
            raise FileFormatError(f"line {line}: each element is an object of columns.")
        names = [str(key).strip().lower() for key in obj]
        _check_columns(names, f"line {line}")
        values = {name: _text(value) for name, value in zip(names, obj.values(), strict=True)}
        yield Row(line, values, frozenset(names))
        position = _skip_space(text, position)
    if position >= len(text):
        raise FileFormatError(f"line {_line(text, position)}: the array is not closed with ']'.")


def _skip_space(text: str, position: int) -> int:
    while position < len(text) and text[position] in " \t\r\n":
        position += 1
    return position


def _line(text: str, position: int) -> int:
    return text.count("\n", 0, position) + 1


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value)) if abs(value) < 1e15 else repr(value)
    if isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, str):
        return value.strip()
    return json.dumps(value)
