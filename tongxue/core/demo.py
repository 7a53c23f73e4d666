"""A realistic demo university, generated deterministically from a seed.

`build_demo(seed, students)` creates 示范大学 (code `demo`: three campuses, twenty colleges
incl. 系 and a 书院, majors, classes, students with accounts, a school union with one earlier
term kept as history, a graduate union, a campus union, one union per college, associations,
teachers and administrators) and a small second university 联合大学 (code `lianhe`) so the
federation scope shows. Every demo account has the password `tongxue2026`.

示范大学 also has a living rights desk (`tongxue.rights.demo`): offices with a staff login each
(H0001 后勤保障处, J0001 教务处 …), routing rules and a year of cases, one per fifteen students.

The data carries a few deliberate rule violations, for the reform checks (rules.md §1–2) to find:

* 经济学院学生会 has 34 staff (second-level limit: 30);
* 法学院学生会 has 4 presidium members (second-level limit: 3);
* an officer of 外国语学院学生会 is 群众 (political status 13; rule: Party or League member);
* 东校区学生会 has a department named 学生事务中心 — a "centre", a level the reform forbids.
* 物理学院学生会 last held its congress 15 months ago (rules.md §8: flag anything older than 12 months).

Academic records (rank in the major, failed courses) exist for every cadre and a sample of
other students, for the latest term, the latest academic year and since enrolment, relative to
the day the demo is built: every cadre meets the eligibility rule of rules.md §2 (the planted
群众 officer fails on political status only); first-year students have no records yet.

Speed matters (30,000 students in well under a minute on SQLite): rows are built in memory
and written with `bulk_create`, the password is hashed once and the hash shared, the audit
log is switched off, and everything runs in one transaction.
"""
from __future__ import annotations

import datetime
import random
from dataclasses import dataclass, field

from auditlog.context import disable_auditlog
from django.apps import apps
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from tongxue.domain.eligibility import academic_year_start
from tongxue.unions.models import Association, Department, Membership, Position, Term, Union

from .models import (
    AcademicRecord, Campus, College, DegreeLevel, Gender, Major, PoliticalStatus, Role, RoleAssignment, Student,
    StudentClass, TenantModel, University, User, name_search_key,
)

DEMO_PASSWORD = "tongxue2026"
DEMO_CODES = ("demo", "lianhe")
BATCH = 2000
CLASS_SIZE = 32

# --- names ----------------------------------------------------------------------------------

SURNAMES = (
    "王" * 70 + "李" * 70 + "张" * 66 + "刘" * 54 + "陈" * 45 + "杨" * 31 + "黄" * 25 + "赵" * 22 + "吴" * 21
    + "周" * 20 + "徐" * 17 + "孙" * 15 + "马" * 15 + "朱" * 14 + "胡" * 13 + "郭" * 12 + "何" * 12 + "高" * 11
    + "林" * 11 + "罗" * 10 + "郑" * 10 + "梁" * 10 + "谢" * 8 + "宋" * 8 + "唐" * 8 + "许" * 7 + "韩" * 7
    + "冯" * 7 + "邓" * 7 + "曹" * 6 + "彭" * 6 + "曾" * 6 + "肖" * 6 + "田" * 6 + "董" * 5 + "袁" * 5 + "潘" * 5
    + "于" * 5 + "蒋" * 5 + "蔡" * 5 + "余" * 5 + "杜" * 5 + "叶" * 5 + "程" * 5 + "苏" * 4 + "魏" * 4 + "吕" * 4
    + "丁" * 4 + "任" * 4 + "沈" * 4 + "姚" * 4 + "卢" * 4 + "姜" * 4 + "崔" * 4 + "钟" * 4 + "谭" * 3 + "陆" * 3
    + "汪" * 3 + "范" * 3 + "金" * 3 + "石" * 3 + "廖" * 3 + "贾" * 3 + "夏" * 3 + "韦" * 3 + "付" * 3 + "方" * 3
    + "白" * 2 + "邹" * 2 + "孟" * 2 + "熊" * 2 + "秦" * 2 + "邱" * 2 + "江" * 2 + "尹" * 2 + "薛" * 2 + "闫" * 2
    + "段" * 2 + "雷" * 2 + "侯" * 2 + "龙" * 2 + "史" * 2 + "陶" * 2 + "黎" * 2 + "贺" * 2 + "顾" * 2 + "毛" * 2
    + "郝" + "龚" + "邵" + "万" + "钱" + "严" + "覃" + "武" + "戴" + "莫" + "孔" + "向" + "汤" + "常" + "温"
)
COMPOUND_SURNAMES = ("欧阳", "司马", "上官", "诸葛", "司徒", "慕容", "东方", "皇甫")
GIVEN_MALE = "伟强磊军勇杰涛斌超明刚平辉鹏华飞鑫波宇浩凯健俊帆帅旭宁龙林阳博文轩然睿哲昊晨泽瑞航峰毅诚彬"
GIVEN_FEMALE = "芳娜敏静丽艳娟霞燕玲婷雪琳晶颖倩莹慧洁琪欣怡萱涵悦思梦雨佳诗瑶婧妍蕾薇菲璐嘉月彤"
GIVEN_NEUTRAL = "一子天子晓小嘉家俊书子安文云海青清星心雅子志永世新正德明春秋晨"
RARE = "奡暐堃喆玥珺翀犇淼昇𬭚"  # the last one lies outside the Basic Multilingual Plane

