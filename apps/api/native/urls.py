"""The native API's paths under /api/v1/, each with and without a trailing slash; anything
else under /api/v1/ is a 404 problem."""

import importlib
import importlib.util

from django.urls import path, re_path

from . import operations, views
from .base import NotFoundView


def both(route, view, name):
    return [path(route, view, name=name), path(f"{route}/", view)]


ID = "<str:ident>"

urlpatterns = [
    *both("api/v1/locations", views.LocationsView.as_view(), "native-locations"),
    *both("api/v1/suppliers", views.SuppliersView.as_view(), "native-suppliers"),
    *both("api/v1/stock", views.StockView.as_view(), "native-stock"),
    *both(
        "api/v1/purchase-orders",
        operations.PurchaseOrderListView.as_view(),
        "native-purchase-orders",
    ),
    *both(
        f"api/v1/purchase-orders/{ID}",
        operations.PurchaseOrderDetailView.as_view(),
        "native-purchase-order",
    ),
    *both(
        f"api/v1/purchase-orders/{ID}/receive",
        operations.PurchaseOrderReceiveView.as_view(),
        "native-purchase-order-receive",
    ),
    *both(
        f"api/v1/purchase-orders/{ID}/open",
        operations.PurchaseOrderOpenView.as_view(),
        "native-purchase-order-open",
    ),
    *both(
        f"api/v1/purchase-orders/{ID}/cancel",
        operations.PurchaseOrderCancelView.as_view(),
        "native-purchase-order-cancel",
    ),
    *both("api/v1/transfers", operations.TransferListView.as_view(), "native-transfers"),
    *both(f"api/v1/transfers/{ID}", operations.TransferDetailView.as_view(), "native-transfer"),
    *both(
        f"api/v1/transfers/{ID}/ship",
        operations.TransferShipView.as_view(),
        "native-transfer-ship",
    ),
    *both(
        f"api/v1/transfers/{ID}/receive",
        operations.TransferReceiveView.as_view(),
        "native-transfer-receive",
    ),
    *both(
        f"api/v1/transfers/{ID}/close",
        operations.TransferCloseView.as_view(),
        "native-transfer-close",
    ),
    *both(
        f"api/v1/transfers/{ID}/cancel",
        operations.TransferCancelView.as_view(),
        "native-transfer-cancel",
    ),
]

# Cycle counts (apps/api/native/counts.py, another change) declare their own `urlpatterns`.
if importlib.util.find_spec(f"{__package__}.counts") is not None:
    urlpatterns += importlib.import_module(f"{__package__}.counts").urlpatterns

urlpatterns.append(re_path(r"^api/v1(?:/.*)?$", NotFoundView.as_view(), name="native-not-found"))
