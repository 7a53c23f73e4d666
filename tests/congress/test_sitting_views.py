"""Pages of the sitting: who sees what (200/403/404; a 403 leaves an AccessEvent) and the
happy paths through the forms."""
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tongxue.congress import services_sitting as sitting
from tongxue.congress.models import (
    AgendaItem, Attendance, CharterVersion, FormalQuestion, Resolution, ResolutionVote, SessionDocument,
)
from tongxue.core.models import AccessEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def hall(congress):
    congress.session = sitting.set_check_in_open(congress.world.league_school, congress.session, True)
    return congress


@pytest.fixture
def filled(hall, world):
    """Agenda, a published report, a resolution and a charter draft."""
    actor, session = world.league_school, hall.session
    item = sitting.add_agenda_item(actor, session, title="工作报告")
    report = sitting.create_document(actor, session, kind="work_report", title="工作报告", body="……", publish=True)
    resolution = sitting.create_resolution(actor, session, title="决议")
    draft = sitting.draft_charter(actor, session, text="第一条")
    return {"item": item, "report": report, "resolution": resolution, "draft": draft}


def _get_pages(session, filled):
    pk = session.pk
    return {
        "agenda": reverse("congress:agenda", args=[pk]),
        "documents": reverse("congress:documents", args=[pk]),
        "document": reverse("congress:document", args=[pk, filled["report"].pk]),
        "resolutions": reverse("congress:resolutions", args=[pk]),
        "resolution": reverse("congress:resolution", args=[pk, filled["resolution"].pk]),
        "charter": reverse("congress:charter", args=[pk]),
        "quorum": reverse("congress:quorum", args=[pk]),
        "session": reverse("congress:session", args=[pk]),
    }


MANAGER_PAGES = ["desk", "check_in_qr", "projector", "projector_live", "document_new"]


def test_pages_everyone_at_the_university_sees(client, world, hall, filled):
    pages = _get_pages(hall.session, filled)
    pages.pop("document")  # for delegates only
    for account in (world.league_school, world.student_a.user, world.officer_a.user):
        client.force_login(account)
        for name, url in pages.items():
            assert client.get(url).status_code == 200, (account, name)
    client.force_login(world.other_admin)
    for name, url in pages.items():
        assert client.get(url).status_code == 404, name


@pytest.mark.parametrize("name", MANAGER_PAGES)
def test_manager_pages(client, world, hall, name):
    url = reverse(f"congress:{name}", args=[hall.session.pk])
    client.force_login(world.league_school)
    assert client.get(url).status_code == 200
    client.force_login(world.student_a.user)
    assert client.get(url).status_code == 403
    assert AccessEvent.objects.filter(path=url, actor=world.student_a.user).exists()
    client.force_login(world.other_admin)
    assert client.get(url).status_code == 404


def test_projector_shows_quorum_item_result_and_qr(client, world, hall, filled):
    hall.check_in(*hall.delegates[:6])
    sitting.start_next_item(world.league_school, hall.session)
    resolution = sitting.open_vote(world.league_school, filled["resolution"], mode="hands")
    sitting.enter_counts(world.league_school, resolution, votes_for=4, votes_against=1, votes_abstain=1)
    sitting.close_vote(world.league_school, resolution)
    client.force_login(world.league_school)
    content = client.get(reverse("congress:projector", args=[hall.session.pk])).content.decode()
    assert 'data-has-quorum="yes"' in content and 'data-passed="yes"' in content
    assert "工作报告" in content and "<svg" in content and 'hx-trigger="every 3s"' in content
    assert 'class="navbar' not in content


