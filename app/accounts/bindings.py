"""Household bindings: a resident asks to be bound to a household; a grid worker decides.

A user has at most one pending request. Approval makes the user a resident of the household
(``user.household`` plus a "resident" role grant) and ends the previous approved binding, so
moving house keeps the history: old rows stay, with status ``ended`` and their grant revoked.
Staff see and decide only bindings whose household lies inside one of their grants; anything
else is reported as not found, so the existence of a request never leaks across villages.
"""

from __future__ import annotations

from app.accounts.models import HouseholdBinding, RoleGrant, User
from app.accounts.policies import BINDING_DECIDE
from app.audit.services import record
from app.clock import utcnow
from app.db import database, is_postgres
from app.errors import Conflict, Forbidden, InvalidInput, NotFound, Unauthorized
from app.policy import Actor, Grant, find_grant, require_any_scope
from app.regions import rules as region_rules
from app.regions.models import Region
from app.regions.services import in_subtree

STATUSES = ("pending", "approved", "rejected", "ended")
OBJECT_TYPE = "household_binding"


def request_binding(actor: Actor | None, *, household_id: int, real_name: str,
                    relation: str) -> HouseholdBinding:
    """Ask to be bound to a household, for the caller themselves.

    Any logged-in user. Raises Unauthorized without a caller; InvalidInput binding.not_household
    (no such region, or not a household), binding.bad_name / binding.bad_relation (blank or too
    long); Conflict binding.pending_exists (a request is already waiting) or
    binding.already_bound (the caller already lives there). Creates a pending binding.
    """
    if actor is None:
        raise Unauthorized()
    real_name = _text(real_name, 50, "binding.bad_name", "请填写真实姓名（不超过50个字）")
    relation = _text(relation, 20, "binding.bad_relation", "请填写与户主的关系（不超过20个字）")
    with database.atomic():
        user = _lock_user(actor.user_id)
        household = Region.get_or_none(Region.id == household_id)
        if household is None or household.level != "household":
            raise InvalidInput("binding.not_household", "请选择到具体的户（门牌号）")
        if user.household_id == household.id:
            raise Conflict("binding.already_bound", "您已经绑定在这一户了")
        if (HouseholdBinding.select()
                .where((HouseholdBinding.user == user.id)
                       & (HouseholdBinding.status == "pending")).exists()):
            raise Conflict("binding.pending_exists", "您已有一条待审核的绑定申请，请耐心等待")
        binding = HouseholdBinding.create(user=user.id, household=household.id,
                                          region_path=household.path, real_name=real_name,
                                          relation=relation)
        record(actor=actor, grant=None, action="binding.request", object_type=OBJECT_TYPE,
               object_id=binding.id, region_path=household.path, region_id=household.id)
    return binding


def my_bindings(actor: Actor | None) -> list[dict]:
    """The caller's own bindings, newest first, with status and the reason staff gave.

    Any logged-in user, for themselves. Raises Unauthorized without a caller. Changes nothing.
    """
    if actor is None:
        raise Unauthorized()
    rows = (HouseholdBinding.select(HouseholdBinding, Region)
            .join(Region, on=(HouseholdBinding.household == Region.id))
            .where(HouseholdBinding.user == actor.user_id)
            .order_by(HouseholdBinding.id.desc()))
    return describe(list(rows))


def bindings_in_scope(actor: Actor | None, *, status: str = "pending"):
    """Bindings (default: pending) whose household lies in the caller's decide scope.

    Grid workers and cadres. Raises Unauthorized / Forbidden (no such grant) and InvalidInput
    binding.bad_status. Returns an unevaluated query (binding + user + household) for keyset
    paging by ``HouseholdBinding.id``; render a page with
    ``describe(rows, with_user=True)``. Changes nothing.
    """
    paths = require_any_scope(actor, BINDING_DECIDE)
    if status not in STATUSES:
        raise InvalidInput("binding.bad_status", "未知的申请状态")
    cond = None
    for path in paths:
        part = in_subtree(HouseholdBinding.region_path, path)
        cond = part if cond is None else (cond | part)
    return (HouseholdBinding.select(HouseholdBinding, User, Region)
            .join(User, on=(HouseholdBinding.user == User.id))
            .switch(HouseholdBinding)
            .join(Region, on=(HouseholdBinding.household == Region.id))
            .where(cond & (HouseholdBinding.status == status)))


def approve_binding(actor: Actor | None, binding_id: int, *, reason: str = "") -> HouseholdBinding:
    """Approve a pending binding: the user becomes a resident of that household.

    A grid worker or cadre whose grant covers the household. Raises Unauthorized / Forbidden
    (no decide grant at all), NotFound binding.not_found (missing or outside the caller's
    scope), Forbidden binding.own_request (deciding one's own request), Conflict
    binding.already_decided. Sets ``user.household``, grants "resident" on the household, ends
    the user's previous approved binding and revokes its resident grant.
    """
    require_any_scope(actor, BINDING_DECIDE)
    reason = _text(reason, 200, "binding.bad_reason", "说明不能超过200个字", required=False)
    with database.atomic():
        binding, grant = _decidable(actor, binding_id)
        _lock_user(binding.user_id)
        now = utcnow()
        _mark_decided(binding, "approved", actor, reason, now)
        ended = _end_previous(actor, grant, binding, now)
        revoked = _revoke_resident_grants(binding.user_id, now)
        User.update(household=binding.household_id).where(User.id == binding.user_id).execute()
        resident = RoleGrant.create(user=binding.user_id, role="resident",
                                    region=binding.household_id, granted_by=actor.user_id,
                                    created_at=now)
        record(actor=actor, grant=grant, action="binding.approve", object_type=OBJECT_TYPE,
               object_id=binding.id, region_path=binding.region_path,
               region_id=binding.household_id,
               summary={"user_id": binding.user_id, "grant_id": resident.id,
                        "ended_binding_ids": ended, "revoked_grant_ids": revoked})
    return HouseholdBinding.get_by_id(binding.id)


