"""The reform rules as plain data: one declarative `Rule` per indicator of the yearly
self-assessment (rules.md §7, self-assessment.md C1 school-level table S1–S12 and C2
second-level table C1–C13).

Framework-free on purpose (no Django import): the rules read `UnionFacts`, the plain facts of
one union in one academic year, and return `Outcome`s. The Django side (`tongxue.rules.services`)
builds the facts from the database; tests feed them directly (hypothesis property tests).

Statuses: `pass` and `fail` are verdicts; `not_recorded` means the data module that would prove
the indicator does not exist yet or holds nothing for this year (congress, selection chain,
training, academic records) — never a failure; `attest_missing` means an attestation item has no
signed attestation yet; `overridden` (set by `evaluate`) is a failure that a League teacher
allowed with a written reason.

Limits live in `RuleConfig`, with the national values as defaults (rules.md §1, §8) and the
academic year they apply from; a university may configure its own.
"""
from __future__ import annotations

import dataclasses
import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

PASS, FAIL, NOT_RECORDED, ATTEST_MISSING, OVERRIDDEN = "pass", "fail", "not_recorded", "attest_missing", "overridden"
STATUSES = (PASS, FAIL, NOT_RECORDED, ATTEST_MISSING, OVERRIDDEN)
# Labels of the filing form (是否符合) in both languages.
STATUS_LABELS = {
    PASS: ("符合", "meets"),
    FAIL: ("不符合", "does not meet"),
    NOT_RECORDED: ("未记录", "not recorded"),
    ATTEST_MISSING: ("待确认", "awaiting attestation"),
    OVERRIDDEN: ("不符合（已特批）", "does not meet (override)"),
}

SCHOOL, SECOND_LEVEL = "school", "second_level"
NUMERIC, PROCEDURE, ATTESTATION = "numeric", "procedure", "attestation"

PRESIDIUM_TITLES = ("president", "vice_president", "rotating_president")
DEPARTMENT_TITLES = ("head", "deputy_head", "officer")
# GB/T 4762: 01 Party member, 02 probationary Party member, 03 League member.
QUALIFYING_POLITICAL_STATUSES = ("01", "02", "03")


# --- configuration ---------------------------------------------------------------------------

@dataclass(frozen=True)
class RuleConfig:
    """Limits of one university from one academic year on; defaults are the national values."""

    applies_from: str = "2020-2021"
    school_staff_max: int = 40
    school_staff_max_large: int = 60
    school_presidium_max: int = 5
    school_departments_max: int | None = 6
    second_staff_max: int = 30
    second_presidium_max: int = 3
    second_departments_max: int | None = None        # no national limit for second-level unions
    allowed_titles: tuple[str, ...] = PRESIDIUM_TITLES + DEPARTMENT_TITLES
    forbidden_department_words: tuple[str, ...] = ("中心", "项目办", "委员会")
    admin_duty_words: tuple[str, ...] = ("查寝", "宿舍检查", "卫生检查", "文明督查", "安保", "保卫值勤", "执勤", "门禁")
    qualifying_political_statuses: tuple[str, ...] = QUALIFYING_POLITICAL_STATUSES
    congress_max_age_months: int = 12

    @classmethod
    def with_overrides(cls, overrides: dict | None, applies_from: str | None = None) -> RuleConfig:
        """A config from a university's overrides (unknown keys are refused, lists become tuples)."""
        known = {f.name for f in dataclasses.fields(cls)}
        values = {}
        for key, value in (overrides or {}).items():
            if key not in known:
                raise ValueError(f"unknown rule setting: {key}")
            values[key] = tuple(value) if isinstance(value, list) else value
        if applies_from:
            values["applies_from"] = applies_from
        return cls(**values)

    def staff_max(self, facts: UnionFacts) -> int:
        if facts.is_school_table:
            return self.school_staff_max_large if facts.is_large else self.school_staff_max
        return self.second_staff_max

    def presidium_max(self, facts: UnionFacts) -> int:
        return self.school_presidium_max if facts.is_school_table else self.second_presidium_max

    def departments_max(self, facts: UnionFacts) -> int | None:
        return self.school_departments_max if facts.is_school_table else self.second_departments_max


