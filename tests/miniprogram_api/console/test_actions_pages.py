"""An action's check-in screen in the console: the rotating QR (an SVG of the signed token
of this minute), the sign-up list, volunteers' certificates, and who is refused."""

from __future__ import annotations

import re

import pytest
import segno

from app.accounts.models import StaffCredential
from app.actions import attendance, rules, signups
from app.audit.models import AuditEntry
from app.clock import frozen
from app.crypto import derive_key
from tests.app.actions.conftest import NOW, START, publish
from tests.app.points.conftest import make_village

USERS = {"cadre": "cadre", "grid_worker": "grid", "other_cadre": "othercadre"}


@pytest.fixture
def village(password_hash):
    place = make_village()
    for attr, username in USERS.items():
        StaffCredential.create(user=getattr(place, attr), username=username,
                               password_hash=password_hash)
    return place


@pytest.fixture
def action(village):
    item = publish(village)
    with frozen(NOW):
        signups.sign_up(village.actor(village.resident, "miniprogram"), item.id)
    return item


def test_the_check_in_screen_shows_the_code_and_who_signed_up(console, village, action):
    res = console("cadre").get(f"/console/actions/{action.id}/check-in")
    assert res.status_code == 200
    assert action.title in res.text and village.resident.display_name in res.text
    assert f'src="/console/actions/{action.id}/qr-in.svg"' in res.text
    refresh = int(re.search(r'data-qr-refresh="(\d+)"', res.text).group(1))
    assert 5 <= refresh <= 60


def test_the_qr_image_is_this_minutes_token_and_it_checks_a_volunteer_in(console, village,
                                                                          action):
    client = console("cadre")
    with frozen(START):
        res = client.get(f"/console/actions/{action.id}/qr-in.svg")
        token = rules.make_token(derive_key(rules.KEY_PURPOSE), action.id, "in", START)
        signup = attendance.check_in(village.actor(village.resident, "miniprogram"),
                                     action.id, token)
    assert res.status_code == 200 and res.mimetype == "image/svg+xml"
    assert res.headers["Cache-Control"] == "no-store"
    expected = segno.make(token, error="m").svg_inline(border=4, omitsize=True, title="签到码")
    assert res.text == expected.replace("<svg ", '<svg xmlns="http://www.w3.org/2000/svg" ', 1)
    assert signup.checked_in_at == START


def test_a_bad_phase_is_refused(console, village, action):
    assert console("cadre").get(
        f"/console/actions/{action.id}/check-in?phase=later").status_code == 422


def test_a_cadre_of_another_village_cannot_open_the_screen(console, village, action):
    client = console("othercadre")
    assert client.get(f"/console/actions/{action.id}/check-in").status_code in (403, 404)
    assert client.get(f"/console/actions/{action.id}/qr-in.svg").status_code in (403, 404)


def test_a_cadre_downloads_a_volunteers_certificate_and_it_is_audited(console, village):
    res = console("cadre").get(f"/console/volunteers/{village.resident.id}/certificate.pdf"
                               f"?issuer={village.tree.village_a1.id}")
    assert res.status_code == 200 and res.data.startswith(b"%PDF")
    assert res.headers["Content-Disposition"].startswith("attachment;")
    assert AuditEntry.select().where(AuditEntry.action == "action.export_record").count() == 1


def test_another_villages_cadre_is_refused_the_certificate(console, village):
    res = console("othercadre").get(f"/console/volunteers/{village.resident.id}/certificate.pdf"
                                    f"?issuer={village.tree.village_a1.id}")
    assert res.status_code == 403 and "没有权限" in res.text
