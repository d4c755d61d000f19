"""The staff web console (``/console``): server-rendered Chinese pages over the same services
the ``/admin/api/v1`` endpoints call. No rule lives here; pages read a form, call one service,
and render. Every asset is served by the app (``/console/static/…``); nothing from a CDN.

Layout
------
``blueprint.py``      the ``bp`` object; session cookie settings (HttpOnly, SameSite=Lax,
                      Secure outside development, path /console), the CSRF check before every
                      POST, security headers (CSP 'self' only), the template context.
``csrf.py``           the synchronizer token (hidden field ``csrf_token`` in every POST form).
``session.py``        login / logout (``app.accounts.staff.staff_login``), ``console_actor()``
                      and the ``@page`` decorator, the role/scope switcher, large-font toggle.
``pages.py``          helpers: ``render``, ``perform`` (one service call from a form, refusals
                      flashed back) and ``perform_action`` (one form of a page's table of
                      forms), ``link_for``, ``local_time``, ``form_text``/``form_int``, a list's
                      ``tab_arg`` and ``keyset_page`` (rows and the next page's link), and the
                      Chinese 400/403/404/500 pages (``error_page``, registered with
                      ``miniprogram_api.envelope.register_html_errors`` for ``/console``; the
                      APIs keep the JSON envelope).
``home.py``           "my work": one ``WorkList`` per queue the person may see.
``requests_pages.py`` request queues and detail; ``request_forms.py`` which transition forms a
                      person is offered; ``request_actions.py`` the POST routes of those forms;
                      ``request_entry_pages.py`` 代居民登记; ``media_pages.py`` photo uploads
                      through the media service and ``/console/media/<id>``.
``reports_pages.py``  举报 (officers only): queue, key, a report; ``report_actions.py`` identity
                      reveal (request, second officer approves, reveal), recusal, attachments.
``actions_pages.py``  an action's check-in screen (rotating QR) and certificates;
                      ``actions_admin_pages.py`` 微行动 list / publish / edit / cancel and the
                      roster, ``action_attendance_pages.py`` the attendance decisions.
``points_pages.py``   微星光 accounts, statement, award, reversal; ``points_setup_pages.py``
                      rules and rankings with star levels; ``points_store_pages.py`` 爱心超市
                      redemptions. ``wish_settings_pages.py`` wish time limits and photos.
                      ``region_choices.py`` the place pickers of those forms.
``dashboards.py``     统计看板: charts (vendored ECharts) + tables + Excel export per chart;
                      ``dashboard_charts.py`` the charts, figures from app.dashboards / stats.
``wishes_pages.py``   微心愿 review: queue, a wish, approve / reject / take down with a reason.
``notices_pages.py``  事前公示: list, new draft, a notice with its objections (print link);
                      ``notice_actions.py`` publish / discard / result and the objection answer.
``users_pages.py``    用户与角色: people in scope (masked phones), grant / revoke a role.
``projects_pages.py`` 微实事 rounds: list, open a round, a round with its proposals, the
                      counted result, the review queue; ``project_detail_pages.py`` one project
                      (review, override, milestones, spending); ``project_actions.py`` the POSTs.
``consultations_pages.py`` 议事: topics, draft / edit, a topic with poll and comments, the
                      comment moderation queue; ``consultation_actions.py`` the POSTs;
                      ``participation_forms.py`` their date, time and yuan parsing.
``powers_pages.py``   权力清单 list / item / add-edit form / copy the town template;
                      ``livestreams_pages.py`` 直播通知; ``bot_groups_pages.py`` 群绑定 (codes,
                      unbind); ``disclosure_questions_pages.py`` / ``disclosure_cadence_pages.py``
                      residents' questions and 公开频次; ``ledger_entry_pages.py`` 三资 one row;
                      ``seal_use_forms.py`` 登记用印; ``form_values.py`` their shared parsing.
``menus.py``          the header's menus (work pages, supervision pages), each link offered
                      only to roles whose policies' actions open it.
Templates: ``miniprogram_api/templates/console/`` (``base.html`` holds the header, the grant
switcher, flashed messages and the large-font toggle; ``_macros.html`` the list pages' tab
bar, list table and pager). CSS/JS: ``miniprogram_api/static/console/``
(our own ``console.css`` and ``console.js``, no third-party files yet; a vendored library goes
in ``static/console/vendor/<name>/`` with its LICENSE file beside it).

How to add a page (e.g. the wish review queue)
----------------------------------------------
1. Create ``miniprogram_api/console/wishes_pages.py`` with a module docstring, and write views::

       @bp.route("/wishes")
       @page
       def wish_queue(actor):                      # endpoint "console.wish_queue"
           tab = tab_arg(TABS, "review")           # ?tab=, if one of TABS
           query = review.staff_wishes_query(actor, queue=tab)
           rows, next_url = keyset_page(query, Wish.id, "console.wish_queue", tab=tab)
           return render("console/wishes/queue.html", rows=rows, next_url=next_url, ...)

   ``@page`` hands you the actor (narrowed to the chosen grant) and sends anonymous visitors
   to the login. Call the feature's service (the one its ``admin_*.py`` view calls); a Forbidden
   or NotFound it raises becomes the Chinese 403/404 page by itself — never pre-check roles in
   the view except to decide which buttons to *offer* (see ``request_forms.py``).
2. For a POST form: ``@bp.route("/wishes/<int:wish_id>/approve", methods=["POST"])`` + ``@page``
   and ``return perform(lambda: review.approve_wish(actor, wish_id), back=url, done="已通过")``.
   Every form needs ``<input type="hidden" name="{{ csrf_field }}" value="{{ csrf_token }}">``
   (the check runs before the view; without it the post gets the 400 page).
3. Templates extend ``console/base.html`` and fill ``{% block content %}``; a list page takes
   its tab bar, table frame with the empty-state line, and pager from the macros of
   ``console/_macros.html`` (``ui.tabs``, ``ui.listing``, ``ui.pager``); give every input a
   ``<label for=…>``, use real ``<button>``s and links (keyboard use), no inline script or style
   (the CSP forbids them). Show times with ``|console_time``.
4. Add the new module to the import line at the bottom of this file, and a link in the
   ``<nav>`` of ``base.html`` if it is a top-level page. Some endpoint names are already linked
   from the home page via ``link_for`` and light up as soon as they exist:
   ``console.wish_queue``/``wish_detail(wish_id)``, ``console.disclosure_queue``/
   ``disclosure_detail(disclosure_id)``, ``console.seal_uses``/``seal_use_detail(use_id)``.
5. Work for the home page: write ``_<thing>_list(actor) -> list[WorkList]`` in ``home.py``
   (the service's queue query; return ``[]`` on Forbidden) and add it to ``_work_lists``.
6. Tests go to ``tests/miniprogram_api/console/`` (``test_<module>.py``). Fixtures there:
   ``staff_town`` (the requests test town; every staff member has a login, see ``USERNAMES``),
   ``console(username)`` (the Flask test client logged in through the form), and for browser
   tests ``browser_page`` (Playwright page in /usr/bin/chromium over ``live_server``, asserting
   that nothing leaves the app's origin); helpers in ``helpers.py`` (``csrf_of``, ``submit``,
   ``browser_login``, ``screenshot`` into ``.test-results/screenshots/``).
"""

