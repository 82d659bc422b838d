from django.apps import AppConfig


class PolicyConfig(AppConfig):
    name = "safepassage.policy"
    label = "policy"
    verbose_name = "Policy"

    def ready(self) -> None:
        # Audit event codes are declared at import; load them so the register is complete.
        from safepassage.policy import events  # noqa: F401
