from django.apps import AppConfig


class WorkforceConfig(AppConfig):
    name = "safepassage.workforce"
    label = "workforce"
    verbose_name = "Workforce"

    def ready(self) -> None:
        from safepassage.workforce import events  # noqa: F401
