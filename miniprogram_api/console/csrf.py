"""CSRF protection of console forms: a synchronizer token kept in the signed session.

Each browser session gets one random token (``secrets.token_urlsafe``); every POST form carries
it in a hidden field and :func:`check` compares it in constant time. The session cookie is
signed with the app's SECRET_KEY and SameSite=Lax, so another site can neither read the token
nor forge the cookie. This is the same pattern Flask-WTF implements; doing it in thirty lines
avoids pulling in WTForms beside marshmallow, which already validates our input.
"""

from __future__ import annotations

import hmac
import secrets

from flask import session

from app.errors import DomainError

FIELD = "csrf_token"
SESSION_KEY = "csrf"


class CsrfFailed(DomainError):
    status = 400
    code = "console.csrf_failed"
    message = "页面已过期，请刷新页面后重新提交"


def token() -> str:
    """This session's token, created on first use (the login form gets one too)."""
    value = session.get(SESSION_KEY)
    if not value:
        value = session[SESSION_KEY] = secrets.token_urlsafe(32)
    return value


def rotate() -> None:
    """A new token after login/logout, so a token seen before login is worthless after."""
    session[SESSION_KEY] = secrets.token_urlsafe(32)


def check(submitted: str | None) -> None:
    expected = session.get(SESSION_KEY)
    if not expected or not submitted or not hmac.compare_digest(expected, submitted):
        raise CsrfFailed()
