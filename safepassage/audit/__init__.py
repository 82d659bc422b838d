"""Audit: Append-only, hash-chained event log; read-access log; verification."""
