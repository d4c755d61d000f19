"""A volunteer's service record: the attendance organisers confirmed, as rows, as an Excel
workbook and as a printable PDF certificate stating the issuing committee and the hours.

Only confirmed attendance counts (the organiser records and certifies: 谁记录谁证明). A
certificate speaks for one issuer — the village (or town) committee of the actions — so a
volunteer who served in two villages gets one certificate from each. The PDF uses the Adobe
CID font STSong-Light, which every PDF reader has, so no font file ships with the app.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass

from app.accounts.models import HouseholdBinding, User
from app.actions import policies, rules
from app.actions.models import Action, ActionSignup
from app.audit.services import record
from app.clock import to_local, utcnow
from app.errors import InvalidInput, NotFound
from app.points.tx import write
from app.policy import Actor, authorize
from app.regions.models import Region

FORMATS = {"xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
           "pdf": "application/pdf"}
HEADERS = ("序号", "活动名称", "服务日期", "服务地点", "服务时长（小时）", "记录人", "出具单位")
MAX_ROWS = 2000
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
FONT = "STSong-Light"


@dataclass(frozen=True)
class Row:
    action_id: int
    title: str
    date: dt.date
    place: str
    minutes: int
    recorder: str
    issuer: str
    issuer_region_id: int


@dataclass(frozen=True)
class ServiceRecord:
    volunteer: str
    user_id: int
    issuer: str | None
    issuer_region_id: int | None
    rows: list[Row]
    generated_at: dt.datetime

    @property
    def minutes(self) -> int:
        return sum(r.minutes for r in self.rows)


def _volunteer_name(user: User) -> str:
    """The name on an approved household binding (a real name), else the display name."""
    binding = (HouseholdBinding.select(HouseholdBinding.real_name)
               .where((HouseholdBinding.user == user.id)
                      & (HouseholdBinding.status == "approved"))
               .order_by(HouseholdBinding.id.desc()).first())
    return (binding.real_name if binding else user.display_name) or "志愿者"


def _collect(user: User, issuer_region_id: int | None) -> ServiceRecord:
    query = (ActionSignup.select(ActionSignup, Action).join(Action)
             .where((ActionSignup.user == user.id) & (ActionSignup.attendance == "confirmed")))
    if issuer_region_id is not None:
        query = query.where(Action.issuer_region_id == issuer_region_id)
    signups = list(query.order_by(Action.starts_at, Action.id).limit(MAX_ROWS))
    regions = {r.id: r for r in Region.select().where(
        Region.id.in_({s.action.issuer_region_id for s in signups} or {0}))}
    recorders = dict(User.select(User.id, User.display_name).where(
        User.id.in_({s.decided_by for s in signups if s.decided_by} or {0})).tuples())
    rows = []
    for signup in signups:
        action = signup.action
        region = regions[action.issuer_region_id]
        rows.append(Row(action.id, action.title, to_local(action.starts_at).date(), action.place,
                        signup.minutes or 0, recorders.get(signup.decided_by, "") or "组织者",
                        rules.issuer_name(region.name, region.level), region.id))
    issuer = None
    if issuer_region_id is not None:
        region = Region.get_or_none(Region.id == issuer_region_id)
        if region is None:
            raise NotFound("region.not_found", "找不到该区域")
        issuer = rules.issuer_name(region.name, region.level)
    return ServiceRecord(_volunteer_name(user), user.id, issuer, issuer_region_id, rows,
                         utcnow())


def home_issuer(actor: Actor) -> int | None:
    """The caller's home village: the default issuer of their own certificate."""
    if not actor.household_path:
        return None
    from app.regions.rules import path_ids

    row = (Region.select(Region.id).where(Region.id.in_(path_ids(actor.household_path))
                                          & (Region.level == "village")).first())
    return row.id if row else None


def my_service_record(actor: Actor, *, issuer_region_id: int | None = None) -> ServiceRecord:
    """The caller's own confirmed service (optionally from one issuer). Any logged-in user."""
    user = User.get_by_id(actor.user_id)
    return _collect(user, issuer_region_id)


