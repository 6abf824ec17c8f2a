"""The one JSON parser of every door: depth, encoding and text are checked here, so a body
nested thousands deep or carrying text that is not Unicode is the client's 400 in each door's
shape, never a RecursionError or a UnicodeEncodeError deep in a lookup."""

import json
import re
from typing import Any

from rest_framework.exceptions import ParseError, ValidationError
from rest_framework.parsers import JSONParser

# Deeper than any door's body (RootFi's `data[].addresses[]` is 3); Python's json recurses per
# level and, in a gunicorn thread's smaller stack, fails between 800 and 950.
MAX_JSON_DEPTH = 32

# A JSON string (escapes included) or one bracket: brackets inside strings do not count.
_TOKENS = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"|[\[\]{}]', re.DOTALL)


class InvalidText(ValidationError):
    """A string of the body that cannot be stored as text, naming where it is."""

    def __init__(self, field: str, message: str):
        super().__init__({field: [message]})
        self.field = field
        self.message = message


def nested_too_deep(raw: bytes, limit: int = MAX_JSON_DEPTH) -> bool:
    """Whether the raw body opens more than `limit` arrays or objects inside each other,
    found without parsing (so without recursion)."""
    if raw.count(b"[") + raw.count(b"{") <= limit:
        return False
    depth = 0
    for token in _TOKENS.finditer(raw):
        char = token.group()
        if char in (b"[", b"{"):
            depth += 1
            if depth > limit:
                return True
        elif char in (b"]", b"}"):
            depth -= 1
    return False


def text_problem(text: str) -> str | None:
    """Why `text` cannot be stored, or None. A lone surrogate (`"\\ud800"`) is valid JSON but
    not Unicode; PostgreSQL text cannot hold NUL."""
    if "\x00" in text:
        return "must not contain NUL characters."
    if not text.isascii():
        try:
            text.encode("utf-8")
        except UnicodeEncodeError:
            return "is not valid Unicode text (a lone surrogate)."
    return None


def check_text(value: Any, path: str = "") -> None:
    """Raise InvalidText for the first string (key or value) of `value` that cannot be
    stored, named by its path (`data[0].item_id`)."""
    if isinstance(value, str):
        problem = text_problem(value)
        if problem:
            raise InvalidText(path or "body", problem)
    elif isinstance(value, dict):
        for key, item in value.items():
            name = f"{path}.{key}" if path else key
            problem = text_problem(key)
            if problem:
                raise InvalidText(path or "body", f"a key {problem}")
            check_text(item, name)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            check_text(item, f"{path}[{index}]")


def _no_constants(name: str):
    raise ValueError(f"{name} is not valid JSON")


def parse_json(raw: bytes) -> Any:
    if nested_too_deep(raw):
        raise ParseError(f"JSON nested deeper than {MAX_JSON_DEPTH} levels.")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        raise ParseError(f"Body is not UTF-8: {error.reason} at byte {error.start}.") from None
    try:
        data = json.loads(text, parse_constant=_no_constants)
    except ValueError as error:  # JSONDecodeError, and integers above Python's digit limit
        raise ParseError(f"JSON parse error - {error}") from None
    check_text(data)
    return data


class SafeJSONParser(JSONParser):
    """DRF's JSONParser with the checks above; every door's views use it."""

    def parse(self, stream, media_type=None, parser_context=None):
        return parse_json(stream.read())
