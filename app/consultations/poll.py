"""The poll of a topic: residents answer (and change their answer while it is open); counts come
from ``rules.count_poll`` and are shown live or after close, as the topic says.
"""

from __future__ import annotations

from dataclasses import dataclass

from app.clock import utcnow
from app.consultations import policies, rules
from app.consultations.models import Consultation, ConsultationAnswer, ConsultationOption
from app.db import database
from app.errors import Conflict, Forbidden
from app.policy import Actor


@dataclass(frozen=True)
class OptionCount:
    id: int
    label: str
    count: int | None  # None while results are not shown to this caller


@dataclass(frozen=True)
class PollView:
    mode: str
    max_choices: int
    results: str
    results_visible: bool
    voters: int | None
    options: list[OptionCount]
    my_choices: list[int] | None


def options_of(consultation_id: int) -> list[ConsultationOption]:
    return list(ConsultationOption.select()
                .where(ConsultationOption.consultation == consultation_id)
                .order_by(ConsultationOption.position))


def count(consultation: Consultation) -> rules.PollCount:
    """The current count of the topic's poll (every option, zero included)."""
    ballots = (rules.decode_choices(row[0]) for row in ConsultationAnswer
               .select(ConsultationAnswer.choices)
               .where(ConsultationAnswer.consultation == consultation.id).tuples())
    return rules.count_poll([o.id for o in options_of(consultation.id)], ballots)


def answer_poll(actor: Actor | None, consultation_id: int, *,
                option_ids: list[int]) -> ConsultationAnswer:
    """A resident of the region answers the poll, or replaces their answer, while it is open.

    One answer per resident (the unique pair; a second call rewrites the first). Raises
    Unauthorized, consultation.household_required, consultation.not_found,
    consultation.outside_region, consultation.no_poll, consultation.not_open,
    consultation.bad_answer. Writes one ConsultationAnswer row.
    """
    actor = policies.resident(actor)
    consultation = policies.load_visible(actor, consultation_id)
    if not policies.lives_in_region(actor, consultation):
        raise Forbidden("consultation.outside_region", "只有本议题所在区域的居民可以投票")
    if not consultation.poll_mode:
        raise Conflict("consultation.no_poll", "该议题没有投票")
    now = utcnow()
    if not rules.may_answer(consultation.status, consultation.closes_at, now):
        raise Conflict("consultation.not_open", "投票不在进行中，不能作答")
    chosen = rules.check_answer(consultation.poll_mode, consultation.poll_max_choices,
                                option_ids, [o.id for o in options_of(consultation.id)])
    choices = rules.encode_choices(chosen)
    with database.atomic():
        (ConsultationAnswer.insert(consultation=consultation.id, voter=actor.user_id,
                                   choices=choices, created_at=now, updated_at=now)
         .on_conflict(conflict_target=[ConsultationAnswer.consultation,
                                       ConsultationAnswer.voter],
                      update={ConsultationAnswer.choices: choices,
                              ConsultationAnswer.updated_at: now})
         .execute())
    return ConsultationAnswer.get((ConsultationAnswer.consultation == consultation.id)
                                  & (ConsultationAnswer.voter == actor.user_id))


def view(actor: Actor | None, consultation: Consultation) -> PollView | None:
    """The poll as ``actor`` sees it: options, their own answer, and the counts when shown."""
    if not consultation.poll_mode:
        return None
    shown = (policies.is_staff_reader(actor, consultation)
             or rules.results_visible(consultation.poll_results, consultation.status))
    tally = count(consultation) if shown else None
    mine = None
    if actor is not None:
        row = (ConsultationAnswer.select(ConsultationAnswer.choices)
               .where((ConsultationAnswer.consultation == consultation.id)
                      & (ConsultationAnswer.voter == actor.user_id)).scalar())
        mine = list(rules.decode_choices(row)) if row else None
    return PollView(consultation.poll_mode, consultation.poll_max_choices,
                    consultation.poll_results, shown, tally.voters if tally else None,
                    [OptionCount(o.id, o.label, tally.counts[o.id] if tally else None)
                     for o in options_of(consultation.id)], mine)
