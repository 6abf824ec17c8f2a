# Filled in by the rootfi dialect.
urlpatterns = []
