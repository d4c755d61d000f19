"""Residents' questions and objections on published disclosures: the staff queue (waiting for
an answer, or answered), one question with the answer form.

Every call is the one ``/admin/api/v1/disclosure-questions`` makes
(``app.disclosures.questions``): the queue and a single question are read through
``staff_questions_query`` (so a question outside the reader's scope is the 404 page), the
answer is ``answer_question``, which publishes it under the disclosure and on the
transparency log. The staff notice of a new question links ``/console/disclosure-questions/<id>``.
"""

from __future__ import annotations

from flask import abort, url_for

from app.accounts.models import User
from app.disclosures import policies, questions, rules
from app.disclosures.models import Disclosure, DisclosureQuestion
from app.policy import Actor, can
from miniprogram_api.console.blueprint import bp
from miniprogram_api.console.pages import form_text, keyset_page, perform, render, tab_arg
from miniprogram_api.console.session import page

PAGE_SIZE = 20
TABS = {"open": "待答复", "answered": "已答复"}


@bp.app_template_filter("question_kind")
def _kind_name(kind: str) -> str:
    return rules.QUESTION_KIND_NAMES.get(kind, kind)


@bp.route("/disclosure-questions")
@page
def disclosure_questions(actor: Actor):
    tab = tab_arg(TABS, "open", name="status")
    query = questions.staff_questions_query(actor, status=tab)
    rows, next_url = keyset_page(query, DisclosureQuestion.id, "console.disclosure_questions",
                                 limit=PAGE_SIZE, status=tab)
    titles = dict(Disclosure.select(Disclosure.id, Disclosure.title).where(
        Disclosure.id.in_({q.disclosure_id for q in rows} or {0})).tuples())
    return render("console/disclosure_questions/list.html", tab=tab, tabs=TABS,
                  rows=rows, titles=titles, next_url=next_url)


@bp.route("/disclosure-questions/<int:question_id>")
@page
def disclosure_question_detail(actor: Actor, question_id: int):
    question = (questions.staff_questions_query(actor)
                .where(DisclosureQuestion.id == question_id).first())
    if question is None:
        abort(404)
    names = dict(User.select(User.id, User.display_name).where(User.id.in_(
        [u for u in (question.asker_id, question.answered_by_id) if u])).tuples())
    return render("console/disclosure_questions/detail.html", q=question,
                  disclosure=Disclosure.get_by_id(question.disclosure_id), names=names,
                  may_answer=question.status == "open"
                  and can(actor, policies.ANSWER, question.region_path))


@bp.route("/disclosure-questions/<int:question_id>/answer", methods=["POST"])
@page
def disclosure_question_answer(actor: Actor, question_id: int):
    return perform(lambda: questions.answer_question(
        actor, question_id, answer=form_text("answer", 4000),
        public_question=form_text("public_question", 4000) or None),
        back=url_for("console.disclosure_question_detail", question_id=question_id),
        done="已答复并公开，提问人会收到通知")
