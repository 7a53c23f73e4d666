"""The demo's rights desk (issue 4): categories, offices with a staff login each, routing rules and
about one case per fifteen students over the last twelve months, called by `tongxue.core.demo`.

Every case is generated as a whole life (submitted → accepted → in progress or transferred →
answered → rated / closed, sometimes reopened or merged) and then cut at `now`: its status, its
timestamps and its history are what had happened by then, so old cases are closed and rated and
recent ones still open. Deadlines are judged by the real clock (`tongxue.domain.sla` on the official
calendar): a stage missed is escalated at its deadline, as the worker would have done, and the few
open cases past a deadline show up overdue. Anonymous cases store no student.

Deterministic for a seed relative to `now`; rows are written with `bulk_create`.
"""
from __future__ import annotations

import datetime
import hashlib
import random
from dataclasses import dataclass, field

from django.utils import timezone

from tongxue.core.models import Role, RoleAssignment, Student, University, User
from tongxue.domain import sla
from tongxue.domain.workdays import SHANGHAI, CalendarGap, WorkCalendar
from tongxue.unions.models import Union

from . import routing
from .defaults import ensure_defaults
from .models import Case, CaseEvent, CaseSupporter, Category, Level, Office, RoutingRule

BATCH = 2000
STUDENTS_PER_CASE = 15

# office code → (工号, name of the staff member)
OFFICE_STAFF = {
    "logistics": ("H0001", "赵建华"),
    "academic": ("J0001", "陈静"),
    "security": ("B0001", "刘国庆"),
    "finance": ("C0001", "孙丽"),
    "student_affairs": ("X0001", "马骏"),
    "it": ("I0001", "黄磊"),
}

# category → (share of cases, office that answers a transfer)
CATEGORY_MIX = {
    "dorm": (22, "logistics"), "canteen": (17, "logistics"), "teaching": (13, "academic"),
    "exams": (8, "academic"), "fees": (5, "finance"), "facilities": (17, "logistics"),
    "safety": (3, "security"), "health": (4, "student_affairs"), "other": (11, "student_affairs"),
}


@dataclass(frozen=True)
class Template:
    title: str
    text: str
    answer: str
    office: str = ""       # default: the category's office
    transfer: float = 0.4  # share transferred to the office
    hot: float = 1.0       # how many students join such cases


