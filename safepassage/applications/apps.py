from django.apps import AppConfig


class ApplicationsConfig(AppConfig):
    name = "safepassage.applications"
    label = "applications"
    verbose_name = "Applications"

    def ready(self) -> None:
        # Audit event codes are declared at import; load them so the register is complete.
        from safepassage.applications import events  # noqa: F401
