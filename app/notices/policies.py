"""Who may do what with 事前公示 notices.

Cadres and town admins draft, publish and decide notices and answer objections in scope; the
finance panel, the supervision committee and discipline officers read them (objectors
included). Residents of the village read published notices, file objections while the period
is open, and read the answers; they never learn who else objected.
"""

from __future__ import annotations

from app.notices.models import Notice
from app.policy import Actor, can, register
from app.supervision.places import lives_under

READ = register("notice.read", {"cadre", "finance_panel", "supervision_committee",
                                "discipline_officer", "town_admin"})
MANAGE = register("notice.manage", {"cadre", "town_admin"})


def is_public(notice: Notice) -> bool:
    return notice.status in ("published", "decided")


def can_read(actor: Actor | None, notice: Notice) -> bool:
    if can(actor, READ, notice.village_path):
        return True
    return is_public(notice) and lives_under(actor, notice.village_path)


def _may_view_media(actor: Actor, target: str) -> bool:
    _, _, raw_id = target.partition(":")
    notice = Notice.get_or_none(Notice.id == int(raw_id)) if raw_id.isdigit() else None
    return notice is not None and can_read(actor, notice)


def register_media_visibility() -> None:
    from app.media.policies import register_visibility

    register_visibility("notice", _may_view_media)


register_media_visibility()
