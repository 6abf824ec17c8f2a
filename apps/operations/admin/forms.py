"""The admin's create forms: a location, a supplier by name, lines typed or pasted."""

from django import forms

from apps.locations.models import Location
from apps.tenancy.admin_base import scope

from ..models import Supplier
from .once import TOKEN_FIELD
from .pasted import resolve

LINES_HELP = (
    "One line per item: SKU or UPC, a comma, the quantity (a bare code counts 1, so a "
    "scanner can fill this box). Paste SKU,quantity rows from a spreadsheet as they are."
)


def stores(request):
    return scope(request, Location.objects.live().filter(kind=Location.Kind.STORE)).order_by(
        "company__name", "name"
    )


class LinesForm(forms.Form):
    lines = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 10, "cols": 40, "placeholder": "TEE-M-BLK,12"}),
        help_text=LINES_HELP,
    )

    def company(self):
        raise NotImplementedError

    def clean(self):
        cleaned = super().clean()
        if "lines" in cleaned and not self.errors:
            try:
                cleaned["resolved"] = resolve(self.company(), cleaned["lines"])
            except forms.ValidationError as error:
                self.add_error("lines", error)
        return cleaned


class PurchaseOrderForm(LinesForm):
    location = forms.ModelChoiceField(queryset=Location.objects.none(), label="Receive at")
    supplier = forms.CharField(
        max_length=200,
        help_text="An existing supplier's name, or a new one.",
        widget=forms.TextInput(attrs={"list": "suppliers", "autocomplete": "off"}),
    )
    reference = forms.CharField(max_length=100, required=False)
    expected_at = forms.DateField(
        required=False, label="Expected on", widget=forms.DateInput(attrs={"type": "date"})
    )
    place = forms.BooleanField(
        required=False,
        initial=True,
        label="Place the order now",
        help_text="Unticked, it stays a draft: not yet counted as incoming.",
    )
    field_order = ["location", "supplier", "reference", "expected_at", "lines", "place"]

    def __init__(self, *args, request, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["location"].queryset = stores(request)
        self.suppliers = scope(request, Supplier.objects.all()).order_by("name")[:500]

    def company(self):
        location = self.cleaned_data.get("location")
        if location is None:
            raise forms.ValidationError("Choose where the order will be received first.")
        return location.company


class TransferForm(LinesForm):
    from_location = forms.ModelChoiceField(queryset=Location.objects.none(), label="From")
    to_location = forms.ModelChoiceField(queryset=Location.objects.none(), label="To")
    reference = forms.CharField(max_length=100, required=False)
    field_order = ["from_location", "to_location", "reference", "lines"]

    def __init__(self, *args, request, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("from_location", "to_location"):
            self.fields[name].queryset = stores(request)

    def company(self):
        origin = self.cleaned_data.get("from_location")
        if origin is None:
            raise forms.ValidationError("Choose where the transfer leaves from first.")
        return origin.company

    def clean(self):
        cleaned = super().clean()
        origin, destination = cleaned.get("from_location"), cleaned.get("to_location")
        if origin and destination:
            if origin.pk == destination.pk:
                self.add_error("to_location", "Choose another location than the origin.")
            elif origin.company_id != destination.company_id:
                self.add_error("to_location", "Both locations belong to one company.")
        return cleaned


def token_input(token: str) -> str:
    return f'<input type="hidden" name="{TOKEN_FIELD}" value="{token}">'
