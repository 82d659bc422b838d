"""Helpers for the migrations that grant roles their permissions. Kept stable: migrations use
them, so changing what they do changes history."""

from django.contrib.auth.management import create_permissions


def ensure_permissions(apps):
    """Django makes permissions after all migrations; roles need them now."""
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None


def grant(apps, role_permissions):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for role, permissions in role_permissions.items():
        group, _created = Group.objects.get_or_create(name=role)
        for name in permissions:
            app_label, codename = name.split(".")
            group.permissions.add(
                Permission.objects.get(content_type__app_label=app_label, codename=codename)
            )
