from django.apps import AppConfig


class SafeguardingConfig(AppConfig):
    name = "safepassage.safeguarding"
    label = "safeguarding"
    verbose_name = "Safeguarding"

    def ready(self) -> None:
        from safepassage.safeguarding import events  # noqa: F401