def reject_binding(actor: Actor | None, binding_id: int, *, reason: str) -> HouseholdBinding:
    """Reject a pending binding with a reason the resident will see.

    Same callers and errors as :func:`approve_binding`, plus InvalidInput
    binding.reason_required. Changes only the binding's status, reason and decision fields.
    """
    require_any_scope(actor, BINDING_DECIDE)
    reason = _text(reason, 200, "binding.reason_required", "请填写不通过的原因（不超过200个字）")
    with database.atomic():
        binding, grant = _decidable(actor, binding_id)
        _mark_decided(binding, "rejected", actor, reason, utcnow())
        # The reason is free text written about a person: it stays out of the audit summary.
        record(actor=actor, grant=grant, action="binding.reject", object_type=OBJECT_TYPE,
               object_id=binding.id, region_path=binding.region_path,
               region_id=binding.household_id, summary={"user_id": binding.user_id})
    return HouseholdBinding.get_by_id(binding.id)


def describe(bindings: list[HouseholdBinding], *, with_user: bool = False) -> list[dict]:
    """Render bindings with the household's full address (one query for all ancestors).

    ``with_user`` adds the applicant (display name and masked phone) for staff lists; the
    bindings must then have been selected with their user joined.
    """
    addresses = _addresses([b.region_path for b in bindings])
    out = []
    for b in bindings:
        item = {
            "id": b.id, "status": b.status, "real_name": b.real_name, "relation": b.relation,
            "reason": b.reason, "created_at": b.created_at, "decided_at": b.decided_at,
            "ended_at": b.ended_at,
            "household": {"id": b.household_id, "name": b.household.name,
                          "code": b.household.code, "address": addresses[b.region_path]},
        }
        if with_user:
            item["user"] = {"id": b.user.id, "display_name": b.user.display_name,
                            "phone_masked": b.user.phone_masked}
        out.append(item)
    return out


def _addresses(paths: list[str]) -> dict[str, str]:
    ids = {i for path in paths for i in region_rules.path_ids(path)}
    names = dict(Region.select(Region.id, Region.name).where(Region.id.in_(list(ids))).tuples()
                 ) if ids else {}
    return {path: " ".join(names.get(i, "") for i in region_rules.path_ids(path))
            for path in paths}


def _decidable(actor: Actor, binding_id: int) -> tuple[HouseholdBinding, Grant]:
    binding = HouseholdBinding.get_or_none(HouseholdBinding.id == binding_id)
    grant = find_grant(actor, BINDING_DECIDE, binding.region_path) if binding else None
    if grant is None:
        raise NotFound("binding.not_found", "找不到该绑定申请")
    if binding.user_id == actor.user_id:
        raise Forbidden("binding.own_request", "不能审核自己的绑定申请")
    return binding, grant


def _mark_decided(binding: HouseholdBinding, status: str, actor: Actor, reason: str,
                  now) -> None:
    # A conditional update, so two staff deciding at once cannot both win.
    count = (HouseholdBinding
             .update(status=status, reason=reason, decided_by=actor.user_id, decided_at=now)
             .where((HouseholdBinding.id == binding.id)
                    & (HouseholdBinding.status == "pending"))
             .execute())
    if count == 0:
        raise Conflict("binding.already_decided", "该申请已经处理过了")


def _end_previous(actor: Actor, grant: Grant, binding: HouseholdBinding, now) -> list[int]:
    previous = list(HouseholdBinding.select()
                    .where((HouseholdBinding.user == binding.user_id)
                           & (HouseholdBinding.status == "approved")
                           & (HouseholdBinding.id != binding.id)))
    for old in previous:
        HouseholdBinding.update(status="ended", ended_at=now).where(
            HouseholdBinding.id == old.id).execute()
        # Recorded under the old household, so the old village's supervisors see the move-out.
        record(actor=actor, grant=grant, action="binding.end", object_type=OBJECT_TYPE,
               object_id=old.id, region_path=old.region_path, region_id=old.household_id,
               summary={"user_id": old.user_id, "replaced_by": binding.id})
    return [old.id for old in previous]


def _revoke_resident_grants(user_id: int, now) -> list[int]:
    live = (RoleGrant.user == user_id) & (RoleGrant.role == "resident") \
        & RoleGrant.revoked_at.is_null()
    ids = [gid for (gid,) in RoleGrant.select(RoleGrant.id).where(live).tuples()]
    if ids:
        RoleGrant.update(revoked_at=now).where(RoleGrant.id.in_(ids)).execute()
    return ids


def _lock_user(user_id: int) -> User:
    """Load the user, holding its row lock on PostgreSQL so one person's binding writes queue.

    SQLite needs no lock: it serialises writers, and a stale reader fails to write.
    """
    query = User.select().where(User.id == user_id)
    if is_postgres():
        query = query.for_update()
    user = query.first()
    if user is None:
        raise Unauthorized()
    return user


def _text(value: str | None, max_length: int, code: str, message: str, *,
          required: bool = True) -> str:
    text = (value or "").strip()
    if (required and not text) or len(text) > max_length:
        raise InvalidInput(code, message)
    return text
