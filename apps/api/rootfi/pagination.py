"""Keyset pagination: `{"data", "next", "prev"}` with opaque cursors over
(sort column, rootfi_id). A page deep in the set costs what the first does: no OFFSET, and
no COUNT unless `return_count=true`. A cursor carries the sort and the filters it was made
under; used with others it is refused."""

import hashlib
import re
from dataclasses import dataclass
from datetime import datetime

from django.core import signing
from django.db.models import F, Q
from django.db.models.fields.tuple_lookups import Tuple, TupleGreaterThan, TupleLessThan

from .errors import InvalidRequest

DEFAULT_LIMIT = 100
MAX_LIMIT = 1000
SORTABLE = ("rootfi_created_at", "rootfi_updated_at")
# Parameters that do not change which rows a list holds (nor their order).
PAGING_PARAMS = frozenset({"limit", "next", "prev", "return_count", "expand", "select"})
# Every list parameter that is not a filter (`sort[...]` aside).
CONTROL_PARAMS = PAGING_PARAMS | {"include_deleted_records"}
SALT = "rootfi.v4.cursor"
WHOLE_NUMBER = re.compile(r"-?[0-9]+")


@dataclass(frozen=True)
class Sort:
    column: str  # "id" (rootfi_id), or a SORTABLE column
    descending: bool

    @property
    def order(self) -> list[str]:
        sign = "-" if self.descending else ""
        if self.column == "id":
            return [f"{sign}id"]
        return [f"{sign}{self.column}", f"{sign}id"]


def parse_sort(params) -> Sort:
    given = [key for key in params if key.startswith("sort[") or key == "sort"]
    if not given:
        return Sort("id", False)
    if len(given) > 1:
        raise InvalidRequest(
            "Sort by one column at a time.", fields={key: "Only one sort." for key in given}
        )
    key = given[0]
    column = key[5:-1] if key.startswith("sort[") and key.endswith("]") else ""
    if column == "rootfi_id":
        column = "id"
    if column not in (*SORTABLE, "id"):
        raise InvalidRequest(
            f"Cannot sort by {column or key!r}; use sort[rootfi_created_at] or "
            "sort[rootfi_updated_at].",
            fields={key: "Unknown sort column."},
        )
    direction = (params.get(key) or "").strip().upper()
    if direction not in ("ASC", "DESC"):
        raise InvalidRequest("Sort direction is ASC or DESC.", fields={key: "Must be ASC or DESC."})
    return Sort(column, direction == "DESC")


def parse_limit(params) -> int:
    raw = params.get("limit")
    if raw is None:
        return DEFAULT_LIMIT
    text = raw.strip()
    if not WHOLE_NUMBER.fullmatch(text):  # int() would also take "٣" or "1_000"
        raise InvalidRequest(
            "limit must be a whole number.", fields={"limit": "Must be an integer."}
        )
    digits = text.lstrip("-").lstrip("0")
    limit = MAX_LIMIT if len(digits) > len(str(MAX_LIMIT)) else int(digits or "0")
    if limit < 1 or text.startswith("-"):
        raise InvalidRequest("limit must be at least 1.", fields={"limit": "Must be at least 1."})
    return min(limit, MAX_LIMIT)


def parse_flag(params, name: str) -> bool:
    if name not in params:
        return False
    raw = (params.get(name) or "").strip().lower()
    if raw in ("false", "0"):
        return False
    if raw in ("true", "1"):
        return True
    raise InvalidRequest(f"{name} must be true or false.", fields={name: "Must be true or false."})


def parse_select(params, allowed) -> frozenset | None:
    """`select=field1,field2`: the fields each object answers with (rootfi_id always), or
    None for every field."""
    if "select" not in params:
        return None
    raw = ",".join(params.getlist("select")) if hasattr(params, "getlist") else params["select"]
    names = {v.strip() for v in raw.split(",") if v.strip()}
    if not names:
        raise InvalidRequest(
            "select names the fields to answer with, e.g. select=sku,quantity.",
            fields={"select": "Empty."},
        )
    unknown = sorted(names - set(allowed))
    if unknown:
        raise InvalidRequest(
            f"Cannot select {', '.join(unknown)}; fields are {', '.join(allowed)}.",
            fields={"select": f"Unknown field {unknown[0]!r}."},
        )
    return frozenset(names | {"rootfi_id"})


def fingerprint(params) -> str:
    """What a cursor must agree with: every parameter that picks or orders rows."""
    pairs = sorted(
        (key, ",".join(params.getlist(key)) if hasattr(params, "getlist") else params[key])
        for key in params
        if key not in PAGING_PARAMS
    )
    return hashlib.sha256(repr(pairs).encode()).hexdigest()[:16]


def _key_of(row, sort: Sort) -> list:
    if sort.column == "id":
        return [None, row.pk]
    return [getattr(row, sort.column).isoformat(), row.pk]


def make_cursor(row, sort: Sort, scope: str, backwards: bool) -> str:
    return signing.dumps(
        {"k": _key_of(row, sort), "b": backwards, "s": scope}, salt=SALT, compress=True
    )


def read_cursor(token: str, name: str, scope: str) -> tuple[list, bool]:
    try:
        payload = signing.loads(token, salt=SALT)
    except signing.BadSignature:
        raise InvalidRequest("Invalid cursor.", fields={name: "Invalid cursor."}) from None
    if payload.get("s") != scope:
        raise InvalidRequest(
            "This cursor was made for another sort or other filters; send the same ones.",
            fields={name: "Cursor does not match the sort and filters."},
        )
    return payload["k"], payload["b"]


def _after(sort: Sort, key: list, backwards: bool):
    """Rows strictly after `key` in the walking direction. A row comparison,
    `(rootfi_updated_at, id) > (…, …)`, so PostgreSQL starts the index scan at the cursor
    (an OR of the two columns is only a filter: a page deep in the set scanned every row
    before it). Backends without row values get the OR form (Django's fallback)."""
    value, pk = key
    ascending = sort.descending == backwards
    if sort.column == "id":
        return Q(id__gt=pk) if ascending else Q(id__lt=pk)
    lookup = TupleGreaterThan if ascending else TupleLessThan
    return lookup(Tuple(F(sort.column), F("id")), (datetime.fromisoformat(value), pk))


@dataclass
class Page:
    rows: list
    next: str | None
    prev: str | None


def paginate(queryset, params, *, sort: Sort, limit: int, scope: str) -> Page:
    token_next, token_prev = params.get("next"), params.get("prev")
    if token_next and token_prev:
        raise InvalidRequest(
            "Send next or prev, not both.", fields={"prev": "Send next or prev, not both."}
        )
    name = "next" if token_next else "prev"
    token = token_next or token_prev
    backwards = False
    if token:
        key, backwards = read_cursor(token, name, scope)
        queryset = queryset.filter(_after(sort, key, backwards))
    order = sort.order
    if backwards:
        order = [o[1:] if o.startswith("-") else f"-{o}" for o in order]
    rows = list(queryset.order_by(*order)[: limit + 1])
    more = len(rows) > limit
    rows = rows[:limit]
    if backwards:
        rows.reverse()
    if not rows:
        return Page([], None, None)
    has_after = more if not backwards else True
    has_before = more if backwards else bool(token)
    return Page(
        rows,
        make_cursor(rows[-1], sort, scope, False) if has_after else None,
        make_cursor(rows[0], sort, scope, True) if has_before else None,
    )
