# Filled in by the zettle dialect.
urlpatterns = []