UYGHUR_GIVEN = {
    Gender.FEMALE: ["阿依古丽", "古丽娜尔", "迪丽努尔", "热依拉", "帕提古丽", "努尔古丽", "米热阿依", "阿依努尔"],
    Gender.MALE: ["艾力", "买买提", "阿卜杜拉", "艾尔肯", "吐尔逊", "伊力哈木", "麦麦提江", "艾克拜尔"],
}
UYGHUR_FATHER = ["买买提", "吐尔逊", "艾合买提", "阿不都", "依明", "肉孜", "卡德尔", "热合曼", "玉素甫"]
KAZAKH_GIVEN = {
    Gender.FEMALE: ["阿依达娜", "古丽巴哈尔", "阿娜尔", "加娜尔"],
    Gender.MALE: ["叶尔兰", "努尔兰", "别克", "叶尔江"],
}
KAZAKH_FATHER = ["哈力木", "吐尔逊拜", "阿合买提", "努尔兰", "木拉提"]
TIBETAN = {
    Gender.FEMALE: ["次仁卓玛", "格桑梅朵", "央金拉姆", "德吉卓嘎", "白玛央宗", "拉姆措"],
    Gender.MALE: ["扎西顿珠", "达瓦次仁", "尼玛扎西", "旦增平措", "洛桑多吉", "贡布"],
}
MONGOLIAN = {
    Gender.FEMALE: ["乌日娜", "其木格", "苏日娜", "那仁图雅", "萨仁高娃"],
    Gender.MALE: ["巴特尔", "额尔敦", "朝鲁", "阿拉坦仓", "宝音图"],
}

# GB 3304 codes with rough shares among university students
ETHNICITIES = [
    ("01", 9050), ("08", 130), ("03", 90), ("11", 80), ("05", 80), ("06", 70), ("07", 60), ("15", 60),
    ("04", 50), ("02", 50), ("10", 30), ("12", 30), ("13", 20), ("14", 20), ("17", 20), ("18", 20), ("16", 20),
]
PHONE_PREFIXES = ["130", "131", "132", "133", "135", "136", "137", "138", "139", "150", "151", "152", "155",
                  "156", "157", "158", "159", "166", "173", "176", "177", "180", "181", "182", "185", "186",
                  "187", "188", "189", "191", "198", "199"]


def _weighted(rng: random.Random, pairs):
    values, weights = zip(*pairs)
    return rng.choices(values, weights)[0]


def make_name(rng: random.Random, gender: str, ethnicity: str) -> str:
    if ethnicity in ("05", "17"):  # given name · father's name
        given_names, fathers = (UYGHUR_GIVEN, UYGHUR_FATHER) if ethnicity == "05" else (KAZAKH_GIVEN, KAZAKH_FATHER)
        given = rng.choice(given_names[gender])
        return f"{given}·{rng.choice([f for f in fathers if f != given])}"
    if ethnicity == "04":
        return rng.choice(TIBETAN[gender])
    if ethnicity == "02" and rng.random() < 0.5:
        return rng.choice(MONGOLIAN[gender])
    surname = rng.choice(COMPOUND_SURNAMES) if rng.random() < 0.004 else rng.choice(SURNAMES)
    pool = (GIVEN_MALE if gender == Gender.MALE else GIVEN_FEMALE) + GIVEN_NEUTRAL
    length = 1 if rng.random() < 0.28 else 2
    given = "".join(rng.choice(pool) for _ in range(length))
    if rng.random() < 0.006:
        given = given[:-1] + rng.choice(RARE)
    return surname + given


def make_phone(rng: random.Random) -> str:
    return rng.choice(PHONE_PREFIXES) + f"{rng.randrange(10**8):08d}"


def political_status(rng: random.Random, year: int, graduate: bool) -> str:
    if graduate:
        pairs = [("01", 34), ("02", 6), ("03", 46), ("13", 14)]
    else:
        senior = {2022: 3, 2023: 2, 2024: 1, 2025: 0}[year]
        pairs = [("01", [0, 1.5, 4, 8][senior]), ("02", [0.5, 3, 5, 6][senior]), ("03", 84), ("13", 12)]
    return _weighted(rng, pairs)


def _apportion(total: int, weights: list[float], minimum: int = 0) -> list[int]:
    """Largest-remainder split of `total` by `weights`, each share at least `minimum` if possible."""
    base = minimum if total >= minimum * len(weights) else 0
    rest = total - base * len(weights)
    scale = sum(weights)
    exact = [rest * w / scale for w in weights]
    shares = [int(x) for x in exact]
    order = sorted(range(len(weights)), key=lambda i: (-(exact[i] - shares[i]), i))
    for i in order[: rest - sum(shares)]:
        shares[i] += 1
    return [s + base for s in shares]


# --- the universities -----------------------------------------------------------------------

@dataclass(frozen=True)
class CollegeSpec:
    code: str
    name: str
    kind: str
    campus: str
    weight: float
    majors: tuple[str, ...]


