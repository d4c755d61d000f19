"""Who may do what with the 三资 ledger.

Cadres (the village's bookkeeping) and town admins (the town's 农经 office) keep the books and
draft their publication; the finance panel, the supervision committee and discipline officers
read them in scope. Residents never read the working books: they read the published snapshots
of their own village (the residents' summary and the snapshot of a published disclosure).
"""

from __future__ import annotations

from app.policy import register

READ = register("ledger.read", {"cadre", "finance_panel", "supervision_committee",
                                "discipline_officer", "town_admin"})
WRITE = register("ledger.write", {"cadre", "town_admin"})
