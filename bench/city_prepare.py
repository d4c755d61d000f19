"""``city_load.py --prepare``: make a ``seed-city`` database ready for the city load test.

Idempotent, and it never loads a whole table: the generator's shape is read back from the
region counts per level and a binary search over user ids (residents are users ``1..R`` with
openid ``seed-<id>``); every sample is then placed by the generator's own id arithmetic
(:class:`~miniprogram_api.seeding.scales.Shape`), spread evenly over the city.

* Staff: ``--staff`` grid workers, cadres and town admins (spread over grids, villages, towns)
  get the console login ``cityload-<user id>`` with :data:`PASSWORD`. The password is hashed
  ONCE with the app's own hasher and written to all their ``staff_credential`` rows in one
  upsert (argon2 per row would take hours for the city's 41,000 staff); the upsert also clears
  any lockout left by an earlier run.
* Through the app's services, in the villages of the sampled grid workers (at most
  ``--villages``): :data:`POSTS` published notices per village (by its cadre), one open action
  with room for everyone (same cadre), ``--fresh`` submitted requests waiting in each sampled
  grid's to_accept queue (topped up: a staff run consumes them), one smart-bot endpoint per town
  (its town admin) and ``--bot-groups`` building groups bound with binding codes issued by the
  grid workers.
* Residents: ``--residents`` spread over those villages, each with its village's action, a few
  open requests of the village to follow and the village's public code.

Returns (and ``city_load.py`` saves) the plan the mixes run from and what was created.
"""

from __future__ import annotations

import datetime as dt
import time

from miniprogram_api.seeding.scales import LEVELS, Shape, children

PASSWORD = "CityLoad-bench-2026!"
POSTS = 3
POST_TITLE = "压测通知：本周六小区环境卫生大扫除"
ACTION_TITLE = "压测微行动：社区环境清洁志愿服务"
BOT_NAME = "压测机器人"
OPEN = ("submitted", "accepted", "dispatched", "in_progress", "waiting_for_resident",
        "returned", "reopened", "resolved")


def read_shape() -> Shape:
    """The seeded shape: regions counted per level, residents found by binary search."""
    from peewee import fn

    from app.accounts.models import User
    from app.regions.models import Region

    per_level = dict(Region.select(Region.level, fn.COUNT(Region.id))
                     .group_by(Region.level).tuples())
    if any(per_level.get(level, 0) == 0 for level in LEVELS):
        raise SystemExit(f"not a seed-city database (regions per level: {per_level})")
    low, high = 0, User.select(fn.MAX(User.id)).scalar() or 0  # residents: ids 1..low
    while low < high:
        mid = (low + high + 1) // 2
        user = User.get_or_none(User.id == mid)
        if user is not None and user.openid == f"seed-{mid}":
            low = mid
        else:
            high = mid - 1
    counts = {("households" if lv == "household" else f"{lv}s"): per_level[lv] for lv in LEVELS}
    return Shape("seeded", dict(counts, residents=low))


