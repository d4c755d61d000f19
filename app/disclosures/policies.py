"""Who may do what with disclosures.

* Cadres and town admins write disclosures in their scope, submit them, publish reviewed ones,
  draft corrections and answer residents' questions.
* Review: a finance disclosure needs the sign-off of the 民主理财小组 (finance_panel) or the
  村务监督委员会 (supervision_committee); affairs and party disclosures are reviewed by the
  supervision committee or a town admin. Whoever wrote a disclosure never approves it
  (checked by the service against the author, whatever roles they hold).
* Staff who supervise (the roles above and discipline officers) read every disclosure in scope,
  drafts included; the cadence's overdue list is for town admins, discipline officers, the
  supervision committee and cadres.
* Residents read the published disclosures of their own village and town and ask questions
  there; nobody else sees them through the resident API (the published fields are public on
  the transparency log anyway, but the app is for the village).
"""

from __future__ import annotations

from app.disclosures.models import Disclosure
from app.policy import Actor, can, register
from app.supervision.places import lives_under

READ = register("disclosure.read", {"cadre", "finance_panel", "supervision_committee",
                                    "discipline_officer", "town_admin"})
WRITE = register("disclosure.write", {"cadre", "town_admin"})
REVIEW = register("disclosure.review", {"supervision_committee", "town_admin"})
REVIEW_FINANCE = register("disclosure.review_finance", {"finance_panel",
                                                         "supervision_committee"})
ANSWER = register("disclosure.answer", {"cadre", "town_admin"})
CADENCE_READ = register("disclosure.cadence_read", {"cadre", "supervision_committee",
                                                    "discipline_officer", "town_admin"})
CADENCE_CONFIGURE = register("disclosure.cadence_configure", {"town_admin"})


def review_action(kind: str) -> str:
    """The action approving a disclosure of ``kind`` needs."""
    return REVIEW_FINANCE if kind == "finance" else REVIEW


def can_read(actor: Actor | None, disclosure: Disclosure) -> bool:
    """Staff in scope read every state; residents of the place read it once published."""
    if can(actor, READ, disclosure.region_path):
        return True
    return disclosure.status == "published" and lives_under(actor, disclosure.region_path)


def _may_view_media(actor: Actor, target: str) -> bool:
    _, _, raw_id = target.partition(":")
    disclosure = Disclosure.get_or_none(Disclosure.id == int(raw_id)) if raw_id.isdigit() else None
    return disclosure is not None and can_read(actor, disclosure)


def register_media_visibility() -> None:
    """Attachments are seen by whoever may read their disclosure."""
    from app.media.policies import register_visibility

    register_visibility("disclosure", _may_view_media)


register_media_visibility()
