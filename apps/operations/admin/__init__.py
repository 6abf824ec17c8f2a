"""The admin of stock operations: suppliers, purchase orders, transfers; and what the
record page and the reorder report use from them (hooks.py)."""

from .purchase_orders import PurchaseOrderAdmin, SupplierAdmin
from .transfers import TransferAdmin

__all__ = ["PurchaseOrderAdmin", "SupplierAdmin", "TransferAdmin"]
