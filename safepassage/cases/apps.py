from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "safepassage.cases"
    label = "cases"
    verbose_name = "Cases"

    def ready(self) -> None:
        from safepassage.cases import events  # noqa: F401
