"""The permission table and region scopes, as pure functions (no database)."""

from __future__ import annotations

import pytest

from app.accounts.policies import AUDIT_READ, BINDING_DECIDE, ROLE_GRANT, USER_READ
from app.errors import Forbidden, Unauthorized
from app.policy import (
    Actor,
    Grant,
    authorize,
    can,
    register,
    require_any_scope,
    roles_for,
    scope_paths,
)
from app.regions.rules import contains


def actor(*grants):
    return Actor(user_id=1, grants=tuple(Grant(i, role, i, path)
                                         for i, (role, path) in enumerate(grants, start=1)))


def test_a_node_contains_itself_and_its_descendants():
    assert contains("/1/2/", "/1/2/")
    assert contains("/1/2/", "/1/2/9/")
    assert not contains("/1/2/9/", "/1/2/")


def test_sibling_ids_sharing_a_prefix_are_not_confused():
    assert not contains("/1/2/", "/1/23/")
    assert not contains("/1/23/", "/1/2/")


def test_a_grant_allows_its_action_below_its_node_only():
    cadre = actor(("cadre", "/1/2/"))
    assert can(cadre, BINDING_DECIDE, "/1/2/5/")
    assert not can(cadre, BINDING_DECIDE, "/1/3/5/")
    assert not can(cadre, AUDIT_READ, "/1/2/5/")


def test_authorize_returns_the_grant_that_allowed_it():
    both = actor(("finance_panel", "/1/"), ("cadre", "/1/2/"))
    assert authorize(both, BINDING_DECIDE, "/1/2/7/").role == "cadre"


def test_authorize_refuses_strangers_and_anonymous_callers():
    with pytest.raises(Forbidden):
        authorize(actor(("cadre", "/1/2/")), BINDING_DECIDE, "/1/3/")
    with pytest.raises(Unauthorized):
        authorize(None, BINDING_DECIDE, "/1/")


def test_scope_paths_collapse_nested_grants_and_keep_siblings():
    many = actor(("sysadmin", "/1/2/5/"), ("sysadmin", "/1/2/"), ("sysadmin", "/1/23/"),
                 ("cadre", "/9/"))
    assert scope_paths(many, ROLE_GRANT) == ["/1/2/", "/1/23/"]


def test_scope_paths_of_nobody_is_empty():
    assert scope_paths(None, USER_READ) == []
    assert scope_paths(actor(("finance_panel", "/1/")), USER_READ) == []


def test_require_any_scope_refuses_an_actor_without_the_role():
    with pytest.raises(Forbidden):
        require_any_scope(actor(("finance_panel", "/1/")), USER_READ)
    with pytest.raises(Unauthorized):
        require_any_scope(None, USER_READ)


def test_an_unknown_action_raises_key_error_rather_than_allowing():
    with pytest.raises(KeyError):
        roles_for("binding.aprove")
    with pytest.raises(KeyError):
        can(actor(("sysadmin", "/1/")), "no.such.action", "/1/")


def test_registering_an_action_declares_its_roles():
    action = register("test.policy_probe", {"cadre"})
    assert roles_for(action) == frozenset({"cadre"})


def test_narrowing_to_a_grant_keeps_only_that_grant():
    both = actor(("cadre", "/1/2/"), ("sysadmin", "/1/"))
    narrowed = both.using_grant(1)
    assert narrowed.roles == frozenset({"cadre"})
    with pytest.raises(Forbidden):
        both.using_grant(99)
