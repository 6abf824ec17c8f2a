from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView
from drf_spectacular.views import SpectacularJSONAPIView, SpectacularSwaggerView

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="admin:index", permanent=False)),
    path("admin/", admin.site.urls),
    path("openapi.json", SpectacularJSONAPIView.as_view(), name="openapi"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="openapi"), name="docs"),
    path("", include("apps.api.rootfi.urls")),
    path("", include("apps.api.zettle.urls")),
    path("", include("apps.api.native.urls")),  # before the store feed's /api/ catch-all
    path("", include("apps.api.storefeed.urls")),
]
