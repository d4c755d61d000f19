"""Officers' key pairs: set up, unlock for one session, lock; never stored in plaintext."""

from __future__ import annotations

import pytest

from app import kvstore
from app.errors import Conflict, Forbidden, InvalidInput, RateLimited, Unauthorized
from app.reports import keys, sealing, throttle
from app.reports.models import OfficerKey
from tests.app.reports.world import KEY_PASSWORD


def test_a_private_key_is_stored_only_encrypted_under_the_key_password(world):
    row = OfficerKey.get(OfficerKey.user == world.officer.id)
    private = keys._wrapped(row)
    opened = sealing.unwrap_officer_key(KEY_PASSWORD, private)
    assert opened.hex() not in row.private_key_cipher
    assert sealing.b64(opened) not in row.private_key_cipher


def test_a_key_is_set_up_once(world):
    with pytest.raises(Conflict) as err:
        keys.set_up_key(world.actor(world.officer), KEY_PASSWORD)
    assert err.value.code == "report.key_exists"


def test_a_weak_key_password_is_refused(world):
    with pytest.raises(InvalidInput):
        keys.set_up_key(world.actor(world.officer2), "short")


def test_only_discipline_officers_have_keys(world):
    for who in ("town_admin", "sysadmin", "other_cadre", "grid_worker", "resident"):
        with pytest.raises(Forbidden):
            keys.set_up_key(world.actor(getattr(world, who)), KEY_PASSWORD)


def test_unlocking_keeps_the_key_only_encrypted_under_the_session_token(world):
    actor, token = world.session(world.officer)
    stored = kvstore.get_value(keys._session_id(token))
    private = keys.session_private_key(actor, token)
    assert stored and private.hex() not in stored and sealing.b64(private) not in stored
    assert token not in stored and token not in keys._session_id(token)


def test_another_session_of_the_same_officer_is_still_locked(world):
    actor, _ = world.session(world.officer)
    with pytest.raises(Forbidden) as err:
        keys.session_private_key(actor, world.token(world.officer))
    assert err.value.code == "report.key_locked"


def test_locking_forgets_the_key(world):
    actor, token = world.session(world.officer)
    keys.lock_key(actor, session_token=token)
    with pytest.raises(Forbidden):
        keys.session_private_key(actor, token)
    assert keys.key_state(actor, session_token=token) == {
        "has_key": True, "unlocked": False, "expires_in": None}


def test_a_wrong_key_password_is_refused_and_counted(world):
    actor = world.actor(world.officer)
    for _ in range(throttle.FREE_FAILURES + 1):
        with pytest.raises(Unauthorized) as err:
            keys.unlock_key(actor, "Wrong-password-1", session_token="t")
        assert err.value.code == "report.bad_key_password"
    with pytest.raises(RateLimited):
        keys.unlock_key(actor, KEY_PASSWORD, session_token="t")


def test_unlocking_without_a_key_asks_to_set_one_up(world):
    from tests.factories import grant, make_user

    newcomer = make_user()
    grant(newcomer, "discipline_officer", world.tree.town_a)
    with pytest.raises(Conflict) as err:
        keys.unlock_key(world.actor(newcomer), KEY_PASSWORD, session_token="t")
    assert err.value.code == "report.no_key"
