from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "safepassage.core"
    label = "core"
    verbose_name = "Core"

    def ready(self) -> None:
        # Audit event codes are declared at import; load them so the register is complete.
        from safepassage.core import events  # noqa: F401
