"""Pages of accreditations."""

app_name = "workforce"

urlpatterns: list = []