T = Template
TEMPLATES = {
    "dorm": [
        T("{b}号楼没有热水", "{b}号楼{f}层热水从{when}开始时有时无，晚上十点以后基本没有热水，洗澡很不方便。",
          "已联系后勤维修中心检查{b}号楼热水机组，更换了循环泵，目前供水已恢复。", transfer=0.7, hot=3),
        T("{b}号楼{r}宿舍空调不制冷", "{b}号楼{r}宿舍空调开一晚上也不制冷，报修后{n}天没有人来。",
          "维修师傅已上门为{r}宿舍空调补充冷媒，请同学们继续观察使用情况。", transfer=0.6, hot=1.5),
        T("宿舍校园网晚上经常掉线", "{b}号楼晚上九点到十二点校园网频繁掉线，影响上网课和交作业。",
          "信息化办公室已为{b}号楼更换汇聚交换机并扩容出口带宽，晚间掉线问题已解决。", office="it",
          transfer=0.8, hot=4),
        T("{b}号楼洗衣机坏了", "{b}号楼{f}层的洗衣机扫码付款后不启动，已经坏了{n}天。",
          "已通知洗衣机服务商维修，并为误扣费的同学办理退款。", transfer=0.5),
        T("希望延长{b}号楼门禁时间", "做完实验回{b}号楼经常赶不上门禁，希望门禁时间延长到二十三点半。",
          "经与宿舍管理中心沟通，考试周期间门禁延长至二十三点半，平时可凭实验室证明登记晚归。",
          office="student_affairs", transfer=0.5, hot=2.5),
        T("{b}号楼卫生间漏水发霉", "{b}号楼{r}卫生间天花板漏水，墙面已经发霉，有异味。",
          "后勤已完成楼上管道维修并重新粉刷墙面。", transfer=0.8),
    ],
    "canteen": [
        T("{c}套餐涨价", "{c}的套餐从{p}元涨到了{p2}元，分量反而少了，希望说明原因。",
          "饮食中心答复：因食材成本上涨调整了部分套餐价格，已恢复两档平价套餐，分量按标准执行。", hot=3.5),
        T("{c}晚餐窗口关得太早", "{c}晚上六点半以后很多窗口就关了，上晚课的同学吃不上饭。",
          "{c}已安排两个窗口供应至二十点，并增加夜宵档口。", hot=2.5),
        T("{c}餐具不干净", "在{c}二楼吃饭时发现餐具没有洗干净，希望加强检查。",
          "饮食中心已约谈{c}承包方，增加餐具消毒抽检频次，结果在食堂门口公示。"),
        T("{c}中午排队太久", "中午下课后{c}排队要二十分钟，建议增加窗口或错峰开餐。",
          "{c}中午高峰时段已增开三个窗口，并开通线上预订自取。", hot=2),
        T("{c}刷卡机经常刷不上", "{c}一楼几台刷卡机经常刷不上校园卡，只能排队扫码。",
          "已更换{c}一楼四台读卡器。", office="it", transfer=0.6),
    ],
    "teaching": [
        T("{t}{room}投影看不清", "{t}{room}教室投影仪偏暗，后排同学看不清课件。",
          "教务处已更换{t}{room}教室投影灯泡，并对该楼投影设备进行巡检。", hot=1.5),
        T("《{course}》临时调课通知太晚", "《{course}》临时调课，前一天晚上十点才发通知，很多同学没看到。",
          "教务处已提醒任课教师调课须提前两天通过教务系统通知，学院会加强督促。"),
        T("选课系统高峰期卡顿", "选课开放时系统频繁崩溃，不少同学没能选上必修课。",
          "选课系统已扩容，没选上必修课的同学可在补退选阶段由学院统一补选。", transfer=0.8, hot=5),
        T("{t}{room}话筒有杂音", "{t}{room}教室无线话筒一直有电流声，老师讲课听不清。",
          "已更换该教室无线话筒接收器。", transfer=0.3),
        T("{t}教室空调温度太低", "{t}几间大教室空调温度设得太低，上课很冷。",
          "已将{t}教室空调统一设定为二十六度，并张贴调节说明。", office="logistics", transfer=0.5),
    ],
    "exams": [
        T("期末考试安排太密集", "{college}部分专业期末三天考五门，希望适当分散考试时间。",
          "教务处已与学院协调，将两门考试调整到第十九周，新的安排已在教务系统公布。", hot=3),
        T("《{course}》成绩迟迟未公布", "《{course}》考试结束一个多月了成绩还没出来，影响奖学金评定。",
          "任课教师已完成阅卷，成绩已录入教务系统。", transfer=0.6, hot=2),
        T("补考时间与实习冲突", "{college}部分同学寒假实习期间安排了补考，希望能调整或提供缓考。",
          "符合条件的同学可提交缓考申请，学院审核后随下学期补考参加。"),
        T("四六级考场离宿舍太远", "四六级考场安排在{away}，离宿舍太远，早上赶不及。",
          "下次考试将按校区就近编排考场，并安排考试日早班校车。", hot=2),
    ],
    "fees": [
        T("调宿后住宿费退费未到账", "上学期调宿后多交的住宿费申请退费两个月了还没到账。",
          "财务处已核实并完成退费，款项已退回缴费银行卡。", transfer=0.8),
        T("教材费没有明细", "本学期预收教材费{p3}元，没有明细清单，希望公开。",
          "教材费明细已在学院网站公示，多退少补将在学期末结算。", hot=2),
        T("缴费平台无法支付", "学费缴费平台显示支付成功但状态一直是未缴费。",
          "系统对账延迟已修复，缴费状态已更新，不影响注册。", transfer=0.7),
    ],
    "facilities": [
        T("期末自习室座位不够", "期末期间{lib}自习室座位严重不足，还有人长期占座。",
          "期末期间增开三间通宵自习室，图书馆将每两小时清理占座物品。", office="academic", hot=4),
        T("{campus}快递站取件排长队", "{campus}快递站下午取件要排半小时，希望延长开放时间、增加货架。",
          "快递站已延长开放至二十一点，新增两排货架和自助取件柜。", hot=3),
        T("{t}{f}层饮水机不出热水", "{t}{f}层饮水机不出热水，冬天只能喝凉水。", "已更换饮水机加热管。"),
        T("体育馆晚上开放时间太短", "希望体育馆晚上开放到二十二点，方便上完晚课的同学锻炼。",
          "体育馆工作日开放时间已延长至二十一点半。", office="student_affairs", hot=2),
        T("{road}路灯不亮", "{road}一段路灯坏了好几盏，晚上很黑，走路不安全。", "已完成{road}路灯检修。",
          transfer=0.7),
        T("校车高峰期挤不上", "{campus}到{away}的校车早高峰挤不上，希望增加班次。",
          "早高峰已增加两班校车，时刻表见后勤公众号。", hot=2.5),
    ],
    "safety": [
        T("{road}路口电动车太快", "{road}路口电动车车速很快，差点撞到人，建议设减速带。",
          "保卫处已在{road}路口设置减速带和限速提示牌，并加强巡查。", transfer=0.8),
        T("宿舍楼有陌生人推销", "最近{b}号楼经常有陌生人挨个宿舍推销，担心安全。",
          "保卫处已加强{b}号楼门禁核验，请发现陌生人及时拨打保卫处值班电话。", transfer=0.8),
        T("实验楼通风橱故障", "化学实验楼{f}层通风橱故障，做实验有刺激性气味。",
          "已暂停该楼层相关实验并完成通风橱维修检测。", office="logistics", transfer=0.6),
    ],
    "health": [
        T("校医院上午号源太少", "校医院上午的号很快就没了，希望增加号源或开放线上预约。",
          "校医院已开通线上预约并增加上午内科号源。", transfer=0.7, hot=2),
        T("心理咨询预约排期太长", "心理中心预约要等三周，希望增加咨询师或开放团体辅导。",
          "心理中心已增加兼职咨询师并开设每周团体辅导，紧急情况可当天预约。", transfer=0.7),
        T("医保报销流程复杂", "门诊医保报销要跑好几个地方，流程不清楚。",
          "学生工作部已发布一页式报销指南，并开通线上提交材料。", transfer=0.6),
    ],
    "other": [
        T("校园卡补办时间太长", "校园卡丢失后补办要等一周，期间吃饭、进宿舍都不方便。",
          "补卡已改为当天制卡，临时卡可在服务大厅领取。", office="it"),
        T("社团活动场地难申请", "社团活动场地申请要提前两周，经常申请不到。",
          "学生活动中心已开通线上预约，并开放部分教室晚间申请。"),
        T("学生会活动通知太分散", "学生会活动通知在好几个群里，经常错过报名。",
          "校学生会已统一在公众号发布活动信息，并建立报名日历。", transfer=0.0),
        T("希望增加共享打印点", "{campus}只有一个打印店，交作业前排很长的队。",
          "已在{lib}和宿舍区新增两处自助打印机。", office="logistics"),
    ],
}

