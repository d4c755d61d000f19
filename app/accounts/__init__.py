"""Accounts: users, household bindings, role grants, tokens and staff credentials."""
