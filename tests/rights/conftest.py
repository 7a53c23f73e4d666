"""Rights-desk fixtures on top of `world`: default categories and offices, an office with staff."""
import datetime
from dataclasses import dataclass

import pytest

from tests import factories as f
from tongxue.core.models import Role
from tongxue.domain.workdays import SHANGHAI
from tongxue.rights.defaults import ensure_defaults
from tongxue.rights.models import Category, Office

MONDAY = datetime.datetime(2026, 11, 2, 10, 0, tzinfo=SHANGHAI)


@pytest.fixture(autouse=True)
def _run_on_commit_at_once(monkeypatch):
    """Tests run inside one transaction that never commits: run on-commit work (notifications)
    at once, as a committed request would."""
    from django.db import transaction

    monkeypatch.setattr(transaction, "on_commit", lambda func, using=None, robust=False: func())


@dataclass
class Desk:
    dorm: Category
    health: Category
    logistics: Office
    office_user: object
    other_office_user: object


@pytest.fixture
def desk(world) -> Desk:
    ensure_defaults(world.university)
    ensure_defaults(world.other_university)
    logistics = Office.objects.get(university=world.university, code="logistics")
    office_user = f.UserFactory(university=world.university, login_id="H1001", full_name="后勤王老师",
                                email="wang@example.edu.cn")
    f.RoleAssignmentFactory(user=office_user, university=world.university, role=Role.OFFICE_STAFF)
    logistics.staff.add(office_user)
    other_office_user = f.UserFactory(university=world.university, login_id="J1001", full_name="教务李老师")
    Office.objects.get(university=world.university, code="academic").staff.add(other_office_user)
    return Desk(
        dorm=Category.objects.get(university=world.university, code="dorm"),
        health=Category.objects.get(university=world.university, code="health"),
        logistics=logistics, office_user=office_user, other_office_user=other_office_user,
    )
