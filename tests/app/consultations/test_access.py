"""Who may do what with a topic of village A1, by role and scope.

Outcomes, as in tests/app/test_role_matrix.py: ``OK`` the service did it; ``NO`` Forbidden
(the role may never do this, or the caller must bind a household first); ``HID`` the caller
may do this but not here: the topic is reported missing or left out of the list.
"""

from __future__ import annotations

import pytest

from app.accounts.models import User
from app.clock import frozen
from app.consultations import comments, poll, reading, topics
from app.errors import Forbidden, NotFound
from tests.app.consultations.conftest import MONDAY_9AM, commented, draft_of, drafted, opened

OK, NO, HID = "allowed", "denied", "hidden"


def attempt(call) -> str:
    try:
        with frozen(MONDAY_9AM):
            call()
    except Forbidden:
        return NO
    except NotFound:
        return HID
    return OK


def listed(call, consultation_id) -> str:
    """OK when the list holds the topic, HID when it leaves it out, NO when refused."""
    found: list[int] = []
    outcome = attempt(lambda: found.extend(c.id for c in call()))
    return outcome if outcome != OK or consultation_id in found else HID

#                      create read  list  close hide
STAFF = {
    "cadre":            (OK, OK, OK, OK, OK),
    "town_admin":       (OK, OK, OK, OK, OK),
    "other_cadre":      (NO, HID, HID, HID, HID),
    "other_town_admin": (NO, HID, HID, HID, HID),
    "grid_worker":      (NO, NO, NO, NO, NO),
    "finance_panel":    (NO, NO, NO, NO, NO),
    "author":           (NO, NO, NO, NO, NO),
}


@pytest.mark.parametrize("who", STAFF)
def test_staff_actions_are_limited_to_cadres_and_town_admins_in_scope(town, who):
    user = getattr(town, who)
    actor = town.actor(user, "miniprogram" if who == "author" else "staff")
    consultation = opened(town)
    comment = commented(town, consultation)
    outcomes = (
        attempt(lambda: topics.create_consultation(actor, region_id=town.tree.village_a1.id,
                                                   draft=draft_of())),
        attempt(lambda: topics.load_for_staff(actor, consultation.id)),
        listed(lambda: topics.staff_query(actor), consultation.id),
        attempt(lambda: topics.close_consultation(actor, consultation.id)),
        attempt(lambda: comments.hide_comment(actor, comment.id, reason="与议题无关")),
    )
    assert outcomes == STAFF[who]


#                      read  list  comment answer
RESIDENTS = {
    "author":           (OK, OK, OK, OK),
    "other_village":    (HID, HID, HID, HID),
    "other_town":       (HID, HID, HID, HID),
    "visitor":          (HID, NO, NO, NO),  # asked to bind a household; the topic stays unseen
    "cadre":            (OK, NO, NO, NO),  # staff read it, but have no household here
}


@pytest.mark.parametrize("who", RESIDENTS)
def test_only_residents_of_the_village_take_part(town, who):
    actor = town.actor(getattr(town, who))
    if who == "cadre":
        actor = town.staff(town.cadre)
    consultation = opened(town)
    option = poll.options_of(consultation.id)[0].id
    outcomes = (
        attempt(lambda: reading.get_consultation(actor, consultation.id)),
        listed(lambda: reading.list_query(actor), consultation.id),
        attempt(lambda: comments.create_comment(actor, consultation.id, content="我同意")),
        attempt(lambda: poll.answer_poll(actor, consultation.id, option_ids=[option])),
    )
    assert outcomes == RESIDENTS[who]


def test_a_visitor_is_asked_to_bind_a_household(town):
    consultation = opened(town)
    with pytest.raises(Forbidden) as caught:
        comments.create_comment(town.actor(town.visitor), consultation.id, content="我同意")
    assert caught.value.code == "consultation.household_required"


def test_residents_do_not_see_drafts_or_scheduled_topics(town):
    draft = drafted(town)
    scheduled = opened(town, opens_at=MONDAY_9AM.replace(hour=5))
    resident = town.actor(town.author)
    for hidden in (draft, scheduled):
        assert attempt(lambda c=hidden: reading.get_consultation(resident, c.id)) == HID
    assert list(reading.list_query(resident)) == []


def test_a_town_topic_reaches_every_village_of_the_town_and_no_other_town(town):
    consultation = opened(town, region=town.tree.town_a, by=town.town_admin)
    assert attempt(lambda: reading.get_consultation(town.actor(town.other_village),
                                                    consultation.id)) == OK
    assert attempt(lambda: reading.get_consultation(town.actor(town.other_town),
                                                    consultation.id)) == HID
    assert attempt(lambda: topics.close_consultation(town.staff(town.cadre),
                                                     consultation.id)) == HID


def test_staff_living_elsewhere_may_read_but_not_take_part(town):
    consultation = opened(town)
    User.update(household=town.tree.household_a2.id).where(User.id == town.cadre.id).execute()
    cadre_at_home = town.staff(town.cadre)
    assert reading.get_consultation(cadre_at_home, consultation.id).id == consultation.id
    with frozen(MONDAY_9AM), pytest.raises(Forbidden) as caught:
        comments.create_comment(cadre_at_home, consultation.id, content="我同意")
    assert caught.value.code == "consultation.outside_region"