RATING_COMMENTS = {
    Case.Satisfaction.SATISFIED: ["处理很快，谢谢！", "已经解决了，辛苦了", "回复很及时", "", "", "满意"],
    Case.Satisfaction.BASIC: ["解决了，但等得有点久", "基本解决，希望以后能更快", "还需要继续观察", ""],
    Case.Satisfaction.UNSATISFIED: ["问题还在，没有实质改进", "回复太笼统，没有说明具体时间", "和实际情况不符"],
}
MONTH_WEIGHT = {1: 0.8, 2: 0.25, 3: 1.1, 4: 1.1, 5: 1.0, 6: 1.0, 7: 0.35, 8: 0.2, 9: 1.3, 10: 1.2, 11: 1.2,
                12: 1.1}
HOUR_WEIGHT = [0, 0, 0, 0, 0, 0, 0, 0.3, 1, 1.2, 1.2, 1.3, 1.5, 1.2, 1, 1, 1, 1, 0.9, 1.1, 1.4, 1.6, 1.5, 0.8]

CANTEENS = ["一食堂", "二食堂", "三食堂", "清真食堂", "东区食堂"]
BUILDINGS = ["第一教学楼", "第二教学楼", "文科楼", "理科楼", "东区教学楼"]
COURSES = ["高等数学", "大学物理", "线性代数", "大学英语", "数据结构", "有机化学", "宏观经济学", "概率论与数理统计"]
LIBRARIES = ["图书馆", "东区图书馆", "医学图书馆"]
ROADS = ["南门", "东二路", "图书馆前", "北操场", "体育馆东侧"]
WHEN = ["上周三", "周末", "开学", "前天", "国庆假期后"]
H = datetime.timedelta(hours=1)
D = datetime.timedelta(days=1)