# --- facts -----------------------------------------------------------------------------------

@dataclass(frozen=True)
class StaffFact:
    name: str
    position: str                       # a Position code ("president", "officer", …) or any other title
    department: str | None = None
    political_status: str = "03"
    is_eligible: bool | None = None     # None: no academic record / no eligibility data
    eligibility_reasons: tuple[str, ...] = ()
    approval_chain_complete: bool | None = None  # None: the selection module holds no record
    key: str = ""                       # who this is (e.g. "student:42"); namesakes differ. "" → the name

    @property
    def is_presidium(self) -> bool:
        return self.position in PRESIDIUM_TITLES

    @property
    def identity(self) -> str:
        return self.key or self.name


@dataclass(frozen=True)
class CongressFact:
    """The last congress (or all-student assembly) session; None fields are not recorded."""

    last_session: datetime.date | None = None
    presidium_elected_by_congress: bool | None = None


@dataclass(frozen=True)
class TrainingFact:
    """Full-staff training of the year: attendance ratio 0..1 of spring and autumn sessions."""

    spring_attendance: float | None = None
    autumn_attendance: float | None = None


@dataclass(frozen=True)
class AttestationFact:
    attested: bool
    by: str = ""
    evidence_url: str = ""
    text: str = ""


@dataclass(frozen=True)
class OverrideFact:
    rule_id: str
    reason: str
    actor: str = ""
    description: str = ""
    created: str = ""


@dataclass(frozen=True)
class UnionFacts:
    union_name: str
    level: str = "college"              # school / campus / college
    kind: str = "student"               # student / graduate
    is_large: bool = False
    academic_year: str = ""
    as_of: datetime.date | None = None
    staff: tuple[StaffFact, ...] = ()
    departments: tuple[str, ...] = ()
    declared_duties: str = ""
    congress: CongressFact | None = None     # None: the congress module does not exist / no record
    training: TrainingFact | None = None     # None: no training record
    has_nomination_records: bool = False     # C11: nominations linked to review results (no module yet)
    attestations: dict[str, AttestationFact] = field(default_factory=dict)
    overrides: tuple[OverrideFact, ...] = ()
    has_term: bool = True                    # False: no union term covers the year — nothing to count

    @property
    def is_school_table(self) -> bool:
        """School-level unions (incl. the graduate union) file the school table (self-assessment.md C1)."""
        return self.level == "school"

    @property
    def scope(self) -> str:
        return SCHOOL if self.is_school_table else SECOND_LEVEL

    @property
    def presidium_count(self) -> int:
        return sum(1 for s in self.staff if s.is_presidium)

    @property
    def staff_count(self) -> int:
        return len(self.staff)


# --- outcomes and rules ----------------------------------------------------------------------

@dataclass(frozen=True)
class Outcome:
    status: str
    figure: str = ""          # zh-Hans, e.g. "实有 38 人"
    figure_en: str = ""       # English, e.g. "staff 38"
    evidence: tuple[str, ...] = ()
    # `StaffFact.identity` of the people a per-person rule fails on; evidence names them for readers,
    # the live check matches on these (two students may share a name)
    staff_keys: tuple[str, ...] = ()

    @property
    def is_failure(self) -> bool:
        return self.status == FAIL


@dataclass(frozen=True)
class Rule:
    id: str
    number: int               # 序号 on the filing form
    scope: str                # school / second_level
    kind: str                 # numeric / procedure / attestation
    text: str                 # zh-Hans, may use {config fields}
    text_en: str
    check: Callable[[UnionFacts, RuleConfig], Outcome]
    is_core: bool = False     # ★
    evidence_anchor: str = "structure"   # which page proves it: structure / congress / training / attestation

    def text_for(self, config: RuleConfig, language: str = "zh-hans") -> str:
        template = self.text_en if language.startswith("en") else self.text
        return template.format(**dataclasses.asdict(config))


