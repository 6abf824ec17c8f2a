"""The admin's form to start a count."""

import re
from urllib.parse import urlsplit

from django import forms

from apps.locations.models import Location

SCOPES = [
    ("all", "All of it: every item with stock recorded there"),
    ("skus", "These SKUs"),
    ("inventory", "The items of a filter of the inventory list"),
]


class StartCountForm(forms.Form):
    location = forms.ModelChoiceField(queryset=Location.objects.none())
    scope = forms.ChoiceField(
        choices=SCOPES, initial="all", required=False, widget=forms.RadioSelect
    )
    skus = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="One SKU (or UPC) a line, or separated by commas.",
    )
    inventory = forms.CharField(
        required=False,
        label="Inventory list filter",
        help_text="Filter the inventory list, then paste its address (or the part after ?).",
    )
    blind = forms.BooleanField(
        required=False, initial=True, help_text="Counters do not see the book figures."
    )
    note = forms.CharField(required=False, max_length=500)
    # Records chosen with the inventory list's action.
    records = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, locations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["location"].queryset = locations

    def clean(self):
        data = super().clean()
        data["scope"] = data.get("scope") or "all"
        if data.get("records"):
            data["scope"] = "records"
        elif data.get("scope") == "skus" and not self.codes():
            self.add_error("skus", "Name at least one SKU.")
        elif data.get("scope") == "inventory" and not self.inventory_query():
            self.add_error("inventory", "Paste the address of a filtered inventory list.")
        return data

    def codes(self) -> list[str]:
        raw = self.cleaned_data.get("skus") or ""
        return list(dict.fromkeys(c for c in re.split(r"[\s,;]+", raw) if c))

    def inventory_query(self) -> str:
        raw = (self.cleaned_data.get("inventory") or "").strip()
        return urlsplit(raw).query if "?" in raw else raw.lstrip("?")

    def record_ids(self) -> list[int]:
        return [int(x) for x in (self.cleaned_data.get("records") or "").split(",") if x.isdigit()]
