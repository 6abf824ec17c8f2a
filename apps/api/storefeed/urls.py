from django.urls import path, re_path

from .views import InventoryUpdateSlashView, InventoryUpdateView, NotFoundView

urlpatterns = [
    path("api/product/inventory", InventoryUpdateView.as_view(), name="storefeed-inventory"),
    path("api/product/inventory/", InventoryUpdateSlashView.as_view()),
    re_path(r"^api(?:/.*)?$", NotFoundView.as_view(), name="storefeed-unknown"),
]