@dataclass(frozen=True)
class Finding:
    rule: Rule
    outcome: Outcome
    text: str
    text_en: str
    overrides: tuple[OverrideFact, ...] = ()

    @property
    def status(self) -> str:
        if self.outcome.status == FAIL and self.overrides:
            return OVERRIDDEN
        return self.outcome.status

    @property
    def is_failure(self) -> bool:
        return self.status == FAIL

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status][0]

    @property
    def status_label_en(self) -> str:
        return STATUS_LABELS[self.status][1]

    def message(self, language: str = "zh-hans") -> str:
        """The refusal message naming the rule, e.g. "不符合指标 C3：…（实有 31 人）"."""
        if language.startswith("en"):
            figure = f" ({self.outcome.figure_en})" if self.outcome.figure_en else ""
            return f"Does not meet indicator {self.rule.id}: {self.text_en}{figure}"
        figure = f"（{self.outcome.figure}）" if self.outcome.figure else ""
        return f"不符合指标 {self.rule.id}：{self.text}{figure}"


# --- checks ----------------------------------------------------------------------------------

def _count(actual: int, limit: int | None, zh_unit: str, en_noun: str, evidence=()) -> Outcome:
    figure, figure_en = f"实有 {actual} {zh_unit}", f"{en_noun} {actual}"
    if limit is None or actual <= limit:
        return Outcome(PASS, figure, figure_en)
    return Outcome(FAIL, figure, f"{figure_en} > {limit}", tuple(evidence))


def check_staff_count(facts: UnionFacts, config: RuleConfig) -> Outcome:
    return _count(facts.staff_count, config.staff_max(facts), "人", "staff")


def check_presidium_count(facts: UnionFacts, config: RuleConfig) -> Outcome:
    presidium = [s.name for s in facts.staff if s.is_presidium]
    return _count(len(presidium), config.presidium_max(facts), "人", "presidium", presidium)


def check_department_count(facts: UnionFacts, config: RuleConfig) -> Outcome:
    return _count(len(facts.departments), config.departments_max(facts), "个", "departments", facts.departments)


def check_structure(facts: UnionFacts, config: RuleConfig) -> Outcome:
    """Presidium + departments only: no department named as a centre, project office or committee,
    nobody outside both levels; at second level also the configured department limit, if any."""
    bad_departments = [d for d in facts.departments if any(w in d for w in config.forbidden_department_words)]
    loose_staff = [s for s in facts.staff if not s.is_presidium and not s.department]
    loose = [s.name for s in loose_staff]
    evidence = bad_departments + loose
    limit = None if facts.is_school_table else config.second_departments_max
    too_many = limit is not None and len(facts.departments) > limit
    figure = f"主席团 + {len(facts.departments)} 个工作部门"
    figure_en = f"presidium + {len(facts.departments)} departments"
    if evidence or too_many:
        # the figure names departments only: it is printed on public pages, people are not
        if bad_departments:
            figure += "；" + "、".join(bad_departments)
        if loose:
            figure += f"；{len(loose)} 人不属于主席团或工作部门"
        return Outcome(FAIL, figure, figure_en, tuple(evidence), tuple(s.identity for s in loose_staff))
    return Outcome(PASS, figure, figure_en)


def check_titles(facts: UnionFacts, config: RuleConfig) -> Outcome:
    bad_staff = [s for s in facts.staff if s.position not in config.allowed_titles]
    bad = [f"{s.name}（{s.position}）" for s in bad_staff]
    if bad:
        return Outcome(FAIL, f"{len(bad)} 人职务不在规定之列", f"{len(bad)} titles outside the allowed set", tuple(bad),
                       tuple(s.identity for s in bad_staff))
    return Outcome(PASS)


