from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "safepassage.people"
    label = "people"
    verbose_name = "People"

    def ready(self) -> None:
        # Audit event codes are declared at import; load them so the register is complete.
        from safepassage.people import events  # noqa: F401
