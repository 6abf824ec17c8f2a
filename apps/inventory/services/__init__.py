"""The only code that changes a stock figure. Doors translate their words into these calls.

apply_changes(company=, changes=[Move|Count|Reserve|Fulfil, ...], door=, actor=, ...)
    the engine: one transaction, records locked by id, final figures judged, ledger rows
    with balances after, alerts and outbox events. Many changes: a few set-based queries.
receive / sell / refund / return_to_supplier / write_off / transfer / set_count /
reserve / release / fulfil
    one change each, through the engine.
update_settings / mark_discontinued / clear_discontinued / set_reorder /
start_tracking / stop_tracking
    record settings that can change the status (and so alerts), never a figure.
ensure_records / virtual_locations / default_store
    lookups the doors need before they can name a change.
"""

from .changes import Result, apply_changes
from .operations import (
    fulfil,
    receive,
    refund,
    release,
    reserve,
    return_to_supplier,
    sell,
    set_count,
    transfer,
    write_off,
)
from .play import Change, Count, Fulfil, Move, Reserve, movement_reason
from .records import default_store, ensure_records, virtual_locations
from .settings import (
    UNSET,
    clear_discontinued,
    mark_discontinued,
    set_reorder,
    start_tracking,
    stop_tracking,
    update_settings,
)

__all__ = [
    "UNSET",
    "Change",
    "Count",
    "Fulfil",
    "Move",
    "Reserve",
    "Result",
    "apply_changes",
    "clear_discontinued",
    "default_store",
    "ensure_records",
    "fulfil",
    "mark_discontinued",
    "movement_reason",
    "receive",
    "refund",
    "release",
    "reserve",
    "return_to_supplier",
    "sell",
    "set_count",
    "set_reorder",
    "start_tracking",
    "stop_tracking",
    "transfer",
    "update_settings",
    "virtual_locations",
    "write_off",
]