def spread_sample(n: int, k: int) -> list[int]:
    """``k`` of the indexes ``0..n-1`` (all if ``k >= n``), evenly spaced."""
    return sorted({i * n // k for i in range(k)}) if k < n else list(range(n))


def _actor(user_id: int, kind: str = "staff"):
    from app.accounts.models import User
    from app.accounts.tokens import load_actor

    return load_actor(User.get_by_id(user_id), kind)


def set_passwords(shape: Shape, per_role: int) -> dict[str, list[dict]]:
    """One argon2 hash, one upsert: console logins for the sampled staff; returns them."""
    from app.accounts import passwords
    from app.accounts.models import StaffCredential
    from app.clock import utcnow
    from app.db import database

    staff: dict[str, list[dict]] = {"grid_worker": [], "cadre": [], "town_admin": []}
    for g in spread_sample(shape.n("grid"), per_role):
        staff["grid_worker"].append({"user_id": shape.staff_id("grid_worker", g), "grid": g,
                                     "unit_id": shape.unit_id("grid", g)})
    for v in spread_sample(shape.n("village"), per_role):
        staff["cadre"].append({"user_id": shape.staff_id("cadre", v), "village": v})
    for t in spread_sample(shape.n("town"), per_role):
        for key in ("town_admin", "town_deputy")[:2 if per_role > shape.n("town") else 1]:
            staff["town_admin"].append({"user_id": shape.staff_id(key, t), "town": t})
    for people in staff.values():
        for person in people:
            person["username"] = f"cityload-{person['user_id']}"
    hashed = passwords.hash_password(PASSWORD)
    now = utcnow()
    rows = [{"user": p["user_id"], "username": p["username"], "password_hash": hashed,
             "password_changed_at": now} for people in staff.values() for p in people]
    with database.atomic():
        (StaffCredential.insert_many(rows)
         .on_conflict(conflict_target=[StaffCredential.user],
                      update={StaffCredential.password_hash: hashed,
                              StaffCredential.failed_count: 0,
                              StaffCredential.locked_until: None})
         .execute())
    return staff


def _ensure_posts(shape: Shape, village: int, cadre) -> int:
    from app.posts import services as posts
    from app.posts.models import Post

    region_id = shape.region_id("village", village)
    have = (Post.select().where((Post.region == region_id) & (Post.title == POST_TITLE)
                                & (Post.status == "published")).count())
    for n in range(have, POSTS):
        post = posts.create_post(cadre, kind="notice", title=POST_TITLE, region_id=region_id,
                                 body=f"请各位居民周六上午九点到小区广场集合（第{n + 1}则）。")
        posts.publish_post(cadre, post.id)
    return POSTS - min(have, POSTS)


def _ensure_action(shape: Shape, village: int, cadre) -> tuple[int, bool]:
    from app.actions import services as actions
    from app.actions.models import Action
    from app.clock import utcnow

    region_id = shape.region_id("village", village)
    now = utcnow()
    found = (Action.select(Action.id).where((Action.region_id == region_id)
                                            & (Action.title == ACTION_TITLE)
                                            & (Action.starts_at > now + dt.timedelta(days=2))
                                            & (Action.status == "open")).first())
    if found is not None:
        return found.id, False
    starts = (now + dt.timedelta(days=30)).replace(minute=0, second=0, microsecond=0)
    action = actions.create_action(cadre, region_id=region_id, title=ACTION_TITLE,
                                   place="社区广场", starts_at=starts,
                                   ends_at=starts + dt.timedelta(hours=3), capacity=10_000)
    return action.id, True


def _top_up_requests(shape: Shape, grid: int, fresh: int) -> int:
    """Submitted requests (by the grid's own residents) until ``fresh`` wait to be accepted."""
    from app.content import WordListChecker
    from app.requests.models import Request
    from app.requests.services import submit_request

    path = shape.path("grid", grid)
    waiting = (Request.select().where(Request.region_path.startswith(path)
                                      & (Request.status == "submitted")
                                      & (Request.held_for_review == False))  # noqa: E712
               .count())
    households = shape._descendants("grid", grid, "household")
    first = -(-households.start * shape.counts["residents"] // shape.n("household"))
    for n in range(waiting, fresh):
        resident = _actor(first + 1 + n % 5, "miniprogram")
        submit_request(resident, type="help", category_code="environment",
                       text=f"楼道里的声控灯坏了，晚上看不清台阶（压测 {n + 1}）",
                       checker=WordListChecker())
    return max(0, fresh - waiting)


def _bot(shape: Shape, grids: list[dict], count: int, admins: dict[int, int]) -> dict:
    """A smart-bot endpoint per town of the first ``count`` sampled grids and a bound group
    for one building of each."""
    from app.bot import config, groups
    from app.bot.inbox import receive
    from app.bot.messages import InboundMessage, Sender
    from app.bot.models import BotEndpoint
    from app.clock import utcnow
    from tests.bot import wire

    out = {"endpoints": {}, "groups": [], "bound": 0, "endpoints_created": 0}
    for person in grids[:count]:
        town = shape.ancestors("grid", person["grid"])["town"]
        town_id = shape.region_id("town", town)
        endpoint = (BotEndpoint.select().where((BotEndpoint.region == town_id)
                                               & (BotEndpoint.name == BOT_NAME)
                                               & (BotEndpoint.kind == "wecom_bot")).first())
        if endpoint is None:
            endpoint = config.create_endpoint(
                _actor(admins[town]), kind="wecom_bot", name=BOT_NAME, region_id=town_id,
                token=wire.DOC_TOKEN, encoding_aes_key=wire.DOC_AES_KEY)
            out["endpoints_created"] += 1
        out["endpoints"][str(town_id)] = endpoint.id
        building = children(person["grid"], shape.n("building"), shape.n("grid")).start
        building_id = shape.region_id("building", building)
        chat = f"cityload-b{building_id}"
        if groups.active_group("wecom_bot", f"{endpoint.id}:{chat}") is None:
            code = groups.issue_binding_code(_actor(person["user_id"]), building_id).code
            receive(InboundMessage(
                channel="wecom_bot", msg_id=f"{endpoint.id}:bind-{chat}-{time.time_ns()}",
                chat_id=f"{endpoint.id}:{chat}", sender=Sender("wecom_user", "gw", "bench"),
                text=f"绑定 {code}", created_at=utcnow()))
            out["bound"] += 1
        out["groups"].append({"endpoint": endpoint.id, "chat": chat,
                              "building": building_id})
    return out


def _residents(shape: Shape, village: int, k: int) -> list[int]:
    people = shape.residents_of_village(village)
    return [people.start + i + 1 for i in spread_sample(len(people), k)]


def prepare(args) -> dict:
    """Run every step on the connected database; returns the plan and what was created."""
    from peewee import fn

    from app.points import setup as points_setup
    from app.regions.models import Region
    from app.requests.models import Request

    began = time.monotonic()
    shape = read_shape()
    staff = set_passwords(shape, args.staff)
    points_setup.ensure_default_rules()  # actions need the per-hour rule (a no-op if seeded)
    admins = {p["town"]: p["user_id"] for p in reversed(staff["town_admin"])}
    for person in staff["grid_worker"]:
        town = shape.ancestors("grid", person["grid"])["town"]
        admins.setdefault(town, shape.staff_id("town_admin", town))
    did = {"posts": 0, "actions": 0, "requests": 0}
    villages, seen = [], set()
    for person in staff["grid_worker"]:
        v = shape.parent_index("grid", person["grid"])
        if v in seen or len(villages) >= args.villages:
            continue
        seen.add(v)
        cadre = _actor(shape.staff_id("cadre", v))
        did["posts"] += _ensure_posts(shape, v, cadre)
        action_id, created = _ensure_action(shape, v, cadre)
        did["actions"] += created
        region_id = shape.region_id("village", v)
        follow = [r for (r,) in Request.select(Request.id).where(
            (Request.village_id == region_id) & Request.status.in_(OPEN)
            & (Request.held_for_review == False))  # noqa: E712
            .order_by(Request.id.desc()).limit(20).tuples()]
        villages.append({"index": v, "id": region_id,
                         "code": Region.get_by_id(region_id).code, "action_id": action_id,
                         "follow": follow})
    per_village = max(1, args.residents // max(1, len(villages)))
    for village in villages:
        village["residents"] = _residents(shape, village["index"], per_village)
    for person in staff["grid_worker"]:
        did["requests"] += _top_up_requests(shape, person["grid"], args.fresh)
    bot = _bot(shape, staff["grid_worker"], args.bot_groups, admins)
    last = Request.select(fn.MAX(Request.id)).scalar() or 0
    tracking = [t for (t,) in Request.select(Request.tracking_no).where(
        Request.id.in_([1 + i for i in spread_sample(last, 50)])).tuples() if t]
    return {"shape": shape.counts, "password": PASSWORD, "staff": staff,
            "villages": villages, "bot": dict(bot, tracking=tracking), "did": did,
            "seconds": round(time.monotonic() - began, 1)}
