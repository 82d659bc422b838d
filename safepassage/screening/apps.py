from django.apps import AppConfig


class ScreeningConfig(AppConfig):
    name = "safepassage.screening"
    label = "screening"
    verbose_name = "Screening"

    def ready(self) -> None:
        from safepassage.screening import events  # noqa: F401
