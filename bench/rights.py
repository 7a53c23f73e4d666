"""Rights desk benchmark: 100,000 cases on top of the demo university, then the public board
under concurrent load, case submission by many students at once, and one month's school report.

    python bench/rights.py [--students 30000] [--cases 100000] [--clients 16] [--requests 240]
                           [--submitters 16] [--submissions 20] [--postgres URL] [--keep]

Steps: a fresh temporary TONGXUE_VAR_DIR (SQLite unless --postgres), `migrate`, `collectstatic`,
timed `load_demo --students N` (示范大学 and 联合大学), then `--cases` cases of 示范大学 written with
bulk_create (realistic titles, descriptions and answers per category, every college, a year of
submissions, statuses by age, answers by the union or an office, ratings, supporters, and the
case history of each), the SQL of each board page, then gunicorn (2 workers × 4 threads) with
`--clients` anonymous visitors per board page (list, later page, search, filters, case pages), and
case submission by `--submitters` students at once. Last, the school report of the last full
month: building it, its .docx and its .xlsx. Prints p50 / p95 / max latency; asserts nothing.

Case submission: `--submitters` logged-in students POST the intake form (/rights/new/) at once,
each `--submissions` times with a different text; a submission counts when it redirects (302).
"""
from __future__ import annotations

import argparse
import json
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import quote, urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent))

from foundation import Session, free_port, manage, pct, wait_for  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent

# (category code, titles, descriptions, answers) — combined at random
TEXTS = {
    "dorm": (["{b}号楼热水器坏了", "{b}号楼空调不制冷", "宿舍{b}楼断电频繁", "{b}号楼门禁刷不开", "宿舍洗衣机故障",
              "{b}号楼网络很慢", "宿舍楼道灯不亮", "{b}号楼卫生间漏水"],
             ["{b}号楼{f}层的热水器已经坏了{d}天，洗澡只能去别的楼，希望尽快维修。",
              "宿舍空调开了也不制冷，晚上很热睡不着，报修{d}天没人来。",
              "晚上十点后经常断电，影响学习，已经连续{d}天了。",
              "门禁系统识别不了校园卡，每天进出都要找宿管开门。",
              "楼道洗衣机投币后不转，钱也不退，{f}层两台都这样。",
              "晚上宿舍网络非常慢，网课视频一直卡顿，希望扩容校园网。"],
             ["后勤已安排维修师傅更换热水器，并每周巡检。", "已维修空调，后续加装温控。", "已排查线路并更换空气开关。",
              "门禁系统已升级，校园卡重新授权即可。", "已联系洗衣机运营商维修并退款。"]),
    "canteen": (["{c}食堂午餐排队太久", "{c}食堂饭菜涨价", "{c}食堂卫生问题", "食堂营业时间太短", "{c}食堂菜品太少"],
                ["中午12点{c}食堂排队超过半小时，窗口开得太少。", "{c}食堂套餐最近涨了{d}元，分量却变少了。",
                 "在{c}食堂餐盘上发现污渍，希望加强清洗消毒。", "晚上九点后食堂都关门，晚自习后没有吃饭的地方。"],
                ["已增开两个窗口并延长供餐时间。", "价格已恢复，并公示成本。", "已约谈承包商并加强卫生检查。",
                 "已开设夜宵窗口至晚上十一点。"]),
    "teaching": (["选课系统高峰卡顿", "{k}课程安排冲突", "教室投影仪坏了", "{k}课老师经常调课", "自习室开放时间太短"],
                 ["选课开放第一小时系统经常卡死，很多同学选不上课。", "{k}和专业课时间冲突，无法同时修读。",
                  "{b}教学楼{f}0{d}教室投影仪不亮，已经影响上课{d}周。", "自习室晚上十点就关门，考试周不够用。"],
                 ["信息化办公室已扩容选课服务器。", "教务处已调整课表，冲突的同学可申请改选。", "已更换投影仪。",
                  "考试周自习室延长开放至晚上十二点。"]),
    "exams": (["补考安排太晚", "四六级报名名额不足", "{k}考试成绩迟迟不公布", "考场安排太分散"],
              ["补考时间到开学后才通知，来不及复习。", "四六级报名系统显示名额已满，很多同学报不上。",
               "{k}期末考试已经过去{d}周，成绩还没有公布。", "同一门考试分在{d}个校区，来回很不方便。"],
              ["教务处已提前公布补考安排。", "已协调增加考场和名额。", "成绩已录入系统。", "下学期考场将集中安排。"]),
    "fees": (["学费缴纳系统报错", "住宿费收取标准不清楚", "奖学金发放延迟", "校园卡充值手续费"],
             ["缴费系统提示支付失败但已经扣款{d}次。", "住宿费比去年多了，却没有任何说明。",
              "奖学金公示后{d}个月还没有到账。", "校园卡线上充值要收手续费，不合理。"],
             ["财务处已核对并退还重复扣款。", "已公示住宿费标准和依据。", "奖学金已于本月发放。", "已取消充值手续费。"]),
    "facilities": (["图书馆空调不制冷", "操场照明不足", "校车班次太少", "快递站排队太长", "共享单车乱停放"],
                   ["图书馆{f}楼自习区空调不制冷，下午很闷。", "晚上操场灯只开一半，跑步很不安全。",
                    "早上八点的校车经常满员，{d}号线尤其严重。", "快递站取件要排队半小时以上。"],
                   ["已维修空调压缩机。", "已恢复全部照明并延长开灯时间。", "已增加早高峰校车班次。", "快递站已增设自助柜。"]),
    "safety": (["夜间校门口路灯不亮", "宿舍楼消防通道堵塞"], ["北门外路灯坏了{d}天，晚上回来很害怕。",
                                                     "{b}号楼消防通道堆满杂物。"], ["已修复路灯。", "已清理通道。"]),
    "health": (["校医院挂号难", "心理咨询预约排队久"], ["校医院上午挂号要排{d}小时。", "心理咨询预约要等{d}周。"],
               ["校医院已开通线上挂号。", "已增加咨询师值班。"]),
    "other": (["希望开设更多社团活动场地", "校园网套餐太贵"], ["社团活动找不到场地，每次都要提前{d}周申请。",
                                                   "校园网套餐每月{d}0元，比外面贵很多。"],
              ["已开放学生活动中心预约。", "已推出学生优惠套餐。"]),
}
CATEGORY_WEIGHTS = {"dorm": 30, "canteen": 18, "teaching": 15, "exams": 8, "fees": 6, "facilities": 12,
                    "safety": 3, "health": 3, "other": 5}
