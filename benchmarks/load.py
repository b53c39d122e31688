"""Load test (issue #17, "Scale beyond one machine"): a realistic mix of athletes and
coaches against gunicorn with four sync workers on PostgreSQL, with Redis for the cache and
the task queue as in production. The figures go in docs/scaling.md.

make bench-load           # or: .venv/bin/python -m benchmarks.load [--duration 30]

Builds 20 coaches of 50 athletes each (benchmarks/httpsite/dataset.py's squad, smaller: a
10-week block assigned 3 weeks ago, 5-6 runs a week, the past weeks logged, flags computed,
every athlete with today's session under way) in PostgreSQL's ``test_<name>`` for
DATABASE_URL (default postgres://postgres@127.0.0.1:5432/runstrong_load; created, then
dropped). Redis: database 12 on 127.0.0.1:6379 (``--redis``), used only when it answers
and is empty, and emptied again at the end; without it the cache is per process and tasks
queue in the database.

The mix (``MIX``), one request at a time per wrk connection, each connection its own
wrk thread so that a response is matched to its request and timed per endpoint:
athletes 70 % (Today 30 %, one new set POSTed 40 %), each connection rotating over its own
slice of the 1,000 athletes' sessions; coaches 30 % (roster, builder, flags inbox, 10 %
each), rotating over the 20 coaches. Each phase (``--phases``, 30 s each) sends requests
with no think time at a number of connections: 2 (a request seldom waits for a worker), 4
(one per worker: the machine's capacity for the mix) and 16 (four waiting per worker:
past capacity). Then each page alone with one worker at one connection: the load one
worker holds on it.

Prints, per phase: requests/s, per endpoint the count, errors and p50/p95/p99, the errors
by kind (socket, HTTP 4xx/5xx, other answers: a redirect or a set not stored, timeouts),
the CPU the workers and PostgreSQL spent per request, the machine's load average; then
memory per worker (VmRSS, VmHWM, Pss from /proc) and the one-worker table.
"""

import argparse
import datetime
import http.client
import json
import os
import secrets
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from benchmarks.serving import (
    database_create,
    free_port,
    gunicorn_start,
    healthz_answers,
    lua_string,
)

TMP = Path(tempfile.gettempdir()) / f"runstrong-load-{os.getpid()}"
os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"  # production settings, as they are
os.environ["DJANGO_DEBUG"] = "false"
os.environ["DJANGO_SECURE_SSL_REDIRECT"] = "false"  # no TLS on 127.0.0.1
os.environ["DJANGO_ALLOWED_HOSTS"] = "127.0.0.1"
os.environ["DJANGO_STATIC_ROOT"] = str(TMP / "static")
os.environ.setdefault("DJANGO_SECRET_KEY", "benchmark-only-secret-key-0123456789abcdefghijklmnop")
os.environ.setdefault("DJANGO_LOG_LEVEL", "WARNING")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/runstrong_load")

COACHES = 20
ATHLETES_PER_COACH = 50
WEEKS = 10  # the athletes' block (bench-http's squad: 16 weeks, 8 logged; quicker to build)
LOGGED_WEEKS = 3
WORKERS = 4
MARK = "LOAD-JSON "
SYNC_URL = "/today/sets/"
HTML = "text/html,application/xhtml+xml,*/*;q=0.8"
TARGET_P95_MS = 300  # issue #17, with 0 errors


@dataclass(frozen=True)
class Endpoint:
    key: str
    label: str
    share: float  # of all requests


MIX = [
    Endpoint("today", "athlete Today", 0.30),
    Endpoint("post", "set-log POST (one set)", 0.40),
    Endpoint("roster", "roster (50 athletes)", 0.10),
    Endpoint("builder", "builder (12-week block)", 0.10),
    Endpoint("inbox", "flags inbox", 0.10),
]

