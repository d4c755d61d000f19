"""Who may do what with seals and the seal log.

Town admins register a village's seals; cadres (the seal keepers) and town admins record each
use; the supervision committee and discipline officers read the log and its anomalies in scope
(discipline officers are told of every flagged use). Residents read nothing here: the log's
public face is the transparency log.
"""

from __future__ import annotations

from app.policy import register

MANAGE = register("seal.manage", {"town_admin"})
RECORD = register("seal.record", {"cadre", "town_admin"})
READ = register("seal.read", {"cadre", "supervision_committee", "discipline_officer",
                              "town_admin"})
