"""Applications: Safe-passage visa: public portal, checks, decisions, letters."""
