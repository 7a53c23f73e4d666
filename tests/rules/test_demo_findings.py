"""The demo university: the rules find exactly the planted violations (demo.py docstring)."""
import pytest

from tongxue.core import demo
from tongxue.core.models import University
from tongxue.domain import reform_rules as rr
from tongxue.rules import services

pytestmark = pytest.mark.django_db


def test_demo_findings_are_exactly_the_planted_violations(settings):
    demo.build_demo(seed=2026, students=600, small_students=120)
    failures = set()
    statuses = set()
    for code in demo.DEMO_CODES:
        for union, findings in services.findings_for_university(University.objects.get(code=code)):
            for finding in findings:
                statuses.add(finding.status)
                if finding.status != rr.PASS and finding.status not in (rr.NOT_RECORDED, rr.ATTEST_MISSING):
                    failures.add((union.name, finding.rule.id, finding.outcome.figure))
    assert {(name, rule) for name, rule, _figure in failures} == {
        ("经济学院学生会", "C3"), ("法学院学生会", "C4"), ("外国语学院学生会", "C6"), ("东校区学生会", "C2"),
        ("物理学院学生会", "C9"),  # its last congress sat 15 months ago
    }
    figures = {rule: figure for _name, rule, figure in failures}
    assert figures["C3"] == "实有 34 人" and figures["C4"] == "实有 4 人" and "学生事务中心" in figures["C2"]
    assert statuses <= {rr.PASS, rr.FAIL, rr.NOT_RECORDED, rr.ATTEST_MISSING}
