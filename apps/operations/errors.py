"""Refusals of the operations' own rules (states, over-receipt, more than in transit).
Like the engine's, each carries its figures and names the field it is about; nothing was
changed when one is raised. Each door maps them to its own shape in one place."""


class OperationError(Exception):
    code = "operation-refused"
    status = 409  # the operation's state (409); InvalidOperation is the client's input (400)

    def __init__(self, message: str, *, field: str | None = None, **figures):
        super().__init__(message)
        self.message = message
        self.field = field
        self.figures = figures

    def __str__(self):
        return self.message


class InvalidState(OperationError):
    """The action does not apply in the object's status (receiving a closed order)."""

    code = "invalid-state"


class OverReceipt(OperationError):
    """Receiving more than a line's outstanding quantity without allow_over_receipt."""

    code = "over-receipt"


class NotInTransit(OperationError):
    """Receiving more of a transfer line than is in transit."""

    code = "not-in-transit"


class InvalidOperation(OperationError):
    """Input the rules refuse (a line not on the order, two equal locations)."""

    code = "invalid-request"
    status = 400


class OperationsHeld(OperationError):
    """Deleting a variant that open order lines or units in transit still name."""

    code = "operations-held"
