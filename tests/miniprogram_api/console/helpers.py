"""Helpers of the console tests: build a request, read a form's CSRF token, log in (test
client and browser), save a screenshot."""

from __future__ import annotations

import re
from pathlib import Path

from app.requests import services as requests
from tests.app.requests.conftest import Town

PASSWORD = "Linli-staff-2026"
SCREENSHOTS = Path(__file__).resolve().parents[3] / ".test-results" / "screenshots"


def submit(town: Town, text: str = "楼道里的灯坏了一个星期，晚上看不见路"):
    """A resident's request in grid A1 (routed to the grid unit), submitted now."""
    return requests.submit_request(town.actor(town.resident, "miniprogram"), type="help",
                                   category_code="environment", text=text)


def csrf_of(html: str) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert match, "page has no CSRF field"
    return match.group(1)


def console_login(client, username: str, password: str = PASSWORD):
    """Log ``username`` in through the login form (any earlier session is dropped first)."""
    client.delete_cookie("linli_console", path="/console")
    page = client.get("/console/login")
    return client.post("/console/login", data={
        "username": username, "password": password, "csrf_token": csrf_of(page.text)})


def browser_login(page, username: str, password: str = PASSWORD) -> None:
    page.goto("/console/login")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码", exact=True).fill(password)
    page.get_by_role("button", name="登录").click()


def screenshot(page, name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path