# The script's body; the data (cookies, ids, weights) goes in front of it. LuaJIT's ffi
# reads the monotonic clock: each wrk thread has one connection, so the request() before a
# response() is that response's request.
MIX_LUA = r"""
local ffi = require("ffi")
ffi.cdef[[
typedef struct { long tv_sec; long tv_nsec; } load_timespec;
int clock_gettime(int clock, load_timespec *now);
]]
local clock = ffi.new("load_timespec")
local function now_us()
  ffi.C.clock_gettime(1, clock)
  return tonumber(clock.tv_sec) * 1000000 + math.floor(tonumber(clock.tv_nsec) / 1000)
end

local threads = {}
function setup(thread)
  table.insert(threads, thread)
  thread:set("tid", #threads)
end

function init(args)
  math.randomseed(SALT + tid * 7919)
  for _ = 1, 10 do math.random() end
  mine = {}
  for i = tid, #ATHLETES, THREADS do mine[#mine + 1] = ATHLETES[i] end
  if #mine == 0 then mine = ATHLETES end
  athlete_turn, coach_turn = 0, tid
  rows = {}
end

local function uuid4()
  return (string.gsub("xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx", "[xy]", function(c)
    local v = (c == "x") and math.random(0, 15) or math.random(8, 11)
    return string.format("%x", v)
  end))
end

request = function()
  local u, kind = math.random(), 1
  while kind < #KINDS and u > CUMULATIVE[kind] do kind = kind + 1 end
  local key, req = KINDS[kind], nil
  if key == "today" or key == "post" then
    athlete_turn = athlete_turn % #mine + 1
    local a = mine[athlete_turn]
    if key == "today" then
      req = wrk.format("GET", "/athlete/", {["Cookie"] = a[1], ["Accept"] = HTML})
    else
      local body = string.format(
        '{"sets": [{"id": "%s", "session": %d, "prescription": %d, "set": %d, '
        .. '"reps": "5", "duration": "", "load": "62.5", "rpe": "8", '
        .. '"performed_on": "%s", "logged_at": "%s"}]}',
        uuid4(), a[2], a[3][math.random(#a[3])], math.random(2, 4), TODAY,
        os.date("!%Y-%m-%dT%H:%M:%SZ"))
      req = wrk.format("POST", SYNC_URL, {
        ["Cookie"] = a[1], ["X-CSRFToken"] = CSRF, ["Content-Type"] = "application/json",
        ["Accept"] = "*/*"}, body)
    end
  else
    coach_turn = coach_turn % #COACHES + 1
    local c = COACHES[coach_turn]
    local path = (key == "roster" and "/coach/") or (key == "inbox" and "/flags/") or c[2]
    req = wrk.format("GET", path, {["Cookie"] = c[1], ["Accept"] = HTML})
  end
  pending, started = kind, now_us()
  return req
end

-- A right answer is a 200 (a redirect to the sign-in page is wrong), and for the POST a
-- set the answer says was stored.
response = function(status, headers, body)
  if pending == nil then return end
  local ok = status == 200
  if ok and KINDS[pending] == "post" then
    ok = string.find(body, '"status": "stored"', 1, true) ~= nil
  end
  rows[#rows + 1] = string.format("%d %d %d %d", pending, status, ok and 1 or 0,
                                  now_us() - started)
  pending = nil
end

done = function(summary, latency, requests)
  local out = io.open(OUT, "w")
  local e = summary.errors
  out:write(string.format(
    '%s{"requests": %d, "duration_us": %d, "connect": %d, "read": %d, "write": %d, '
    .. '"status": %d, "timeouts": %d, "p50_us": %d, "p95_us": %d, "p99_us": %d}\n',
    MARK, summary.requests, summary.duration, e.connect, e.read, e.write, e.status,
    e.timeout, latency:percentile(50), latency:percentile(95), latency:percentile(99)))
  for _, thread in ipairs(threads) do
    for _, row in ipairs(thread:get("rows") or {}) do out:write(row, "\n") end
  end
  out:close()
end
"""


@dataclass(frozen=True)
class Athlete:
    cookie: str
    session_id: int
    prescription_ids: list[int]


@dataclass(frozen=True)
class Coach:
    cookie: str
    builder_path: str


@dataclass
class Cast:
    athletes: list[Athlete]
    coaches: list[Coach]
    csrf: str
    today: datetime.date


@dataclass
class Usage:
    """CPU seconds (user + system) of our processes, and the machine's busy and total time
    in clock ticks, read before and after a phase."""

    workers: float = 0.0
    postgres: float = 0.0
    busy: int = 0
    total: int = 0