def test_check_in_page_by_code_and_double_submit(client, world, hall):
    url = reverse("congress:check_in", args=[hall.session.pk])
    client.force_login(world.officer_a.user)  # not a delegate
    assert client.get(url).status_code == 403
    assert AccessEvent.objects.filter(path=url).exists()
    client.force_login(world.student_a.user)
    assert client.get(url).status_code == 200
    response = client.post(url, {"code": "12"})
    assert response.status_code == 200 and b'data-testid="check-in-error"' in response.content
    for _ in range(2):
        assert client.post(url, {"code": hall.session.check_in_code}).status_code == 302
    assert Attendance.objects.filter(session=hall.session).count() == 1
    assert b'data-testid="checked-in"' in client.get(url).content
    client.post(reverse("congress:check_out", args=[hall.session.pk]))
    assert b'data-testid="checked-out"' in client.get(url).content
    client.force_login(world.other_admin)
    assert client.get(url).status_code == 404


def test_check_in_by_scanned_qr(client, world, hall):
    token = sitting.check_in_token(hall.session)
    url = reverse("congress:check_in", args=[hall.session.pk])
    client.force_login(world.student_b.user)
    page = client.get(url, {"t": token})
    assert page.status_code == 200 and b'data-testid="check-in-qr"' in page.content
    assert client.post(url, {"t": token, "code": ""}).status_code == 302
    assert Attendance.objects.get().method == "qr"


def test_qr_svg_is_inline(client, world, hall):
    client.force_login(world.league_school)
    response = client.get(reverse("congress:check_in_qr", args=[hall.session.pk]))
    assert b"<svg" in response.content and b"data-testid=\"check-in-qr-code\"" in response.content


def test_desk_checks_in_and_out(client, world, hall):
    client.force_login(world.league_school)
    client.post(reverse("congress:desk_check_in", args=[hall.session.pk]), {"number": "2"})
    assert Attendance.objects.get().delegate == hall.delegates[1]
    desk = client.get(reverse("congress:desk", args=[hall.session.pk])).content.decode()
    assert 'data-delegate="2" data-state="in"' in desk
    client.post(reverse("congress:desk_check_out", args=[hall.session.pk, hall.delegates[1].pk]))
    assert Attendance.objects.get().checked_out is not None
    client.post(reverse("congress:check_in_toggle", args=[hall.session.pk]), {"open": "0"})
    hall.session.refresh_from_db()
    assert not hall.session.is_check_in_open
    client.force_login(world.student_a.user)
    for url, data in [(reverse("congress:desk_check_in", args=[hall.session.pk]), {"number": "3"}),
                      (reverse("congress:check_in_toggle", args=[hall.session.pk]), {"open": "1"})]:
        assert client.post(url, data).status_code == 403
    assert Attendance.objects.count() == 1


def test_quorum_partial_polls(client, world, hall):
    hall.check_in(*hall.delegates[:6])
    client.force_login(world.student_b.user)
    response = client.get(reverse("congress:quorum", args=[hall.session.pk]), HTTP_HX_REQUEST="true")
    assert b'data-present="6"' in response.content and b'data-has-quorum="yes"' in response.content
    assert b"hx-trigger" in response.content


def test_agenda_pages(client, world, hall):
    pk = hall.session.pk
    client.force_login(world.league_school)
    for title in ("开幕", "报告"):
        client.post(reverse("congress:agenda_add", args=[pk]), {"title": title, "kind": "other"})
    first, second = AgendaItem.objects.order_by("order")
    client.post(reverse("congress:agenda_action", args=[pk, second.pk, "up"]))
    assert list(AgendaItem.objects.order_by("order").values_list("title", flat=True)) == ["报告", "开幕"]
    client.post(reverse("congress:agenda_next", args=[pk]))
    assert AgendaItem.objects.get(status="current").title == "报告"
    client.post(reverse("congress:agenda_action", args=[pk, second.pk, "finish"]))
    assert not AgendaItem.objects.filter(status="current").exists()
    client.force_login(world.student_a.user)
    assert client.post(reverse("congress:agenda_next", args=[pk])).status_code == 403
    assert client.post(reverse("congress:agenda_add", args=[pk]), {"title": "x"}).status_code == 403
    assert client.post(reverse("congress:agenda_action", args=[pk, first.pk, "start"])).status_code == 403


