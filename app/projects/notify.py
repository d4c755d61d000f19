"""Notices to proposers caused by project changes, written to the outbox in the caller's
transaction. Texts name the project by its title, never a person."""

from __future__ import annotations

from app.clock import utcnow
from app.notifications.templates import wechat_time
from app.projects.models import Project

TITLE = "微实事"


def to_proposer(project: Project, kind: str, body: str, *, dedupe: str) -> None:
    from app.notifications.services import enqueue

    enqueue(channel="subscribe", recipient_user_id=project.proposer_id, kind=kind,
            title=f"{TITLE}·{project.title}", body=body, template_key="community_notice",
            data={"thing1": TITLE, "time2": wechat_time(utcnow()), "thing3": body},
            page=f"pages/projects/detail?id={project.id}",
            dedupe_key=f"project:{project.id}:{dedupe}:user:{project.proposer_id}")
