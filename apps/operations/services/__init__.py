"""The operations' services: every function that changes an order or a transfer, each one
transaction with at most one engine call (apps.inventory.services.apply_changes).

Purchase orders: find_or_create_supplier, create_purchase_order, update_purchase_order,
open_purchase_order, receive_purchase_order, cancel_purchase_order.
Transfers: create_transfer, update_transfer, ship_transfer, receive_transfer,
close_transfer, cancel_transfer.
Deletion guard: holds_open_operations(variants)."""

from .guards import holds_open_operations, refuse_if_held
from .numbers import next_number
from .purchasing import (
    OrderLine,
    Receipt,
    cancel_purchase_order,
    create_purchase_order,
    find_or_create_supplier,
    open_purchase_order,
    receive_purchase_order,
    update_purchase_order,
)
from .transfers import (
    TransferItem,
    cancel_transfer,
    close_transfer,
    create_transfer,
    receive_transfer,
    ship_transfer,
    update_transfer,
)

__all__ = [
    "OrderLine",
    "Receipt",
    "TransferItem",
    "cancel_purchase_order",
    "cancel_transfer",
    "close_transfer",
    "create_purchase_order",
    "create_transfer",
    "find_or_create_supplier",
    "holds_open_operations",
    "next_number",
    "open_purchase_order",
    "receive_purchase_order",
    "receive_transfer",
    "refuse_if_held",
    "ship_transfer",
    "update_purchase_order",
    "update_transfer",
]