def check_political_status(facts: UnionFacts, config: RuleConfig) -> Outcome:
    bad = [s for s in facts.staff if s.political_status not in config.qualifying_political_statuses]
    members = facts.staff_count - len(bad)
    figure, figure_en = f"党团员 {members}/{facts.staff_count} 人", f"Party/League members {members}/{facts.staff_count}"
    return Outcome(FAIL if bad else PASS, figure, figure_en, tuple(s.name for s in bad),
                   tuple(s.identity for s in bad))


def check_academic(facts: UnionFacts, config: RuleConfig) -> Outcome:
    """Academic standard. Staff who already fail the political-status rule are reported there,
    not twice; staff without academic records make the indicator `not_recorded`."""
    concerned = [s for s in facts.staff if s.political_status in config.qualifying_political_statuses]
    failing = [s for s in concerned if s.is_eligible is False]
    if failing:
        evidence = tuple(f"{s.name}：{'；'.join(s.eligibility_reasons)}" if s.eligibility_reasons else s.name
                         for s in failing)
        return Outcome(FAIL, f"{len(failing)} 人不符合学业要求", f"{len(failing)} below the academic standard", evidence,
                       tuple(s.identity for s in failing))
    unknown = [s.name for s in concerned if s.is_eligible is None]
    if unknown:
        return Outcome(NOT_RECORDED, f"{len(unknown)} 人无学业记录", f"{len(unknown)} without academic records",
                       tuple(unknown))
    return Outcome(PASS, f"{len(concerned)} 人均符合", f"all {len(concerned)} meet it")


def check_approval_chain(facts: UnionFacts, config: RuleConfig) -> Outcome:
    failing = [s for s in facts.staff if s.approval_chain_complete is False]
    if failing:
        return Outcome(FAIL, f"{len(failing)} 人缺推荐审核程序", f"{len(failing)} without the approval chain",
                       tuple(s.name for s in failing), tuple(s.identity for s in failing))
    if not facts.staff or any(s.approval_chain_complete is None for s in facts.staff):
        return Outcome(NOT_RECORDED)
    return Outcome(PASS)


def check_presidium_elected(facts: UnionFacts, config: RuleConfig) -> Outcome:
    if facts.congress is None or facts.congress.presidium_elected_by_congress is None:
        return Outcome(NOT_RECORDED)
    return Outcome(PASS if facts.congress.presidium_elected_by_congress else FAIL)


def _months_between(earlier: datetime.date, later: datetime.date) -> float:
    return (later.year - earlier.year) * 12 + (later.month - earlier.month) + (later.day - earlier.day) / 31


def check_congress_on_schedule(facts: UnionFacts, config: RuleConfig) -> Outcome:
    if facts.congress is None or facts.congress.last_session is None:
        return Outcome(NOT_RECORDED)
    held = facts.congress.last_session
    figure = f"{held.year}年{held.month}月{held.day}日"
    as_of = facts.as_of or datetime.date.today()
    if _months_between(held, as_of) > config.congress_max_age_months:
        return Outcome(FAIL, figure, held.isoformat())
    return Outcome(PASS, figure, held.isoformat())


def check_training(facts: UnionFacts, config: RuleConfig) -> Outcome:
    training = facts.training
    if training is None or training.spring_attendance is None or training.autumn_attendance is None:
        return Outcome(NOT_RECORDED)
    figure = f"春季 {training.spring_attendance:.0%}，秋季 {training.autumn_attendance:.0%}"
    figure_en = f"spring {training.spring_attendance:.0%}, autumn {training.autumn_attendance:.0%}"
    full = training.spring_attendance >= 1 and training.autumn_attendance >= 1
    return Outcome(PASS if full else FAIL, figure, figure_en)


