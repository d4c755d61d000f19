"""Schemathesis against ``/api/v1/openapi.json``: every operation, fuzzed in-process (WSGI)
with a resident token or a staff token, must never answer 5xx and must answer what its schema
says. Bounded (``FUZZ_EXAMPLES`` examples per operation, no shrinking) so the module stays
well under two minutes on SQLite; ``FUZZ_EXAMPLES=100`` locally digs deeper.

At the end the figures (operations covered / total, cases run, failures) are printed and
written to ``.test-results/schemathesis.json`` for CI.
"""

from __future__ import annotations

import json
import os
from collections import Counter
from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, settings
from schemathesis.checks import not_a_server_error
from schemathesis.config import SchemathesisConfig
from schemathesis.specs.openapi.checks import response_schema_conformance

from app.requests import setup as request_setup
from tests.factories import bearer, build_tree, grant, make_user

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "3"))
RESULTS = Path(__file__).resolve().parents[2] / ".test-results" / "schemathesis.json"
FIGURES: Counter = Counter()
COVERED: set[str] = set()


def _load_schema():
    """The document the app serves, built from every registered blueprint at import time, so
    each operation becomes its own test item (a clean database each) and the session's app
    answers the calls."""
    import importlib

    from miniprogram_api import BLUEPRINTS
    from miniprogram_api.openapi import build_spec

    for module_name in BLUEPRINTS:
        importlib.import_module(module_name)
    # Only the random (fuzzing) phase, bounded by max_examples: the coverage phase alone
    # sends dozens of boundary cases per operation and the machine is small.
    config = SchemathesisConfig.from_dict({"phases": {
        "examples": {"enabled": False}, "coverage": {"enabled": False},
        "stateful": {"enabled": False}, "fuzzing": {"enabled": True}}})
    return schemathesis.openapi.from_dict(build_spec(), config=config)


schema = _load_schema()


@pytest.fixture
def tokens(fake_wechat):
    """A resident bound to a household and a system administrator with a console token."""
    tree = build_tree()
    request_setup.ensure_default_categories()
    resident = make_user(household=tree.household_a1, name="张阿姨")
    grant(resident, "resident", tree.household_a1)
    admin = make_user(name="系统管理员")
    grant(admin, "sysadmin", tree.district)
    return {"resident": bearer(resident), "staff": bearer(admin, "staff")}


@pytest.fixture(scope="module", autouse=True)
def figures(request):
    failed_before = request.session.testsfailed
    yield
    failed = request.session.testsfailed - failed_before
    total = sum(1 for result in schema.get_all_operations() if result.ok())
    summary = {"operations_total": total, "operations_covered": len(COVERED),
               "cases": FIGURES["cases"], "failing_operations": failed,
               "examples_per_operation": EXAMPLES}
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(json.dumps(summary, ensure_ascii=False, indent=2))
    reporter = request.config.pluginmanager.getplugin("terminalreporter")
    if reporter is not None:
        reporter.write_line(
            f"schemathesis: {len(COVERED)}/{total} operations, {FIGURES['cases']} cases, "
            f"{failed} failing operations")


@schema.parametrize()
@settings(max_examples=EXAMPLES, deadline=None, database=None, derandomize=True,
          phases=[Phase.explicit, Phase.generate],
          suppress_health_check=list(HealthCheck))
def test_no_operation_answers_5xx_or_off_schema(case, app, tokens):
    COVERED.add(case.operation.label)
    FIGURES["cases"] += 1
    headers = tokens["staff"] if case.path.startswith("/admin/") else tokens["resident"]
    case.call_and_validate(app=app, headers=headers,
                           checks=[not_a_server_error, response_schema_conformance])
