"""Scope matrix of the cadres' pages: who gets 200, 302, 403 or 404, and what they never see."""
import pytest

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "student", "officer", "president", "other_college_cadre", "league_college", "league_school",
         "other_admin"]
STUDENTS = {"student", "officer", "president", "other_college_cadre"}


def account(cw, role):
    return {"student": cw.student_a.user, "officer": cw.officer_a.user, "president": cw.cadre_a.user,
            "other_college_cadre": cw.cadre_b.user, "league_college": cw.league_a,
            "league_school": cw.league_school, "other_admin": cw.other_admin}.get(role)


def url(cw, page):
    return {
        "my_training": "/cadres/training/",
        "sessions": "/cadres/training/sessions/",
        "session_new": "/cadres/training/sessions/new/",
        "session_a": f"/cadres/training/sessions/{cw.session_a.pk}/",
        "record_officer": f"/cadres/training/students/{cw.officer_a.pk}/",
        "assessment": "/cadres/assessment/",
        "round_new": "/cadres/assessment/new/",
        "round_a": f"/cadres/assessment/{cw.round_a.pk}/",
        "rate_a": f"/cadres/assessment/{cw.round_a.pk}/rate/",
        "ballot_a": f"/cadres/assessment/{cw.round_a.pk}/ballot/",
        "my_contacts": "/cadres/contact/",
        "coverage_index": "/cadres/contact/coverage/",
        "coverage_a": f"/cadres/contact/coverage/{cw.union_a.pk}/",
    }[page]


MANAGERS_A = {"president", "league_college", "league_school"}
ORGANISERS = {"president", "other_college_cadre", "league_college", "league_school", "other_admin"}
CADRES = {"officer", "president", "other_college_cadre"}


def expected(role, page):
    if role == "anonymous":
        return 302
    in_demo = role != "other_admin"
    return {
        "my_training": 200 if role in STUDENTS else 403,
        "sessions": 200 if role in ORGANISERS else 403,
        "session_new": 200 if role in ORGANISERS else 403,
        "session_a": (200 if role in MANAGERS_A else 403) if in_demo else 404,
        "record_officer": 200 if role in {"officer", "president", "league_college", "league_school"} else 404,
        "assessment": 200,
        "round_new": 200 if role in ORGANISERS else 403,
        "round_a": (200 if role in MANAGERS_A else 403) if in_demo else 404,
        "rate_a": (200 if role in {"officer", "president", "league_college", "league_school"} else 403)
        if in_demo else 404,
        # cadres of the union rate as peers, not as students served
        "ballot_a": (200 if role == "student" else 403) if in_demo else 404,
        "my_contacts": 200 if role in CADRES else 403,
        # a manager of exactly one union is taken straight to it
        "coverage_index": {"president": 302, "other_college_cadre": 302, "league_college": 302,
                           "league_school": 200, "other_admin": 302}.get(role, 403),
        "coverage_a": (200 if role in MANAGERS_A else 403) if in_demo else 404,
    }[page]


PAGES = ["my_training", "sessions", "session_new", "session_a", "record_officer", "assessment", "round_new",
         "round_a", "rate_a", "ballot_a", "my_contacts", "coverage_index", "coverage_a"]


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("role", ROLES)
def test_cadre_pages_scope(client, cw, role, page):
    user = account(cw, role)
    if user:
        client.force_login(user)
    response = client.get(url(cw, page))
    assert response.status_code == expected(role, page), (role, page)
    content = response.content.decode()
    if role == "other_admin":
        assert "计院干部培训" not in content and "计算机学院" not in content
    if role in {"other_college_cadre", "student", "officer"} and page == "sessions":
        assert "计院干部培训" not in content
    if role == "league_college" and page == "coverage_a":
        assert cw.class_a.name in content and cw.class_b.name not in content


@pytest.mark.parametrize("role", ROLES[1:])
def test_navigation_shows_only_pages_that_admit(client, cw, role):
    from tongxue.core.navigation import navigation_items

    user = account(cw, role)
    client.force_login(user)
    for item in navigation_items(user):
        if item.url.startswith("/cadres/"):
            assert client.get(item.url).status_code in (200, 302), (role, item.key)
    keys = {item.key for item in navigation_items(user)}
    assert ("my_training" in keys) is (role in CADRES)
    assert ("coverage" in keys) is (role in ORGANISERS)
