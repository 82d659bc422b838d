"""Workforce: Officers, locations, accreditations, capacity, allocation."""
