"""The per-process Argon2id memory budget: concurrent computations never hold more than it."""

from __future__ import annotations

import threading
import time

from argon2 import extract_parameters

from app import kdf
from app.accounts import passwords


def _run_concurrently(budget: kdf.MemoryBudget, sizes: list[int]) -> int:
    """Start one thread per size, each holding its reservation briefly; the peak in use."""
    peak = 0
    lock = threading.Lock()
    in_use = 0

    def work(kib: int) -> None:
        nonlocal peak, in_use
        with budget.reserve(kib):
            with lock:
                in_use += min(kib, budget.total_kib)
                peak = max(peak, in_use)
            time.sleep(0.02)
            with lock:
                in_use -= min(kib, budget.total_kib)

    threads = [threading.Thread(target=work, args=(k,)) for k in sizes]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=10)
    assert not any(t.is_alive() for t in threads)
    return peak


def test_eight_logins_at_once_never_hold_more_than_the_budget():
    budget = kdf.MemoryBudget(40 * 1024)
    assert _run_concurrently(budget, [19 * 1024] * 8) == 38 * 1024
    assert budget.free_kib == budget.total_kib


def test_a_computation_larger_than_the_budget_runs_alone_and_then_frees_it():
    budget = kdf.MemoryBudget(40 * 1024)
    assert _run_concurrently(budget, [64 * 1024, 19 * 1024, 64 * 1024]) == 40 * 1024
    assert budget.free_kib == budget.total_kib


def test_a_failing_computation_gives_its_memory_back():
    budget = kdf.MemoryBudget(1024)
    try:
        with budget.reserve(1024):
            raise ValueError("argon2 failed")
    except ValueError:
        pass
    assert budget.free_kib == 1024


def test_new_password_hashes_use_the_owasp_parameters_and_old_ones_still_verify():
    stored = passwords.hash_password("Linli-test-2026")
    params = extract_parameters(stored)
    assert (params.memory_cost, params.time_cost, params.parallelism) == (19 * 1024, 2, 1)
    assert passwords.verify_password(stored, "Linli-test-2026")
    assert not passwords.verify_password(stored, "Linli-test-2027")
    old = "$argon2id$v=19$m=65536,t=3,p=4$" + stored.rsplit("$", 2)[1] + "$" + "A" * 43
    assert passwords.needs_rehash(old)
    assert not passwords.verify_password(old, "Linli-test-2026")  # wrong digest, no crash
    assert kdf._budget.free_kib == kdf.BUDGET_KIB


RSS_PROBE = """
import re, threading
from app.accounts import passwords
def rss_mb():
    return int(re.search(r"VmRSS:\\s+(\\d+)", open("/proc/self/status").read()).group(1)) // 1024
before = rss_mb()
def logins():
    for _ in range(3):
        passwords.verify_password(passwords.DUMMY_HASH, "Linli-wrong-2026")
threads = [threading.Thread(target=logins) for _ in range(4)]
for t in threads: t.start()
for t in threads: t.join()
print(rss_mb() - before)
"""


def test_a_burst_of_logins_leaves_no_argon2_memory_behind_in_the_process():
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    grown = subprocess.run([sys.executable, "-c", RSS_PROBE], cwd=root, check=True,
                           capture_output=True, text=True, timeout=60).stdout
    assert int(grown) < 10  # MiB; glibc kept up to 4 × 19 MiB before return_freed_memory
