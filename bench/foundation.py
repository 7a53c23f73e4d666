"""Foundation benchmark: load the 30,000-student demo and measure the main pages under load.

    python bench/foundation.py [--students 30000] [--clients 16] [--requests 240]
                               [--postgres postgresql://user:pass@host/db] [--keep]

Steps: a fresh temporary TONGXUE_VAR_DIR (SQLite unless --postgres), `migrate`, `collectstatic`,
timed `load_demo`, the SQL query count of every page per role (Django test client in a child
process), then gunicorn (2 workers × 4 threads, DEBUG off, login throttling off) and, page by
page, `--clients` concurrent clients logged in as a student, a college cadre and a League
teacher. Prints p50 / p95 / max latency and requests per second per page and overall.
"""
from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "tongxue2026"
LOGINS = {"student": "2023010001", "cadre": "2023090001", "league": "T0001"}
SLOW_P95_MS = 300


def page_plan(ids: dict) -> list[tuple[str, list[str]]]:
    """(path, roles) for each measured page; roles rotate over the clients."""
    everyone = ["student", "cadre", "league"]
    return [
        ("/", everyone),
        ("/unions/", everyone),
        (f"/unions/{ids['school_union']}/", everyone),
        (f"/unions/{ids['college_union']}/", everyone),
        ("/students/", ["league"]),
        ("/students/?q=2023", ["league"]),
        ("/students/", ["cadre"]),
        ("/org/", everyone),
        (f"/org/colleges/{ids['college']}/", everyone),
    ]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def manage(env, *args, capture=False) -> str:
    result = subprocess.run([sys.executable, str(ROOT / "manage.py"), *args], cwd=ROOT, env=env, check=True,
                            capture_output=capture, text=True)
    return result.stdout if capture else ""


# --- HTTP clients ------------------------------------------------------------------------------

class Session:
    """A logged-in browser: one keep-alive connection and a cookie jar."""

    def __init__(self, port: int):
        self.port = port
        self.cookies: dict[str, str] = {}
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)

    def request(self, method: str, path: str, body: str | None = None) -> tuple[int, str]:
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items()), "Accept-Language": "zh-hans"}
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        for attempt in range(2):
            try:
                self.conn.request(method, path, body=body, headers=headers)
                response = self.conn.getresponse()
                break
            except (http.client.HTTPException, ConnectionError):
                self.conn.close()
                self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
                if attempt:
                    raise
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name.strip()] = rest.split(";", 1)[0]
        return response.status, response.read().decode("utf-8", "replace")

    def login(self, login_id: str) -> None:
        status, html = self.request("GET", "/login/")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
        status, _ = self.request("POST", "/login/", urlencode(
            {"csrfmiddlewaretoken": token, "username": login_id, "password": PASSWORD}))
        if status != 302 or "sessionid" not in self.cookies:
            raise SystemExit(f"login as {login_id} failed (HTTP {status})")


