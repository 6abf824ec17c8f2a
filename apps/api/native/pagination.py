"""Keyset pagination for native lists: `{"results": [...], "next": "<cursor>" | null}`,
newest first (by primary key, descending), `limit` (default 50, at most 500) and `cursor`.
A cursor is opaque and signed, and carries the filters it was made under: used with other
filters it is refused (400), so a page never silently changes what it lists. A page costs
the same deep in the set as at its start (no OFFSET, no COUNT)."""

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.core import signing

from .problems import invalid

DEFAULT_LIMIT = 50
MAX_LIMIT = 500
PAGING_PARAMS = frozenset({"limit", "cursor"})
SALT = "native.v1.cursor"


@dataclass
class Page:
    rows: list
    next: str | None


def check_params(params, allowed: Iterable[str]) -> None:
    """A typo in a parameter must never answer the whole list: unknown ones are 400."""
    known = set(allowed) | PAGING_PARAMS
    for name in params:
        if name not in known:
            raise invalid(name, f"Unknown parameter; use one of {', '.join(sorted(known))}.")


def parse_limit(params) -> int:
    raw = params.get("limit")
    if raw is None:
        return DEFAULT_LIMIT
    if not (raw.isascii() and raw.isdigit()) or int(raw) < 1:
        raise invalid("limit", f"A whole number from 1 to {MAX_LIMIT}.")
    return min(int(raw), MAX_LIMIT)


def parse_choices(params, name: str, choices: Sequence[str]) -> list[str]:
    """A filter given as a comma list (`status=open,partially_received`), each a choice."""
    raw = ",".join(params.getlist(name)) if hasattr(params, "getlist") else params.get(name, "")
    values = [v.strip().lower() for v in raw.split(",") if v.strip()]
    for value in values:
        if value not in choices:
            raise invalid(name, f"{value!r} is not one of {', '.join(choices)}.")
    return values


def _scope(params) -> str:
    pairs = sorted(
        (key, ",".join(params.getlist(key)) if hasattr(params, "getlist") else params[key])
        for key in params
        if key not in PAGING_PARAMS
    )
    return hashlib.sha256(repr(pairs).encode()).hexdigest()[:16]


def paginate(queryset, params, *, key: str = "id") -> Page:
    """The page of `queryset` (already filtered) that `params` ask for, newest first along
    the unique integer column `key`."""
    limit = parse_limit(params)
    scope = _scope(params)
    token = params.get("cursor")
    if token:
        try:
            payload = signing.loads(token, salt=SALT)
        except signing.BadSignature:
            raise invalid("cursor", "Not a cursor this API gave.") from None
        if payload.get("s") != scope:
            raise invalid("cursor", "This cursor was made under other filters; send the same.")
        queryset = queryset.filter(**{f"{key}__lt": payload["k"]})
    rows = list(queryset.order_by(f"-{key}")[: limit + 1])
    more = len(rows) > limit
    rows = rows[:limit]
    following = (
        signing.dumps({"k": getattr(rows[-1], key), "s": scope}, salt=SALT) if more else None
    )
    return Page(rows, following)