@dataclass
class Result:
    connections: int
    seconds: float
    requests: int
    wrk: dict
    per_kind: dict[str, list[tuple[int, bool, float]]] = field(default_factory=dict)
    load: list[float] = field(default_factory=list)  # 1-minute load average, sampled
    cpu_workers_ms: float = 0.0  # per request
    cpu_postgres_ms: float = 0.0
    machine_busy: float = 0.0  # share of all CPUs, 0..1
    ours_busy: float = 0.0


def redis_choose(url: str) -> str:
    """The Redis URL to use, or "" (none answers, or its database is not empty: somebody
    else's data, never flushed)."""
    if url in {"", "none"}:
        return ""
    import redis

    try:
        client = redis.Redis.from_url(url, socket_connect_timeout=1)
        size = client.dbsize()
    except redis.RedisError as error:
        print(f"  Redis at {url} does not answer ({error}):", end=" ")  # noqa: T201
        print("the cache is per process, tasks queue in the database")  # noqa: T201
        return ""
    if size:
        raise SystemExit(f"Redis {url} holds {size} keys; pick an empty database with --redis")
    return url


def redis_empty(url: str) -> None:
    import redis

    redis.Redis.from_url(url).flushdb()


def cast_build(datasets) -> Cast:
    """A session per person, made as signing in makes it (so it works against gunicorn),
    and the Cookie header a browser holds after its first page: session and CSRF."""
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY

    from athletes.models import User

    store_class = import_module(settings.SESSION_ENGINE).SessionStore
    backend = settings.AUTHENTICATION_BACKENDS[0]
    csrf = secrets.token_hex(16)
    ids = [d.coach_id for d in datasets] + [
        logger.user_id for d in datasets for logger in d.loggers
    ]
    users = User.objects.in_bulk(ids)

    def cookie(user_id: int) -> str:
        user = users[user_id]
        store = store_class()
        store[SESSION_KEY] = str(user.pk)
        store[BACKEND_SESSION_KEY] = backend
        store[HASH_SESSION_KEY] = user.get_session_auth_hash()
        store.create()
        return (
            f"{settings.SESSION_COOKIE_NAME}={store.session_key}; "
            f"{settings.CSRF_COOKIE_NAME}={csrf}"
        )

    return Cast(
        athletes=[
            Athlete(cookie(logger.user_id), logger.session_id, logger.prescription_ids)
            for d in datasets
            for logger in d.loggers
        ],
        coaches=[Coach(cookie(d.coach_id), f"/blocks/{d.builder_block_id}/") for d in datasets],
        csrf=csrf,
        today=datasets[0].today,
    )


def worker_pids(server: subprocess.Popen) -> list[int]:
    path = Path(f"/proc/{server.pid}/task/{server.pid}/children")
    try:
        return [int(pid) for pid in path.read_text().split()]
    except OSError:
        return []


def cpu_seconds(pid: int) -> float:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime


