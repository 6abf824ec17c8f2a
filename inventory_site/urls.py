from csp.decorators import csp_update
from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView
from drf_spectacular.views import SpectacularJSONAPIView, SpectacularSwaggerSplitView

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="admin:index", permanent=False)),
    path("admin/", admin.site.urls),
    path("openapi.json", SpectacularJSONAPIView.as_view(), name="openapi"),
    # Swagger UI sets inline styles as it renders: allowed on the docs page only.
    path(
        "docs/",
        csp_update({"style-src": ["'unsafe-inline'"]})(
            SpectacularSwaggerSplitView.as_view(url_name="openapi")
        ),
        name="docs",
    ),
    path("", include("apps.api.rootfi.urls")),
    path("", include("apps.api.zettle.urls")),
    path("", include("apps.api.native.urls")),  # before the store feed's /api/ catch-all
    path("", include("apps.api.storefeed.urls")),
]
handler500 = "inventory_site.middleware.server_error"