OFFICE_FOR = {"dorm": "logistics", "canteen": "logistics", "teaching": "academic", "exams": "academic",
              "fees": "finance", "facilities": "logistics", "safety": "security", "health": "student_affairs",
              "other": "student_affairs"}
SEARCHES = ["热水器", "食堂 排队", "选课", "奖学金", "投影仪 教室"]


# --- building the cases (child process, inside Django) -------------------------------------------

def build_cases(n: int, seed: int = 4) -> dict:
    import datetime

    from django.db import transaction
    from django.utils import timezone

    from tongxue.core.models import College, Student, University
    from tongxue.rights.defaults import ensure_defaults
    from tongxue.rights.models import Case, CaseEvent, Category, Level, Office
    from tongxue.unions.models import Union

    rng = random.Random(seed)
    university = University.objects.get(code="demo")
    ensure_defaults(university)
    categories = {c.code: c for c in Category.objects.filter(university=university)}
    offices = {o.code: o for o in Office.objects.filter(university=university)}
    colleges = list(College.objects.filter(university=university).select_related("campus"))
    unions = {u.college_id: u for u in Union.objects.filter(university=university, level=Union.Level.COLLEGE)}
    school = Union.objects.get(university=university, level=Union.Level.SCHOOL, kind=Union.Kind.UNDERGRADUATE)
    students = {}
    for s in Student.objects.filter(university=university, degree_level="undergraduate").only(
            "pk", "college_id", "student_class_id")[:40000]:
        students.setdefault(s.college_id, []).append(s)
    colleges = [c for c in colleges if c.pk in students]
    college_weights = [len(students[c.pk]) for c in colleges]
    codes, weights = list(CATEGORY_WEIGHTS), list(CATEGORY_WEIGHTS.values())
    now = timezone.now()
    hour = datetime.timedelta(hours=1)

    def fill(template):
        return template.format(b=rng.randint(1, 24), f=rng.randint(1, 6), d=rng.randint(2, 9),
                               c=rng.choice("一二三四五"), k=rng.choice(["高等数学", "大学英语", "线性代数", "体育", "思政"]))

    started = time.perf_counter()
    cases, plans = [], []
    for _ in range(n):
        code = rng.choices(codes, weights)[0]
        titles, texts, answers = TEXTS[code]
        college = rng.choices(colleges, college_weights)[0]
        student = rng.choice(students[college.pk])
        submitted = now - datetime.timedelta(seconds=rng.randint(0, 365 * 24 * 3600))
        age_days = (now - submitted).days
        identity = rng.choices(["hidden", "named", "anonymous"], [50, 30, 20])[0]
        level = Level.SCHOOL if rng.random() < 0.15 else Level.COLLEGE
        union = school if level == Level.SCHOOL else unions.get(college.pk, school)
        transferred = rng.random() < 0.45
        # how far the case got, by age
        done = rng.random()
        if age_days > 30:
            stage = "closed" if done < 0.82 else "answered" if done < 0.95 else "reopened" if done < 0.98 else "merged"
        elif age_days > 7:
            stage = "closed" if done < 0.45 else "answered" if done < 0.8 else "open"
        else:
            stage = "answered" if done < 0.3 else "open" if done < 0.7 else "submitted"
        accepted = answered = closed = None
        if stage != "submitted":
            accepted = submitted + hour * rng.choice([0.5, 1, 2, 5, 20, 30, 50, 80])
        if stage in ("answered", "closed", "reopened"):
            answered = accepted + hour * rng.uniform(2, 200)
        if stage in ("closed", "merged"):
            closed = (answered or accepted) + hour * rng.uniform(1, 150)
        # a step that would lie in the future has not happened yet
        accepted = accepted if accepted and accepted <= now else None
        answered = answered if answered and answered <= now and accepted else None
        closed = closed if closed and closed <= now and accepted else None
        if stage == "open":
            status = "transferred" if transferred else rng.choice(["accepted", "in_progress"])
        else:
            status = {"submitted": "submitted", "answered": "answered", "closed": "closed", "reopened": "reopened",
                      "merged": "merged"}[stage]
        if status in ("answered", "reopened") and answered is None:
            status = "accepted" if accepted else "submitted"
        if status in ("closed", "merged") and closed is None:
            status = "accepted" if accepted else "submitted"
        if status in ("accepted", "in_progress", "transferred") and accepted is None:
            status = "submitted"
        satisfaction = ""
        if status == "closed" and answered and rng.random() < 0.7:
            satisfaction = rng.choices(["satisfied", "basic", "unsatisfied"], [60, 28, 12])[0]
        if status == "reopened":
            satisfaction = "unsatisfied"
        office = offices[OFFICE_FOR[code]] if transferred else None
        sensitive = categories[code].is_sensitive
        cases.append(Case(
            university=university, category=categories[code], title=fill(rng.choice(titles))[:60],
            description=fill(rng.choice(texts)), place=f"{rng.randint(1, 24)}号楼", identity=identity,
            submitter=None if identity == "anonymous" else student, college=college, campus=college.campus,
            student_class_id=student.student_class_id, status=status, level=level, union=union,
            office=office if status == "transferred" else None,
            submitted_at=submitted, accepted_at=accepted, answered_at=answered if status != "submitted" else None,
            closed_at=closed if status in ("closed", "merged") else None,
            answer=fill(rng.choice(answers)) if answered else "",
            answered_by_office=office if answered else None, satisfaction=satisfaction,
            rated_at=closed if satisfaction else None, reopen_count=1 if status == "reopened" else 0,
            is_public=not sensitive and rng.random() > 0.03, photos_public=rng.random() < 0.2,
            supporter_count=min(int(rng.expovariate(0.4)), 60),
        ))
        plans.append((transferred, office))
    with transaction.atomic():
        Case.objects.bulk_create(cases, batch_size=2000)
    cases_seconds = time.perf_counter() - started
    started = time.perf_counter()
    events = []
    for case, (transferred, office) in zip(cases, plans):
        def event(kind, at, office=None):
            events.append(CaseEvent(university=university, case_id=case.pk, kind=kind, status=case.status,
                                    level=case.level, union_id=case.union_id, office=office, created=at))
        event("submitted", case.submitted_at)
        if case.accepted_at:
            event("accepted", case.accepted_at)
            if transferred:
                event("transferred", case.accepted_at + hour, office)
        if case.answered_at:
            event("answered", case.answered_at, office if transferred else None)
        if case.closed_at:
            event("closed", case.closed_at)
    with transaction.atomic():
        CaseEvent.objects.bulk_create(events, batch_size=5000)
    events_seconds = time.perf_counter() - started
    board = Case.objects.on_board().filter(university=university)
    sample = list(board.order_by("?").values_list("pk", flat=True)[:200])
    return {"cases": n, "events": len(events), "cases_seconds": cases_seconds, "events_seconds": events_seconds,
            "on_board": board.count(), "case_pks": sample,
            "categories": {code: c.pk for code, c in categories.items()},
            "colleges": [c.pk for c in colleges[:5]]}


