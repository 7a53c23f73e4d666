import pytest

from tests import factories as f
from tongxue.notifications.models import Notification


@pytest.fixture
def two_accounts(db):
    university = f.UniversityFactory()
    return f.UserFactory(university=university), f.UserFactory(university=university)


@pytest.fixture
def make_notification():
    def make(user, title="通知", url="", read=False, **kwargs):
        from django.utils import timezone

        return Notification.objects.create(
            recipient=user, university=user.university, kind="case_accepted", title=title, url=url,
            read_at=timezone.now() if read else None, **kwargs,
        )

    return make
