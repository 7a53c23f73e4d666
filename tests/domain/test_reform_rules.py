"""The reform rules (tongxue/domain/reform_rules.py): properties and a pass and a fail example per rule."""
import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tongxue.domain import reform_rules as rr
from tongxue.domain.reform_rules import (
    ATTEST_MISSING, FAIL, NOT_RECORDED, OVERRIDDEN, PASS, AttestationFact, CongressFact, OverrideFact, RuleConfig,
    StaffFact, TrainingFact, UnionFacts,
)

CONFIG = RuleConfig()
TITLES = st.sampled_from(["president", "vice_president", "rotating_president", "head", "deputy_head", "officer",
                          "secretary_general", "centre_director"])


def staff(n, position="officer", department="学习部", **kw):
    return tuple(StaffFact(f"人{i}", position, None if position in rr.PRESIDIUM_TITLES else department, **kw)
                 for i in range(n))


def college(**kw):
    base = dict(union_name="经济学院学生会", level="college", staff=staff(1, "president") + staff(9),
                departments=("学习部",), as_of=datetime.date(2026, 11, 1))
    base.update(kw)
    return UnionFacts(**base)


def school(**kw):
    return college(union_name="示范大学学生会", level="school", **kw)


def outcome(rule_id, facts, config=CONFIG):
    return rr.RULES_BY_ID[rule_id].check(facts, config)


# --- properties --------------------------------------------------------------------------------

@given(n=st.integers(0, 80), limit=st.integers(1, 60), large=st.booleans(), level=st.sampled_from(["school", "college"]))
def test_staff_count_passes_iff_count_within_limit(n, limit, large, level):
    config = RuleConfig(school_staff_max=limit, school_staff_max_large=limit + 20, second_staff_max=limit)
    facts = college(level=level, is_large=large, staff=staff(n))
    effective = limit + 20 if (level == "school" and large) else limit
    rule = "S3" if level == "school" else "C3"
    assert (outcome(rule, facts, config).status == PASS) == (n <= effective)
    assert f"实有 {n} 人" == outcome(rule, facts, config).figure


@given(n=st.integers(0, 50), extra=st.integers(1, 5), position=TITLES)
def test_adding_members_never_turns_a_failing_count_into_a_pass(n, extra, position):
    for rule in ("C3", "C4"):
        facts = college(staff=staff(n, "vice_president"))
        if outcome(rule, facts).status == FAIL:
            more = college(staff=facts.staff + staff(extra, position))
            assert outcome(rule, more).status == FAIL


@given(titles=st.lists(TITLES, max_size=12))
def test_titles_rule_fails_iff_any_title_outside_the_set(titles):
    facts = college(staff=tuple(StaffFact(f"人{i}", t, "学习部") for i, t in enumerate(titles)))
    outside = any(t not in CONFIG.allowed_titles for t in titles)
    assert (outcome("C5", facts).status == FAIL) == outside
    assert (outcome("S6", facts).status == FAIL) == outside


@given(statuses=st.lists(st.sampled_from(["01", "02", "03", "04", "12", "13"]), max_size=15))
def test_political_status_fails_iff_anyone_is_not_party_or_league(statuses):
    facts = college(staff=tuple(StaffFact(f"人{i}", "officer", "学习部", s) for i, s in enumerate(statuses)))
    assert (outcome("C6", facts).status == FAIL) == any(s not in ("01", "02", "03") for s in statuses)


@given(names=st.lists(st.sampled_from(["办公室", "学习部", "学生事务中心", "项目办", "文体部", "团工作委员会"]),
                      unique=True, max_size=6))
def test_structure_fails_iff_a_department_carries_a_forbidden_word(names):
    facts = college(departments=tuple(names))
    forbidden = any(w in n for n in names for w in ("中心", "项目办", "委员会"))
    assert (outcome("C2", facts).status == FAIL) == forbidden


@given(n=st.integers(0, 12))
def test_department_count_only_limited_at_school_level(n):
    names = tuple(f"部{i}" for i in range(n))
    assert (outcome("S5", school(departments=names)).status == PASS) == (n <= 6)
    assert outcome("C2", college(departments=names)).status == PASS


@given(n=st.integers(0, 40))
def test_live_check_refuses_an_addition_iff_the_count_goes_over(n):
    facts = college(staff=staff(n))
    refused = rr.check_addition(facts, new_staff=StaffFact("新人", "officer", "学习部"))
    assert ("C3" in {f.rule.id for f in refused}) == (n + 1 > 30)


# --- every rule: a pass and a fail (or its not-recorded / attestation states) -----------------------