def board_plan(info: dict) -> list[tuple[str, list[str]]]:
    """(label, paths) of each measured board page; the paths rotate over the requests."""
    base = "/public/rights/demo/"
    dorm, canteen = info["categories"]["dorm"], info["categories"]["canteen"]
    return [
        ("list, page 1", [base]),
        ("list, page 40", [f"{base}?page=40"]),
        ("search (5 phrases)", [f"{base}?q={quote(q)}" for q in SEARCHES]),
        ("search, no match", [f"{base}?q={quote('不存在的词语')}"]),
        ("filter category", [f"{base}?category={dorm}", f"{base}?category={canteen}"]),
        ("filter category+college", [f"{base}?category={dorm}&college={c}" for c in info["colleges"]]),
        ("search+filter", [f"{base}?q={quote('热水器')}&college={c}" for c in info["colleges"]]),
        ("case page (200 cases)", [f"{base}cases/{pk}/" for pk in info["case_pks"]]),
    ]


def query_report(info: dict) -> list[dict]:
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    settings.ALLOWED_HOSTS = ["*"]
    client = Client()
    rows = []
    for label, paths in board_plan(info):
        path = paths[0]
        client.get(path)
        with CaptureQueriesContext(connection) as ctx:
            started = time.perf_counter()
            response = client.get(path)
            elapsed = (time.perf_counter() - started) * 1000
        slowest = max(ctx.captured_queries, key=lambda q: float(q["time"]), default={"sql": "", "time": 0})
        rows.append({"label": label, "status": response.status_code, "queries": len(ctx), "ms": elapsed,
                     "slowest_ms": float(slowest["time"]) * 1000})
    return rows


