from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "safepassage.people"
    label = "people"
    verbose_name = "People"
