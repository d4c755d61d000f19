"""Pure outbound rules: the sliding window, UTF-8 splitting, backoff."""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from app.bot import throttle

T0 = dt.datetime(2026, 11, 23, 1, 0)


def test_twenty_sends_fill_the_window_and_the_21st_waits_a_minute():
    window: list = []
    for i in range(20):
        window = throttle.take(window, T0 + dt.timedelta(seconds=i))
    assert throttle.take(window, T0 + dt.timedelta(seconds=30)) is None
    assert throttle.free_at(window, T0 + dt.timedelta(seconds=30)) == T0 + throttle.WINDOW
    assert throttle.take(window, T0 + throttle.WINDOW + dt.timedelta(seconds=1)) is not None


def test_the_window_keeps_only_recent_sends():
    window = throttle.take([], T0)
    assert throttle.prune(window, T0 + dt.timedelta(minutes=5)) == []


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet=st.sampled_from("诉求ab\n😀进展"), max_size=3000))
def test_splitting_keeps_every_character_and_respects_the_byte_limit(text):
    pieces = throttle.split_utf8(text, limit=64)
    assert all(len(p.encode()) <= 64 for p in pieces)
    assert "".join(pieces).replace("\n", "") == text.replace("\n", "")


def test_backoff_grows_and_is_capped():
    assert throttle.backoff(1) == dt.timedelta(seconds=30)
    assert throttle.backoff(2) == dt.timedelta(seconds=60)
    assert throttle.backoff(50) == throttle.BACKOFF_MAX
