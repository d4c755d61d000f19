"""Notifications: the outbox every notice goes through, the in-app inbox and subscribe quotas."""
