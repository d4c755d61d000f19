"""A per-process memory budget for Argon2id, so concurrent logins cannot bloat a web worker.

Every Argon2id computation (a staff password hashed or verified, a report receipt or an
officer's key password stretched) holds ``memory_cost`` KiB until it ends, and argon2-cffi
releases the GIL while it works: under gunicorn's gthread workers (4 threads) four logins at
the same moment added 4 × 64 MiB to one worker — 340 MB RSS in the city load test, against a
200 MB target. Callers reserve their memory first with :func:`reserve`; when the budget is
spent they wait for a running computation to end (a login queues for tens of milliseconds)
instead of growing the worker. A computation larger than the whole budget runs alone.

The budget bounds memory *in use*; :func:`return_freed_memory` makes sure memory freed after a
computation leaves the process. glibc serves allocations above its mmap threshold with their
own mapping, unmapped on free, but raises that threshold (up to 32 MiB) each time such a block
is freed: from then on the 19 MiB password blocks came from per-thread heaps that keep them,
and a worker kept up to 4 × 19 MiB after a burst of logins (237 MB RSS in the load test). A
fixed threshold of 1 MiB keeps every Argon2 block a mapping of its own.
"""

from __future__ import annotations

import ctypes
import threading
from collections.abc import Iterator
from contextlib import contextmanager

# Two password computations at once (app.accounts.passwords uses 19 MiB each).
BUDGET_KIB = 40 * 1024


class MemoryBudget:
    """KiB shared by the threads of one process; :meth:`reserve` blocks until enough is free."""

    def __init__(self, total_kib: int):
        self.total_kib = total_kib
        self._free = total_kib
        self._cond = threading.Condition()

    @property
    def free_kib(self) -> int:
        return self._free

    @contextmanager
    def reserve(self, kib: int) -> Iterator[None]:
        need = min(kib, self.total_kib)  # a larger computation waits for the whole budget
        with self._cond:
            self._cond.wait_for(lambda: self._free >= need)
            self._free -= need
        try:
            yield
        finally:
            with self._cond:
                self._free += need
                self._cond.notify_all()


_budget = MemoryBudget(BUDGET_KIB)


def reserve(kib: int):
    """Context manager: hold ``kib`` of this process's Argon2id budget while inside it."""
    return _budget.reserve(kib)


M_MMAP_THRESHOLD = -3  # glibc's mallopt parameter
MMAP_THRESHOLD_BYTES = 1024 * 1024


def return_freed_memory() -> bool:
    """Fix glibc's mmap threshold at 1 MiB (see the module docstring), once per process; forked
    workers inherit it. True if set; False where the C library has no ``mallopt`` (musl)."""
    try:  # the running process's own symbols: no library search (find_library forks ldconfig)
        mallopt = ctypes.CDLL(None).mallopt
    except (OSError, AttributeError):
        return False
    return bool(mallopt(M_MMAP_THRESHOLD, MMAP_THRESHOLD_BYTES))


return_freed_memory()
