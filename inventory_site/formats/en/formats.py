"""One date format across the admin (issue 14): every list, page and export writes a moment
as 2026-11-25 14:05 and a day as 2026-11-25, instead of Django's "Nov. 25, 2026, 2:05 p.m."
beside the ledger's ISO dates. Input formats stay Django's."""

DATETIME_FORMAT = "Y-m-d H:i"
SHORT_DATETIME_FORMAT = "Y-m-d H:i"
DATE_FORMAT = "Y-m-d"
SHORT_DATE_FORMAT = "Y-m-d"
