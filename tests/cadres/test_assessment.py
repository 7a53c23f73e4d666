"""Assessment: who may rate as which source, anonymous ballots, results and the appointment check."""
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from tests import factories as f
from tongxue.cadres import assessment
from tongxue.cadres.models import AssessmentBallotReceipt, AssessmentScore, AssessmentStudentTally
from tongxue.unions.models import Membership, Position

pytestmark = pytest.mark.django_db


def membership(student):
    return Membership.objects.get(student=student, end_date__isnull=True)


def test_sources_by_role(cw):
    r, president, officer = cw.round_a, membership(cw.cadre_a), membership(cw.officer_a)
    assert assessment.sources_for(cw.officer_a.user, r, officer) == ["self"]
    assert assessment.sources_for(cw.cadre_a.user, r, officer) == ["peer"]  # not the officer's department head
    assert assessment.sources_for(cw.league_a, r, president) == ["supervisor", "league"]
    assert assessment.sources_for(cw.league_a, r, officer) == ["league"]
    assert assessment.sources_for(cw.student_a.user, r, officer) == []
    assert assessment.sources_for(cw.cadre_b.user, r, officer) == []
    head = f.MembershipFactory(term=cw.union_a.current_term(), position=Position.HEAD, department=officer.department)
    assert "supervisor" in assessment.sources_for(head.student.user, r, officer)
    assert "supervisor" in assessment.sources_for(cw.cadre_a.user, r, head)


def test_a_rater_scores_once_per_source(cw):
    officer = membership(cw.officer_a)
    assessment.rate(cw.cadre_a.user, cw.round_a, officer, "peer", performance=80, conduct=90)
    with pytest.raises(assessment.AssessmentError):
        assessment.rate(cw.cadre_a.user, cw.round_a, officer, "peer", performance=10, conduct=10)
    with pytest.raises(PermissionDenied):
        assessment.rate(cw.student_a.user, cw.round_a, officer, "peer", performance=10, conduct=10)


def test_ballot_once_and_without_the_rater(client, cw):
    officer = membership(cw.officer_a)
    client.force_login(cw.student_a.user)
    data = {f"p_{officer.pk}": "70", f"c_{officer.pk}": "90"}
    assert client.post(f"/cadres/assessment/{cw.round_a.pk}/ballot/", data).status_code == 302
    assert client.post(f"/cadres/assessment/{cw.round_a.pk}/ballot/", data).status_code == 302
    assert not AssessmentScore.objects.filter(round=cw.round_a, source="students").exists()
    tally = AssessmentStudentTally.objects.get(round=cw.round_a, membership=officer)
    assert (tally.count, tally.performance_sum, tally.conduct_sum) == (1, 70, 90)
    assert AssessmentBallotReceipt.objects.filter(round=cw.round_a, student=cw.student_a).count() == 1
    with pytest.raises(PermissionDenied):
        assessment.cast_ballot(cw.student_b.user, cw.round_a, {officer.pk: (1, 1)})


def test_results_renormalise_and_grade(client, cw):
    officer = membership(cw.officer_a)
    assessment.rate(cw.officer_a.user, cw.round_a, officer, "self", performance=100, conduct=100)
    assessment.rate(cw.league_a, cw.round_a, officer, "league", performance=80, conduct=60)
    # self 100 (weight 10), league 70 (weight 20): (1000 + 1400) / 30 = 80
    result = next(r for r in assessment.results(cw.round_a) if r.membership == officer)
    assert result.total == Decimal("80.00") and result.grade == "good"
    client.force_login(cw.league_a)
    assert "80.00" in client.get(f"/cadres/assessment/{cw.round_a.pk}/").content.decode()


def test_latest_assessment_after_the_round_closes(client, cw):
    officer = membership(cw.officer_a)
    assessment.rate(cw.league_a, cw.round_a, officer, "league", performance=50, conduct=40)
    assert assessment.latest_assessment(cw.officer_a) is None  # still open
    assessment.close_round(cw.league_a, cw.round_a)
    assert assessment.latest_assessment(cw.officer_a) == ("fail", Decimal("45.00"))
    assert assessment.latest_assessment(cw.student_a) is None
    client.force_login(cw.officer_a.user)
    assert "45.00" in client.get("/cadres/assessment/").content.decode()


def test_weights_must_sum_to_100(client, cw):
    client.force_login(cw.league_a)
    data = {"union": cw.union_a.pk, "label": "第二学期", "weight_self": 10, "weight_peer": 20,
            "weight_supervisor": 30, "weight_league": 20, "weight_students": 30, "threshold_excellent": 90,
            "threshold_good": 80, "threshold_pass": 60}
    response = client.post("/cadres/assessment/new/", data)
    assert response.status_code == 200 and response.context["form"].non_field_errors()
    data["weight_students"] = 20
    assert client.post("/cadres/assessment/new/", data).status_code == 302
