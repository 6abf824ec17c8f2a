"""The domain's refusals. Each carries the figures that explain it; every door maps these
to its own status code and error body in one place."""


class StockError(Exception):
    """Base of every refusal by the stock rules. Nothing was changed when one is raised.

    `index` is the position, in the engine request, of the change that failed (None when
    the refusal is not about one change); each door maps it to its own field path
    (`data[3].quantity`, `changes[2]`, `lines[5].quantity`). `record_id` and `location_id`
    name the row it is about."""

    code = "STOCK_ERROR"

    def __init__(
        self,
        message: str,
        *,
        field: str | None = None,
        index: int | None = None,
        record_id: int | None = None,
        location_id: int | None = None,
        **figures,
    ):
        super().__init__(message)
        self.message = message
        self.field = field
        self.index = index
        self.record_id = record_id
        self.location_id = location_id
        self.figures = figures

    def __str__(self):
        return self.message


class InsufficientStock(StockError):
    """Taking more out of a location than it holds, or the record below its reserved units."""

    code = "INSUFFICIENT_STOCK"


class ReservedAboveQuantity(StockError):
    """Reserving more than the record holds."""

    code = "RESERVED_ABOVE_QUANTITY"


class ProductNotTracked(StockError):
    code = "PRODUCT_NOT_TRACKED"


class UnknownLocation(StockError):
    code = "UNKNOWN_LOCATION"


class InvalidMovement(StockError):
    """A movement the rules do not allow (virtual to virtual, a non-positive quantity,
    releasing more than is reserved, a deleted record, ...)."""

    code = "INVALID_MOVEMENT"


class InvalidSetting(StockError):
    """A reorder figure or other record setting out of range."""

    code = "INVALID_SETTING"


class IdempotencyConflict(StockError):
    """An Idempotency-Key reused with a different request."""

    code = "IDEMPOTENCY_CONFLICT"


class StockHeld(StockError):
    """Deleting something (an item, a variant) that still holds stock or reservations."""

    code = "STOCK_HELD"


class LocationRequired(StockError):
    """An absolute count that does not say where: the record holds stock in several
    locations and none was named."""

    code = "LOCATION_REQUIRED"


class DuplicateValue(StockError):
    """A value unique per company among live records (platform_id) already in use."""

    code = "DUPLICATE_VALUE"


class RecordExists(StockError):
    """Creating a record for a variant that already has a live one."""

    code = "RECORD_EXISTS"