def volunteer_service_record(actor: Actor, user_id: int, *,
                             issuer_region_id: int) -> ServiceRecord:
    """A volunteer's service certified by ``issuer_region_id``, for staff over that village or
    town (printing a certificate for an elderly volunteer). Raises Forbidden, NotFound
    ``action.user_not_found``. Changes: an audit entry (staff read of a person's record)."""
    issuer = Region.get_or_none(Region.id == issuer_region_id)
    if issuer is None:
        raise NotFound("region.not_found", "找不到该区域")
    grant = authorize(actor, policies.EXPORT_RECORDS, issuer.path)
    user = User.get_or_none(User.id == user_id)
    if user is None:
        raise NotFound("action.user_not_found", "找不到该志愿者")
    service = _collect(user, issuer.id)

    def run() -> None:
        record(actor=actor, grant=grant, action="action.export_record", object_type="user",
               object_id=user.id, region_path=issuer.path,
               summary={"rows": len(service.rows), "issuer_region_id": issuer.id})

    write(run)
    return service


def _cell(value):
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def write_xlsx(service: ServiceRecord) -> bytes:
    """The record as a workbook: one row per action and a total."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    sheet.title = "志愿服务记录"
    sheet.append([f"志愿者：{_cell(service.volunteer)}"])
    sheet.append([f"出具单位：{service.issuer or '各活动所在社区(村)'}"])
    sheet.append(list(HEADERS))
    for cell in sheet[3]:
        cell.font = Font(bold=True)
    for n, row in enumerate(service.rows, start=1):
        sheet.append([n, _cell(row.title), row.date.isoformat(), _cell(row.place),
                      float(rules.hours_text(row.minutes)), _cell(row.recorder), row.issuer])
    sheet.append(["合计", "", "", "", float(rules.hours_text(service.minutes)), "", ""])
    for column, width in zip("ABCDEFG", (6, 30, 12, 24, 16, 12, 24), strict=True):
        sheet.column_dimensions[column].width = width
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def write_pdf(service: ServiceRecord) -> bytes:
    """A one-issuer certificate: who, how many hours in which actions, certified by whom."""
    if service.issuer is None:
        raise InvalidInput("action.issuer_required", "证明须指定出具单位（社区或村）")
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(FONT))
    title = ParagraphStyle("title", fontName=FONT, fontSize=20, leading=28, alignment=1)
    body = ParagraphStyle("body", fontName=FONT, fontSize=12, leading=20)
    right = ParagraphStyle("right", parent=body, alignment=2)
    hours = rules.hours_text(service.minutes)
    today = to_local(service.generated_at).date()
    first = service.rows[0].date if service.rows else None
    last = service.rows[-1].date if service.rows else None
    span = f"于 {first:%Y年%m月%d日} 至 {last:%Y年%m月%d日} 期间" if first else ""
    story = [
        Paragraph("志愿服务记录证明", title), Spacer(1, 8 * mm),
        Paragraph(f"兹证明 {_escape(service.volunteer)} {span}在本单位组织的志愿服务活动中"
                  f"参加服务 {len(service.rows)} 次，累计服务时长 {hours} 小时。", body),
        Spacer(1, 6 * mm),
    ]
    table = [["序号", "活动名称", "服务日期", "服务时长（小时）", "记录人"]]
    for n, row in enumerate(service.rows, start=1):
        table.append([str(n), row.title[:30], row.date.isoformat(),
                      rules.hours_text(row.minutes), row.recorder[:10]])
    table.append(["合计", "", "", hours, ""])
    grid = Table(table, colWidths=[14 * mm, 70 * mm, 28 * mm, 32 * mm, 26 * mm], repeatRows=1)
    grid.setStyle(TableStyle([("FONT", (0, 0), (-1, -1), FONT, 10),
                              ("GRID", (0, 0), (-1, -1), 0.5, colors.grey),
                              ("BACKGROUND", (0, 0), (-1, 0), colors.whitesmoke)]))
    story += [grid, Spacer(1, 10 * mm),
              Paragraph("本证明依据活动组织者确认的签到、签退记录出具（谁记录谁证明）。", body),
              Spacer(1, 12 * mm),
              Paragraph(f"出具单位：{_escape(service.issuer)}", right),
              Paragraph(f"{today:%Y年%m月%d日}", right)]
    out = io.BytesIO()
    SimpleDocTemplate(out, pagesize=A4, title="志愿服务记录证明", author=service.issuer,
                      leftMargin=20 * mm, rightMargin=20 * mm).build(story)
    return out.getvalue()


def _escape(text: str) -> str:
    return (text or "").replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def filename(kind: str, fmt: str, now: dt.datetime) -> str:
    return f"service-{kind}-{to_local(now):%Y%m%d}.{fmt}"
