"""Settings per environment, read from the process environment.

This floor imports nothing of ours: the Flask factory, the bot entry and the scheduler each
call :func:`load_settings` and pass the result down.
"""

from config.settings import Settings, load_settings

__all__ = ["Settings", "load_settings"]
