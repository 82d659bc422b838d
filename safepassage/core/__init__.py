"""Core: Shared kernel: staff, roles and permissions, locations, scoping, errors, i18n."""
