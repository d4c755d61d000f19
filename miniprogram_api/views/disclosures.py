"""村务公开 for residents (``/api/v1/disclosures``): the disclosures of their village and town,
one disclosure with its corrections and published answers, questions and objections, and the
"要求公开" complaint. Residents bound to a household only."""

from __future__ import annotations

from flask import Blueprint, current_app

from app.disclosures import complaints, questions, reading
from app.disclosures.models import Disclosure, DisclosureQuestion
from app.media.services import attached_media
from miniprogram_api.api import endpoint
from miniprogram_api.pagination import Page, PageQuery, page_of
from miniprogram_api.schemas.disclosures import (
    AskSchema,
    DisclosureDetailSchema,
    DisclosureListQuery,
    DisclosureRequestSchema,
    DisclosureSummarySchema,
    MyQuestionSchema,
    TrackedRequestSchema,
)

bp = Blueprint("disclosures", __name__, url_prefix="/api/v1/disclosures")


def present(disclosure: Disclosure, *, published_only: bool = True) -> Disclosure:
    """The disclosure with what its page shows: images, the chain of corrections, answers."""
    disclosure.photos = attached_media(f"disclosure:{disclosure.id}")
    disclosure.corrects = (Disclosure.get_or_none(Disclosure.id == disclosure.corrects_id)
                           if disclosure.corrects_id else None)
    disclosure.corrections = reading.corrections_of(disclosure, published_only=published_only)
    disclosure.answers = reading.published_answers(disclosure)
    return disclosure


def checker():
    return current_app.extensions["content_checker"]


@endpoint(bp, "", query=DisclosureListQuery, response=DisclosureSummarySchema, paged=True,
          summary="本村(社区)与本街道(乡镇)已公开的村务、党务、财务（最新在前）",
          errors=("disclosure.residents_only", "pagination.bad_cursor"))
def list_mine(actor, query):
    listing = reading.list_disclosures(actor, kind=query["kind"], cursor=query["cursor"],
                                       limit=query["limit"])
    return Page(listing.items, listing.next_cursor)


@endpoint(bp, "/<int:disclosure_id>", response=DisclosureDetailSchema,
          summary="公开事项详情：正文、附件、更正记录、已公开的答复",
          errors=("disclosure.not_found",))
def detail(actor, disclosure_id):
    return present(reading.read_disclosure(actor, disclosure_id))


@endpoint(bp, "/<int:disclosure_id>/questions", method="POST", body=AskSchema,
          response=MyQuestionSchema, status=201,
          summary="对公开事项提问或提出异议（工作人员可见提问人，公开答复时不显示）",
          errors=("disclosure.not_found", "disclosure.bad_question", "content.risky"))
def ask(actor, disclosure_id, data):
    return questions.ask_question(actor, disclosure_id, kind=data["kind"], text=data["text"],
                                  checker=checker())


@endpoint(bp, "/questions/mine", query=PageQuery, response=MyQuestionSchema, paged=True,
          summary="我的提问与异议及答复")
def my_questions(actor, query):
    return page_of(questions.my_questions_query(actor), DisclosureQuestion.id,
                   cursor=query["cursor"], limit=query["limit"])


@endpoint(bp, "/requests", method="POST", body=DisclosureRequestSchema,
          response=TrackedRequestSchema, status=201,
          summary="要求公开：反映应公开而未公开的事项（作为投诉类诉求受理、跟踪）",
          errors=("disclosure.residents_only", "disclosure.bad_request_text",
                  "disclosure.requests_unavailable", "content.risky"))
def request_disclosure(actor, data):
    return complaints.request_disclosure(actor, kind=data["kind"], text=data["text"],
                                         checker=checker())
