"""The record page's forms. They translate the staff's words (a new count, a signed change,
a reason) into one service call; the stock rules stay in the service, and a refusal comes
back as a form error carrying the service's figures."""

from django import forms
from django.db.models import F, OuterRef, Subquery

from apps.locations.models import Location

from .. import services
from ..errors import StockError
from ..models import Door, Reason, StockLevel

# A signed change names its other end by its reason: stock comes from or goes to the
# company's virtual locations, as the design's movement table says.
INCOMING = {Reason.RECEIPT: "supplier", Reason.REFUND: "sold", Reason.COUNT: "supplier"}
OUTGOING = {
    Reason.SALE: "sold",
    Reason.WRITEOFF: "bin",
    Reason.SUPPLIER_RETURN: "supplier",
    Reason.COUNT: "bin",
}
ADJUST_REASONS = [
    (Reason.COUNT.value, "Count (stocktake)"),
    (Reason.RECEIPT.value, "Receipt from supplier"),
    (Reason.SALE.value, "Sale"),
    (Reason.REFUND.value, "Refund / customer return"),
    (Reason.WRITEOFF.value, "Write-off (damaged, lost)"),
    (Reason.SUPPLIER_RETURN.value, "Return to supplier"),
]


def signed_change(record, location, change: int, reason: str, virtual) -> services.Move:
    """A signed change at a store as a movement: its other end is the virtual location the
    reason names (+5 received comes from the supplier, -2 written off goes to the bin)."""
    if change > 0:
        return services.Move(record, getattr(virtual, INCOMING[reason]), location, change, reason)
    return services.Move(record, location, getattr(virtual, OUTGOING[reason]), -change, reason)


def reason_fits(change: int, reason: str) -> str | None:
    """Why `reason` cannot carry a signed `change`, or None when it can."""
    if change > 0 and reason not in INCOMING:
        return f"A {reason} takes stock out; use a negative change."
    if change < 0 and reason not in OUTGOING:
        return f"A {reason} brings stock in; use a positive change."
    return None


def describe_error(error: StockError) -> str:
    figures = ", ".join(f"{k.replace('_', ' ')}: {v}" for k, v in error.figures.items())
    return f"{error.message} ({figures})" if figures else error.message


class AdjustStockForm(forms.Form):
    location = forms.ModelChoiceField(queryset=Location.objects.none(), empty_label=None)
    new_count = forms.IntegerField(
        required=False, min_value=0, help_text="The units now on the shelf at this location."
    )
    change = forms.IntegerField(
        required=False, help_text="Or a signed change: +5 received, -2 written off."
    )
    reason = forms.ChoiceField(choices=ADJUST_REASONS, initial=Reason.COUNT)
    note = forms.CharField(max_length=500, required=False)

    def __init__(self, *args, record, **kwargs):
        super().__init__(*args, **kwargs)
        self.record = record
        self.fields["location"].queryset = Location.objects.live().filter(
            company_id=record.company_id, kind=Location.Kind.STORE
        )
        # Preselect where the record's stock is (most units first), else the default store:
        # after a count at the back room, the next sale is most likely there too.
        self.fields["location"].initial = (
            self.fields["location"]
            .queryset.annotate(
                held=Subquery(
                    StockLevel.objects.filter(record=record, location=OuterRef("pk")).values(
                        "on_hand"
                    )[:1]
                )
            )
            .order_by(F("held").desc(nulls_last=True), "-is_default", "id")
            .values_list("pk", flat=True)
            .first()
        )

    def clean(self):
        data = super().clean()
        count, change = data.get("new_count"), data.get("change")
        reason = data.get("reason")
        if "new_count" in self.errors or "change" in self.errors:
            return data  # the field's own error says what is wrong
        if count is None and change is None:
            raise forms.ValidationError("Give a new count or a signed change.")
        if count is not None and change is not None:
            raise forms.ValidationError("Give either a new count or a signed change, not both.")
        if change == 0:
            self.add_error("change", "A change of 0 changes nothing.")
        elif count is not None and reason != Reason.COUNT:
            self.add_error("reason", "A new count is recorded as a count.")
        elif change is not None and reason_fits(change, reason):
            self.add_error("reason", reason_fits(change, reason))
        return data

    def save(self, *, actor) -> services.Result | None:
        """Apply the adjustment; on a refusal by the stock rules, add it as a form error and
        return None (nothing was written)."""
        data = self.cleaned_data
        company = self.record.company
        context = {"door": Door.ADMIN, "actor": actor, "note": data.get("note", "")}
        try:
            if data.get("new_count") is not None:
                return services.set_count(
                    company=company,
                    record=self.record,
                    location=data["location"],
                    count=data["new_count"],
                    **context,
                )
            move = signed_change(
                self.record,
                data["location"],
                data["change"],
                data["reason"],
                services.virtual_locations(company),
            )
            return services.apply_changes(company=company, changes=[move], **context)
        except StockError as error:
            self.add_error(
                error.field if error.field in self.fields else None, describe_error(error)
            )
            return None


class RecordSettingsForm(forms.Form):
    reorder_level = forms.IntegerField(required=False, min_value=0)
    reorder_quantity = forms.IntegerField(
        required=False,
        min_value=0,
        help_text="Empty: suggest twice the reorder level less the quantity.",
    )
    is_trackable = forms.BooleanField(required=False, label="Track stock")
    is_discontinued = forms.BooleanField(required=False, label="Discontinued")

    def __init__(self, *args, record, **kwargs):
        kwargs.setdefault(
            "initial",
            {
                "reorder_level": record.reorder_level,
                "reorder_quantity": record.reorder_quantity,
                "is_trackable": record.is_trackable,
                "is_discontinued": record.is_discontinued,
            },
        )
        super().__init__(*args, **kwargs)
        self.record = record

    def save(self, *, actor=None):
        try:
            if hasattr(services, "Settings"):
                # The engine's Settings change writes the history with who and which door.
                return services.apply_changes(
                    company=self.record.company,
                    changes=[services.Settings(self.record, **self.cleaned_data)],
                    door=Door.ADMIN,
                    actor=actor,
                ).records
            return services.update_settings(
                company=self.record.company, records=[self.record], **self.cleaned_data
            )
        except StockError as error:
            self.add_error(
                error.field if error.field in self.fields else None, describe_error(error)
            )
            return None
