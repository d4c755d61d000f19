"""Dashboards tests: the points village of the actions tests (staff of every role)."""

from tests.app.actions.conftest import village as village  # noqa: F401
