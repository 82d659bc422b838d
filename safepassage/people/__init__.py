"""People: Identities, names in every script, documents; identity matching."""
