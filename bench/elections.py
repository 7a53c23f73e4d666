"""Congress election benchmark (issue 5): a 2,000-delegate online election with 15 candidates, cast
over HTTP through the real ballot form under concurrent load, then closed, counted and published.

    python bench/elections.py [--delegates 2000] [--candidates 15] [--seats 5] [--clients 16]
                              [--workers 2] [--threads 4] [--postgres URL] [--keep]

Steps: a fresh temporary TONGXUE_VAR_DIR (SQLite unless --postgres), `migrate`, `collectstatic`;
in a child process (inside Django): one university, a school union, a convened congress session
with `--delegates` seated delegates all checked in (bulk_create), an election with `--candidates`
candidates and `--seats` seats opened with `services.open_election` (which issues the anonymous
blank ballots), and one logged-in session per delegate (session rows made directly, so that the
bench measures voting, not Argon2). Then gunicorn (`--workers` × `--threads`) and `--clients`
threads, each taking delegates in turn: GET the ballot page (/elections/<pk>/vote/), POST the
confirmation step, POST the cast; a vote counts when the cast answers 200 with a receipt. Prints
votes per second and p50 / p95 / max latency of the cast and of the whole three-request vote.
Last, in a child process: `close_election` (counting by domain.tally), `publish`, building the
published ballots file and recounting it with `tongxue tally`. Asserts the recount matches.
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
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent))

from foundation import Session, free_port, manage, pct, wait_for  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉萍红娥玲芬燕彬鹏辉宇浩然子轩梓涵欣怡"


# --- inside Django (child process) --------------------------------------------------------------------

def build(delegates: int, candidates: int, seats: int) -> dict:
    import datetime

    from django.contrib.sessions.backends.db import SessionStore
    from django.contrib.sessions.models import Session as SessionRow
    from django.utils import timezone

    from tongxue.congress.models import Attendance, CongressSession, Delegate
    from tongxue.congress.services import create_session
    from tongxue.core.models import Campus, College, Major, Role, RoleAssignment, Student, StudentClass, University, User
    from tongxue.elections import services
    from tongxue.unions.models import Union

    rng = random.Random(5)
    started = time.perf_counter()
    university = University.objects.create(name="示范大学", code="demo")
    campus = Campus.objects.create(university=university, name="主校区", code="main")
    colleges = [College.objects.create(university=university, campus=campus, name=f"第{i + 1}学院", code=f"C{i:02d}")
                for i in range(20)]
    classes = []
    for college in colleges:
        major = Major.objects.create(university=university, college=college, name=f"{college.name}专业", code=college.code)
        classes.append(StudentClass.objects.create(university=university, college=college, major=major,
                                                   name=f"{college.code}班", grade=2024))
    union = Union.objects.create(university=university, name="示范大学学生会", level=Union.Level.SCHOOL)
    chair = User.objects.create(university=university, login_id="T0001", full_name="团委老师")
    RoleAssignment.objects.create(user=chair, university=university, role=Role.LEAGUE_TEACHER)
    session = create_session(chair, union, opens_on=timezone.localdate())
    CongressSession.objects.filter(pk=session.pk).update(status=CongressSession.Status.CONVENED)
    session.refresh_from_db()

    users = User.objects.bulk_create([
        User(university=university, login_id=f"2024{i:06d}", username=f"demo/2024{i:06d}", password="!bench",
             full_name=rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(GIVEN))
        for i in range(delegates)], batch_size=1000)
    students = Student.objects.bulk_create([
        Student(university=university, user=user, student_no=user.login_id, name=user.full_name,
                gender="F" if i % 2 else "M", ethnicity="01", political_status="03", degree_level="undergraduate",
                college=classes[i % len(classes)].major.college, major=classes[i % len(classes)].major,
                student_class=classes[i % len(classes)], enrolment_year=2024)
        for i, user in enumerate(users)], batch_size=1000)
    seated = Delegate.objects.bulk_create([
        Delegate(university=university, session=session, student=student, number=i + 1, status=Delegate.Status.SEATED,
                 student_class=student.student_class)
        for i, student in enumerate(students)], batch_size=1000)
    now = timezone.now()
    Attendance.objects.bulk_create([
        Attendance(university=university, session=session, delegate=d, sitting=timezone.localdate(), checked_in=now)
        for d in seated], batch_size=1000)
    built = time.perf_counter() - started

    started = time.perf_counter()
    election = services.create_election(chair, session, title="第一届学生会主席团选举", seats=seats)
    by_name = {}
    for student in students:
        by_name.setdefault(student.name, student)     # namesakes would need their college on the ballot
    services.set_candidates(chair, election, rng.sample(sorted(by_name.values(), key=lambda s: s.pk), candidates))
    election = services.open_election(chair, election)
    opened = time.perf_counter() - started

    started = time.perf_counter()
    expire = now + datetime.timedelta(hours=4)
    rows = []
    for user in users:
        store = SessionStore()
        data = {"_auth_user_id": str(user.pk), "_auth_user_backend": "django.contrib.auth.backends.ModelBackend",
                "_auth_user_hash": user.get_session_auth_hash()}
        key = store._get_new_session_key()
        rows.append(SessionRow(session_key=key, session_data=store.encode(data), expire_date=expire))
    SessionRow.objects.bulk_create(rows, batch_size=1000)
    return {"election": election.pk, "session": session.pk, "issued": election.issued, "keys": election.candidate_order,
            "cookies": [r.session_key for r in rows], "build_s": built, "open_s": opened,
            "sessions_s": time.perf_counter() - started}


def finish(election_pk: int) -> dict:
    import io

    from django.core.management import call_command

    from tongxue.core.models import User
    from tongxue.elections import services
    from tongxue.elections.models import Election

    chair = User.objects.get(login_id="T0001")
    election = Election.objects.get(pk=election_pk)
    out = {}
    started = time.perf_counter()
    election = services.close_election(chair, election)
    out["close_count_s"] = time.perf_counter() - started
    started = time.perf_counter()
    election = services.publish(chair, election)
    out["publish_s"] = time.perf_counter() - started
    started = time.perf_counter()
    text = services.published_file(election)
    out["file_s"] = time.perf_counter() - started
    out["file_bytes"] = len(text.encode())
    path = Path(os.environ["TONGXUE_VAR_DIR"]) / "ballots.json"
    path.write_text(text, encoding="utf-8")
    started = time.perf_counter()
    buffer = io.StringIO()
    call_command("tally", str(path), "--json", stdout=buffer)
    out["tally_s"] = time.perf_counter() - started
    recount = json.loads(buffer.getvalue())
    out["matches"] = recount["matches_published"] and recount["result"] == json.loads(json.dumps(election.result))
    result = election.result
    out["result"] = {k: result[k] for k in ("issued", "returned", "valid", "void_ballots", "threshold", "elected",
                                            "runoff", "unfilled")}
    return out


def child(command: str, argument: str) -> None:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tongxue.settings")
    django.setup()
    args = json.loads(argument)
    result = build(**args) if command == "build" else finish(**args)
    print(json.dumps(result, ensure_ascii=False))


def run_child(env, command: str, argument: dict) -> dict:
    out = subprocess.run([sys.executable, __file__, "--_child", command, json.dumps(argument)], cwd=ROOT, env=env,
                         check=True, capture_output=True, text=True).stdout
    return json.loads(out.strip().splitlines()[-1])


# --- voting over HTTP -------------------------------------------------------------------------------

def vote_over_http(port: int, election: int, cookies: list[str], keys: list[str], seats: int, clients: int):
    """`clients` threads share out the delegates; each vote is GET ballot, POST confirm, POST cast."""
    queue = list(enumerate(cookies))
    lock = threading.Lock()
    cast_ms, vote_ms, errors, receipts = [], [], [], []

    weights = [max(1, 3 * len(keys) - 4 * i) for i in range(len(keys))]   # a few favourites

    def ballot(rng) -> dict:
        wanted = seats + 1 if rng.random() < 0.02 else rng.choice([seats, seats, seats - 1])   # 2 % void
        chosen: set[str] = set()
        while len(chosen) < min(wanted, len(keys)):
            chosen.add(rng.choices(keys, weights)[0])
        data = {}
        for key in keys:
            data[f"mark-{key}"] = "for" if key in chosen else rng.choice(["against", "abstain", "abstain"])
        return data

    def run(worker: int):
        rng = random.Random(worker)
        while True:
            with lock:
                if not queue:
                    return
                i, cookie = queue.pop()
            session = Session(port)
            session.cookies["sessionid"] = cookie
            started = time.perf_counter()
            status, html = session.request("GET", f"/elections/{election}/vote/")
            match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
            if status != 200 or not match:
                with lock:
                    errors.append(f"ballot page HTTP {status}")
                continue
            data = {"csrfmiddlewaretoken": match.group(1), **ballot(rng)}
            status, html = session.request("POST", f"/elections/{election}/vote/confirm/", urlencode(data))
            if status != 200:
                with lock:
                    errors.append(f"confirm HTTP {status}")
                continue
            cast_started = time.perf_counter()
            status, html = session.request("POST", f"/elections/{election}/vote/cast/", urlencode(data))
            done = time.perf_counter()
            receipt = re.search(r'data-receipt="([^"]+)"', html)
            with lock:
                if status == 200 and receipt:
                    cast_ms.append((done - cast_started) * 1000)
                    vote_ms.append((done - started) * 1000)
                    receipts.append(receipt.group(1))
                else:
                    errors.append(f"cast HTTP {status}")
            session.conn.close()

    threads = [threading.Thread(target=run, args=(w,)) for w in range(clients)]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return cast_ms, vote_ms, errors, receipts, time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--delegates", type=int, default=2000)
    parser.add_argument("--candidates", type=int, default=15)
    parser.add_argument("--seats", type=int, default=5)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--postgres", metavar="URL", help="use this PostgreSQL database (emptied first)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory")
    parser.add_argument("--_child", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args._child:
        child(*args._child)
        return

    var_dir = Path(tempfile.mkdtemp(prefix="tongxue-bench-elections-"))
    env = {**os.environ, "TONGXUE_VAR_DIR": str(var_dir), "TONGXUE_DEBUG": "0", "TONGXUE_LOGIN_THROTTLE": "0",
           "TONGXUE_SECRET_KEY": "bench-" + "x" * 50, "PYTHONPATH": str(ROOT)}
    env.pop("TONGXUE_TESTING", None)
    if args.postgres:
        env["DATABASE_URL"] = args.postgres
    else:
        env.pop("DATABASE_URL", None)
    database = "PostgreSQL" if args.postgres else "SQLite"
    print(f"Tongxue elections bench · {database} · {args.delegates} delegates · {args.candidates} candidates · "
          f"{args.seats} seats · var dir {var_dir}")
    server = None
    try:
        started = time.perf_counter()
        if args.postgres:
            manage(env, "flush", "--noinput", "-v0")
        manage(env, "migrate", "-v0")
        manage(env, "collectstatic", "--noinput", "-v0")
        print(f"migrate + collectstatic: {time.perf_counter() - started:.1f} s")
        info = run_child(env, "build", {"delegates": args.delegates, "candidates": args.candidates, "seats": args.seats})
        print(f"{args.delegates} seated delegates checked in (bulk_create): {info['build_s']:.1f} s; "
              f"open the vote ({info['issued']} anonymous ballots issued): {info['open_s']:.2f} s; "
              f"{len(info['cookies'])} login sessions: {info['sessions_s']:.1f} s")

        port = free_port()
        server = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "tongxue.wsgi", "-w", str(args.workers), "--threads",
             str(args.threads), "-b", f"127.0.0.1:{port}", "--log-level", "warning"], cwd=ROOT, env=env)
        wait_for(port)
        print(f"\nVoting: gunicorn -w {args.workers} --threads {args.threads}; {args.clients} concurrent clients; "
              "each vote = GET ballot, POST confirm, POST cast")
        cast_ms, vote_ms, errors, receipts, seconds = vote_over_http(
            port, info["election"], info["cookies"], info["keys"], args.seats, args.clients)
        print(f"  votes cast: {len(cast_ms)} in {seconds:.1f} s = {len(cast_ms) / seconds:.1f} votes/s; "
              f"errors: {len(errors)}{' (' + ', '.join(sorted(set(errors))[:5]) + ')' if errors else ''}")
        for label, values in (("cast POST", cast_ms), ("whole vote (3 requests)", vote_ms)):
            if values:
                print(f"  {label:<26} p50 {statistics.median(values):7.1f} ms   p95 {pct(values, 0.95):7.1f} ms   "
                      f"max {max(values):7.1f} ms")
        if len(set(receipts)) != len(receipts):
            print("  !! duplicate receipts")
        server.terminate()
        server.wait(10)
        server = None

        out = run_child(env, "finish", {"election_pk": info["election"]})
        print(f"\nClose + count (domain.tally): {out['close_count_s'] * 1000:.0f} ms; publish: "
              f"{out['publish_s'] * 1000:.0f} ms; published file: {out['file_s'] * 1000:.0f} ms "
              f"({out['file_bytes'] / 1024:.0f} KiB); `tongxue tally` recount: {out['tally_s'] * 1000:.0f} ms; "
              f"recount matches: {out['matches']}")
        r = out["result"]
        print(f"  issued {r['issued']}, returned {r['returned']}, valid {r['valid']}, void {r['void_ballots']}, "
              f"threshold {r['threshold']}, elected {len(r['elected'])}, run-off {len(r['runoff'])}, "
              f"unfilled {r['unfilled']}")
    finally:
        if server is not None:
            server.terminate()
            server.wait(10)
        if args.keep:
            print(f"kept {var_dir}")
        else:
            shutil.rmtree(var_dir, ignore_errors=True)


if __name__ == "__main__":
    main()