def check_nominations(facts: UnionFacts, config: RuleConfig) -> Outcome:
    # No nomination module yet: the indicator cannot be proven either way.
    return Outcome(NOT_RECORDED)


def attestation_check(rule_id: str, data_check: Callable | None = None) -> Callable[[UnionFacts, RuleConfig], Outcome]:
    """An attestation item: fails on its data check (if any) or a negative attestation; passes
    only when attested; otherwise waits for the attestation."""

    def check(facts: UnionFacts, config: RuleConfig) -> Outcome:
        if data_check is not None:
            outcome = data_check(facts, config)
            if outcome is not None:
                return outcome
        attestation = facts.attestations.get(rule_id)
        if attestation is None:
            return Outcome(ATTEST_MISSING)
        figure = f"{attestation.by} 确认" if attestation.by else ""
        figure_en = f"attested by {attestation.by}" if attestation.by else ""
        evidence = (attestation.evidence_url,) if attestation.evidence_url else ()
        return Outcome(PASS if attestation.attested else FAIL, figure, figure_en, evidence)

    return check


def check_admin_duties(facts: UnionFacts, config: RuleConfig) -> Outcome | None:
    words = [w for w in config.admin_duty_words if w in facts.declared_duties]
    if words:
        return Outcome(FAIL, "职责含行政事务：" + "、".join(words), "administrative duties: " + ", ".join(words),
                       tuple(words))
    return None


# --- the two tables --------------------------------------------------------------------------

def _r(id, number, scope, kind, text, text_en, check, core=False, anchor="structure") -> Rule:
    return Rule(id, number, scope, kind, text, text_en, check, core, anchor)


SCHOOL_RULES: tuple[Rule, ...] = (
    _r("S1", 1, SCHOOL, ATTESTATION, "全心全意服务同学，聚焦主责主业，不承担学校行政职能",
       "Serves students wholeheartedly as its main duty; carries no administrative function of the school",
       attestation_check("S1", check_admin_duties), core=True, anchor="attestation"),
    _r("S2", 2, SCHOOL, NUMERIC, "组织架构为主席团＋工作部门，不设其他层级和中心、项目办等机构",
       "Structure is presidium + departments only; no centres, project offices or other levels", check_structure),
    _r("S3", 3, SCHOOL, NUMERIC,
       "校级学生会组织工作人员不超过 {school_staff_max} 人（规模较大或多校区高校不超过 {school_staff_max_large} 人）",
       "School-level union staff at most {school_staff_max} ({school_staff_max_large} for large or multi-campus universities)",
       check_staff_count),
    _r("S4", 4, SCHOOL, NUMERIC, "主席团成员不超过 {school_presidium_max} 人",
       "Presidium at most {school_presidium_max} members", check_presidium_count),
    _r("S5", 5, SCHOOL, NUMERIC, "工作部门不超过 {school_departments_max} 个",
       "At most {school_departments_max} departments", check_department_count),
    _r("S6", 6, SCHOOL, NUMERIC, "除主席、副主席（轮值执行主席）、部长、副部长、干事外，不设其他职务",
       "No title other than president, vice-president (rotating executive president), head, deputy head, officer",
       check_titles),
    _r("S7", 7, SCHOOL, NUMERIC, "工作人员均为中共党员或共青团员",
       "All staff are Communist Party or Youth League members", check_political_status),
    _r("S8", 8, SCHOOL, NUMERIC,
       "本专科生工作人员（新生除外）学业成绩排名在本专业前 30%，且无课程不及格；研究生工作人员无课程不及格",
       "Undergraduate staff (first-years excepted) rank in the top 30% of their major with no failed course; "
       "graduate staff have no failed course", check_academic),
    _r("S9", 9, SCHOOL, PROCEDURE,
       "主席团候选人经学院团组织推荐、学院党组织同意、学工部门和校团委联合审查、校党委研究确定；工作部门成员经推荐审核",
       "Presidium candidates and department members went through the recommendation and review chain",
       check_approval_chain, anchor="selection"),
    _r("S10", 10, SCHOOL, PROCEDURE, "主席团由学生代表大会直接选举产生",
       "The presidium was elected by the student congress itself", check_presidium_elected, anchor="congress"),
    _r("S11", 11, SCHOOL, PROCEDURE, "按期召开学生代表大会（请注明召开时间）",
       "The student congress was held on schedule (give the date)", check_congress_on_schedule, core=True,
       anchor="congress"),
    _r("S12a", 12, SCHOOL, ATTESTATION, "学生会章程和规章制度向同学公开",
       "The union's charter and rules are published to students", attestation_check("S12a"), anchor="attestation"),
    _r("S12b", 13, SCHOOL, ATTESTATION, "定期向同学报告工作并接受同学评议",
       "The union reports to students and is evaluated by them", attestation_check("S12b"), anchor="attestation"),
    _r("S12c", 14, SCHOOL, ATTESTATION, "学生干部接受系统培训",
       "Cadres were trained", attestation_check("S12c"), anchor="attestation"),
    _r("S12d", 15, SCHOOL, ATTESTATION, "对二级学生会组织开展改革评估",
       "The second-level unions were assessed", attestation_check("S12d"), anchor="attestation"),
)

