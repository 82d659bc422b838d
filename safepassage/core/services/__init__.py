"""Every write of the core app. Split by sub-domain: users, locations, accounts, api_tokens."""
