"""Links from a topic to a 事前公示 notice or a 微实事 project, checked through those features.

A linked notice must be one the staff member may read and must lie in the topic's region (a
village topic links its own village's notice). A linked project is read through
``app.projects.reading.get_project`` and must belong to the topic's region, or to the town
above a village topic (a town-wide round). That module is imported lazily, so consultations
work (without project links) where the projects feature is not installed.
"""

from __future__ import annotations

import importlib

from app.errors import DomainError, InvalidInput
from app.policy import Actor
from app.regions import rules as region_rules


def check_notice(actor: Actor, notice_id: int | None, region_path: str) -> int | None:
    """``notice_id`` if it names a notice of the topic's region the caller may read; else
    consultation.bad_notice."""
    if notice_id is None:
        return None
    from app.notices.services import load_for_staff

    try:
        notice = load_for_staff(actor, notice_id)
    except DomainError:
        notice = None
    if notice is None or not region_rules.contains(region_path, notice.village_path):
        raise InvalidInput("consultation.bad_notice", "只能关联本社区(村)的事前公示")
    return notice.id


def project_reader():
    """``app.projects.reading.get_project``, or None where the projects feature is absent."""
    try:
        module = importlib.import_module("app.projects.reading")
    except ImportError:
        return None
    return getattr(module, "get_project", None)


def _path_of(project) -> str | None:
    if isinstance(project, dict):
        return project.get("region_path")
    return getattr(project, "region_path", None)


def check_project(actor: Actor, project_id: int | None, region_path: str) -> int | None:
    """``project_id`` if it names a project the caller may read, of the topic's region or of
    a node above it; else consultation.bad_project (also when the projects feature is not
    installed)."""
    if project_id is None:
        return None
    get_project = project_reader()
    if get_project is None:
        raise InvalidInput("consultation.bad_project", "暂不支持关联微实事项目")
    try:
        project = get_project(actor, project_id)
    except DomainError:
        project = None
    path = _path_of(project) if project is not None else None
    if path is None or not (region_rules.contains(region_path, path)
                            or region_rules.contains(path, region_path)):
        raise InvalidInput("consultation.bad_project", "只能关联本社区(村)的微实事项目")
    return project_id