def report_timing() -> dict:
    from django.utils import timezone

    from tongxue.core.models import University
    from tongxue.rights import reports
    from tongxue.unions.models import Union

    university = University.objects.get(code="demo")
    month = reports.Month.of(timezone.now()).previous()
    out = {"month": str(month)}
    started = time.perf_counter()
    report = reports.build(university, month)
    out["build_s"] = time.perf_counter() - started
    out["cases"] = report.data.total
    out["gap"] = str(report.gap) if report.gap else ""
    started = time.perf_counter()
    out["docx_bytes"] = len(reports.docx_export(report))
    out["docx_s"] = time.perf_counter() - started
    started = time.perf_counter()
    out["xlsx_bytes"] = len(reports.xlsx_export(report))
    out["xlsx_s"] = time.perf_counter() - started
    union = Union.objects.get(university=university, name="计算机学院学生会")
    started = time.perf_counter()
    union_report = reports.build(university, month, union=union)
    out["union_build_s"] = time.perf_counter() - started
    out["union_cases"] = union_report.data.total
    out["top_keywords"] = [w for w, _n in report.data.top_keywords[:8]]
    return out


def child(command: str, argument: str) -> None:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tongxue.settings")
    django.setup()
    args = json.loads(argument)
    if command == "build":
        result = build_cases(args["cases"])
    elif command == "queries":
        result = query_report(args)
    else:
        result = report_timing()
    print(json.dumps(result, ensure_ascii=False))


def run_child(env, command: str, argument: dict) -> dict:
    out = subprocess.run([sys.executable, __file__, "--_child", command, json.dumps(argument)], cwd=ROOT, env=env,
                         check=True, capture_output=True, text=True).stdout
    return json.loads(out.strip().splitlines()[-1])


# --- HTTP ----------------------------------------------------------------------------------------

