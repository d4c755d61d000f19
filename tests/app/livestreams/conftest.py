"""Livestream tests: the supervision town."""

from __future__ import annotations

from tests.app.supervision import fixtures

place = fixtures.place
