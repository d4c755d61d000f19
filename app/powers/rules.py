"""Pure rules of the power list: categories and the validation of an item and its steps.

A step that ``requires_evidence`` names what has to be kept (``evidence_hint``: 会议记录,
公示照片 …). ``requires_notice`` marks the powers whose exercise needs a 事前公示 first
(四议两公开): the seal rules flag a seal use citing such an item with no notice published.
"""

from __future__ import annotations

import re

from app.errors import InvalidInput

CATEGORIES = {"major_decision": "重大事项决策", "assets_resources": "集体资产资源管理",
              "projects": "工程项目建设", "finance": "财务管理", "seal": "印章使用管理",
              "services": "便民服务", "other": "其他"}
CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,31}$")
NAME_MAX, BASIS_MAX, STEP_MAX, HINT_MAX = 100, 2_000, 1_000, 200
MAX_STEPS = 20


def check_item(code: str, name: str, category: str, legal_basis: str) -> tuple[str, str, str]:
    code, name, legal_basis = (code or "").strip(), (name or "").strip(), (
        legal_basis or "").strip()
    if not CODE.match(code):
        raise InvalidInput("power_item.bad_code", "编号由字母、数字、-、_ 组成，最多 32 位")
    if not name or len(name) > NAME_MAX:
        raise InvalidInput("power_item.bad_name", f"名称不能为空，且不超过 {NAME_MAX} 个字")
    if category not in CATEGORIES:
        raise InvalidInput("power_item.bad_category", "请选择权力类别")
    if not legal_basis or len(legal_basis) > BASIS_MAX:
        raise InvalidInput("power_item.bad_basis", f"请填写法律依据，不超过 {BASIS_MAX} 个字")
    return code, name, legal_basis


def check_steps(steps: list[dict]) -> list[dict]:
    """Steps in order: ``name`` (required), ``description``, ``requires_evidence`` and
    ``evidence_hint`` (required when evidence is)."""
    if not 1 <= len(steps or []) <= MAX_STEPS:
        raise InvalidInput("power_item.bad_steps", f"请列出 1 到 {MAX_STEPS} 个办理步骤")
    clean = []
    for number, step in enumerate(steps, start=1):
        name = (step.get("name") or "").strip()
        description = (step.get("description") or "").strip()
        evidence = bool(step.get("requires_evidence"))
        hint = (step.get("evidence_hint") or "").strip()
        if not name or len(name) > NAME_MAX or len(description) > STEP_MAX:
            raise InvalidInput("power_item.bad_steps", f"第 {number} 步的名称或说明不符合要求",
                               {"step": number})
        if (evidence and not hint) or len(hint) > HINT_MAX:
            raise InvalidInput("power_item.bad_steps", f"第 {number} 步须写明要留存的证据",
                               {"step": number})
        clean.append({"seq": number, "name": name, "description": description,
                      "requires_evidence": evidence, "evidence_hint": hint if evidence else ""})
    return clean