# Importing the page modules registers their routes on ``bp``.
import miniprogram_api.console.action_attendance_pages  # noqa: F401
import miniprogram_api.console.actions_admin_pages  # noqa: F401
import miniprogram_api.console.audit_pages  # noqa: F401
import miniprogram_api.console.bot_groups_pages  # noqa: F401
import miniprogram_api.console.consultation_actions  # noqa: F401
import miniprogram_api.console.consultations_pages  # noqa: F401
import miniprogram_api.console.disclosure_actions  # noqa: F401
import miniprogram_api.console.disclosure_cadence_pages  # noqa: F401
import miniprogram_api.console.disclosure_questions_pages  # noqa: F401
import miniprogram_api.console.disclosures_pages  # noqa: F401
import miniprogram_api.console.ledger_entry_pages  # noqa: F401
import miniprogram_api.console.ledger_pages  # noqa: F401
import miniprogram_api.console.livestreams_pages  # noqa: F401
import miniprogram_api.console.media_pages  # noqa: F401
import miniprogram_api.console.menus  # noqa: F401
import miniprogram_api.console.notice_actions  # noqa: F401
import miniprogram_api.console.notices_pages  # noqa: F401
import miniprogram_api.console.points_pages  # noqa: F401
import miniprogram_api.console.points_setup_pages  # noqa: F401
import miniprogram_api.console.points_store_pages  # noqa: F401
import miniprogram_api.console.powers_pages  # noqa: F401
import miniprogram_api.console.project_actions  # noqa: F401
import miniprogram_api.console.project_detail_pages  # noqa: F401
import miniprogram_api.console.projects_pages  # noqa: F401
import miniprogram_api.console.report_actions  # noqa: F401
import miniprogram_api.console.reports_pages  # noqa: F401
import miniprogram_api.console.request_entry_pages  # noqa: F401
import miniprogram_api.console.seal_pages  # noqa: F401
import miniprogram_api.console.seal_use_forms  # noqa: F401
import miniprogram_api.console.users_pages  # noqa: F401
import miniprogram_api.console.wish_settings_pages  # noqa: F401
import miniprogram_api.console.wishes_pages  # noqa: F401
from miniprogram_api.console import (  # noqa: F401
    actions_pages,
    dashboards,
    home,
    request_actions,
    requests_pages,
    session,
)
from miniprogram_api.console.blueprint import bp

__all__ = ["bp"]
