"""Safeguarding has no data of its own yet; see the issue that builds it."""