SATISFACTION_LABELS = {Case.Satisfaction.SATISFIED: "满意", Case.Satisfaction.BASIC: "基本满意",
                       Case.Satisfaction.UNSATISFIED: "不满意"}
SOURCE_LABELS = {Case.Source.STALL: "权益摊位", Case.Source.FORUM: "座谈会", Case.Source.CONTACT: "当面反映",
                 Case.Source.OTHER: "其他渠道"}


@dataclass
class _Step:
    kind: str
    at: datetime.datetime
    status: str = ""
    actor: object = None
    office: Office | None = None
    text: str = ""
    internal: bool = False
    rating: tuple = ()


@dataclass
class _Plan:
    case: Case
    template: Template
    student: tuple
    answer: str
    office: Office
    steps: list[_Step] = field(default_factory=list)
    merge_at: datetime.datetime | None = None
    merged: bool = False
    merged_students: list = field(default_factory=list)   # students of duplicates merged into this case
    merged_anonymous: int = 0
    moved_at: datetime.datetime | None = None              # escalated to the school union at
    first_level: str = ""
    first_union: Union | None = None


def _fill(rng: random.Random, campus: str, college: str) -> dict:
    floor = rng.randint(1, 6)
    price = rng.choice([10, 12, 13, 15, 16])
    return dict(
        b=rng.randint(1, 24), f=floor, r=f"{floor}{rng.randint(1, 30):02d}", n=rng.randint(2, 9),
        when=rng.choice(WHEN), c=rng.choice(CANTEENS), p=price, p2=price + rng.choice([1, 2, 3]),
        p3=rng.choice([280, 350, 420, 460]), t=rng.choice(BUILDINGS),
        room=f"{rng.randint(1, 5)}{rng.randint(1, 20):02d}",
        course=rng.choice(COURSES), college=college, campus=campus, lib=rng.choice(LIBRARIES),
        away=rng.choice([c for c in ("东校区", "医学部", "主校区") if c != campus]),
        road=rng.choice(ROADS),
    )


def _calendar(years):
    try:
        from tongxue.domain.official_calendar import official_calendar

        return official_calendar(years)
    except (CalendarGap, ImportError):
        return WorkCalendar.weekends_only(years)


def _create_office_staff(university, offices: dict[str, Office], password_hash: str) -> list[User]:
    users = [User(university=university, login_id=login_id, username=User.make_username(university.code, login_id),
                  full_name=name, password=password_hash)
             for login_id, name in (OFFICE_STAFF[code] for code in OFFICE_STAFF if code in offices)]
    User.objects.bulk_create(users)
    RoleAssignment.objects.bulk_create([RoleAssignment(user=u, university=university, role=Role.OFFICE_STAFF)
                                        for u in users])
    by_login = {u.login_id: u for u in users}
    Office.staff.through.objects.bulk_create([
        Office.staff.through(office_id=offices[code].pk, user_id=by_login[login_id].pk)
        for code, (login_id, _name) in OFFICE_STAFF.items() if code in offices])
    for code, (login_id, _name) in OFFICE_STAFF.items():
        offices[code].demo_staff = by_login[login_id]
    return users


