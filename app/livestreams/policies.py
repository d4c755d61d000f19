"""Who may do what with livestreams: cadres and town admins schedule, cancel and record the
result; supervising staff read them in scope; residents read their village's livestreams."""

from __future__ import annotations

from app.policy import register

MANAGE = register("livestream.manage", {"cadre", "town_admin"})
READ = register("livestream.read", {"cadre", "finance_panel", "supervision_committee",
                                     "discipline_officer", "town_admin"})
