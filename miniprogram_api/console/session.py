"""Console login, logout, the role/scope switcher, and who is looking at a page.

A console session is a staff bearer token (``app.accounts.staff.staff_login``, the service the
``/admin/api/v1/auth/login`` endpoint calls) kept in the signed, HttpOnly session cookie. Each
page resolves it with ``resolve_token`` exactly as the API resolves an ``Authorization`` header,
so expiry, revocation, disabled accounts and the idle timeout (STAFF_IDLE_TIMEOUT_SECONDS) are
the same rules; the chosen grant narrows the actor with ``Actor.using_grant``, the call behind
the API's ``X-Linli-Grant`` header. No console-only session table is needed.
"""

from __future__ import annotations

import functools

from flask import current_app, flash, g, redirect, request, session, url_for

from app.accounts import staff
from app.accounts.models import ROLE_NAMES, User
from app.accounts.tokens import resolve_token, revoke_token
from app.errors import DomainError, Forbidden, Unauthorized
from app.policy import Actor
from app.regions.models import Region
from miniprogram_api.console import csrf
from miniprogram_api.console.blueprint import LARGE_FONT_COOKIE, bp
from miniprogram_api.console.pages import render, safe_next

TOKEN_KEY = "token"
GRANT_KEY = "grant"


def _settings():
    return current_app.config["LINLI_SETTINGS"]


def console_actor() -> Actor | None:
    """The staff member behind this browser session, narrowed to the chosen grant; None when
    not logged in. Raises Unauthorized (expired, revoked, idle) after ending the session."""
    if "console_actor" in g:
        return g.console_actor
    token = session.get(TOKEN_KEY)
    actor = None
    if token:
        try:
            actor = resolve_token(token,
                                  idle_timeout_seconds=_settings().staff_idle_timeout_seconds)
        except Unauthorized:
            session.clear()
            raise
        if actor.token_kind != "staff":  # only staff_login puts a token here; belt and braces
            session.clear()
            raise Unauthorized()
        g.console_person = actor
        try:
            actor = actor.using_grant(session.get(GRANT_KEY))
        except Forbidden:
            session.pop(GRANT_KEY, None)  # the grant was revoked meanwhile: back to all grants
    g.console_actor = actor
    return actor


def page(fn):
    """Decorate a console view: it receives ``actor``; anonymous visitors go to the login."""

    @functools.wraps(fn)
    def view(*args, **kwargs):
        try:
            actor = console_actor()
        except Unauthorized as exc:
            flash(exc.message, "error")
            actor = None
        if actor is None:
            return redirect(url_for("console.login", next=request.full_path.rstrip("?")))
        return fn(*args, actor=actor, **kwargs)

    return view


def current_identity() -> dict | None:
    """Name, grants (with role and place names) and the chosen grant, for the page header."""
    if "console_identity" in g:
        return g.console_identity
    identity = None
    try:
        actor = console_actor()
    except DomainError:
        actor = None
    if actor is not None:
        user = User.get_by_id(actor.user_id)
        everything = g.console_person.grants  # the switcher lists all, even while one is chosen
        names = {r.id: r.name for r in Region.select(Region.id, Region.name)
                 .where(Region.id.in_(sorted({gr.region_id for gr in everything})))}
        from miniprogram_api.console.requests_pages import may_see_requests

        identity = {
            "name": user.display_name,
            "requests": may_see_requests(actor),
            "chosen": session.get(GRANT_KEY),
            "grants": [{"id": gr.id, "role": ROLE_NAMES.get(gr.role, gr.role),
                        "place": names.get(gr.region_id, "")} for gr in everything],
        }
    g.console_identity = identity
    return identity


@bp.route("/login", methods=["GET", "POST"])
def login():
    next_url = safe_next(request.values.get("next"))
    if request.method == "GET":
        if session.get(TOKEN_KEY):
            return redirect(next_url)
        return render("console/login.html", next_url=next_url, otp_needed=False)
    form = request.form
    settings = _settings()
    try:
        result = staff.staff_login(
            form.get("username", "").strip(), form.get("password", ""),
            form.get("otp", "").strip() or None, ttl_seconds=settings.staff_token_ttl_seconds,
            max_failures=settings.login_max_failures,
            lockout_seconds=settings.login_lockout_seconds)
    except DomainError as exc:
        return render("console/login.html", next_url=next_url, error=exc.message,
                      username=form.get("username", ""),
                      otp_needed=exc.code in ("auth.otp_required", "auth.bad_otp")), exc.status
    session.clear()
    session[TOKEN_KEY] = result.token
    csrf.rotate()
    return redirect(next_url)


@bp.route("/logout", methods=["POST"])
def logout():
    token = session.get(TOKEN_KEY)
    if token:
        revoke_token(token)
    session.clear()
    csrf.rotate()
    flash("您已安全退出", "info")
    return redirect(url_for("console.login"))


@bp.route("/grant", methods=["POST"])
@page
def choose_grant(actor: Actor):
    """Act with one grant only (or all of them again): the same narrowing as X-Linli-Grant."""
    raw = request.form.get("grant_id", "")
    if not raw:
        session.pop(GRANT_KEY, None)
    else:
        try:
            chosen = int(raw)
            g.console_person.using_grant(chosen)
        except (ValueError, Forbidden):
            raise Forbidden("auth.grant_not_held", "您没有这个角色授权") from None
        session[GRANT_KEY] = chosen
    return redirect(url_for("console.home"))


@bp.route("/large-font", methods=["POST"])
def toggle_large_font():
    """Large-font mode: a cookie read by every page (works without JavaScript)."""
    response = redirect(safe_next(request.form.get("next")))
    on = request.cookies.get(LARGE_FONT_COOKIE) != "1"
    response.set_cookie(LARGE_FONT_COOKIE, "1" if on else "0", max_age=365 * 24 * 3600,
                        path="/console", samesite="Lax", httponly=True,
                        secure=current_app.config["SESSION_COOKIE_SECURE"])
    return response
