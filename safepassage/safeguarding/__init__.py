"""Safeguarding: Vulnerability indicators, assessments, referrals, detention suitability."""