C, D, A = College.Kind.COLLEGE, College.Kind.DEPARTMENT, College.Kind.ACADEMY
DEMO_CAMPUSES = [("01", "主校区"), ("02", "东校区"), ("03", "医学部")]
DEMO_COLLEGES = [
    CollegeSpec("01", "文学院", C, "01", 1.0, ("汉语言文学", "汉语国际教育", "新闻学", "编辑出版学")),
    CollegeSpec("02", "历史学系", D, "01", 0.5, ("历史学", "世界史", "考古学")),
    CollegeSpec("03", "哲学系", D, "01", 0.4, ("哲学", "宗教学")),
    CollegeSpec("04", "经济学院", C, "01", 1.6, ("经济学", "金融学", "国际经济与贸易", "财政学", "保险学")),
    CollegeSpec("05", "法学院", C, "01", 1.0, ("法学", "知识产权", "社会工作")),
    CollegeSpec("06", "数学科学学院", C, "01", 0.9, ("数学与应用数学", "信息与计算科学", "统计学")),
    CollegeSpec("07", "物理学院", C, "01", 0.8, ("物理学", "应用物理学", "天文学")),
    CollegeSpec("08", "化学与分子工程学院", C, "01", 0.8, ("化学", "应用化学", "材料化学")),
    CollegeSpec("09", "计算机学院", C, "01", 1.8,
                ("计算机科学与技术", "软件工程", "人工智能", "网络空间安全", "数据科学与大数据技术")),
    CollegeSpec("10", "信息与电子工程学院", C, "02", 1.4, ("电子信息工程", "通信工程", "微电子科学与工程", "自动化")),
    CollegeSpec("11", "机械工程学院", C, "02", 1.2, ("机械工程", "车辆工程", "工业设计")),
    CollegeSpec("12", "外国语学院", C, "02", 0.9, ("英语", "日语", "俄语", "翻译")),
    CollegeSpec("13", "艺术学院", C, "02", 0.6, ("音乐学", "美术学", "视觉传达设计")),
    CollegeSpec("14", "新雅书院", A, "02", 0.4, ("人文与社会科学实验班", "理科试验班")),
    CollegeSpec("15", "马克思主义学院", C, "02", 0.3, ("思想政治教育", "马克思主义理论")),
    CollegeSpec("16", "基础医学院", C, "03", 0.7, ("基础医学", "生物医学科学")),
    CollegeSpec("17", "临床医学院", C, "03", 1.5, ("临床医学", "麻醉学", "医学影像学", "儿科学")),
    CollegeSpec("18", "公共卫生学院", C, "03", 0.5, ("预防医学", "卫生检验与检疫")),
    CollegeSpec("19", "药学院", C, "03", 0.7, ("药学", "临床药学", "中药学")),
    CollegeSpec("20", "护理学院", C, "03", 0.6, ("护理学", "助产学")),
]
LIANHE_CAMPUSES = [("01", "本部")]
LIANHE_COLLEGES = [
    CollegeSpec("01", "文法学院", C, "01", 1.0, ("汉语言文学", "法学")),
    CollegeSpec("02", "理工学院", C, "01", 1.2, ("计算机科学与技术", "土木工程", "化学工程与工艺")),
    CollegeSpec("03", "商学院", C, "01", 1.0, ("会计学", "市场营销")),
]

UNDERGRAD_YEARS = (2022, 2023, 2024, 2025)
GRADUATE_YEARS = (2024, 2025)
TERM_START = datetime.date(2025, 9, 20)
HISTORY_START, HISTORY_END = datetime.date(2024, 9, 21), datetime.date(2025, 9, 19)

SCHOOL_DEPARTMENTS = [
    ("办公室", "会议组织、档案与制度建设、联系各二级学生会"),
    ("学习部", "学风建设、学业互助、学术讲座"),
    ("权益服务部", "收集同学诉求、跟进权益问题、反馈办理结果"),
    ("文体部", "校园文化与体育活动"),
    ("宣传部", "新媒体、信息公开与对外联络"),
    ("实践部", "社会实践与志愿服务"),
]
COLLEGE_DEPARTMENTS = ["办公室", "学习部", "权益服务部", "文体部", "宣传部", "实践部", "学术科创部", "生活服务部"]
GRADUATE_DEPARTMENTS = ["办公室", "学术部", "权益服务部", "文体部", "宣传部"]
CAMPUS_DEPARTMENTS = ["办公室", "学生事务中心", "权益服务部", "文体部"]

