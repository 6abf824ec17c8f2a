"""RootFi / Commenda V4 routes, each with and without a trailing slash; anything else
under /v4/ is a 404 in RootFi's shape."""

from django.urls import path, re_path

from . import views
from .base import NotFoundView

inventories = views.InventoryListView.as_view()
inventory = views.InventoryDetailView.as_view()
items = views.ItemListView.as_view()
item = views.ItemDetailView.as_view()


def both(route, view, name):
    return [path(route, view, name=name), path(f"{route}/", view)]


urlpatterns = [
    *both("v4/ecommerce/inventories", inventories, "rootfi-inventories"),
    *both("v4/ecommerce/inventories/<str:ident>", inventory, "rootfi-inventory"),
    *both("v4/inventory", views.InventoryAliasListView.as_view(), "rootfi-inventory-alias"),
    *both("v4/payments/items", items, "rootfi-items"),
    *both("v4/payments/items/<str:ident>", item, "rootfi-item"),
    *both("v4/ecommerce/items", items, "rootfi-ecommerce-items"),
    *both("v4/ecommerce/items/<str:ident>", item, "rootfi-ecommerce-item"),
    re_path(r"^v4(?:/.*)?$", NotFoundView.as_view(), name="rootfi-not-found"),
]
