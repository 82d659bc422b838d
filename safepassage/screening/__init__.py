"""Screening: Versioned questionnaires, interviews, interpreters."""
