from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "safepassage.audit"
    label = "audit"
    verbose_name = "Audit"

    def ready(self) -> None:
        # Audit event codes are declared at import; load them so the register is complete.
        from safepassage.audit import events  # noqa: F401
