"""The staff's admin for stock: records, their page, the ledger, the reorder report.

Importing the modules registers their ModelAdmins with the default admin site."""

from . import ledger, records  # noqa: F401