def test_document_pages_and_questions(client, world, hall, filled, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    pk = hall.session.pk
    client.force_login(world.league_school)
    response = client.post(reverse("congress:document_new", args=[pk]), {
        "kind": "financial_report", "title": "财务报告", "body": "", "audience": "delegates",
        "file": SimpleUploadedFile("finance.pdf", b"%PDF-1.4 test", content_type="application/pdf")})
    document = SessionDocument.objects.get(title="财务报告")
    assert response.status_code == 302 and document.published_at is None
    client.force_login(world.student_a.user)
    detail = reverse("congress:document", args=[pk, document.pk])
    assert client.get(detail).status_code == 404  # not published yet
    assert client.post(reverse("congress:document_publish", args=[pk, document.pk])).status_code == 403
    client.force_login(world.league_school)
    client.post(reverse("congress:document_publish", args=[pk, document.pk]))
    client.force_login(world.student_a.user)
    assert client.get(detail).status_code == 200
    file_response = client.get(reverse("congress:document_file", args=[pk, document.pk]))
    assert file_response.status_code == 200 and b"".join(file_response.streaming_content).startswith(b"%PDF")
    client.post(reverse("congress:question_ask", args=[pk, document.pk]), {"text": "差旅费明细？"})
    question = FormalQuestion.objects.get()
    client.force_login(world.officer_a.user)  # not a delegate, not public: hidden
    assert client.get(detail).status_code == 404
    assert client.get(reverse("congress:document_file", args=[pk, document.pk])).status_code == 404
    assert client.post(reverse("congress:question_answer", args=[pk, question.pk]), {"answer": "x"}).status_code == 403
    client.force_login(world.league_school)
    client.post(reverse("congress:question_answer", args=[pk, question.pk]), {"answer": "见附表。"})
    client.force_login(world.student_b.user)
    page = client.get(detail).content.decode()
    assert "差旅费明细？" in page and "见附表。" in page and 'data-answered="yes"' in page


def test_resolution_pages_vote_on_phone(client, world, hall, filled):
    pk, resolution = hall.session.pk, filled["resolution"]
    action = lambda name: reverse("congress:resolution_action", args=[pk, resolution.pk, name])  # noqa: E731
    client.force_login(world.league_school)
    client.post(action("open"), {"mode": "phones"})
    resolution.refresh_from_db()
    assert resolution.status == "draft"  # no quorum yet
    hall.check_in(*hall.delegates[:6])
    client.post(action("open"), {"mode": "phones"})
    resolution.refresh_from_db()
    assert resolution.status == "voting"
    client.force_login(world.officer_a.user)
    assert client.post(action("vote"), {"choice": "for"}).status_code == 403
    client.force_login(hall.delegates[8].student.user)  # seated, not in the hall
    client.post(action("vote"), {"choice": "for"})
    page = client.get(reverse("congress:resolution", args=[pk, resolution.pk])).content.decode()
    assert 'data-testid="my-vote"' in page and 'data-choice="for"' not in page
    client.force_login(world.student_a.user)
    client.post(action("vote"), {"choice": "against"})
    client.post(action("vote"), {"choice": "for"})
    client.post(action("vote"), {"choice": "for"})
    assert list(ResolutionVote.objects.values_list("choice", flat=True)) == ["for"]
    assert client.post(action("close")).status_code == 403
    client.force_login(world.league_school)
    client.post(action("close"))
    resolution.refresh_from_db()
    assert (resolution.status, resolution.votes_for, resolution.present, resolution.passed) == ("closed", 1, 6, False)
    session_page = client.get(reverse("congress:session", args=[pk])).content.decode()
    assert f'data-resolution="{resolution.pk}" data-status="closed" data-passed="no"' in session_page


def test_resolution_create_and_hands(client, world, hall):
    pk = hall.session.pk
    client.force_login(world.student_a.user)
    assert client.post(reverse("congress:resolutions", args=[pk]), {"title": "x"}).status_code == 403
    client.force_login(world.league_school)
    client.post(reverse("congress:resolutions", args=[pk]), {"title": "关于改进食堂的决议", "text": "……"})
    resolution = Resolution.objects.get()
    hall.check_in(*hall.delegates[:7])
    action = lambda name: reverse("congress:resolution_action", args=[pk, resolution.pk, name])  # noqa: E731
    client.post(action("open"), {"mode": "hands"})
    client.post(action("counts"), {"votes_for": "4", "votes_against": "2", "votes_abstain": "1"})
    client.post(action("close"))
    resolution.refresh_from_db()
    assert (resolution.votes_for, resolution.present, resolution.passed) == (4, 7, True)
    assert client.get(reverse("congress:resolution", args=[pk, 99999])).status_code == 404


def test_charter_pages_and_public_charter(client, world, hall):
    pk = hall.session.pk
    client.force_login(world.student_a.user)
    assert client.post(reverse("congress:charter_new", args=[pk])).status_code == 403
    client.force_login(world.league_school)
    client.post(reverse("congress:charter_new", args=[pk]))
    draft = CharterVersion.objects.get()
    url = reverse("congress:charter_version", args=[pk, draft.pk])
    client.post(url, {"text": "第一条 本会名称为示范大学学生会。"})
    draft.refresh_from_db()
    assert draft.text.startswith("第一条")
    assert b'data-testid="charter-diff"' in client.get(url).content
    client.force_login(world.student_a.user)
    assert client.get(url).status_code == 403  # drafts are the committee's
    client.force_login(world.league_school)
    response = client.post(reverse("congress:charter_propose", args=[pk, draft.pk]))
    resolution = Resolution.objects.get(kind="charter")
    assert response.url == reverse("congress:resolution", args=[pk, resolution.pk])
    public = reverse("public_charter:charter", args=[hall.session.union_id])
    client.logout()
    assert client.get(public).status_code == 404  # nothing adopted yet
    hall.check_in(*hall.delegates)
    sitting.open_vote(world.league_school, resolution, mode="hands")
    sitting.enter_counts(world.league_school, resolution, votes_for=6, votes_against=3, votes_abstain=0)
    sitting.close_vote(world.league_school, resolution)
    response = client.get(public)
    assert response.status_code == 200 and "本会名称为示范大学学生会" in response.content.decode()
    assert b'data-status="adopted"' in response.content
    assert client.get(reverse("public_charter:charter_version", args=[hall.session.union_id, 9])).status_code == 404
    assert client.get(reverse("public_charter:charter", args=[99999])).status_code == 404


def test_document_upload_refuses_html(client, world, hall, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(world.league_school)
    response = client.post(reverse("congress:document_new", args=[hall.session.pk]), {
        "kind": "other", "title": "页面", "body": "", "audience": "delegates",
        "file": SimpleUploadedFile("x.html", b"<script>alert(1)</script>", content_type="text/html")})
    assert response.status_code == 200 and not SessionDocument.objects.exists()


def test_delegate_section_lists_documents(rf, world, hall, filled):
    from django.template.loader import render_to_string

    request = rf.get("/")
    request.user = world.student_a.user
    html = render_to_string("congress/sitting/_delegate_section.html", {"session": hall.session}, request=request)
    assert f'data-document="{filled["report"].pk}"' in html


def test_votes_cast_counter_polls(client, world, hall, filled):
    hall.check_in(*hall.delegates[:6])
    resolution = sitting.open_vote(world.league_school, filled["resolution"])
    sitting.cast_vote(world.student_a.user, resolution, "for")
    client.force_login(world.league_school)
    url = reverse("congress:resolution", args=[hall.session.pk, resolution.pk])
    response = client.get(url, {"part": "votes"}, HTTP_HX_REQUEST="true")
    assert response.content.decode().startswith("<p") and b'data-count="1"' in response.content