def hammer_paths(sessions, paths: list[str], total: int):
    """Like foundation.hammer, the paths rotating over the requests."""
    latencies, errors, lock = [], 0, threading.Lock()
    counter = iter(range(10 ** 9))

    def run(session, n):
        nonlocal errors
        mine, bad = [], 0
        for _ in range(n):
            with lock:
                path = paths[next(counter) % len(paths)]
            started = time.perf_counter()
            status, _body = session.request("GET", path)
            mine.append((time.perf_counter() - started) * 1000)
            bad += status != 200
        with lock:
            latencies.extend(mine)
            errors += bad

    per_client = [total // len(sessions) + (1 if i < total % len(sessions) else 0) for i in range(len(sessions))]
    threads = [threading.Thread(target=run, args=(s, n)) for s, n in zip(sessions, per_client)]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return latencies, errors, time.perf_counter() - started


def submit_over_http(port: int, logins: list[str], per_student: int):
    """Each student logs in, reads the intake form (CSRF token, category ids), then POSTs it
    `per_student` times at the same moment as the others; returns latencies of the POSTs."""
    sessions, forms = [], []
    for login_id in logins:
        session = Session(port)
        session.login(login_id)
        status, html = session.request("GET", "/rights/new/")
        if status != 200:
            raise SystemExit(f"/rights/new/ answered HTTP {status} for {login_id}")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
        categories = [re.search(r'value="(\d+)"', tag).group(1)
                      for tag in re.findall(r'<input[^>]*name="category"[^>]*>', html)]
        if not categories:
            raise SystemExit("no category on the intake form")
        sessions.append(session)
        forms.append((token, categories))
    latencies, errors, lock = [], [], threading.Lock()
    barrier = threading.Barrier(len(sessions))

    def run(i, session, token, categories):
        rng = random.Random(i)
        mine, failed = [], 0
        barrier.wait()
        for j in range(per_student):
            code = rng.choice(list(TEXTS))
            titles, texts, _answers = TEXTS[code]
            body = urlencode({
                "csrfmiddlewaretoken": token, "category": rng.choice(categories),
                "title": rng.choice(titles).format(b=j, f=1, d=2, c="一", k="体育")[:60],
                "description": f"{rng.choice(texts).format(b=j, f=1, d=2, c='一', k='体育')} #{i}-{j}",
                "identity": rng.choice(["hidden", "named", "anonymous"]),
            })
            started = time.perf_counter()
            status, _html = session.request("POST", "/rights/new/", body)
            if status == 302:
                mine.append((time.perf_counter() - started) * 1000)
            else:
                failed += 1
        with lock:
            latencies.extend(mine)
            errors.append(failed)

    threads = [threading.Thread(target=run, args=(i, s, *f)) for i, (s, f) in enumerate(zip(sessions, forms))]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return latencies, sum(errors), time.perf_counter() - started


def line(label: str, latencies: list[float], errors, seconds: float) -> str:
    if not latencies:
        return f"  {label:<30} no successful requests ({errors} errors)"
    return (f"  {label:<30} {len(latencies):>5} {errors:>4} {statistics.median(latencies):>8.1f} "
            f"{pct(latencies, 0.95):>8.1f} {max(latencies):>8.1f} {len(latencies) / seconds:>7.1f}")


# --- main ----------------------------------------------------------------------------------------

def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--students", type=int, default=30000)
    parser.add_argument("--cases", type=int, default=100000)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--requests", type=int, default=240, help="requests per board page (default 240)")
    parser.add_argument("--submitters", type=int, default=16, help="students submitting at once")
    parser.add_argument("--submissions", type=int, default=20, help="cases per submitting student")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--postgres", metavar="URL", help="use this PostgreSQL database (its demo is replaced)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory")
    parser.add_argument("--_child", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args._child:
        child(*args._child)
        return

    var_dir = Path(tempfile.mkdtemp(prefix="tongxue-bench-rights-"))
    env = {**os.environ, "TONGXUE_VAR_DIR": str(var_dir), "TONGXUE_DEBUG": "0", "TONGXUE_LOGIN_THROTTLE": "0",
           "TONGXUE_SECRET_KEY": "bench-" + "x" * 50, "PYTHONPATH": str(ROOT),
           "TONGXUE_JIEBA_CACHE_DIR": str(var_dir)}
    env.pop("TONGXUE_TESTING", None)
    if args.postgres:
        env["DATABASE_URL"] = args.postgres
    else:
        env.pop("DATABASE_URL", None)
    database = "PostgreSQL" if args.postgres else "SQLite"
    print(f"Tongxue rights bench · {database} · {args.students} students · {args.cases} cases · var dir {var_dir}")
    server = None
    try:
        started = time.perf_counter()
        manage(env, "migrate", "-v0")
        manage(env, "collectstatic", "--noinput", "-v0")
        print(f"migrate + collectstatic: {time.perf_counter() - started:.1f} s")
        started = time.perf_counter()
        manage(env, "load_demo", "--students", str(args.students), "--flush", capture=True)
        print(f"load_demo --students {args.students}: {time.perf_counter() - started:.1f} s")
        started = time.perf_counter()
        info = run_child(env, "build", {"cases": args.cases})
        print(f"{info['cases']} cases + {info['events']} history steps with bulk_create: "
              f"{time.perf_counter() - started:.1f} s wall (cases {info['cases_seconds']:.1f} s, "
              f"history {info['events_seconds']:.1f} s); {info['on_board']} on the public board")

        print("\nSQL per board page (one anonymous request, warm, in-process test client):")
        print(f"  {'page':<30} {'status':>6} {'queries':>7} {'ms':>8} {'slowest query ms':>17}")
        for row in run_child(env, "queries", info):
            print(f"  {row['label']:<30} {row['status']:>6} {row['queries']:>7} {row['ms']:>8.1f} "
                  f"{row['slowest_ms']:>17.1f}")

        port = free_port()
        server = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "tongxue.wsgi", "-w", str(args.workers), "--threads",
             str(args.threads), "-b", f"127.0.0.1:{port}", "--log-level", "warning"], cwd=ROOT, env=env)
        wait_for(port)
        visitors = [Session(port) for _ in range(args.clients)]
        print(f"\nPublic board: gunicorn -w {args.workers} --threads {args.threads}; {args.clients} concurrent "
              f"anonymous visitors; {args.requests} requests per page")
        print(f"  {'page':<30} {'n':>5} {'err':>4} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8} {'req/s':>7}")
        everything, all_errors, all_seconds = [], 0, 0.0
        for label, paths in board_plan(info):
            hammer_paths(visitors, paths, args.clients)  # warm-up round
            latencies, errors, seconds = hammer_paths(visitors, paths, args.requests)
            print(line(label, latencies, errors, seconds))
            everything += latencies
            all_errors += errors
            all_seconds += seconds
        print(line("all board pages", everything, all_errors, all_seconds))

        logins = json.loads(manage(env, "shell", "-v0", "-c", (
            "import json; from tongxue.core.models import Student; print(json.dumps(list(Student.objects.filter("
            f"university__code='demo', degree_level='undergraduate').order_by('-pk').values_list('student_no', "
            f"flat=True)[:{args.submitters}])))"), capture=True).strip().splitlines()[-1])
        total = args.submitters * args.submissions
        print(f"\nCase submission: {args.submitters} students at once, {args.submissions} cases each ({total})")
        latencies, errors, seconds = submit_over_http(port, logins, args.submissions)
        print(f"  {'':<30} {'n':>5} {'err':>4} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8} {'req/s':>7}")
        print(line("POST /rights/new/", latencies, errors, seconds))

        server.terminate()
        server.wait(timeout=20)
        server = None
        started = time.perf_counter()
        timing = run_child(env, "report", {})
        print(f"\nSchool report of {timing['month']} ({timing['cases']} cases; child process "
              f"{time.perf_counter() - started:.1f} s wall incl. Django start-up)")
        print(f"  build (query, clocks, statistics, jieba keywords): {timing['build_s']:.2f} s")
        print(f"  .docx: {timing['docx_s']:.2f} s ({timing['docx_bytes'] // 1024} KB); "
              f".xlsx: {timing['xlsx_s']:.2f} s ({timing['xlsx_bytes'] // 1024} KB)")
        print(f"  union report (计算机学院学生会, {timing['union_cases']} cases): {timing['union_build_s']:.2f} s")
        print(f"  top keywords: {'、'.join(timing['top_keywords'])}")
        if timing["gap"]:
            print(f"  calendar gap: {timing['gap']}")
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=20)
        if args.keep:
            print(f"kept {var_dir}")
        else:
            shutil.rmtree(var_dir, ignore_errors=True)


if __name__ == "__main__":
    main()
