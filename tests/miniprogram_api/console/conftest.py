"""Fixtures of the console tests: a town with staff who can log in, a logged-in Flask test
client, and for browser tests a live server plus a Playwright page in the system Chromium.

The live server is werkzeug's ``make_server`` in a thread over the session's app, so it uses
the very database the per-test ``clean_db`` fixture resets (SQLite file or PostgreSQL schema).
Browser tests are skipped when /usr/bin/chromium (or the playwright package) is missing,
unless REQUIRE_BROWSER=1, where that is a failure (CI installs both:
scripts/ci/install_chromium.sh).
"""

from __future__ import annotations

import os
import threading

import pytest
from werkzeug.serving import make_server

from app.accounts import passwords
from app.accounts.models import StaffCredential
from tests.app.requests.conftest import Town
from tests.app.requests.conftest import town as town  # noqa: F401  (the fixture, reused)
from tests.miniprogram_api.console.helpers import PASSWORD, console_login

CHROMIUM = "/usr/bin/chromium"
USERNAMES = {"grid_worker": "grid", "cadre": "cadre", "town_admin": "townadmin",
             "discipline": "discipline", "handler": "handler", "sysadmin": "sysadmin"}


@pytest.fixture(scope="session")
def password_hash() -> str:
    """One argon2id hash of PASSWORD for the session: hashing costs ~0.5 s each on the shared
    CI machine, and six staff per test would dominate the browser tests' time."""
    return passwords.hash_password(PASSWORD)


@pytest.fixture
def staff_town(town: Town, password_hash: str) -> Town:  # noqa: F811
    """The requests test town, with a console login for each staff member (password
    ``PASSWORD``, usernames in ``USERNAMES``). The rows are what
    ``staff.create_staff_account`` writes, with the session's precomputed hash."""
    for attr, username in USERNAMES.items():
        StaffCredential.create(user=getattr(town, attr), username=username,
                               password_hash=password_hash)
    return town


@pytest.fixture
def console(client):
    """``console(username)``: the test client logged in as that staff member."""

    def log_in(username: str):
        res = console_login(client, username)
        assert res.status_code == 302, res.text
        return client

    return log_in


# -- browser ---------------------------------------------------------------------------------

def _browser_unavailable() -> str | None:
    if not os.path.exists(CHROMIUM):
        return f"{CHROMIUM} is missing (install it with scripts/ci/install_chromium.sh)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the playwright package is not installed (requirements.txt)"
    return None


@pytest.fixture(scope="session")
def browser():
    reason = _browser_unavailable()
    if reason:
        if os.environ.get("REQUIRE_BROWSER") == "1":
            pytest.fail(f"REQUIRE_BROWSER=1 but {reason}")
        pytest.skip(f"browser tests skipped: {reason}")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        # localhost is a secure context for Chromium, so the Secure session cookie works over
        # plain http in tests; the rule pins it to IPv4 where the server listens.
        chromium = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=[
            "--host-resolver-rules=MAP localhost 127.0.0.1", "--no-sandbox"])
        yield chromium
        chromium.close()


@pytest.fixture(scope="session")
def live_server(app, browser):
    server = make_server("127.0.0.1", 0, app, threaded=False)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://localhost:{server.server_port}"
    server.shutdown()
    thread.join(timeout=5)


@pytest.fixture
def browser_page(browser, live_server):
    """A fresh Playwright page (own cookies) whose every request URL is recorded; the test
    fails if any left the app's origin (no CDN, no external fonts or scripts)."""
    context = browser.new_context(base_url=live_server, locale="zh-CN",
                                  viewport={"width": 1280, "height": 900})
    context.set_default_timeout(5000)
    page = context.new_page()
    seen: list[str] = []
    page.on("request", lambda req: seen.append(req.url))
    yield page
    context.close()
    outside = [url for url in seen
               if not url.startswith(live_server + "/") and not url.startswith("data:")]
    assert not outside, f"requests left the app's origin: {outside}"
    assert seen, "the page made no request at all"
