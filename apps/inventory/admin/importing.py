"""Import in the admin: upload a CSV in `export_inventory`'s format, see the dry run (rows to
create and change, every error by line and column), then apply it.

The checks and the writes are importexport's (`build_plan`, `apply_plan`), the ones
`import_inventory` uses. The upload waits in the server's temporary directory between the
preview and the apply, named by a signed reference the preview form carries; the apply
checks the file again, so what is applied is what was checked."""

import tempfile
import uuid
from dataclasses import dataclass
from pathlib import Path

from django import forms
from django.contrib import messages
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse

from apps.tenancy.admin_base import visible_companies
from apps.tenancy.models import Company

from ..errors import StockError
from ..importexport.apply import apply_plan
from ..importexport.plan import Invalid, build_plan
from ..importexport.reading import FileFormatError, read_rows
from ..models import Door
from . import once
from .forms import describe_error

UPLOADS = Path(tempfile.gettempdir()) / "inventory-admin-imports"
MAX_BYTES = 20 * 1024 * 1024
PREVIEW_ROWS = 500
_SALT = "inventory.admin.import"


class UploadForm(forms.Form):
    company = forms.ModelChoiceField(queryset=Company.objects.none(), empty_label=None)
    file = forms.FileField(help_text="A CSV in export_inventory's format (an export, edited).")

    def __init__(self, *args, companies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["company"].queryset = companies

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(f"At most {MAX_BYTES // (1024 * 1024)} MB per import.")
        return upload


class _DryRun(Exception):
    def __init__(self, summary):
        self.summary = summary


@dataclass
class PreviewRow:
    line: int
    sku: str
    action: str  # create / change / unchanged
    counts: list[str]


def import_view(model_admin, request):
    if not model_admin.has_change_permission(request):
        raise PermissionDenied
    companies = visible_companies(request)
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.opts,
        "title": "Import stock from CSV",
        "has_view_permission": True,
        "media": model_admin.media,
        "changelist_url": reverse("admin:inventory_inventoryrecord_changelist"),
    }
    if request.method == "POST" and request.POST.get("step") == "apply":
        return _apply(request, companies) or HttpResponseRedirect(request.path)
    form = UploadForm(
        request.POST or None,
        request.FILES or None,
        companies=companies,
        initial={"company": companies.first()},
    )
    if request.method == "POST" and form.is_valid():
        company = form.cleaned_data["company"]
        name = form.cleaned_data["file"].name
        path = _store(form.cleaned_data["file"])
        context.update(_preview(company, path, name))
        context["reference"] = signing.dumps(
            {"file": path.name, "name": name, "company": company.pk, "user": request.user.pk},
            salt=_SALT,
        )
        context["once_field"], context["once_token"] = once.FIELD, once.issue()
        context["company"] = company
    context["form"] = form
    return TemplateResponse(request, "admin/inventory/import.html", context)


def _store(upload) -> Path:
    UPLOADS.mkdir(mode=0o700, exist_ok=True)
    path = UPLOADS / f"{uuid.uuid4().hex}.csv"
    with open(path, "wb") as handle:
        for chunk in upload.chunks():
            handle.write(chunk)
    return path


def _preview(company, path: Path, name: str) -> dict:
    """Check the file and play the import, then roll everything back."""
    try:
        with transaction.atomic():
            plan = build_plan(company, read_rows(path, "csv"))
            rows = _preview_rows(plan)
            raise _DryRun(apply_plan(plan, note=f"admin import {name}", door=Door.ADMIN))
    except _DryRun as dry:
        return {
            "summary": dry.summary,
            "rows": rows[:PREVIEW_ROWS],
            "more": len(rows) > PREVIEW_ROWS,
        }
    except Invalid as invalid:
        return {"errors": invalid.errors, "checked": invalid.rows}
    except FileFormatError as error:
        return {"file_error": str(error)}
    except UnicodeDecodeError:
        return {"file_error": "The file is not UTF-8 text (save it as CSV UTF-8)."}
    except StockError as error:
        return {"file_error": describe_error(error)}


def _preview_rows(plan) -> list[PreviewRow]:
    rows = []
    for p in sorted(plan.records.values(), key=lambda p: p.line):
        counts = []
        for code, (units, _) in sorted(p.counts.items()):
            before = p.current_levels.get(plan.locations[code].pk)
            if before != units:
                counts.append(f"{code}: {'none' if before is None else before} to {units}")
        if p.variant is None:
            action = "create"
        elif counts:
            action = "change"
        else:
            action = "unchanged"
        rows.append(PreviewRow(p.line, p.sku, action, counts))
    return rows


def _apply(request, companies):
    try:
        ref = signing.loads(request.POST.get("reference", ""), salt=_SALT, max_age=24 * 3600)
    except signing.BadSignature:
        messages.error(request, "This preview has expired: upload the file again.")
        return None
    company = companies.filter(pk=ref["company"]).first()
    path = UPLOADS / Path(ref["file"]).name
    if company is None or ref["user"] != request.user.pk:
        messages.error(request, "This preview has expired: upload the file again.")
        return None
    try:
        with transaction.atomic():
            once.claim(company=company, token=request.POST.get(once.FIELD))
            if not path.exists():
                raise FileFormatError("The preview has expired.")
            plan = build_plan(company, read_rows(path, "csv"))
            summary = apply_plan(
                plan, note=f"admin import {ref['name']}", door=Door.ADMIN, actor=request.user
            )
    except once.AlreadySubmitted as refused:
        messages.warning(request, refused.message)
        return HttpResponseRedirect(reverse("admin:inventory_inventoryrecord_changelist"))
    except (Invalid, FileFormatError, StockError) as error:
        # The stock moved since the preview: check again.
        detail = describe_error(error) if isinstance(error, StockError) else str(error)
        messages.error(request, f"Nothing was imported: {detail}. Upload the file again.")
        return None
    path.unlink(missing_ok=True)
    messages.success(request, f"Imported {ref['name']} into {company}: {summary}")
    return HttpResponseRedirect(reverse("admin:inventory_inventoryrecord_changelist"))
