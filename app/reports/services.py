"""The reporter's side: submit a report (confidential or anonymous), then, with the receipt
alone, read its status and messages, reply and add information.

Modes, as the API tells reporters:

* **confidential** (实名保密): the reporter is logged in; who they are is encrypted into the
  report and shown to an officer only through the reveal procedure (``reveal.py``);
* **anonymous** (匿名): :func:`submit_anonymous` takes no actor at all, and the edge calling it
  reads no token; nothing of the caller (openid, phone, address) is received or stored.

Either way the reporter follows up with the receipt only: no report row names its reporter, so
a logged-in reporter is not linked to the report anywhere but inside the encrypted identity.

The receipt: 16 digits from ``secrets``, shown once. Stored: an Argon2id verifier (``sealing``)
and a *lookup tag*, HMAC(server key, receipt) cut to :data:`TAG_HEX` hex digits (24 bits),
indexed, so a receipt finds its report without scanning. Why this keeps brute force infeasible:
without the server key the tag is noise, and testing a guess offline costs a full Argon2id run
(64 MiB) per guess over 10^16 receipts. With the server key *and* the database, the tag cuts the
candidates of one report to 10^16 / 2^24 ≈ 6 × 10^8, each still needing an Argon2id run, which
is thousands of CPU-years; the tag is kept short on purpose, and it stays useful because with
a million reports a wrong tag matches another report's tag about 6% of the time, and each
candidate is verified. Online guessing is throttled per client (``throttle.py``). A receipt with
no candidate still costs one Argon2id run, so the response time does not tell whether a tag
matched; the final comparison is constant-time (``sealing.verifiers_match``).

Report texts are never sent to WeChat's content check: that would hand them to WeChat.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from app import crypto
from app.accounts import phone as phones
from app.accounts.models import RoleGrant, User
from app.audit.services import record
from app.calendar.services import load_calendar
from app.clock import utcnow
from app.db import database
from app.errors import Conflict, InvalidInput, NotFound, Unauthorized
from app.policy import STAFF_ROLES, Actor
from app.regions import services as regions
from app.regions.models import Region
from app.reports import notify, recipients, routing, rules, sealing, setup, throttle
from app.reports.models import Report, ReportMessage, ReportRecipient
from app.reports.policies import AUDIT_OBJECT

TAG_HEX = 6
MAX_CANDIDATES = 16
_DUMMY_SALT = bytes(sealing.SALT_BYTES)
REPORTER_KINDS = ("information", "message", "decision", "conclusion")

ANONYMITY_TEXT = {
    "anonymous": ("匿名举报：不需要登录，本系统不接收、不保存您的微信身份（openid）、手机号或"
                  "IP 地址，办理人员无法知道您是谁。请注意：微信和服务器运营方仍能看到网络访问"
                  "记录；举报内容本身也可能让熟悉情况的人猜到您，请斟酌描述。"),
    "confidential": ("实名保密举报：您的身份会加密保存在举报中，只有经第二名纪检监察干部书面批准"
                     "后，承办人员才能查看，每次查看都留痕并接受上级监督。微信和服务器运营方仍能"
                     "看到网络访问记录。"),
    "receipt": ("请牢记回执码：它只显示这一次，系统只保存它的加密校验值，丢失后无法找回。"
                "凭回执码可以查看办理进度、与办理人员沟通、补充材料，无需登录。"),
}


@dataclass(frozen=True)
class Submission:
    report_id: int
    receipt: str
    status: str
    mode: str
    retention_days: int
    created_at: object


def receipt_tag(receipt: str) -> str:
    return crypto.keyed_hash("reports.receipt_tag", receipt)[:TAG_HEX]


def _new_receipt() -> str:
    return f"{secrets.randbelow(10 ** rules.RECEIPT_DIGITS):0{rules.RECEIPT_DIGITS}d}"


def _clean_text(text: str | None, low: int, high: int, code: str, what: str) -> str:
    text = (text or "").strip()
    if not low <= len(text) <= high:
        raise InvalidInput(code, f"{what}应为 {low} 到 {high} 个字")
    return text


def _check_accused(village: Region, user_id: int | None, name: str, office: str,
                   role: str) -> None:
    if role not in routing.ACCUSED_ROLES:
        raise InvalidInput("report.bad_accused_role", "请选择被举报人的身份")
    if user_id is None and not name.strip() and not office.strip():
        raise InvalidInput("report.accused_required", "请写明被举报人或被举报单位")
    if user_id is None:
        return
    town = regions.ancestor_of_level(village, "town")
    nodes = {village.id, town.id if town else 0}
    in_village = (RoleGrant.select().join(Region, on=(RoleGrant.region == Region.id))
                  .where((RoleGrant.user == user_id) & RoleGrant.revoked_at.is_null()
                         & RoleGrant.role.in_(sorted(STAFF_ROLES))
                         & (regions.in_subtree(Region.path, village.path)
                            | RoleGrant.region.in_(sorted(nodes)))).exists())
    if not in_village:
        raise InvalidInput("report.bad_accused", "请从名单中选择被举报人，或直接填写姓名和职务")


def _identity(actor: Actor) -> dict:
    user = User.get_by_id(actor.user_id)
    phone = crypto.decrypt(phones.CIPHER_PURPOSE, user.phone_cipher) if user.phone_cipher else None
    return {"user_id": user.id, "name": user.display_name, "phone": phone,
            "household_id": user.household_id}


def submit_confidential(actor: Actor | None, *, village_id: int, text: str,
                        client: str, accused_user_id: int | None = None,
                        accused_name: str = "", accused_office: str = "",
                        accused_role: str = "cadre") -> Submission:
    """A logged-in user reports; their identity is encrypted into the report.

    Any logged-in user. Raises Unauthorized; InvalidInput report.bad_village, report.text_length,
    report.accused_required, report.bad_accused, report.bad_accused_role; RateLimited
    report.too_many_submissions. Creates the report, its recipients, exclusions and notices.
    """
    if actor is None:
        raise Unauthorized()
    return _submit("confidential", _identity(actor), village_id=village_id, text=text,
                   client=client, accused_user_id=accused_user_id, accused_name=accused_name,
                   accused_office=accused_office, accused_role=accused_role)


def submit_anonymous(*, village_id: int, text: str, client: str,
                     accused_user_id: int | None = None, accused_name: str = "",
                     accused_office: str = "", accused_role: str = "cadre") -> Submission:
    """Anyone reports anonymously: no actor is taken, no identity is kept.

    ``client`` is the opaque throttle fingerprint (``throttle.fingerprint``), used only for the
    expiring submission counter. Raises what :func:`submit_confidential` raises, bar
    Unauthorized. Creates the report, its recipients, exclusions and notices.
    """
    return _submit("anonymous", None, village_id=village_id, text=text, client=client,
                   accused_user_id=accused_user_id, accused_name=accused_name,
                   accused_office=accused_office, accused_role=accused_role)


def _submit(mode: str, identity: dict | None, *, village_id: int, text: str, client: str,
            accused_user_id: int | None, accused_name: str, accused_office: str,
            accused_role: str) -> Submission:
    text = _clean_text(text, rules.TEXT_MIN, rules.TEXT_MAX, "report.text_length", "举报内容")
    accused_name, accused_office = accused_name.strip()[:50], accused_office.strip()[:100]
    village = setup.village_of(village_id)
    _check_accused(village, accused_user_id, accused_name, accused_office, accused_role)
    throttle.count_submission(client)
    receipt = _new_receipt()
    salt = sealing.new_salt()
    params = sealing.RECEIPT_KDF
    derived = sealing.receipt_secrets(receipt, salt, params)
    report_key = sealing.new_key()
    body = {"text": text, "accused_user_id": accused_user_id, "accused_name": accused_name,
            "accused_office": accused_office, "accused_role": accused_role}
    now = utcnow()
    with database.atomic():
        route = routing.route(village, accused_user_id, accused_role)
        retention = setup.retention_days_for(route.handling.id)
        deadline = load_calendar().deadline_after(now, rules.STAGE_DAYS["received"])
        report = Report.create(
            mode=mode, village=village.id, village_path=village.path,
            handling_region=route.handling.id, handling_path=route.handling.path,
            supervising_region=route.supervising.id if route.supervising else None,
            elevated=route.elevated, status="received",
            body_cipher=sealing.encrypt(report_key, "body", body),
            identity_cipher=(sealing.encrypt(report_key, "identity", identity)
                             if identity is not None else None),
            receipt_tag=receipt_tag(receipt), receipt_verifier=derived.verifier.hex(),
            receipt_salt=salt.hex(), kdf_time=params.time_cost, kdf_memory=params.memory_cost,
            kdf_lanes=params.parallelism,
            receipt_sealed_key=sealing.encrypt_bytes(derived.key, report_key),
            retention_days=retention, stage_deadline=deadline,
            next_due_at=rules.next_due(rules.LEVEL_NONE, deadline), created_at=now)
        recipients.add_exclusions(report, route.excluded)
        added = recipients.add_recipients(report, report_key, route.handlers,
                                          route.supervisors, now)
        record(actor=None, grant=None, action="report.submit", object_type=AUDIT_OBJECT,
               object_id=report.id, region_path=report.handling_path,
               region_id=report.handling_region_id, summary={"mode": mode})
        notify.notify_officers(report.id, added, "assigned", now)
    return Submission(report.id, receipt, report.status, mode, retention, now)


# -- following up with the receipt ----------------------------------------------------------

def _open_by_receipt(receipt_text: str | None, client: str) -> tuple[Report, bytes | None]:
    """The report a receipt opens and its key (None once destroyed), or report.not_found.

    Throttled per client; a malformed receipt counts as a wrong one.
    """
    throttle.check("receipt", client)
    receipt = rules.normalize_receipt(receipt_text)
    found, key = None, None
    if receipt is None:
        sealing.receipt_secrets("0" * rules.RECEIPT_DIGITS, _DUMMY_SALT, sealing.RECEIPT_KDF)
        candidates = []
    else:
        candidates = list(Report.select().where(Report.receipt_tag == receipt_tag(receipt))
                          .order_by(Report.id).limit(MAX_CANDIDATES))
        if not candidates:  # cost the same as a real check: timing must not tell a tag hit
            sealing.receipt_secrets(receipt, _DUMMY_SALT, sealing.RECEIPT_KDF)
    for candidate in candidates:
        derived = sealing.receipt_secrets(
            receipt, bytes.fromhex(candidate.receipt_salt),
            sealing.KdfParams(candidate.kdf_time, candidate.kdf_memory, candidate.kdf_lanes))
        if (sealing.verifiers_match(derived.verifier, bytes.fromhex(candidate.receipt_verifier))
                and found is None):
            found, key = candidate, derived.key
    if found is None:
        throttle.record_failure("receipt", client)
        raise NotFound("report.not_found", "找不到该举报，请核对回执码")
    if found.destroyed_at is not None or found.receipt_sealed_key is None:
        return found, None
    return found, sealing.decrypt_bytes(key, found.receipt_sealed_key)


def _accused_id(report: Report, report_key: bytes) -> int | None:
    return sealing.decrypt(report_key, "body", report.body_cipher).get("accused_user_id")


def reporter_status(receipt: str | None, *, client: str) -> dict:
    """What the reporter sees with the receipt: status, stage deadline, retention, and the
    messages exchanged with officers (internal notes never).

    Anyone holding the receipt. Raises report.not_found (404, throttled per client: then
    report.too_many_attempts 429). Brings the report's recipients up to date (sealing the key
    to officers who set up their keys since).
    """
    report, key = _open_by_receipt(receipt, client)
    messages = []
    if key is not None:
        with database.atomic():
            recipients.sync(report, key, _accused_id(report, key), utcnow())
        rows = (ReportMessage.select()
                .where((ReportMessage.report == report.id)
                       & ReportMessage.kind.in_(REPORTER_KINDS))
                .order_by(ReportMessage.id).limit(500))
        messages = [{"id": m.id, "kind": m.kind, "side": m.side, "created_at": m.created_at,
                     "text": sealing.decrypt(key, "message", m.body_cipher)} for m in rows]
    return {"status": report.status, "status_name": rules.STATE_NAMES[report.status],
            "mode": report.mode, "created_at": report.created_at,
            "stage_deadline": None if report.status in rules.CLOSED else report.stage_deadline,
            "retention_days": report.retention_days, "purge_after": report.purge_after,
            "destroyed": report.destroyed_at is not None, "messages": messages}


def reporter_write(receipt: str | None, text: str, *, kind: str, client: str) -> dict:
    """The reporter replies (``message``) or adds information (``information``).

    Anyone holding the receipt. Raises report.not_found / report.too_many_attempts;
    InvalidInput report.text_length; Conflict report.closed (concluded or not accepted),
    report.destroyed. Adds an encrypted message and notifies the handlers.
    """
    if kind not in ("message", "information"):
        raise InvalidInput("report.bad_kind", "未知的消息类型")
    report, key = _open_by_receipt(receipt, client)
    text = _clean_text(text, 1, rules.MESSAGE_MAX, "report.text_length", "内容")
    if key is None:
        raise Conflict("report.destroyed", "该举报已按保存期限销毁")
    if report.status in rules.CLOSED:
        raise Conflict("report.closed", "该举报已办结，如有新情况请重新举报")
    now = utcnow()
    with database.atomic():
        message = ReportMessage.create(report=report.id, kind=kind, side="reporter",
                                       body_cipher=sealing.encrypt(key, "message", text),
                                       created_at=now)
        record(actor=None, grant=None, action=f"report.reporter_{kind}",
               object_type=AUDIT_OBJECT, object_id=report.id, region_path=report.handling_path,
               region_id=report.handling_region_id, summary={"message_id": message.id})
        notify.notify_officers(report.id, handler_ids(report), f"reporter:{message.id}", now)
    return {"message_id": message.id, "created_at": now}


def handler_ids(report: Report) -> list[int]:
    return [row[0] for row in ReportRecipient.select(ReportRecipient.user)
            .where((ReportRecipient.report == report.id) & (ReportRecipient.level == "handler")
                   & ReportRecipient.recused_at.is_null()).tuples()]