ASSOCIATIONS = [
    ("学生社团联合会", "综合类", None, Association.Relation.FEDERATION, True),
    ("马克思主义学习研究会", "思想政治类", None, Association.Relation.GUIDED, True),
    ("青年志愿者协会", "志愿公益类", None, Association.Relation.GUIDED, True),
    ("数学建模协会", "学术科技类", "06", Association.Relation.INDEPENDENT, True),
    ("人工智能协会", "学术科技类", "09", Association.Relation.INDEPENDENT, False),
    ("机器人协会", "学术科技类", "11", Association.Relation.INDEPENDENT, False),
    ("天文爱好者协会", "学术科技类", "07", Association.Relation.INDEPENDENT, False),
    ("创新创业协会", "创新创业类", None, Association.Relation.INDEPENDENT, False),
    ("法律援助协会", "志愿公益类", "05", Association.Relation.INDEPENDENT, False),
    ("红十字会学生分会", "志愿公益类", "17", Association.Relation.GUIDED, True),
    ("支教协会", "志愿公益类", None, Association.Relation.INDEPENDENT, False),
    ("朋辈心理互助协会", "自律互助类", None, Association.Relation.GUIDED, False),
    ("合唱团", "文化体育类", "13", Association.Relation.INDEPENDENT, True),
    ("话剧社", "文化体育类", "01", Association.Relation.INDEPENDENT, False),
    ("书法协会", "文化体育类", None, Association.Relation.INDEPENDENT, False),
    ("摄影协会", "文化体育类", None, Association.Relation.INDEPENDENT, False),
    ("街舞社", "文化体育类", None, Association.Relation.INDEPENDENT, False),
    ("篮球协会", "文化体育类", None, Association.Relation.INDEPENDENT, False),
    ("足球协会", "文化体育类", None, Association.Relation.INDEPENDENT, False),
    ("羽毛球协会", "文化体育类", None, Association.Relation.INDEPENDENT, False),
    ("武术协会", "文化体育类", None, Association.Relation.INDEPENDENT, False),
    ("围棋协会", "文化体育类", None, Association.Relation.INDEPENDENT, False),
    ("动漫社", "文化体育类", None, Association.Relation.INDEPENDENT, False),
    ("古筝社", "文化体育类", None, Association.Relation.INDEPENDENT, False),
    ("英语演讲协会", "学术科技类", "12", Association.Relation.INDEPENDENT, False),
]


@dataclass
class DemoLogin:
    role: str
    login_id: str
    university: str
    sees: str
    password: str = DEMO_PASSWORD


@dataclass
class DemoResult:
    universities: list = field(default_factory=list)
    logins: list[DemoLogin] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)


class DemoExists(Exception):
    """The demo universities are already loaded; flush them first."""


def flush_demo() -> int:
    """Delete the demo universities and everything in them. Returns how many were deleted."""
    universities = list(University.objects.filter(code__in=DEMO_CODES))
    if not universities:
        return 0
    with disable_auditlog(), transaction.atomic():
        ids = [u.pk for u in universities]
        # Raw deletes bottom-up: the collector would fetch every row and fire auditlog's signals.
        known = (Membership, Department, Term, Union, Association, RoleAssignment, AcademicRecord, Student,
                 StudentClass, Major, College, Campus)
        # tables of other apps (exit cases, …) first; foreign keys are checked at commit
        others = [m for m in apps.get_models() if issubclass(m, TenantModel) and m not in known]
        for model in others:  # many-to-many rows (office staff …) have no university of their own
            for m2m in model._meta.local_many_to_many:
                m2m.remote_field.through.objects.filter(
                    **{f"{m2m.m2m_field_name()}__university_id__in": ids}).delete()
        for model in (*others, *known):
            model.objects.filter(university_id__in=ids)._raw_delete(model.objects.db)
        User.objects.filter(university_id__in=ids).delete()
        User.objects.filter(username="federation/F0001").delete()
        University.objects.filter(pk__in=ids).delete()
    return len(universities)


