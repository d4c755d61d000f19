"""Benchmarks (``make bench``); importable so gunicorn can load ``bench.bare_app``."""
