# Filled in by the storefeed dialect.
urlpatterns = []
