"""What the operations' services share: locking the operation row, naming the failing line
of an engine refusal, who acted."""

from collections.abc import Callable, Sequence
from contextlib import contextmanager

from django.contrib.auth.models import AbstractBaseUser
from django.utils import timezone

from apps.inventory.errors import StockError
from apps.tenancy.models import ApiKey

from ..errors import InvalidOperation, InvalidState

# A door's precondition on the locked object (the native API's If-Match); raises to refuse.
Check = Callable[[object], None] | None


def lock(model, company, obj, check: Check = None):
    """The operation's row, locked for the rest of the transaction (so two actions on one
    order or transfer queue), with the door's precondition checked on it."""
    locked = model.objects.select_for_update().get(company=company, pk=obj.pk)
    if check is not None:
        check(locked)
    return locked


def refuse_unless(obj, allowed: Sequence[str], action: str) -> None:
    if obj.status not in allowed:
        raise InvalidState(
            f"{obj.number} is {obj.status}: it cannot be {action}.",
            field="status",
            status=obj.status,
        )


def need_lines(lines) -> None:
    if not lines:
        raise InvalidOperation("At least one line is needed.", field="lines")


def refuse_repeats(records) -> None:
    seen: dict[int, int] = {}
    for index, record in enumerate(records):
        if record.pk in seen:
            raise InvalidOperation(
                f"{record.sku or record.variant} is already on line {seen[record.pk]}.",
                field=f"lines[{index}]",
            )
        seen[record.pk] = index


def creator_fields(actor) -> dict:
    if isinstance(actor, ApiKey):
        return {"created_by_api_key": actor}
    if isinstance(actor, AbstractBaseUser) and actor.pk:
        return {"created_by": actor}
    return {}


def touch(obj, *fields: str) -> None:
    obj.updated_at = timezone.now()
    obj.save(update_fields=[*fields, "updated_at"])


@contextmanager
def naming_lines(line_of_change: Sequence[int]):
    """An engine refusal's `.index` is the position of the failing change; the operation's
    callers speak of lines. Re-point it to the line."""
    try:
        yield
    except StockError as exc:
        if exc.index is not None and 0 <= exc.index < len(line_of_change):
            exc.index = line_of_change[exc.index]
        raise