SECOND_LEVEL_RULES: tuple[Rule, ...] = (
    _r("C1", 1, SECOND_LEVEL, ATTESTATION, "全心全意服务同学，不承担行政职能",
       "Serves students; carries no administrative duties", attestation_check("C1", check_admin_duties),
       anchor="attestation"),
    _r("C2", 2, SECOND_LEVEL, NUMERIC, "组织架构为主席团＋工作部门，不设其他层级和中心、项目办等机构",
       "Structure is presidium + departments only; no centres, project offices or other levels", check_structure),
    _r("C3", 3, SECOND_LEVEL, NUMERIC, "二级学生会组织工作人员不超过 {second_staff_max} 人",
       "Second-level union staff at most {second_staff_max}", check_staff_count),
    _r("C4", 4, SECOND_LEVEL, NUMERIC, "主席团成员不超过 {second_presidium_max} 人",
       "Presidium at most {second_presidium_max} members", check_presidium_count),
    _r("C5", 5, SECOND_LEVEL, NUMERIC, "除主席、副主席（轮值执行主席）、部长、副部长、干事外，不设其他职务",
       "No title other than president, vice-president (rotating executive president), head, deputy head, officer",
       check_titles),
    _r("C6", 6, SECOND_LEVEL, NUMERIC, "工作人员均为中共党员或共青团员",
       "All staff are Communist Party or Youth League members", check_political_status),
    _r("C7", 7, SECOND_LEVEL, NUMERIC,
       "本专科生工作人员（新生除外）学业成绩排名在本专业前 30%，且无课程不及格；研究生工作人员无课程不及格",
       "Undergraduate staff (first-years excepted) rank in the top 30% of their major with no failed course; "
       "graduate staff have no failed course", check_academic),
    _r("C8", 8, SECOND_LEVEL, PROCEDURE, "主席团由学院学生代表大会或全体学生大会选举产生",
       "The presidium was elected by the college congress or the all-student assembly", check_presidium_elected,
       anchor="congress"),
    _r("C9", 9, SECOND_LEVEL, PROCEDURE, "按期召开学院学生代表大会或全体学生大会",
       "The college congress or all-student assembly was held on schedule", check_congress_on_schedule,
       anchor="congress"),
    _r("C10", 10, SECOND_LEVEL, PROCEDURE, "春、秋季学期开展全员培训",
       "Spring and autumn training for all staff was held", check_training, anchor="training"),
    _r("C11", 11, SECOND_LEVEL, PROCEDURE, "推荐评优评奖、综合测评加分、推免研究生时以评议结果为依据，不以职务为依据",
       "Nominations for awards, bonuses or postgraduate recommendation follow review results, not the post",
       check_nominations, anchor="assessment"),
    _r("C12", 12, SECOND_LEVEL, ATTESTATION, "学院党组织定期听取学生会工作汇报，研究决定重大事项",
       "The college Party organisation hears the union's reports regularly and decides major matters",
       attestation_check("C12"), anchor="attestation"),
    _r("C13", 13, SECOND_LEVEL, ATTESTATION, "明确一名团组织负责人指导学生会工作，由团干部担任秘书长",
       "A named League leader guides the union and a League teacher is its secretary-general",
       attestation_check("C13"), anchor="attestation"),
)

