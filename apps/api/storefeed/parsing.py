"""The feed's request words: `{upc, store, quantity}` or `{sku, size, width, store, quantity}`,
alone or in a JSON list, read into `Entry` values or refused in the feed's words.

`width` may be absent or empty (apparel has none; retailers' feeds send `"width": ""`). It
is missing only when it tells the variants of that SKU and size apart, which the lookup
decides; a missing `store` or `quantity` of such an entry waits for that decision, since the
feed names the first missing field in the order sku, size, width, store, quantity."""

import math
import re
from dataclasses import dataclass
from typing import Any

from apps.api.common import enforce_object_limit
from apps.inventory.models import MAX_UNITS

from .errors import FeedError, bad_request

# The largest count a stock figure can hold (a 32-bit integer column).
MAX_QUANTITY = MAX_UNITS  # the one bound of a stock figure
DIGITS = re.compile(r"[0-9]+")


@dataclass(frozen=True)
class Entry:
    """One shelf count: a product named by `upc` (when given) or by `sku`, `size` and
    `width`, at the store whose code is `store`."""

    store: str
    quantity: int
    upc: str = ""
    sku: str = ""
    size: str = ""
    width: str = ""  # "" when absent or empty: see lookup
    # The entry's refusal of `store` or `quantity`, raised after the lookup has decided
    # whether the absent width was missing (that refusal would come first).
    deferred: FeedError | None = None

    @property
    def product(self) -> str:
        """The product as the client named it, for messages."""
        if self.upc:
            return f"upc {self.upc}"
        if not self.width:
            return f"sku {self.sku}, size {self.size}"
        return f"sku {self.sku}, size {self.size}, width {self.width}"


def read_body(body: Any) -> tuple[list[Entry], bool]:
    """The entries of a request body and whether it was a list. Every element is read before
    anything is looked up; the first refusal carries its element's index."""
    if isinstance(body, dict):
        return [read_entry(body)], False
    if isinstance(body, list):
        enforce_object_limit(len(body))
        entries = []
        for index, element in enumerate(body):
            try:
                entries.append(read_entry(element))
            except FeedError as error:
                raise error.at(index) from None
            if entries[-1].deferred:
                # This entry fails (on its width or its deferred field) whatever follows it;
                # the lookup says which, after the entries before it.
                break
        return entries, True
    raise bad_request("The request body must be a JSON object or a list of JSON objects.")


def read_entry(data: Any) -> Entry:
    if not isinstance(data, dict):
        raise bad_request("Each inventory update must be a JSON object.")
    upc = _text(data, "upc")
    if upc is not None:
        for name in ("sku", "size", "width"):
            _text(data, name)  # not needed beside a UPC, but refused if it is not text
        return Entry(upc=upc, store=_required_text(data, "store"), quantity=_quantity(data))
    sku, size = _required_text(data, "sku"), _required_text(data, "size")
    width = _text(data, "width") or ""
    try:
        store, quantity = _required_text(data, "store"), _quantity(data)
    except FeedError as error:
        if width:
            raise
        return Entry(sku=sku, size=size, store="", quantity=0, deferred=error)
    return Entry(sku=sku, size=size, width=width, store=store, quantity=quantity)


def _required_text(data: dict, name: str) -> str:
    value = _text(data, name)
    if value is None:
        raise missing(name)
    return value


def missing(name: str, detail: str = "") -> FeedError:
    return bad_request(f"Missing required field: {name}" + (f" ({detail})" if detail else ""))


def _text(data: dict, name: str) -> str | None:
    """A text field, trimmed; a JSON number is read as its text. None when absent, null or
    blank."""
    value = data.get(name)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        raise bad_request(f"Invalid {name}: must be text.")
    if isinstance(value, float):
        value = int(value) if value.is_integer() else value
    text = str(value).strip()
    if "\x00" in text:
        # PostgreSQL text cannot hold NUL: refused here rather than as a database error.
        raise bad_request(f"Invalid {name}: must not contain NUL characters.")
    return text or None


def _quantity(data: dict) -> int:
    value = data.get("quantity")
    if value is None:
        raise missing("quantity")
    if isinstance(value, bool):
        raise _bad_quantity()
    if isinstance(value, float):
        if not math.isfinite(value) or not value.is_integer():
            raise bad_request("Invalid quantity: must be a whole number of units.")
        value = int(value)
    elif isinstance(value, str):
        digits = value.strip()
        if digits.startswith("-") and DIGITS.fullmatch(digits[1:]):
            raise _negative_quantity()
        if not DIGITS.fullmatch(digits):
            raise _bad_quantity()
        if len(digits.lstrip("0")) > len(str(MAX_QUANTITY)):
            raise _quantity_too_large()
        value = int(digits)
    elif not isinstance(value, int):
        raise _bad_quantity()
    if value < 0:
        raise _negative_quantity()
    if value > MAX_QUANTITY:
        raise _quantity_too_large()
    return value


def _bad_quantity() -> FeedError:
    return bad_request("Invalid quantity: must be an integer or a string of digits.")


def _negative_quantity() -> FeedError:
    return bad_request("Invalid quantity: cannot be negative.")


def _quantity_too_large() -> FeedError:
    return bad_request(f"Invalid quantity: at most {MAX_QUANTITY}.")
