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
    # A product counted for the first time gets its record in the same engine call.
    records = {v.pk: services.NewRecord(v) for v, _ in targets}
    changes = [
        services.Count(records[variant.pk], store, entry.quantity)
        for entry, (variant, store) in zip(entries, targets, strict=True)
    ]
    try:
        result = services.apply_changes(
            company=company,
            changes=[*records.values(), *changes],
            door=Door.STOREFEED,
            actor=actor,
        )
    except StockError as error:
        if not listed:
            raise
        raise _listed_error(error, len(records)) from None

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


def _listed_error(error: StockError, offset: int) -> FeedError:
    """A refusal names the change that failed; the element it came from leads the message
    (the first `offset` changes name the records)."""
    failed = FeedError(STOCK_ERROR_STATUS.get(type(error), 400), error.message)
    if error.index is not None and error.index >= offset:
        return failed.at(error.index - offset)
    return failed