def test_every_indicator_of_both_tables_exists():
    assert [r.id for r in rr.SCHOOL_RULES] == ["S1", "S2", "S3", "S4", "S5", "S6", "S7", "S8", "S9", "S10", "S11",
                                                "S12a", "S12b", "S12c", "S12d"]
    assert [r.id for r in rr.SECOND_LEVEL_RULES] == [f"C{i}" for i in range(1, 14)]
    assert {r.id for r in rr.ALL_RULES if r.is_core} == {"S1", "S11"}
    for rule in rr.ALL_RULES:
        assert rule.text_for(CONFIG) and rule.text_for(CONFIG, "en")
        assert "{" not in rule.text_for(CONFIG) + rule.text_for(CONFIG, "en")


@pytest.mark.parametrize("rule_id", ["S1", "C1", "S12a", "S12b", "S12c", "S12d", "C12", "C13"])
def test_attestation_rules(rule_id):
    make = school if rule_id.startswith("S") else college
    assert outcome(rule_id, make()).status == ATTEST_MISSING
    yes = make(attestations={rule_id: AttestationFact(True, "林老师", "https://example.edu.cn/x")})
    assert outcome(rule_id, yes).status == PASS
    no = make(attestations={rule_id: AttestationFact(False, "林老师")})
    assert outcome(rule_id, no).status == FAIL


@pytest.mark.parametrize("rule_id", ["S1", "C1"])
def test_administrative_duties_fail_even_when_attested(rule_id):
    make = school if rule_id == "S1" else college
    facts = make(declared_duties="负责宿舍检查和查寝", attestations={rule_id: AttestationFact(True, "林老师")})
    result = outcome(rule_id, facts)
    assert result.status == FAIL and "查寝" in result.evidence


@pytest.mark.parametrize("rule_id,make", [("S2", school), ("C2", college)])
def test_structure_examples(rule_id, make):
    assert outcome(rule_id, make(departments=("办公室", "学习部"))).status == PASS
    result = outcome(rule_id, make(departments=("办公室", "学生事务中心")))
    assert result.status == FAIL and result.evidence == ("学生事务中心",)
    loose = make(staff=(StaffFact("游离", "officer", None),))
    assert outcome(rule_id, loose).status == FAIL


def test_second_level_department_limit_when_configured():
    config = RuleConfig(second_departments_max=2)
    assert outcome("C2", college(departments=("a", "b")), config).status == PASS
    assert outcome("C2", college(departments=("a", "b", "c")), config).status == FAIL


@pytest.mark.parametrize("rule_id,make,limit", [("S3", school, 40), ("C3", college, 30)])
def test_staff_count_examples(rule_id, make, limit):
    assert outcome(rule_id, make(staff=staff(limit))).status == PASS
    result = outcome(rule_id, make(staff=staff(limit + 1)))
    assert result.status == FAIL and result.figure == f"实有 {limit + 1} 人"


def test_large_university_school_limit_is_60():
    assert outcome("S3", school(staff=staff(60), is_large=True)).status == PASS
    assert outcome("S3", school(staff=staff(61), is_large=True)).status == FAIL
    assert outcome("C3", college(staff=staff(31), is_large=True)).status == FAIL


@pytest.mark.parametrize("rule_id,make,limit", [("S4", school, 5), ("C4", college, 3)])
def test_presidium_examples(rule_id, make, limit):
    assert outcome(rule_id, make(staff=staff(limit, "vice_president"))).status == PASS
    result = outcome(rule_id, make(staff=staff(limit + 1, "vice_president")))
    assert result.status == FAIL and len(result.evidence) == limit + 1


def test_department_count_example():
    assert outcome("S5", school(departments=tuple("abcdef"))).status == PASS
    assert outcome("S5", school(departments=tuple("abcdefg"))).figure == "实有 7 个"


@pytest.mark.parametrize("rule_id,make", [("S6", school), ("C5", college)])
def test_title_examples(rule_id, make):
    assert outcome(rule_id, make()).status == PASS
    result = outcome(rule_id, make(staff=(StaffFact("某人", "secretary_general", "学习部"),)))
    assert result.status == FAIL and result.evidence == ("某人（secretary_general）",)


@pytest.mark.parametrize("rule_id,make", [("S7", school), ("C6", college)])
def test_political_examples(rule_id, make):
    assert outcome(rule_id, make(staff=staff(3, political_status="02"))).status == PASS
    result = outcome(rule_id, make(staff=staff(2) + (StaffFact("群众甲", "officer", "学习部", "13"),)))
    assert result.status == FAIL and result.evidence == ("群众甲",) and result.figure == "党团员 2/3 人"