class _Builder:
    """Builds one university's rows in memory and writes them in bulk."""

    def __init__(self, rng: random.Random, university: University, password_hash: str):
        self.rng = rng
        self.university = university
        self.password_hash = password_hash
        self.campuses: dict[str, Campus] = {}
        self.colleges: dict[str, College] = {}
        self.majors: dict[str, list[Major]] = {}
        self.students: list[Student] = []
        self.by_no: dict[str, Student] = {}
        self.used: set[str] = set()   # student numbers already holding a position (or reserved)

    # organisation
    def build_org(self, campuses, colleges: list[CollegeSpec]) -> None:
        u = self.university
        self.campuses = {code: Campus(university=u, code=code, name=name) for code, name in campuses}
        Campus.objects.bulk_create(self.campuses.values())
        self.colleges = {
            s.code: College(university=u, campus=self.campuses[s.campus], code=s.code, name=s.name, kind=s.kind)
            for s in colleges
        }
        College.objects.bulk_create(self.colleges.values())
        majors = []
        for s in colleges:
            self.majors[s.code] = [
                Major(university=u, college=self.colleges[s.code], code=f"{s.code}{i:02d}", name=name)
                for i, name in enumerate(s.majors, start=1)
            ]
            majors += self.majors[s.code]
        Major.objects.bulk_create(majors)

    # people
    def build_students(self, total: int, colleges: list[CollegeSpec]) -> None:
        rng, u = self.rng, self.university
        undergrad = round(total * 0.85)
        graduate = total - undergrad
        cells = [(s, y) for s in colleges for y in UNDERGRAD_YEARS]
        ug_counts = _apportion(undergrad, [s.weight * (1.05 if y == 2025 else 1) for s, y in cells], minimum=1)
        g_cells = [(s, y) for s in colleges for y in GRADUATE_YEARS]
        g_counts = _apportion(graduate, [s.weight for s, _y in g_cells])
        plan = [(s, y, DegreeLevel.UNDERGRADUATE, n) for (s, y), n in zip(cells, ug_counts)]
        plan += [(s, y, None, n) for (s, y), n in zip(g_cells, g_counts)]
        classes: list[StudentClass] = []
        rows: list[tuple] = []
        for spec, year, level, n in plan:
            if n == 0:
                continue
            majors = self.majors[spec.code]
            college = self.colleges[spec.code]
            if level is None:  # graduates: about one in five is a doctoral student
                doctoral = round(n * 0.2)
                groups = [(DegreeLevel.MASTER, n - doctoral, "硕士"), (DegreeLevel.DOCTORAL, doctoral, "博士")]
            else:
                groups = [(DegreeLevel.UNDERGRADUATE, n, "")]
            seq = 0
            for degree, count, label in groups:
                per_major = _apportion(count, [1.0 + rng.random() for _ in majors])
                for major, m_count in zip(majors, per_major):
                    if m_count == 0:
                        continue
                    n_classes = max(1, round(m_count / CLASS_SIZE))
                    major_classes = [
                        StudentClass(university=u, college=college, major=major, grade=year,
                                     name=f"{major.name}{year}级{label}{k}班" if n_classes > 1 or not label
                                     else f"{major.name}{year}级{label}班")
                        for k in range(1, n_classes + 1)
                    ]
                    classes += major_classes
                    for i in range(m_count):
                        seq += 1
                        if degree == DegreeLevel.UNDERGRADUATE:
                            no = f"{year}{spec.code}{seq:04d}"
                        else:
                            no = f"{year}{1 if degree == DegreeLevel.MASTER else 2}{spec.code}{seq:04d}"
                        rows.append((no, degree, year, college, major, major_classes[i * n_classes // m_count]))
        StudentClass.objects.bulk_create(classes, batch_size=BATCH)

        users, students = [], []
        for no, degree, year, college, major, student_class in rows:
            gender = Gender.MALE if rng.random() < 0.5 else Gender.FEMALE
            ethnicity = _weighted(rng, ETHNICITIES)
            name = make_name(rng, gender, ethnicity)
            phone = make_phone(rng)
            status = political_status(rng, year, degree != DegreeLevel.UNDERGRADUATE)
            users.append(User(university=u, login_id=no, username=User.make_username(u.code, no), full_name=name,
                              password=self.password_hash, phone=phone))
            students.append(Student(
                university=u, student_no=no, name=name, name_pinyin=name_search_key(name), gender=gender, ethnicity=ethnicity,
                political_status=status, degree_level=degree, college=college, major=major,
                student_class=student_class, enrolment_year=year, phone=phone,
            ))
        User.objects.bulk_create(users, batch_size=BATCH)
        for user, student in zip(users, students):
            student.user = user
        self.students = students
        self.by_no = {s.student_no: s for s in students}

    def fix_student(self, student_no: str, **changes) -> Student | None:
        """Reserve a fixed demo person (before the students are written) and adjust their record."""
        student = self.by_no.get(student_no)
        if student is not None:
            for key, value in changes.items():
                setattr(student, key, value)
            self.used.add(student_no)
        return student

    def write_students(self) -> None:
        Student.objects.bulk_create(self.students, batch_size=BATCH)

    def pool(self, *, college: str | None = None, campus: str | None = None, graduate: bool = False,
             years=None, allow_masses: bool = False) -> list[Student]:
        out = []
        for s in self.students:
            if s.student_no in self.used:
                continue
            if graduate != (s.degree_level != DegreeLevel.UNDERGRADUATE):
                continue
            if college and s.college.code != college:
                continue
            if campus and s.college.campus.code != campus:
                continue
            if years and s.enrolment_year not in years:
                continue
            if not allow_masses and s.political_status not in ("01", "02", "03"):
                continue
            out.append(s)
        self.rng.shuffle(out)
        return out

    def take(self, pool: list[Student], n: int) -> list[Student]:
        taken = []
        while pool and len(taken) < n:
            s = pool.pop()
            if s.student_no not in self.used:
                self.used.add(s.student_no)
                taken.append(s)
        return taken

    # unions
    def build_union(self, out: dict, *, name: str, level: str, kind=Union.Kind.UNDERGRADUATE, campus=None,
                    college=None, number: int, departments: list, presidium: int, staff: int,
                    leaders: list[Student] | None = None, pool: list[Student], senior_pool: list[Student],
                    duties: str = "", start=TERM_START, end=None, is_current=True, union=None):
        """One union term with its departments and cadres; returns the union.

        `staff` is the total number of position holders; `presidium` includes the president.
        `leaders` are fixed people placed first (the president first).
        """
        u = self.university
        if union is None:
            union = Union(university=u, name=name, level=level, kind=kind, campus=campus, college=college,
                          declared_duties=duties)
            out["unions"].append(union)
        term = Term(university=u, union=union, number=number, start_date=start, end_date=end,
                    is_current=is_current)
        out["terms"].append(term)
        depts = []
        for order, dept in enumerate(departments, start=1):
            dept_name, description = dept if isinstance(dept, tuple) else (dept, "")
            depts.append(Department(university=u, term=term, name=dept_name, description=description, order=order))
        out["departments"] += depts
        leaders = list(leaders or [])
        head_count = presidium + 2 * len(depts)
        seniors = leaders + self.take(senior_pool, head_count - len(leaders))
        if len(seniors) < head_count:
            seniors += self.take(pool, head_count - len(seniors))
        officers = self.take(pool, max(0, staff - len(seniors)))
        if len(officers) < staff - len(seniors):
            officers += self.take(senior_pool, staff - len(seniors) - len(officers))
        end_reason = Membership.EndReason.TERM_END if end else ""

        def member(student, position, department=None):
            out["memberships"].append(Membership(
                university=u, term=term, student=student, position=position, department=department,
                start_date=start, end_date=end, end_reason=end_reason,
            ))

        people = iter(seniors)
        for i in range(presidium):
            student = next(people, None)
            if student is not None:
                member(student, Position.PRESIDENT if i == 0 else Position.VICE_PRESIDENT)
        for dept in depts:
            for position in (Position.HEAD, Position.DEPUTY_HEAD):
                student = next(people, None)
                if student is not None:
                    member(student, position, dept)
        for i, student in enumerate(officers):
            member(student, Position.OFFICER, depts[i % len(depts)])
        return union


def build_academic_records(b: "_Builder", cadres, *, sample: float = 0.1,
                           today: datetime.date | None = None) -> int:
    """Records for the latest term, year and since enrolment: every cadre in the top 30 % of
    their major on the latest term with no failed course; a sample of other students spread
    over the whole ranking, a few with failed courses. First-years have none yet."""
    rng = b.rng
    year = academic_year_start(today or timezone.localdate())
    term_label, year_label = f"{year - 1}-{year}-2", f"{year - 1}-{year}"
    sizes: dict[tuple, int] = {}
    for s in b.students:
        key = (s.major_id, s.enrolment_year, s.degree_level)
        sizes[key] = sizes.get(key, 0) + 1
    cadre_ids = {s.pk for s in cadres}
    now = timezone.now()
    records = []
    for s in b.students:
        if s.enrolment_year >= year:
            continue
        is_cadre = s.pk in cadre_ids
        if not is_cadre and rng.random() >= sample:
            continue
        size = max(sizes[(s.major_id, s.enrolment_year, s.degree_level)], 10)
        if is_cadre:
            term_rank = rng.randint(1, size * 3 // 10)
            failed = 0
        else:
            term_rank = rng.randint(1, size)
            failed = 0 if rng.random() < 0.92 else rng.randint(1, 2)
        near = [min(size, max(1, term_rank + rng.randint(-size // 10, size // 10))) for _ in range(2)]
        for period, label, rank, failed_courses in (
                (AcademicRecord.Period.TERM, term_label, term_rank, failed),
                (AcademicRecord.Period.YEAR, year_label, near[0], failed),
                (AcademicRecord.Period.CUMULATIVE, term_label, near[1], failed)):
            records.append(AcademicRecord(
                university=b.university, student=s, period=period, label=label, rank=rank, major_size=size,
                failed_courses=failed_courses, imported_at=now,
            ))
    AcademicRecord.objects.bulk_create(records, batch_size=BATCH)
    return len(records)


def _write_unions(out: dict) -> None:
    Union.objects.bulk_create(out["unions"])
    for term in out["terms"]:
        term.union_id = term.union.pk
    Term.objects.bulk_create(out["terms"])
    for dept in out["departments"]:
        dept.term_id = dept.term.pk
    Department.objects.bulk_create(out["departments"])
    for m in out["memberships"]:
        m.term_id = m.term.pk
        m.department_id = m.department.pk if m.department else None
        m.student_id = m.student.pk
    Membership.objects.bulk_create(out["memberships"], batch_size=BATCH)


def _staff_user(university, login_id, name, *, is_staff=False, password_hash) -> User:
    return User.objects.create(
        university=university, login_id=login_id, full_name=name, password=password_hash, is_staff=is_staff,
        username=User.make_username(university.code if university else None, login_id),
    )


def _college_union_shapes(rng: random.Random, specs: list[CollegeSpec]) -> dict[str, tuple[int, int, int]]:
    """(presidium, departments, staff) per college union; staff grows with the college's size."""
    shapes = {}
    for s in specs:
        presidium = rng.choice((2, 3))
        departments = 3 + int(s.weight > 0.7) + int(s.weight > 1.3)
        staff = min(29, presidium + 2 * departments + int(8 * s.weight) + rng.randrange(3, 7))
        shapes[s.code] = (presidium, departments, staff)
    return shapes


def build_demo(seed: int = 2026, students: int = 30000, *, small_students: int = 360) -> DemoResult:
    """Create 示范大学 and 联合大学. Raises `DemoExists` if either is already there."""
    if University.objects.filter(code__in=DEMO_CODES).exists() or User.objects.filter(
            username="federation/F0001").exists():
        raise DemoExists
    rng = random.Random(seed)
    password_hash = make_password(DEMO_PASSWORD)
    result = DemoResult()
    with disable_auditlog(), transaction.atomic():
        _build_main(rng, students, password_hash, result)
        _build_lianhe(random.Random(seed + 1), small_students, password_hash, result)
        fed = _staff_user(None, "F0001", "钱文博", is_staff=True, password_hash=password_hash)
        RoleAssignment.objects.create(user=fed, role=Role.FEDERATION_ADMIN, university=None)
        result.logins.append(DemoLogin("federation administrator 联合会管理员", "federation/F0001", "—",
                                       "both universities, all students and unions; Django admin"))
        _build_rights(seed, password_hash, result)
        _build_congress(seed, result)
    result.counts = {
        "universities": University.objects.filter(code__in=DEMO_CODES).count(),
        "students": Student.objects.filter(university__code__in=DEMO_CODES).count(),
        "unions": Union.objects.filter(university__code__in=DEMO_CODES).count(),
        "memberships": Membership.objects.filter(university__code__in=DEMO_CODES).count(),
        "classes": StudentClass.objects.filter(university__code__in=DEMO_CODES).count(),
        "academic records": AcademicRecord.objects.filter(university__code__in=DEMO_CODES).count(),
        "rights cases": _count_cases(),
        "congress delegates": _count_delegates(),
    }
    return result


def _count_cases() -> int:
    from tongxue.rights.models import Case

    return Case.objects.filter(university__code__in=DEMO_CODES).count()


def _count_delegates() -> int:
    from tongxue.congress.models import Delegate

    return Delegate.objects.filter(university__code__in=DEMO_CODES).count()


def _build_rights(seed: int, password_hash: str, result: DemoResult) -> None:
    """The rights desk (`tongxue.rights.demo`): 示范大学 gets offices with a staff login each,
    routing rules and a year of cases; 联合大学 the default categories and offices."""
    from tongxue.rights.defaults import ensure_defaults
    from tongxue.rights.demo import build_rights_demo

    main, lianhe = result.universities
    offices = build_rights_demo(main, random.Random(seed + 2), password_hash, plain_student_no="2023010001")
    ensure_defaults(lianhe)
    for login_id, office in offices.items():
        result.logins.append(DemoLogin(f"office staff 职能部门 · {office}", login_id, main.name,
                                       f"the rights cases transferred to {office}"))


def _build_congress(seed: int, result: DemoResult) -> None:
    """The congress of 示范大学 (`tongxue.congress.demo`): sessions held, one sitting today, one ahead."""
    from tongxue.congress.demo import build_congress_demo

    main = result.universities[0]
    teacher = User.objects.get(university=main, login_id="T0001")
    build_congress_demo(main, random.Random(seed + 3), teacher=teacher)


def _build_main(rng: random.Random, students: int, password_hash: str, result: DemoResult) -> None:
    u = University.objects.create(name="示范大学", code="demo", is_large=True, website="https://www.demo.edu.cn")
    result.universities.append(u)
    b = _Builder(rng, u, password_hash)
    b.build_org(DEMO_CAMPUSES, DEMO_COLLEGES)
    b.build_students(students, DEMO_COLLEGES)

    # fixed demo people, reserved before any cadre is drawn
    plain = b.fix_student("2023010001", political_status=PoliticalStatus.LEAGUE_MEMBER)
    cs_president = b.fix_student("2023090001", political_status=PoliticalStatus.PARTY_MEMBER)
    school_president = b.fix_student("2023060001", political_status=PoliticalStatus.PARTY_MEMBER)
    # the deliberate 群众 cadre: an officer of 外国语学院学生会
    masses_cadre = next((s for s in b.students if s.college.code == "12" and s.enrolment_year == 2024
                         and s.degree_level == DegreeLevel.UNDERGRADUATE and s.student_no not in b.used), None)
    if masses_cadre is not None:
        b.fix_student(masses_cadre.student_no, political_status=PoliticalStatus.MASSES)
    b.write_students()

    out = {"unions": [], "terms": [], "departments": [], "memberships": []}
    seniors_all = b.pool(years=(2022, 2023))
    juniors_all = b.pool(years=(2023, 2024, 2025))
    # school union: an earlier term (history, ended memberships) and the current one
    school = b.build_union(
        out, name="示范大学学生会", level=Union.Level.SCHOOL, number=36, departments=SCHOOL_DEPARTMENTS,
        presidium=4, staff=33, pool=b.pool(years=(2022, 2023, 2024)), senior_pool=b.pool(years=(2022,)),
        start=HISTORY_START, end=HISTORY_END, is_current=False,
        duties="代表和维护全校本科生的正当权益；组织学风建设、校园文化与社会实践；收集和反映同学诉求。",
    )
    b.used -= {m.student.student_no for m in out["memberships"]}  # last year's cadres may serve again
    b.build_union(
        out, name=school.name, level=school.level, number=37, departments=SCHOOL_DEPARTMENTS, presidium=4,
        staff=35, leaders=[s for s in [school_president] if s], pool=juniors_all, senior_pool=seniors_all,
        union=school,
    )
    b.build_union(
        out, name="示范大学研究生会", level=Union.Level.SCHOOL, kind=Union.Kind.GRADUATE, number=20,
        departments=GRADUATE_DEPARTMENTS, presidium=3, staff=22, pool=b.pool(graduate=True),
        senior_pool=b.pool(graduate=True, years=(2024,)),
        duties="服务研究生学术交流、权益维护与文体生活。",
    )
    east = b.campuses["02"]
    b.build_union(
        out, name="东校区学生会", level=Union.Level.CAMPUS, campus=east, number=8, departments=CAMPUS_DEPARTMENTS,
        presidium=2, staff=14, pool=b.pool(campus="02", years=(2023, 2024, 2025)),
        senior_pool=b.pool(campus="02", years=(2022, 2023)),
        duties="服务东校区同学的学习与生活，反映校区诉求。",
    )
    shapes = _college_union_shapes(rng, DEMO_COLLEGES)
    shapes["04"] = (3, 5, 34)   # deliberate: 34 staff in a second-level union (limit 30)
    shapes["05"] = (4, 4, 24)   # deliberate: 4 presidium members (limit 3)
    for spec in DEMO_COLLEGES:
        presidium, n_depts, staff = shapes[spec.code]
        college = b.colleges[spec.code]
        leaders = [cs_president] if spec.code == "09" and cs_president else []
        pool = b.pool(college=spec.code, years=(2023, 2024, 2025))
        if spec.code == "12" and masses_cadre is not None:
            b.used.discard(masses_cadre.student_no)
            pool.append(masses_cadre)  # taken first: pool.pop() takes from the end
        b.build_union(
            out, name=f"{college.name}学生会", level=Union.Level.COLLEGE, college=college,
            number=rng.randrange(8, 26), departments=COLLEGE_DEPARTMENTS[:n_depts], presidium=presidium,
            staff=staff, leaders=leaders, pool=pool, senior_pool=b.pool(college=spec.code, years=(2022, 2023)),
            duties=f"服务{college.name}同学，开展学风建设、权益服务和文体活动。",
        )
    _write_unions(out)
    build_academic_records(b, [m.student for m in out["memberships"]])

    Association.objects.bulk_create([
        Association(university=u, name=name, category=category,
                    college=b.colleges[college] if college else None, relation=relation, is_main=is_main,
                    member_count=rng.randrange(40, 420))
        for name, category, college, relation, is_main in ASSOCIATIONS
    ])

    cs = b.colleges["09"]
    t1 = _staff_user(u, "T0001", "林晓峰", password_hash=password_hash)
    t2 = _staff_user(u, "T0002", "周雨欣", password_hash=password_hash)
    t3 = _staff_user(u, "T0003", "郑国强", password_hash=password_hash)
    a1 = _staff_user(u, "A0001", "韩立新", is_staff=True, password_hash=password_hash)
    roles = [
        RoleAssignment(user=t1, university=u, role=Role.LEAGUE_TEACHER),
        RoleAssignment(user=t2, university=u, role=Role.LEAGUE_TEACHER, college=cs),
        RoleAssignment(user=t3, university=u, role=Role.PARTY_APPROVER),
        RoleAssignment(user=a1, university=u, role=Role.UNIVERSITY_ADMIN),
    ]
    # class representatives: a plain student in the demo student's class and in two more classes
    rep_classes = [plain.student_class] if plain else []
    rep_classes += [c for c in StudentClass.objects.filter(university=u, grade=2024).order_by("name")[:2]]
    reps = []
    for student_class in rep_classes:
        rep = next((s for s in b.students if s.student_class_id == student_class.pk
                    and s.student_no not in b.used), None)
        if rep is not None:
            b.used.add(rep.student_no)
            reps.append(rep)
            roles.append(RoleAssignment(user=rep.user, university=u, role=Role.CLASS_REPRESENTATIVE,
                                        student_class=student_class))
    RoleAssignment.objects.bulk_create(roles)

    def login(role, who, sees):
        result.logins.append(DemoLogin(role, who, u.name, sees))

    if plain:
        login("student 学生", plain.student_no, "own profile; the unions that serve them")
    if reps:
        login("class representative 班级代表", reps[0].student_no, f"the students of {reps[0].student_class.name}")
    if cs_president:
        login("college cadre 计算机学院学生会主席", cs_president.student_no,
              "manages 计算机学院学生会; reads 计算机学院 students")
    if school_president:
        login("school union president 校学生会主席", school_president.student_no,
              "manages 示范大学学生会; reads all undergraduates")
    login("League teacher 校团委老师", "T0001", "oversight of every union and student of 示范大学")
    login("college League teacher 计算机学院团委老师", "T0002", "oversight of 计算机学院 and its union")
    login("Party approver 党委学工部", "T0003", "oversight of 示范大学 (read), approvals")
    login("university administrator 学校管理员", "A0001", "everything in 示范大学; roster import; Django admin")


def _build_lianhe(rng: random.Random, students: int, password_hash: str, result: DemoResult) -> None:
    u = University.objects.create(name="联合大学", code="lianhe", website="https://www.lianhe.edu.cn")
    result.universities.append(u)
    b = _Builder(rng, u, password_hash)
    b.build_org(LIANHE_CAMPUSES, LIANHE_COLLEGES)
    b.build_students(students, LIANHE_COLLEGES)
    b.write_students()
    out = {"unions": [], "terms": [], "departments": [], "memberships": []}
    b.build_union(
        out, name="联合大学学生会", level=Union.Level.SCHOOL, number=12, departments=SCHOOL_DEPARTMENTS[:4],
        presidium=3, staff=18, pool=b.pool(years=(2023, 2024, 2025)), senior_pool=b.pool(years=(2022, 2023)),
    )
    for spec in LIANHE_COLLEGES:
        college = b.colleges[spec.code]
        b.build_union(
            out, name=f"{college.name}学生会", level=Union.Level.COLLEGE, college=college, number=5,
            departments=COLLEGE_DEPARTMENTS[:3], presidium=2, staff=10,
            pool=b.pool(college=spec.code, years=(2023, 2024, 2025)),
            senior_pool=b.pool(college=spec.code, years=(2022, 2023)),
        )
    _write_unions(out)
    build_academic_records(b, [m.student for m in out["memberships"]])
    admin = _staff_user(u, "A0001", "苏明远", is_staff=True, password_hash=password_hash)
    RoleAssignment.objects.create(user=admin, university=u, role=Role.UNIVERSITY_ADMIN)
    result.logins.append(DemoLogin("university administrator 学校管理员", "A0001", u.name,
                                   "everything in 联合大学 (pick 联合大学 on the login form)"))
