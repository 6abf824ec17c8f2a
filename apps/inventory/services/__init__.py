"""The only code that changes a stock figure. Doors translate their words into these calls.

apply_changes(company=, changes=[...], door=, actor=, note=, external_id=, reference=)
    the engine: one request, one transaction, each record locked once in id order, the final
    state judged once, set-based writes; answers a Result with every figure a door renders.
    The changes (play.py): NewRecord, Move, Count (as_of a ledger position), SetTotal,
    Reserve, SetReserved, Fulfil, Settings, Details, Place. A refusal is a StockError whose
    `index` names the change that failed.
receive / sell / refund / return_to_supplier / write_off / transfer / set_count /
reserve / release / fulfil
    one change each, through the engine.
update_settings / mark_discontinued / clear_discontinued / set_reorder /
start_tracking / stop_tracking / ensure_records / set_figures
    the same engine, named for what a door or command asks.
ledger_positions / virtual_locations / default_store
    lookups the doors need before they can name a change.
"""

from ..models import MAX_UNITS
from .changes import Result, apply_changes
from .figures import figure_changes, set_figures
from .operations import (
    fulfil,
    ledger_positions,
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
from .play import (
    UNSET,
    Change,
    Count,
    Details,
    Fulfil,
    Move,
    NewRecord,
    Place,
    Reserve,
    SetReserved,
    Settings,
    SetTotal,
    movement_reason,
    status_of,
)
from .records import default_store, ensure_records, virtual_locations
from .settings import (
    clear_discontinued,
    mark_discontinued,
    set_reorder,
    start_tracking,
    stop_tracking,
    update_settings,
)

__all__ = [
    "MAX_UNITS",
    "UNSET",
    "Change",
    "Count",
    "Details",
    "Fulfil",
    "Move",
    "NewRecord",
    "Place",
    "Reserve",
    "Result",
    "SetReserved",
    "SetTotal",
    "Settings",
    "apply_changes",
    "clear_discontinued",
    "default_store",
    "ensure_records",
    "figure_changes",
    "fulfil",
    "ledger_positions",
    "mark_discontinued",
    "movement_reason",
    "receive",
    "refund",
    "release",
    "reserve",
    "return_to_supplier",
    "sell",
    "set_count",
    "set_figures",
    "set_reorder",
    "start_tracking",
    "status_of",
    "stop_tracking",
    "transfer",
    "update_settings",
    "virtual_locations",
    "write_off",
]