@pytest.mark.parametrize("rule_id,make", [("S8", school), ("C7", college)])
def test_academic_examples(rule_id, make):
    assert outcome(rule_id, make(staff=staff(3))).status == NOT_RECORDED
    assert outcome(rule_id, make(staff=staff(3, is_eligible=True))).status == PASS
    failing = staff(2, is_eligible=True) + (StaffFact("挂科", "officer", "学习部", is_eligible=False,
                                                       eligibility_reasons=("有课程不及格",)),)
    result = outcome(rule_id, make(staff=failing))
    assert result.status == FAIL and result.evidence == ("挂科：有课程不及格",)
    # a 群众 cadre is reported by the political-status rule only
    masses = staff(2, is_eligible=True) + (StaffFact("群众", "officer", "学习部", "13", is_eligible=False),)
    assert outcome(rule_id, make(staff=masses)).status == PASS


def test_approval_chain_examples():
    assert outcome("S9", school()).status == NOT_RECORDED
    assert outcome("S9", school(staff=staff(3, approval_chain_complete=True))).status == PASS
    assert outcome("S9", school(staff=staff(2, approval_chain_complete=True)
                                + (StaffFact("跳过", "officer", "学习部", approval_chain_complete=False),))).status == FAIL


@pytest.mark.parametrize("rule_id,make", [("S10", school), ("C8", college)])
def test_presidium_elected_examples(rule_id, make):
    assert outcome(rule_id, make()).status == NOT_RECORDED
    assert outcome(rule_id, make(congress=CongressFact(presidium_elected_by_congress=True))).status == PASS
    assert outcome(rule_id, make(congress=CongressFact(presidium_elected_by_congress=False))).status == FAIL


@pytest.mark.parametrize("rule_id,make", [("S11", school), ("C9", college)])
def test_congress_on_schedule_examples(rule_id, make):
    assert outcome(rule_id, make()).status == NOT_RECORDED
    recent = outcome(rule_id, make(congress=CongressFact(datetime.date(2026, 4, 12))))
    assert recent.status == PASS and recent.figure == "2026年4月12日"
    assert outcome(rule_id, make(congress=CongressFact(datetime.date(2025, 10, 1)))).status == FAIL


def test_training_examples():
    assert outcome("C10", college()).status == NOT_RECORDED
    assert outcome("C10", college(training=TrainingFact(1.0, 1.0))).status == PASS
    assert outcome("C10", college(training=TrainingFact(1.0, 0.8))).status == FAIL


def test_nominations_not_recorded_until_a_module_exists():
    assert outcome("C11", college()).status == NOT_RECORDED


def test_override_turns_a_failure_into_overridden_and_keeps_the_reason():
    facts = college(staff=staff(31), overrides=(OverrideFact("C3", "换届过渡期", "林老师"),))
    finding = next(f for f in rr.evaluate(facts) if f.rule.id == "C3")
    assert finding.status == OVERRIDDEN and finding.overrides[0].reason == "换届过渡期"
    assert not finding.is_failure


def test_message_names_the_rule_and_the_figure():
    refused = rr.check_addition(college(staff=staff(30)), new_staff=StaffFact("第三十一", "officer", "学习部"))
    assert [f.message() for f in refused] == ["不符合指标 C3：二级学生会组织工作人员不超过 30 人（实有 31 人）"]
    assert refused[0].message("en").startswith("Does not meet indicator C3")


def test_live_check_ignores_other_peoples_failures():
    facts = college(staff=staff(3) + (StaffFact("群众甲", "officer", "学习部", "13"),))
    assert rr.check_addition(facts, new_staff=StaffFact("新人", "officer", "学习部")) == []
    refused = rr.check_addition(facts, new_staff=StaffFact("群众乙", "officer", "学习部", "13"))
    assert [f.rule.id for f in refused] == ["C6"]


def test_live_check_of_a_department():
    facts = school(departments=tuple("abcde"))
    assert rr.check_addition(facts, new_department="f") == []
    assert [f.rule.id for f in rr.check_addition(school(departments=tuple("abcdef")), new_department="g")] == ["S5"]
    assert [f.rule.id for f in rr.check_addition(college(), new_department="志愿服务中心")] == ["C2"]


def test_config_overrides_and_unknown_keys():
    config = RuleConfig.with_overrides({"second_staff_max": 25, "forbidden_department_words": ["中心"]}, "2025-2026")
    assert config.second_staff_max == 25 and config.forbidden_department_words == ("中心",)
    assert config.applies_from == "2025-2026"
    assert "25" in rr.RULES_BY_ID["C3"].text_for(config)
    with pytest.raises(ValueError):
        RuleConfig.with_overrides({"no_such_limit": 1})


def test_a_year_without_a_term_is_not_recorded_rather_than_passed():
    findings = {f.rule.id: f.status for f in rr.evaluate(college(staff=(), departments=(), has_term=False))}
    assert findings["C3"] == NOT_RECORDED and findings["C6"] == NOT_RECORDED and findings["C1"] == ATTEST_MISSING