def postgres_pids(database: str) -> list[int]:
    """The server processes of our database's connections (PostgreSQL on this machine)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()",
            [database],
        )
        return [row[0] for row in cursor.fetchall()]


def usage(server: subprocess.Popen, database: str) -> Usage:
    line = Path("/proc/stat").read_text().splitlines()[0].split()[1:]
    ticks = [int(x) for x in line[:8]]
    idle = ticks[3] + ticks[4]  # idle + iowait
    return Usage(
        workers=sum(cpu_seconds(pid) for pid in worker_pids(server)),
        postgres=sum(cpu_seconds(pid) for pid in postgres_pids(database)),
        busy=sum(ticks) - idle,
        total=sum(ticks),
    )


def lua_script(cast: Cast, weights: list[float], threads: int, out: Path) -> Path:
    athletes = ",\n".join(
        f"{{{lua_string(a.cookie)}, {a.session_id}, {{{', '.join(map(str, a.prescription_ids))}}}}}"
        for a in cast.athletes
    )
    coaches = ",\n".join(
        f"{{{lua_string(c.cookie)}, {lua_string(c.builder_path)}}}" for c in cast.coaches
    )
    total, cumulative = sum(weights), []
    for weight in weights:
        cumulative.append((cumulative[-1] if cumulative else 0) + weight / total)
    text = (
        f"SALT = {secrets.randbelow(2**31)}\n"
        f"THREADS = {threads}\n"
        f"KINDS = {{{', '.join(lua_string(e.key) for e in MIX)}}}\n"
        f"CUMULATIVE = {{{', '.join(f'{c:.6f}' for c in cumulative)}}}\n"
        f"ATHLETES = {{\n{athletes}\n}}\n"
        f"COACHES = {{\n{coaches}\n}}\n"
        f"CSRF = {lua_string(cast.csrf)}\n"
        f"TODAY = {lua_string(cast.today.isoformat())}\n"
        f"SYNC_URL = {lua_string(SYNC_URL)}\n"
        f"HTML = {lua_string(HTML)}\n"
        f"MARK = {lua_string(MARK)}\n"
        f"OUT = {lua_string(str(out))}\n" + MIX_LUA
    )
    path = TMP / f"mix-{secrets.token_hex(4)}.lua"
    path.write_text(text)
    return path


def wrk_run(
    port: int,
    cast: Cast,
    *,
    weights: list[float],
    connections: int,
    seconds: int,
    server: subprocess.Popen,
    database: str,
) -> Result:
    """wrk for ``seconds`` at ``connections``, each sending its next request as soon as
    the last is answered (no think time: see docs/scaling.md for why)."""
    out = TMP / f"rows-{secrets.token_hex(4)}.txt"
    script = lua_script(cast, weights, connections, out)
    loads: list[float] = []
    stop = threading.Event()

    def sample_load() -> None:
        while not stop.wait(2):
            loads.append(os.getloadavg()[0])

    sampler = threading.Thread(target=sample_load, daemon=True)
    before = usage(server, database)
    sampler.start()
    wall = time.perf_counter()
    run = subprocess.run(  # noqa: S603 (wrk from the system, our arguments)
        [
            shutil.which("wrk") or "wrk",
            f"-t{connections}",
            f"-c{connections}",
            f"-d{seconds}s",
            "--timeout=10s",
            f"-s{script}",
            f"http://127.0.0.1:{port}/",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    # Requests still queued when wrk stops are served all the same: wait them out before
    # reading the CPU counters, so that they count for this phase's requests, not the next.
    time.sleep(0.5)
    wall = time.perf_counter() - wall
    stop.set()
    sampler.join()
    after = usage(server, database)
    if not out.exists():
        raise SystemExit(f"wrk wrote no figures:\n{run.stdout}\n{run.stderr}")
    lines = out.read_text().splitlines()
    raw = json.loads(lines[0][len(MARK) :])
    per_kind: dict[str, list[tuple[int, bool, float]]] = {e.key: [] for e in MIX}
    for line in lines[1:]:
        kind, status, ok, micros = (int(x) for x in line.split())
        per_kind[MIX[kind - 1].key].append((status, bool(ok), micros / 1000))
    requests = raw["requests"]
    ticks = max(after.total - before.total, 1)
    clock = os.sysconf("SC_CLK_TCK")
    ours = (after.workers - before.workers) + (after.postgres - before.postgres)
    return Result(
        connections=connections,
        seconds=raw["duration_us"] / 1e6,
        requests=requests,
        wrk=raw,
        per_kind=per_kind,
        load=loads or [os.getloadavg()[0]],
        cpu_workers_ms=(after.workers - before.workers) * 1000 / max(requests, 1),
        cpu_postgres_ms=(after.postgres - before.postgres) * 1000 / max(requests, 1),
        machine_busy=(after.busy - before.busy) / ticks,
        ours_busy=min(ours * clock / ticks, 1.0),
    )


def percentile(values: list[float], q: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q / 100 * len(ordered) + 0.5) - 1))]


def wrong_answers(result: Result) -> int:
    return sum(1 for rows in result.per_kind.values() for status, ok, _ in rows if not ok)


def errors_total(result: Result) -> int:
    """Socket errors and timeouts (wrk's), and every answer that was not right: 4xx/5xx
    (wrk counts them too), a redirect, a set not stored."""
    raw = result.wrk
    return raw["connect"] + raw["read"] + raw["write"] + raw["timeouts"] + wrong_answers(result)


def print_line(*cells: str, widths=(24, 6, 8, 7, 7, 7, 7, 7, 6)) -> None:
    aligned = [f"{cells[0]:<{widths[0]}}"] + [
        f"{c:>{w}}" for c, w in zip(cells[1:], widths[1:], strict=False)
    ]
    print("  ".join(aligned))  # noqa: T201 (benchmarks print figures)


def phase_report(result: Result) -> None:
    raw = result.wrk
    rate = result.requests / result.seconds
    print(  # noqa: T201
        f"\n{result.connections} connections, {result.seconds:.0f} s: {rate:.1f} requests/s, "
        f"{result.requests} requests; load average {min(result.load):.1f}–"
        f"{max(result.load):.1f} on {os.cpu_count()} CPUs"
    )
    print_line("endpoint", "share", "requests", "req/s", "errors", "p50 ms", "p95 ms", "p99 ms")
    everything: list[float] = []
    for endpoint in MIX:
        rows = result.per_kind[endpoint.key]
        times = [ms for _, _, ms in rows]
        everything += times
        print_line(
            endpoint.label,
            f"{len(rows) / max(result.requests, 1):.0%}",
            str(len(rows)),
            f"{len(rows) / result.seconds:.1f}",
            str(sum(1 for _, ok, _ in rows if not ok)),
            f"{percentile(times, 50):.0f}",
            f"{percentile(times, 95):.0f}",
            f"{percentile(times, 99):.0f}",
        )
    print_line(
        "all",
        "100%",
        str(result.requests),
        f"{rate:.1f}",
        str(errors_total(result)),
        f"{percentile(everything, 50):.0f}",
        f"{percentile(everything, 95):.0f}",
        f"{percentile(everything, 99):.0f}",
    )
    other = wrong_answers(result) - raw["status"]
    # wrk's histogram can read higher than the per-request clocks; the higher one counts.
    p95 = max(percentile(everything, 95), raw["p95_us"] / 1000)
    met = "met" if not errors_total(result) and p95 < TARGET_P95_MS else "NOT met"
    print(  # noqa: T201
        f"  errors: socket {raw['connect'] + raw['read'] + raw['write']} (connect "
        f"{raw['connect']}, read {raw['read']}, write {raw['write']}), HTTP 4xx/5xx "
        f"{raw['status']}, other wrong answers {other}, timeouts (>10 s) {raw['timeouts']}"
        f"\n  wrk's own latency: p50 {raw['p50_us'] / 1000:.0f} ms, p95 "
        f"{raw['p95_us'] / 1000:.0f} ms, p99 {raw['p99_us'] / 1000:.0f} ms"
        f"\n  CPU per request: {result.cpu_workers_ms:.1f} ms in the gunicorn workers, "
        f"{result.cpu_postgres_ms:.1f} ms in PostgreSQL; the machine's CPUs "
        f"{result.machine_busy:.0%} busy, {result.ours_busy:.0%} by our workers and "
        f"PostgreSQL (the rest: wrk, Redis, other people's work)"
        f"\n  target (0 errors, p95 under {TARGET_P95_MS} ms): {met} (p95 {p95:.0f} ms)"
    )


def memory_report(server: subprocess.Popen) -> list[dict[str, int]]:
    """kB per gunicorn worker: VmRSS (now), VmHWM (peak RSS), Pss (RSS with the pages
    shared with the master and the other workers divided among them)."""
    rows = []
    for pid in worker_pids(server):
        status = {
            key: int(value.split()[0])
            for key, _, value in (
                line.partition(":") for line in Path(f"/proc/{pid}/status").read_text().splitlines()
            )
            if key in {"VmRSS", "VmHWM"}
        }
        rollup = Path(f"/proc/{pid}/smaps_rollup").read_text()
        status["Pss"] = next(
            int(line.split()[1]) for line in rollup.splitlines() if line.startswith("Pss:")
        )
        rows.append(status)
    print(  # noqa: T201
        "\nmemory per worker after the phases (MB): "
        + "; ".join(
            f"RSS {r['VmRSS'] / 1024:.0f}, peak {r['VmHWM'] / 1024:.0f}, Pss {r['Pss'] / 1024:.0f}"
            for r in rows
        )
    )
    return rows


def page_check(port: int, cast: Cast) -> None:
    """One request of each kind through gunicorn: a 200, and a set stored."""
    athlete, coach = cast.athletes[0], cast.coaches[0]
    body = json.dumps(
        {
            "sets": [
                {
                    "id": secrets.token_hex(16),
                    "session": athlete.session_id,
                    "prescription": athlete.prescription_ids[1],
                    "set": 2,
                    "reps": "5",
                    "load": "62.5",
                    "rpe": "8",
                    "performed_on": cast.today.isoformat(),
                }
            ]
        }
    )
    post_headers = {
        "Cookie": athlete.cookie,
        "X-CSRFToken": cast.csrf,
        "Content-Type": "application/json",
    }
    checks = [
        ("GET", "/athlete/", athlete.cookie, None),
        ("POST", SYNC_URL, athlete.cookie, body),
        ("GET", "/coach/", coach.cookie, None),
        ("GET", coach.builder_path, coach.cookie, None),
        ("GET", "/flags/", coach.cookie, None),
    ]
    for method, path, cookie, payload in checks:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        headers = post_headers if payload else {"Cookie": cookie}
        connection.request(method, path, payload, headers)
        response = connection.getresponse()
        answer = response.read()
        if response.status != 200:
            raise SystemExit(f"{method} {path} answered {response.status}, not 200")
        if payload and json.loads(answer)["results"][0]["status"] != "stored":
            raise SystemExit(f"the set was not stored: {answer[:300]!r}")


def data_build(args: argparse.Namespace) -> Cast:
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    from benchmarks.httpsite.dataset import squads_build
    from programs.models import Flag, Run, ScheduledPrescription, SetLog

    call_command("collectstatic", verbosity=0, interactive=False)
    started = time.perf_counter()
    datasets = squads_build(
        coaches=args.coaches,
        athletes=args.athletes,
        weeks=args.weeks,
        logged_weeks=args.logged_weeks,
    )
    cast = cast_build(datasets)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")  # as autovacuum leaves a database in use
    counts = {
        "athletes": len(cast.athletes),
        "coaches": len(cast.coaches),
        "scheduled prescriptions": ScheduledPrescription.objects.count(),
        "sets": SetLog.objects.count(),
        "runs": Run.objects.count(),
        "open flags": Flag.objects.filter(acknowledged_at=None).count(),
    }
    connection.close()  # from here, the workers' connections are the ones counted
    cache = settings.CACHES["default"]["BACKEND"].rsplit(".", 1)[1]
    tasks = settings.TASKS["default"]["BACKEND"].rsplit(".", 1)[1]
    print(  # noqa: T201
        f"Load test on PostgreSQL: gunicorn, {WORKERS} sync workers, debug off, cache "
        f"{cache}, tasks {tasks}; wrk, one thread per connection\n  data: "
        + ", ".join(f"{n:,} {what}" for what, n in counts.items())
        + f" (built in {time.perf_counter() - started:.0f} s)\n  mix: "
        + ", ".join(f"{e.label} {e.share:.0%}" for e in MIX)
    )
    return cast


def connection_name() -> str:
    from django.db import connection

    return connection.settings_dict["NAME"]


@contextmanager
def serving(port: int, env: dict, workers: int, log: Path) -> Iterator[subprocess.Popen]:
    def all_workers_up(server: subprocess.Popen) -> bool:
        # The CPU and memory figures read every worker: wait until each has started.
        return healthz_answers(port) and len(worker_pids(server)) == workers

    server = gunicorn_start(port, env=env, workers=workers, log=log, ready=all_workers_up)
    try:
        yield server
    finally:
        server.terminate()
        server.wait(timeout=30)


def mix_run(port: int, env: dict, cast: Cast, args: argparse.Namespace, log: Path) -> int:
    """The mix at each phase's connections, then memory per worker; the errors."""
    database = connection_name()
    with serving(port, env, WORKERS, log) as server:
        page_check(port, cast)
        common = {"weights": [e.share for e in MIX], "server": server, "database": database}
        if args.warmup:
            wrk_run(port, cast, connections=WORKERS, seconds=args.warmup, **common)
        results = [
            wrk_run(port, cast, connections=int(c), seconds=args.duration, **common)
            for c in args.phases.split(",")
        ]
        for result in results:
            phase_report(result)
        memory_report(server)
    return sum(errors_total(r) for r in results)


def pages_alone(port: int, env: dict, cast: Cast, args: argparse.Namespace, log: Path) -> int:
    """The load one worker holds on each page: one worker, one connection, page alone."""
    database = connection_name()
    errors = 0
    print(f"\none worker, one connection, each page alone for {args.page_duration} s")  # noqa: T201
    print_line("page", "", "requests", "req/s", "errors", "p50 ms", "p95 ms", "CPU ms", "max/s")
    with serving(port, env, 1, log) as server:
        for index, endpoint in enumerate(MIX):
            run = partial(
                wrk_run,
                port,
                cast,
                weights=[1.0 if i == index else 0.0 for i in range(len(MIX))],
                connections=1,
                server=server,
                database=database,
            )
            run(seconds=1)
            alone = run(seconds=args.page_duration)
            errors += errors_total(alone)
            times = [ms for _, _, ms in alone.per_kind[endpoint.key]]
            print_line(
                endpoint.label,
                "",
                str(alone.requests),
                f"{alone.requests / alone.seconds:.1f}",
                str(errors_total(alone)),
                f"{percentile(times, 50):.0f}",
                f"{percentile(times, 95):.0f}",
                f"{alone.cpu_workers_ms:.0f}+{alone.cpu_postgres_ms:.0f}",
                f"{1000 / max(alone.cpu_workers_ms, 1):.0f}",
            )
    print(  # noqa: T201
        "  CPU ms: the worker's + PostgreSQL's per request; max/s: 1000 / the worker's CPU"
        " ms, what one worker holds with a CPU to itself and PostgreSQL elsewhere"
    )
    return errors


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--coaches", type=int, default=COACHES)
    parser.add_argument("--athletes", type=int, default=ATHLETES_PER_COACH, help="per coach")
    parser.add_argument("--weeks", type=int, default=WEEKS, help="the athletes' block")
    parser.add_argument("--logged-weeks", type=int, default=LOGGED_WEEKS)
    parser.add_argument("--phases", default="2,4,16", help="connections, one phase each")
    parser.add_argument("--duration", type=int, default=30, help="seconds per phase")
    parser.add_argument("--warmup", type=int, default=5, help="seconds, once")
    parser.add_argument("--page-duration", type=int, default=4, help="one worker, per page")
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/12", help='or "none"')
    args = parser.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk is missing: apt-get install wrk (make bench-load does it)")

    TMP.mkdir()
    redis_url = redis_choose(args.redis)
    if redis_url:
        os.environ["REDIS_URL"] = redis_url
    else:
        os.environ.pop("REDIS_URL", None)

    import django

    django.setup()
    from django.db import connection

    started = time.perf_counter()
    log = TMP / "gunicorn.log"
    if connection.vendor != "postgresql":
        raise SystemExit("The load test runs on PostgreSQL: DATABASE_URL=postgres://…")
    database_url, old_name = database_create(TMP)
    env = {**os.environ, "DATABASE_URL": database_url}
    try:
        cast = data_build(args)
        port = free_port()
        errors = mix_run(port, env, cast, args, log)
        errors += pages_alone(port, env, cast, args, log)
        print(  # noqa: T201
            f"\nmachine: {os.cpu_count()} CPUs; load average now "
            + " ".join(f"{x:.1f}" for x in os.getloadavg())
            + f"; the whole run took {time.perf_counter() - started:.0f} s"
        )
        if errors:
            raise SystemExit(f"FAILED: {errors} errors")
    except BaseException:
        if log.exists() and log.stat().st_size:
            sys.stderr.write(f"gunicorn's log:\n{log.read_text(errors='replace')[-4000:]}\n")
        raise
    finally:
        connection.close()
        connection.creation.destroy_test_db(old_name, verbosity=0)
        if redis_url:
            redis_empty(redis_url)
        shutil.rmtree(TMP, ignore_errors=True)


if __name__ == "__main__":
    main()
