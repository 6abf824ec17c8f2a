"""What every admin page here builds on: company scoping for staff and a paginator that
never counts a big table.

A staff user belongs to companies through `Company.staff`; every list, form, lookup,
autocomplete, action, export and report shows them only those companies' rows. Superusers
see everything. Django's model permissions still decide what a user may do; the companies
decide to which rows."""

import json
from functools import cached_property

from django.contrib import admin
from django.core.paginator import Paginator
from django.db import connections

from .models import Company

_CACHE_ATTR = "_admin_company_ids"


def company_ids(request) -> list[int] | None:
    """The ids of the companies the user may see, or None for all (superusers)."""
    user = request.user
    if user.is_superuser:
        return None
    cached = getattr(request, _CACHE_ATTR, None)
    if cached is None:
        cached = list(Company.objects.filter(staff=user).values_list("id", flat=True))
        setattr(request, _CACHE_ATTR, cached)
    return cached


def scope(request, queryset, company_field: str = "company"):
    """`queryset` restricted to the user's companies along `company_field`."""
    ids = company_ids(request)
    if ids is None:
        return queryset
    return queryset.filter(**{f"{company_field}__in": ids})


def visible_companies(request):
    """The companies a picker or filter offers: the user's, active ones only (an inactive
    company's rows stay visible; it is just no longer offered as a choice)."""
    return scope(request, Company.objects.filter(is_active=True), "id")


def only_company(request) -> Company | None:
    """The user's company when they belong to exactly one active company (superusers: None)."""
    ids = company_ids(request)
    if ids is None:
        return None
    active = list(Company.objects.filter(pk__in=ids, is_active=True)[:2])
    return active[0] if len(active) == 1 else None


def _company_path(model) -> str | None:
    if model is Company:
        return "id"
    names = {f.name for f in model._meta.get_fields()}
    return "company" if "company" in names else None


class EstimatedCountPaginator(Paginator):
    """Counts exactly up to `exact_limit` rows (a bounded subquery), beyond that asks
    PostgreSQL's planner for an estimate: a changelist over ten million rows costs what one
    over a thousand does. `is_estimate` tells the template to say "about"."""

    exact_limit = 1000

    @cached_property
    def count(self) -> int:
        queryset = self.object_list
        bounded = queryset.order_by()[: self.exact_limit + 1].count()
        self.is_estimate = False
        if bounded <= self.exact_limit:
            return bounded
        estimate = _planner_estimate(queryset)
        if estimate is None:
            # Other databases (SQLite in development) are small: count them.
            return queryset.count()
        self.is_estimate = True
        return max(estimate, bounded)

    is_estimate = False


def _planner_estimate(queryset) -> int | None:
    connection = connections[queryset.db]
    if connection.vendor != "postgresql":
        return None
    sql, params = queryset.order_by().query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}", params)
        plan = cursor.fetchone()[0]
    if isinstance(plan, str):
        plan = json.loads(plan)
    return int(plan[0]["Plan"]["Plan Rows"])


class CompanyFilter(admin.SimpleListFilter):
    """The company list filter, offering only the user's companies."""

    title = "company"
    parameter_name = "company"
    company_field = "company"

    def lookups(self, request, model_admin):
        return [(str(c.pk), c.name) for c in visible_companies(request)]

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(**{f"{self.company_field}_id": self.value()})
        return queryset


class CompanyScopedAdmin(admin.ModelAdmin):
    """A ModelAdmin whose rows, FK choices and actions are limited to the user's companies.

    `company_field` is the path from the model to its company ("company", or e.g.
    "record__company")."""

    company_field = "company"
    paginator = EstimatedCountPaginator
    show_full_result_count = False
    # "Show counts" would COUNT every filter choice over the whole table (a million records,
    # ten million ledger rows): not on these lists.
    show_facets = admin.ShowFacets.NEVER

    def get_queryset(self, request):
        return scope(request, super().get_queryset(request), self.company_field)

    def changelist_view(self, request, extra_context=None):
        # A list's columns and its filters fill 1366 px (issue 14: no column cut off); the
        # menu is one click away (Home), not a 300 px column beside every list.
        extra_context = {"is_nav_sidebar_enabled": False, **(extra_context or {})}
        return super().changelist_view(request, extra_context)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        path = _company_path(db_field.related_model)
        if path is not None and "queryset" not in kwargs:
            related = db_field.related_model._default_manager.all()
            if db_field.related_model is Company:
                related = related.filter(is_active=True)
            kwargs["queryset"] = scope(request, related, path)
        formfield = super().formfield_for_foreignkey(db_field, request, **kwargs)
        only = only_company(request) if db_field.related_model is Company else None
        if formfield is not None and only is not None:
            # A staff user of one company does not choose among companies: theirs is set.
            formfield.empty_label = None
            formfield.initial = only.pk
        return formfield

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        path = _company_path(db_field.related_model)
        if path is not None and "queryset" not in kwargs:
            related = db_field.related_model._default_manager.all()
            kwargs["queryset"] = scope(request, related, path)
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def get_list_filter(self, request):
        filters = list(super().get_list_filter(request))
        ids = company_ids(request)
        if ids is None or len(ids) > 1:
            filters.append(self.company_filter())
        return filters

    def company_filter(self):
        return type("ScopedCompanyFilter", (CompanyFilter,), {"company_field": self.company_field})

    def has_module_permission(self, request):
        return super().has_module_permission(request) and (
            request.user.is_superuser or bool(company_ids(request))
        )


class ScopedInlineMixin:
    """FK choices of inline rows limited to the user's companies."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        path = _company_path(db_field.related_model)
        if path is not None and "queryset" not in kwargs:
            related = db_field.related_model._default_manager.all()
            kwargs["queryset"] = scope(request, related, path)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)
