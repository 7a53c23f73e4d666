"""Login by 学号/工号, Argon2, throttling, password reset, CSP and admin access."""
import re

import pytest
from django.core import mail
from django.urls import reverse

from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def post_login(client, login_id, password, university=None):
    data = {"username": login_id, "password": password}
    if university is not None:
        data["university"] = university.pk
    return client.post(reverse("login"), data)


def test_student_logs_in_with_student_number(client, world):
    response = post_login(client, world.student_a.student_no, PASSWORD, world.university)
    assert response.status_code == 302
    assert client.get(reverse("home")).context["user"] == world.student_a.user


def test_same_number_in_another_university_is_another_account(client, world):
    response = post_login(client, world.student_a.student_no, PASSWORD, world.other_university)
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_federation_admin_logs_in_with_full_username(client, world):
    response = post_login(client, world.fed_admin.username, PASSWORD)
    assert response.status_code == 302


def test_passwords_are_hashed_with_argon2(world):
    assert world.student_a.user.password.startswith("argon2$")


def test_repeated_failures_lock_the_account(client, world, settings):
    settings.AXES_ENABLED = True
    for _ in range(settings.AXES_FAILURE_LIMIT):
        post_login(client, world.student_a.student_no, "wrong", world.university)
    response = post_login(client, world.student_a.student_no, PASSWORD, world.university)
    assert response.status_code == 429
    assert "登录失败次数过多" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_password_reset_by_email_sets_a_new_password(client, world):
    user = world.student_a.user
    user.email = "zhangsan@example.edu.cn"
    user.save()
    client.post(reverse("password_reset"), {"email": user.email})
    assert len(mail.outbox) == 1
    link = re.search(r"https?://[^/]+(/password/reset/\S+/)", mail.outbox[0].body).group(1)
    response = client.get(link, follow=True)
    form_url = response.redirect_chain[-1][0]
    response = client.post(form_url, {"new_password1": "Xin-mima-2026", "new_password2": "Xin-mima-2026"})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("Xin-mima-2026")


def test_pages_carry_a_content_security_policy(client):
    response = client.get(reverse("login"))
    policy = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "object-src 'none'" in policy
    assert "cdn" not in response.content.decode().lower()


def test_login_form_needs_a_csrf_token(world):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    response = post_login(client, world.student_a.student_no, PASSWORD, world.university)
    assert response.status_code == 403


@pytest.mark.parametrize("account, status", [("univ_admin", 200), ("league_school", 302), ("cadre", 302)])
def test_django_admin_is_for_administrators_only(client, world, account, status):
    user = world.accounts()[account]
    if account == "univ_admin":
        user.is_staff = True
        user.save()
    client.force_login(user)
    assert client.get("/admin/").status_code == status


def test_chinese_is_the_default_language(client, world):
    client.force_login(world.student_a.user)
    assert "我的服务" in client.get(reverse("home")).content.decode()


def test_a_student_downloads_their_own_data(client, world):
    client.force_login(world.cadre_a.user)
    data = client.get(reverse("my_data")).json()
    assert data["student"]["student_no"] == world.cadre_a.student_no
    assert data["positions"][0]["position"] == "president"
    assert "张三" not in str(data)