def wait_for(port: int, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/login/")
            if conn.getresponse().status == 200:
                return
        except OSError:
            time.sleep(0.2)
    raise SystemExit("gunicorn did not start")


def hammer(sessions: list[Session], path: str, total: int) -> tuple[list[float], int, float]:
    """`total` requests for `path` spread over the sessions, all running at once."""
    latencies: list[float] = []
    errors = 0
    lock = threading.Lock()
    per_client = [total // len(sessions) + (1 if i < total % len(sessions) else 0) for i in range(len(sessions))]

    def run(session: Session, n: int):
        nonlocal errors
        mine, bad = [], 0
        for _ in range(n):
            started = time.perf_counter()
            status, _ = session.request("GET", path)
            mine.append((time.perf_counter() - started) * 1000)
            bad += status != 200
        with lock:
            latencies.extend(mine)
            errors += bad

    threads = [threading.Thread(target=run, args=(s, n)) for s, n in zip(sessions, per_client)]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return latencies, errors, time.perf_counter() - started


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


# --- the query report (runs inside Django, in a child process) ---------------------------------

def query_report(ids: dict) -> None:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tongxue.settings")
    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from tongxue.core.models import User

    settings.ALLOWED_HOSTS = ["*"]
    rows = []
    for path, roles in page_plan(ids):
        for role in roles:
            client = Client()
            client.force_login(User.objects.get(username=f"demo/{LOGINS[role]}"))
            client.get(path)  # warm up
            with CaptureQueriesContext(connection) as ctx:
                started = time.perf_counter()
                response = client.get(path)
                elapsed = (time.perf_counter() - started) * 1000
            slowest = max(ctx.captured_queries, key=lambda q: float(q["time"]), default={"sql": "", "time": 0})
            rows.append({"path": path, "role": role, "status": response.status_code, "queries": len(ctx),
                         "ms": elapsed, "slowest_ms": float(slowest["time"]) * 1000,
                         "slowest_sql": slowest["sql"][:160]})
    print(json.dumps(rows))


# --- main --------------------------------------------------------------------------------------

def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--students", type=int, default=30000)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--requests", type=int, default=240, help="requests per page (default 240)")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--postgres", metavar="URL", help="use this PostgreSQL database (its demo is replaced)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory")
    parser.add_argument("--_queries", dest="queries_ids", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.queries_ids:
        query_report(json.loads(args.queries_ids))
        return

    var_dir = Path(tempfile.mkdtemp(prefix="tongxue-bench-"))
    env = {**os.environ, "TONGXUE_VAR_DIR": str(var_dir), "TONGXUE_DEBUG": "0", "TONGXUE_LOGIN_THROTTLE": "0",
           "TONGXUE_SECRET_KEY": "bench-" + "x" * 50, "PYTHONPATH": str(ROOT)}
    env.pop("TONGXUE_TESTING", None)
    if args.postgres:
        env["DATABASE_URL"] = args.postgres
    else:
        env.pop("DATABASE_URL", None)
    database = "PostgreSQL" if args.postgres else "SQLite"
    print(f"Tongxue foundation bench · {database} · {args.students} students · var dir {var_dir}")
    server = None
    try:
        started = time.perf_counter()
        manage(env, "migrate", "-v0")
        manage(env, "collectstatic", "--noinput", "-v0")
        print(f"migrate + collectstatic: {time.perf_counter() - started:.1f} s")
        started = time.perf_counter()
        manage(env, "load_demo", "--students", str(args.students), "--flush", capture=True)
        load_seconds = time.perf_counter() - started
        print(f"load_demo --students {args.students}: {load_seconds:.1f} s (wall, incl. Django start-up)")

        ids = json.loads(manage(env, "shell", "-v0", "-c", (
            "import json; from tongxue.unions.models import Union; from tongxue.core.models import College; "
            "print(json.dumps({'school_union': Union.objects.get(university__code='demo', "
            "name='示范大学学生会').pk, 'college_union': Union.objects.get(university__code='demo', "
            "name='计算机学院学生会').pk, 'college': College.objects.get(university__code='demo', "
            "name='计算机学院').pk}))"
        ), capture=True).strip().splitlines()[-1])

        print("\nSQL queries per page (one request, warm, in-process test client):")
        report = json.loads(subprocess.run(
            [sys.executable, __file__, "--_queries", json.dumps(ids)], cwd=ROOT, env=env, check=True,
            capture_output=True, text=True).stdout.strip().splitlines()[-1])
        print(f"  {'page':<26} {'role':<8} {'status':>6} {'queries':>7} {'ms':>8}  slowest query")
        for row in report:
            print(f"  {row['path']:<26} {row['role']:<8} {row['status']:>6} {row['queries']:>7} {row['ms']:>8.1f}"
                  f"  {row['slowest_ms']:.1f} ms: {row['slowest_sql'][:90]}")

        port = free_port()
        server = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "tongxue.wsgi", "-w", str(args.workers), "--threads",
             str(args.threads), "-b", f"127.0.0.1:{port}", "--log-level", "warning"],
            cwd=ROOT, env=env,
        )
        wait_for(port)
        sessions: dict[str, list[Session]] = {role: [] for role in LOGINS}
        for i in range(args.clients):
            for role, login_id in LOGINS.items():
                session = Session(port)
                session.login(login_id)
                sessions[role].append(session)
        print(f"\ngunicorn -w {args.workers} --threads {args.threads}; {args.clients} concurrent clients; "
              f"{args.requests} requests per page")
        print(f"  {'page':<34} {'n':>5} {'err':>4} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8} {'req/s':>7}")
        all_latencies, all_errors, all_seconds, slow = [], 0, 0.0, []
        for path, roles in page_plan(ids):
            clients = [sessions[roles[i % len(roles)]][i] for i in range(args.clients)]
            hammer(clients, path, args.clients)  # warm-up round
            latencies, errors, seconds = hammer(clients, path, args.requests)
            label = f"{path} ({'/'.join(roles) if len(roles) < 3 else 'all roles'})"
            p95 = pct(latencies, 0.95)
            print(f"  {label:<34} {len(latencies):>5} {errors:>4} {statistics.median(latencies):>8.1f} "
                  f"{p95:>8.1f} {max(latencies):>8.1f} {len(latencies) / seconds:>7.1f}")
            all_latencies += latencies
            all_errors += errors
            all_seconds += seconds
            if p95 > SLOW_P95_MS:
                slow.append(label)
        print(f"  {'overall':<34} {len(all_latencies):>5} {all_errors:>4} {statistics.median(all_latencies):>8.1f} "
              f"{pct(all_latencies, 0.95):>8.1f} {max(all_latencies):>8.1f} {len(all_latencies) / all_seconds:>7.1f}")
        print(f"\nload_demo: {load_seconds:.1f} s; pages with p95 > {SLOW_P95_MS} ms: {', '.join(slow) or 'none'}")
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
