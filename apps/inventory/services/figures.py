"""Absolute figures, as the RootFi door writes them: "the record holds 45, 5 reserved".

`set_figures` is one engine call: with a location, the quantity is the count at that
location (seed 000 pairs `quantity` with `warehouse_location`) and the record's total
follows; without one it is the record's new total, counted at the one location where the
record is (`play.count_location`); the reserved figure is one reserve or release."""

from apps.locations.models import Location

from .changes import Result, apply_changes
from .play import UNSET, Count, SetReserved, SetTotal


def figure_changes(record, *, quantity=UNSET, reserved_quantity=UNSET, location=None) -> list:
    """The engine changes that bring `record` to these absolute figures."""
    changes = []
    if quantity is not UNSET:
        changes.append(
            Count(record, location, quantity)
            if location is not None
            else SetTotal(record, quantity)
        )
    if reserved_quantity is not UNSET:
        changes.append(SetReserved(record, reserved_quantity))
    return changes


def set_figures(
    *,
    company,
    record,
    quantity=UNSET,
    reserved_quantity=UNSET,
    location: Location | None = None,
    door: str,
    actor=None,
    external_id: str = "",
    note: str = "",
) -> Result:
    return apply_changes(
        company=company,
        changes=figure_changes(
            record, quantity=quantity, reserved_quantity=reserved_quantity, location=location
        ),
        door=door,
        actor=actor,
        external_id=external_id,
        note=note,
    )
