"""A location manager's waivers of stage separation."""

urlpatterns: list = []