def build_rights_demo(university: University, rng: random.Random, password_hash: str, *, now=None,
                      cases: int | None = None, plain_student_no: str = "") -> dict:
    """The rights desk of one demo university. Returns the office logins (工号 → office name)."""
    now = (now or timezone.now()).astimezone(SHANGHAI)
    ensure_defaults(university)
    categories = {c.code: c for c in Category.objects.filter(university=university)}
    offices = {o.code: o for o in Office.objects.filter(university=university)}
    _create_office_staff(university, offices, password_hash)

    unions = list(Union.objects.filter(university=university))
    school = {u.kind: u for u in unions if u.level == Union.Level.SCHOOL}
    by_college = {u.college_id: u for u in unions if u.level == Union.Level.COLLEGE}
    by_campus = {u.campus_id: u for u in unions if u.level == Union.Level.CAMPUS}
    handlers = {u.pk: routing.default_handler(u) for u in unions}

    rules = [RoutingRule(university=university, category=categories[code], level=level, priority=100)
             for code, level in (("dorm", Level.COLLEGE), ("canteen", Level.COLLEGE), ("facilities", Level.COLLEGE),
                                 ("teaching", Level.COLLEGE), ("exams", Level.COLLEGE), ("fees", Level.SCHOOL),
                                 ("safety", Level.SCHOOL))]
    rules += [RoutingRule(university=university, category=categories["dorm"], campus_id=campus_id,
                          level=Level.CAMPUS, priority=50) for campus_id in sorted(by_campus)]
    RoutingRule.objects.bulk_create(rules)
    rule_level = {r.category.code: r.level for r in rules if r.campus_id is None}

    students = list(Student.objects.filter(university=university, is_enrolled=True).order_by("pk").values_list(
        "pk", "user_id", "college_id", "student_class_id", "degree_level", "college__campus_id", "college__name",
        "college__campus__name", "student_no"))
    by_college_students: dict[int, list] = {}
    for s in students:
        by_college_students.setdefault(s[2], []).append(s)
    total = cases if cases is not None else max(40, len(students) // STUDENTS_PER_CASE)
    codes = list(CATEGORY_MIX)
    weights = [CATEGORY_MIX[c][0] for c in codes]

    def body_for(student, category_code):
        _pk, _user, college_id, _class, degree, campus_id, *_rest = student
        kind = Union.Kind.UNDERGRADUATE if degree == "undergraduate" else Union.Kind.GRADUATE
        level = rule_level.get(category_code, Level.COLLEGE)
        if category_code == "dorm" and campus_id in by_campus:
            level = Level.CAMPUS
        if level == Level.CAMPUS and campus_id in by_campus:
            union = by_campus[campus_id]
        elif level in (Level.COLLEGE, Level.CAMPUS) and college_id in by_college:
            level, union = Level.COLLEGE, by_college[college_id]
        else:
            level, union = Level.SCHOOL, school.get(kind) or school.get(Union.Kind.UNDERGRADUATE)
        return level, union, handlers.get(union.pk) if union else None

    def submitted_time():
        while True:
            moment = now - datetime.timedelta(days=rng.uniform(0, 365))
            if rng.random() < MONTH_WEIGHT[moment.month] / 1.3:
                break
        hour = rng.choices(range(24), HOUR_WEIGHT)[0]
        moment = moment.replace(hour=hour, minute=rng.randrange(60), second=rng.randrange(60), microsecond=0)
        return min(moment, now - datetime.timedelta(minutes=rng.randint(5, 90)))

    plans: list[_Plan] = []
    for _ in range(total):
        code = rng.choices(codes, weights)[0]
        template = rng.choice(TEMPLATES[code])
        student = rng.choice(students)
        fill = _fill(rng, student[7], student[6])
        identity = rng.choices([Case.Identity.NAMED, Case.Identity.HIDDEN, Case.Identity.ANONYMOUS], [35, 50, 15])[0]
        offline = rng.random() < 0.08
        level, union, handler = body_for(student, code)
        submitted = submitted_time()
        category = categories[code]
        private = not category.is_sensitive and rng.random() < 0.02
        case = Case(
            university=university, category=category, title=template.title.format(**fill)[:60],
            description=template.text.format(**fill), place="", identity=identity,
            channel=Case.Channel.OFFLINE if offline else Case.Channel.ONLINE,
            source=rng.choice(Case.Source.values) if offline else "", logged_by=handler if offline else None,
            submitter_id=None if identity == Case.Identity.ANONYMOUS else student[0],
            college_id=student[2], campus_id=student[5], student_class_id=student[3],
            level=level, union=union, handler=handler, submitted_at=submitted,
            is_public=not category.is_sensitive and not private,
            private_reason="涉及同学个人信息" if private else "", photos_public=rng.random() < 0.3,
        )
        if identity == Case.Identity.ANONYMOUS:
            case.follow_token_hash = hashlib.sha256(rng.randbytes(18)).hexdigest()
        plans.append(_Plan(case, template, student, template.answer.format(**fill),
                           offices[template.office or CATEGORY_MIX[code][1]]))
    plans.sort(key=lambda p: p.case.submitted_at)

    if plain_student_no:
        _give_cases_to(plans, plain_student_no, students, body_for, now)
    for plan in plans:
        plan.first_level, plan.first_union = plan.case.level, plan.case.union
        _life(plan, rng)
    merges = _plan_merges(plans, rng, now)

    # cut every life at `now`
    for plan in plans:
        plan.steps = [s for s in plan.steps if s.at <= now]
        _apply(plan)

    calendar = _calendar(range(now.year - 1, now.year + 1))
    for plan in plans:
        _escalate(plan, calendar, now, school, handlers)

    joined = {}
    for plan in plans:
        joined[id(plan)] = _supporters(plan, by_college_students, rng, now)
        plan.case.supporter_count = len(joined[id(plan)]) + plan.merged_anonymous
    Case.objects.bulk_create([p.case for p in plans], batch_size=BATCH)
    for duplicate, target in merges:
        if duplicate.case.status == Case.Status.MERGED:
            duplicate.case.merged_into = target.case
    Case.objects.bulk_update([d.case for d, _t in merges if d.case.merged_into_id], ["merged_into"])

    # The history and the supporters are tens of thousands of plain rows: written as tuples
    # (`_insert_rows`), several times faster than building and compiling model instances.
    uid, events, supporters = university.pk, [], []
    for plan in plans:
        case = plan.case
        first_union_id = plan.first_union.pk if plan.first_union else None
        for step in plan.steps:
            moved = plan.moved_at is not None and step.at >= plan.moved_at
            events.append((uid, case.pk, step.kind, _pk(step.actor), step.status,
                           case.level if moved else plan.first_level, case.union_id if moved else first_union_id,
                           _pk(step.office), step.text, step.internal, step.at))
        for student_id, at in joined[id(plan)]:
            supporters.append((uid, case.pk, student_id, at))
            events.append((uid, case.pk, CaseEvent.Kind.JOINED, None, case.status, case.level, case.union_id, None,
                           "", False, at))
    _insert_rows(CaseEvent, ["university", "case", "kind", "actor", "status", "level", "union", "office", "text",
                             "is_internal", "created"], sorted(events, key=lambda e: (e[1], e[-1])))
    _insert_rows(CaseSupporter, ["university", "case", "student", "created"], supporters)
    return {login_id: offices[code].name for code, (login_id, _n) in OFFICE_STAFF.items() if code in offices}


def _give_cases_to(plans: list[_Plan], student_no: str, students: list, body_for, now) -> None:
    """The demo student's own cases: one recent, one from last week, one from two months ago."""
    me = next((s for s in students if s[8] == student_no), None)
    if me is None or not plans:
        return
    for age in (datetime.timedelta(hours=30), datetime.timedelta(days=8), datetime.timedelta(days=60)):
        plan = min((p for p in plans if p.case.category.code in ("dorm", "canteen", "facilities")),
                   key=lambda p: abs(p.case.submitted_at - (now - age)), default=None)
        if plan is None or plan.student == me:
            continue
        case = plan.case
        plan.student = me
        case.submitter_id, case.college_id, case.campus_id, case.student_class_id = me[0], me[2], me[5], me[3]
        case.level, case.union, case.handler = body_for(me, case.category.code)
        case.identity = Case.Identity.HIDDEN
        case.follow_token_hash = ""
        if case.channel == Case.Channel.OFFLINE:
            case.logged_by = case.handler


def _life(plan: _Plan, rng: random.Random) -> None:
    """The whole life of a case, from its submission to its end (not cut yet)."""
    case, template, S, K = plan.case, plan.template, Case.Status, CaseEvent.Kind
    handler = case.handler
    student_user = plan.student[1] if case.identity != Case.Identity.ANONYMOUS else None
    steps = plan.steps
    t = case.submitted_at
    if case.channel == Case.Channel.OFFLINE:
        steps.append(_Step(K.LOGGED, t, S.SUBMITTED, actor=handler, text=SOURCE_LABELS[case.source]))
    else:
        steps.append(_Step(K.SUBMITTED, t, S.SUBMITTED, actor=student_user))
    # accepted within hours, a few late
    t += H * (rng.lognormvariate(1.6, 0.9) if rng.random() > 0.04 else rng.uniform(30, 80))
    steps.append(_Step(K.ACCEPTED, t, S.ACCEPTED, actor=handler))
    if not case.is_public and case.private_reason:
        steps.append(_Step(K.VISIBILITY, t + H * 0.2, S.ACCEPTED, actor=handler, text=case.private_reason,
                           internal=True))
    plan.merge_at = t + H * rng.uniform(0.5, 6)
    rounds = 0
    while True:
        rounds += 1
        office = plan.office if rng.random() < template.transfer else None
        if office is not None:
            t += H * rng.uniform(1, 30)
            steps.append(_Step(K.TRANSFERRED, t, S.TRANSFERRED, actor=handler, office=office,
                               text=f"请{office.name}协助处理"))
            t += D * (rng.uniform(0.5, 6) if rng.random() > 0.1 else rng.uniform(6, 16))
            answerer = getattr(office, "demo_staff", None)
        else:
            t += H * rng.uniform(0.5, 20)
            steps.append(_Step(K.STARTED, t, S.IN_PROGRESS, actor=handler))
            t += D * (rng.uniform(0.3, 4) if rng.random() > 0.06 else rng.uniform(5, 10))
            answerer = handler
        steps.append(_Step(K.ANSWERED, t, S.ANSWERED, actor=answerer, office=office, text=plan.answer))
        if rng.random() < 0.22:       # no rating: the union closes it after a week
            t += D * rng.uniform(6, 8)
            steps.append(_Step(K.CLOSED, t, S.CLOSED, actor=handler, text="学生未评价，按期办结"))
            return
        t += D * rng.uniform(0.1, 4)
        satisfaction = rng.choices(Case.Satisfaction.values, [62, 27, 11] if rounds == 1 else [50, 40, 10])[0]
        comment = rng.choice(RATING_COMMENTS[satisfaction])
        rater = student_user
        text = f"{SATISFACTION_LABELS[satisfaction]} {comment}".strip()
        steps.append(_Step(K.RATED, t, S.ANSWERED, actor=rater, text=text, rating=(satisfaction, comment)))
        if satisfaction == Case.Satisfaction.UNSATISFIED and rounds == 1:
            steps.append(_Step(K.REOPENED, t, S.REOPENED, actor=rater))
            t += H * rng.uniform(2, 30)
            plan.answer = f"{plan.answer}（复查：已再次核实处理，如仍未解决请直接联系我们。）"
            continue
        steps.append(_Step(K.CLOSED, t, S.CLOSED))
        return


def _insert_rows(model, names: list[str], rows: list[tuple]) -> None:
    """INSERT plain tuples into `model`'s table (no signals, no auto fields: give every column)."""
    from django.db import connections, router

    connection = connections[router.db_for_write(model)]
    fields = [model._meta.get_field(name) for name in names]
    quote = connection.ops.quote_name
    sql = (f"INSERT INTO {quote(model._meta.db_table)} ({', '.join(quote(f.column) for f in fields)}) "
           f"VALUES ({', '.join(['%s'] * len(fields))})")
    moments = [i for i, f in enumerate(fields) if f.get_internal_type() == "DateTimeField"]
    adapt = connection.ops.adapt_datetimefield_value
    with connection.cursor() as cursor:
        for start in range(0, len(rows), BATCH):
            batch = [list(row) for row in rows[start:start + BATCH]]
            for row in batch:
                for i in moments:
                    row[i] = adapt(row[i])
            cursor.executemany(sql, batch)


def _pk(thing):
    """The id of a model instance, or the id itself."""
    return getattr(thing, "pk", thing)


def _plan_merges(plans: list[_Plan], rng: random.Random, now) -> list[tuple[_Plan, _Plan]]:
    """Some cases repeat an open one of the same kind and college: they are merged into it."""
    merges = []
    recent: dict[tuple, list[_Plan]] = {}
    for plan in plans:
        key = (plan.template.title, plan.case.college_id)
        earlier = [p for p in recent.get(key, []) if not p.merged
                   and plan.case.submitted_at - p.case.submitted_at < 14 * D
                   and _end(p) > plan.merge_at]
        if earlier and plan.merge_at <= now and rng.random() < 0.5:
            target = earlier[-1]
            plan.merged = True
            steps = [s for s in plan.steps if s.kind in (CaseEvent.Kind.SUBMITTED, CaseEvent.Kind.LOGGED,
                                                          CaseEvent.Kind.ACCEPTED)]
            steps = [s for s in steps if s.at < plan.merge_at]
            plan.steps = steps + [_Step(CaseEvent.Kind.MERGED, plan.merge_at, Case.Status.MERGED,
                                        actor=plan.case.handler, text="与同类诉求合并办理")]
            target.steps.append(_Step(CaseEvent.Kind.MERGED, plan.merge_at, "", actor=plan.case.handler,
                                      text="合并了一件同类诉求"))
            target.steps.sort(key=lambda s: s.at)
            if plan.case.submitter_id:
                target.merged_students.append(plan.case.submitter_id)
            else:
                target.merged_anonymous += 1
            merges.append((plan, target))
        recent.setdefault(key, []).append(plan)
    return merges


def _end(plan: _Plan) -> datetime.datetime:
    return max(s.at for s in plan.steps)


def _apply(plan: _Plan) -> None:
    """The case's fields from the steps that happened by now."""
    case, K = plan.case, CaseEvent.Kind
    status = Case.Status.SUBMITTED
    for step in plan.steps:
        if step.kind == K.MERGED and not step.status:
            step.status = status    # the target of a merge keeps its status
        status = step.status or status
        if step.kind in (K.ACCEPTED, K.STARTED, K.TRANSFERRED, K.ANSWERED) and case.accepted_at is None:
            case.accepted_at = step.at
        if step.kind == K.TRANSFERRED:
            case.office = step.office
        if step.kind == K.ANSWERED:
            case.answered_at = case.answered_at or step.at
            case.answer = step.text
            case.answered_by_office = step.office
        if step.kind == K.RATED:
            case.satisfaction, case.rating_comment = step.rating
            case.rated_at = step.at
            if case.satisfaction == Case.Satisfaction.UNSATISFIED:
                case.is_flagged = True
        if step.kind == K.REOPENED:
            case.reopen_count += 1
        if step.kind in (K.CLOSED, K.MERGED) and step.status in (Case.Status.CLOSED, Case.Status.MERGED):
            case.closed_at = step.at
    case.status = status


def _escalate(plan: _Plan, calendar, now, school: dict, handlers: dict) -> None:
    """Each stage missed is escalated at its deadline, as the clock sweep does (flagged; a case still
    with the union goes to the school union)."""
    case = plan.case
    if case.status == Case.Status.MERGED:
        return
    events = sla.CaseEvents(submitted_at=case.submitted_at, accepted_at=case.accepted_at,
                            answered_at=case.answered_at,
                            closed_at=case.closed_at if case.status == Case.Status.CLOSED else None)
    try:
        clock = sla.case_clock(events, calendar, now)
    except CalendarGap:
        return
    labels = {sla.Stage.ACCEPT: "受理", sla.Stage.FIRST_ANSWER: "首次答复", sla.Stage.CLOSE: "办结"}
    missed = [s for s in clock.stages if s.status in (sla.Status.LATE, sla.Status.BREACHED)]
    if not missed:
        return
    missed = [s for s in missed if s.due + datetime.timedelta(minutes=5) <= now]
    if not missed:
        return
    case.escalated_stages = sorted(s.stage.value for s in missed)
    case.is_flagged = True
    first = missed[0].due + datetime.timedelta(minutes=5)
    if case.is_open and case.status != Case.Status.TRANSFERRED and case.level != Level.SCHOOL:
        union = school.get(case.union.kind if case.union else Union.Kind.UNDERGRADUATE)
        if union is not None:
            case.level, case.union, case.handler = Level.SCHOOL, union, handlers.get(union.pk)
            plan.moved_at = first
    for stage in missed:
        at = stage.due + datetime.timedelta(minutes=5)
        status = next((s.status for s in reversed(plan.steps) if s.at <= at and s.status), Case.Status.SUBMITTED)
        plan.steps.append(_Step(CaseEvent.Kind.ESCALATED, at, status, text=labels[stage.stage]))
    plan.steps.sort(key=lambda s: s.at)


def _supporters(plan: _Plan, by_college: dict, rng: random.Random, now) -> list[tuple[int, datetime.datetime]]:
    """Students of the same college who met the same problem (我也遇到), while the case was open."""
    case = plan.case
    if case.status == Case.Status.MERGED:
        return []
    chosen = set(plan.merged_students)
    if case.is_public:
        n = int(rng.paretovariate(1.8) * plan.template.hot) - 1
        pool = by_college.get(case.college_id, [])
        chosen |= {s[0] for s in rng.sample(pool, min(len(pool), max(0, min(n, 60))))}
    chosen.discard(case.submitter_id)
    end = min(case.closed_at or now, now)
    span = max((end - case.submitted_at).total_seconds(), 60)
    return [(student_id, case.submitted_at + datetime.timedelta(seconds=rng.uniform(30, span)))
            for student_id in sorted(chosen)]
