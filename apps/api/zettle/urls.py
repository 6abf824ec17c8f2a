"""Zettle's Inventory API paths, each with and without a trailing slash. `{org}` is `self`
or the company's UUID; anything else under these prefixes is 404 in Zettle's shape."""

from django.urls import re_path

from . import subscriptions, views

ORG = r"^organizations/(?P<org>[^/]+)"
ID = r"[^/]+"

urlpatterns = [
    re_path(rf"{ORG}/locations/?$", views.LocationsView.as_view(), name="zettle-locations"),
    re_path(rf"{ORG}/inventory/?$", views.InventoryView.as_view(), name="zettle-inventory"),
    re_path(
        rf"{ORG}/inventory/products/?$",
        views.ProductBalancesView.as_view(),
        name="zettle-product-balances",
    ),
    re_path(
        rf"{ORG}/inventory/products/(?P<product>{ID})/?$",
        views.TrackedProductView.as_view(),
        name="zettle-tracked-product",
    ),
    re_path(rf"{ORG}/v2/inventory/bulk/?$", views.BulkView.as_view(), name="zettle-bulk"),
    re_path(
        rf"{ORG}/inventory/locations/?$",
        views.LocationTypeBalancesView.as_view(),
        name="zettle-location-type-balances",
    ),
    re_path(
        rf"{ORG}/inventory/locations/(?P<location>{ID})/?$",
        views.LocationBalancesView.as_view(),
        name="zettle-location-balances",
    ),
    re_path(
        rf"{ORG}/inventory/locations/(?P<location>{ID})/products/(?P<product>{ID})/?$",
        views.ProductLocationBalanceView.as_view(),
        name="zettle-product-location-balance",
    ),
    re_path(
        rf"{ORG}/subscriptions/?$",
        subscriptions.SubscriptionsView.as_view(),
        name="zettle-subscriptions",
    ),
    re_path(
        rf"{ORG}/subscriptions/(?P<subscription>{ID})/?$",
        subscriptions.OneSubscriptionView.as_view(),
        name="zettle-subscription",
    ),
    re_path(
        rf"{ORG}/subscriptions/uuid/(?P<subscription>{ID})/?$",
        subscriptions.SubscriptionByUuidView.as_view(),
        name="zettle-subscription-by-uuid",
    ),
    re_path(r"^inventory/?$", views.StoreBalancesView.as_view(), name="zettle-store-balances"),
    re_path(
        rf"^custom-low-stock/locations/(?P<location>{ID})/?$",
        views.LowStockView.as_view(),
        name="zettle-low-stock",
    ),
    re_path(
        rf"^custom-low-stock/locations/(?P<location>{ID})/delete/?$",
        views.LowStockBatchDeleteView.as_view(),
        name="zettle-low-stock-delete",
    ),
    re_path(
        rf"^custom-low-stock/locations/(?P<location>{ID})/products/(?P<product>{ID})"
        rf"/variants/(?P<variant>{ID})/?$",
        views.LowStockVariantView.as_view(),
        name="zettle-low-stock-variant",
    ),
    re_path(
        rf"^custom-low-stock/v2/locations/(?P<location>{ID})/?$",
        views.LowStockLocationReadView.as_view(),
        name="zettle-low-stock-location",
    ),
    re_path(
        rf"^custom-low-stock/v2/locations/(?P<location>{ID})/products/(?P<product>{ID})/?$",
        views.LowStockProductReadView.as_view(),
        name="zettle-low-stock-product",
    ),
    re_path(r"^(organizations|custom-low-stock)(/.*)?$", views.NotFoundView.as_view()),
]
