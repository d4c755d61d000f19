"""Notices caused by consultations, written to the outbox in the caller's transaction.

Opening a topic is announced to the bound groups of its region; a published outcome is sent to
everyone who took part (commented or answered the poll), so results are always reported back;
a comment's author learns when staff hide it and why; staff learn when reports hide a comment.
Texts name the topic by its title and id, never a person.
"""

from __future__ import annotations

from app.clock import utcnow
from app.consultations.models import Consultation, ConsultationAnswer, ConsultationComment
from app.notifications.templates import wechat_time

TITLE = "议事协商"


def _enqueue(**kwargs):
    from app.notifications.services import enqueue

    return enqueue(**kwargs)


def _to_resident(consultation: Consultation, user_id: int, kind: str, body: str,
                 dedupe: str) -> None:
    _enqueue(channel="subscribe", recipient_user_id=user_id, kind=kind, title=TITLE, body=body,
             template_key="community_notice",
             data={"thing1": TITLE, "time2": wechat_time(utcnow()), "thing3": body[:20]},
             page=f"pages/consultations/detail?id={consultation.id}",
             dedupe_key=f"consultation:{consultation.id}:{dedupe}:user:{user_id}")


def opened(consultation: Consultation) -> None:
    from app.bot.announce import announce

    announce(None, consultation.region_id,
             f"议事协商开始：{consultation.title}。欢迎在小程序“议事协商”中发表意见。",
             f"consultation:{consultation.id}:opened", title=f"议事：{consultation.title}")


def participants(consultation_id: int) -> list[int]:
    commenters = (ConsultationComment.select(ConsultationComment.author)
                  .where(ConsultationComment.consultation == consultation_id).tuples())
    voters = (ConsultationAnswer.select(ConsultationAnswer.voter)
              .where(ConsultationAnswer.consultation == consultation_id).tuples())
    return sorted({row[0] for row in commenters} | {row[0] for row in voters})


def decided(consultation: Consultation) -> None:
    for user_id in participants(consultation.id):
        _to_resident(consultation, user_id, "consultation.decided",
                     f"您参与的议题“{consultation.title}”已公布结果", "decided")


def comment_hidden(consultation: Consultation, comment: ConsultationComment,
                   reason: str) -> None:
    _to_resident(consultation, comment.author_id, "consultation.comment_hidden",
                 f"您的评论已被工作人员隐藏：{reason}", f"comment:{comment.id}:hidden:"
                 f"{comment.version}")


def comment_reported(consultation: Consultation, comment: ConsultationComment,
                     staff_ids: list[int]) -> None:
    for user_id in staff_ids:
        _enqueue(channel="staff", recipient_user_id=user_id,
                 kind="consultation.comment_reported", title=TITLE,
                 body=f"议题“{consultation.title}”有一条评论被多人举报，已暂时隐藏待复核",
                 page=f"/console/consultations/{consultation.id}",
                 dedupe_key=f"consultation:{consultation.id}:comment:{comment.id}:reported:"
                            f"user:{user_id}")
