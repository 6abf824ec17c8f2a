"""Refusals of the count workflow (stock refusals stay the engine's StockError)."""


class CountError(Exception):
    """A count request the workflow refuses; nothing was written. `field` names what was
    wrong, `index` the position of the entry it is about (the door maps it to its path)."""

    status = 400

    def __init__(self, message: str, *, field: str | None = None, index: int | None = None):
        super().__init__(message)
        self.message = message
        self.field = field
        self.index = index


class CountNotOpen(CountError):
    """Entering, applying or cancelling a count that was applied or cancelled."""

    status = 409


class NotCountable(CountError):
    """An item that cannot be counted: deleted, or its stock is not tracked."""


class UnknownCode(CountError):
    """A scanned code that names no item of the company."""

    status = 404
