"""The feed's one write: shelf counts in, one `services.apply_changes` call, the answer out."""

from collections.abc import Sequence

from apps.inventory import services
from apps.inventory.errors import StockError
from apps.inventory.models import Door

from .errors import STOCK_ERROR_STATUS, FeedError
from .lookup import find_targets
from .parsing import Entry


def update_counts(*, company, entries: Sequence[Entry], listed: bool, actor) -> dict:
    """Set each entry's count at its store, all in one transaction, and answer in the feed's
    words: one object for an object body, `{"success": true, "results": [...]}` for a list."""
    targets = find_targets(company, entries, listed=listed)
    records = services.ensure_records(company=company, variants=[v for v, _ in targets])
    changes = [
        services.Count(records[variant.pk], store, entry.quantity)
        for entry, (variant, store) in zip(entries, targets, strict=True)
    ]
    try:
        result = services.apply_changes(
            company=company, changes=changes, door=Door.STOREFEED, actor=actor
        )
    except StockError as error:
        if not listed:
            raise
        raise _listed_error(error, changes) from None

    # Per entry, the count before it: a list may count one product at one store twice.
    on_hand = {key: before for key, (before, _after) in result.balances.items()}
    answers = []
    for change, (variant, store) in zip(changes, targets, strict=True):
        key = (change.record.pk, store.pk)
        answers.append(
            {
                "success": True,
                "sku": variant.sku or None,
                "upc": variant.upc or None,
                "store": store.store_code,
                "previous_quantity": on_hand[key],
                "quantity": change.count,
            }
        )
        on_hand[key] = change.count
    if listed:
        return {"success": True, "results": answers}
    return answers[0]


def _listed_error(error: StockError, changes: Sequence[services.Count]) -> FeedError:
    """The service judges a list's final figures together; its refusal names the record by
    SKU, so the first element counting that record leads the message."""
    status_code = STOCK_ERROR_STATUS.get(type(error), 400)
    failed = FeedError(status_code, error.message)
    sku = error.figures.get("sku")
    for index, change in enumerate(changes):
        if sku is not None and change.record.sku == sku:
            return failed.at(index)
    return failed