ALL_RULES: tuple[Rule, ...] = SCHOOL_RULES + SECOND_LEVEL_RULES
RULES_BY_ID: dict[str, Rule] = {rule.id: rule for rule in ALL_RULES}
ATTESTATION_RULE_IDS = tuple(rule.id for rule in ALL_RULES if rule.kind == ATTESTATION)


def rules_for(facts: UnionFacts) -> tuple[Rule, ...]:
    return SCHOOL_RULES if facts.is_school_table else SECOND_LEVEL_RULES


def evaluate(facts: UnionFacts, config: RuleConfig | None = None) -> list[Finding]:
    """Every indicator of the union's table, in form order, with the overrides attached."""
    config = config or RuleConfig()
    findings = []
    for rule in rules_for(facts):
        overrides = tuple(o for o in facts.overrides if o.rule_id == rule.id)
        if not facts.has_term and rule.kind == NUMERIC:
            outcome = Outcome(NOT_RECORDED)  # zero staff in a year without a term proves nothing
        else:
            outcome = rule.check(facts, config)
        findings.append(Finding(rule, outcome, rule.text_for(config), rule.text_for(config, "en"),
                                overrides))
    return findings


# --- live checks before a change -------------------------------------------------------------

# Rules a change can break: counts break for everyone; per-person rules only on the new person.
MEMBER_COUNT_RULES = {"S3", "S4", "C3", "C4"}
MEMBER_PERSON_RULES = {"S2", "S6", "S7", "S8", "C2", "C5", "C6", "C7"}
DEPARTMENT_RULES = {"S2", "S5", "C2"}


def check_addition(facts: UnionFacts, config: RuleConfig | None = None, *, new_staff: StaffFact | None = None,
                   new_department: str | None = None) -> list[Finding]:
    """The failures an addition would cause: evaluate the facts after the change and keep the
    rules the change can break. A count over its limit refuses the change even when the union was
    already over it; a per-person rule refuses only when the new person (or department) is named."""
    config = config or RuleConfig()
    staff, departments = facts.staff, facts.departments
    if new_staff is not None:
        staff += (new_staff,)
    if new_department is not None:
        departments += (new_department,)
    after = dataclasses.replace(facts, staff=staff, departments=departments, overrides=())
    relevant = (MEMBER_COUNT_RULES | MEMBER_PERSON_RULES) if new_staff is not None else DEPARTMENT_RULES
    refused = []
    for finding in evaluate(after, config):
        if finding.rule.id not in relevant or finding.outcome.status != FAIL:
            continue
        if finding.rule.id in MEMBER_PERSON_RULES and new_staff is not None:
            # the new person, not a namesake: match on identity (give staff a `key`), never on the name
            if new_staff.identity not in finding.outcome.staff_keys:
                continue
        if finding.rule.id in ("S2", "C2") and new_department is not None and new_staff is None:
            before = {f.rule.id: f for f in evaluate(dataclasses.replace(facts, overrides=()), config)}
            if new_department not in finding.outcome.evidence and before[finding.rule.id].outcome.status == FAIL:
                continue
        refused.append(finding)
    return refused


def failures(findings: Iterable[Finding]) -> list[Finding]:
    return [f for f in findings if f.is_failure]
