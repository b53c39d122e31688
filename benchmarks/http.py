"""HTTP benchmark (issue #17): the key pages served for real, each as a ratio to a
hello-world Django view served by the same server in the same run.

make bench-http           # or: .venv/bin/python -m benchmarks.http [--rounds 3]

Builds benchmarks/httpsite/dataset.py's squad (a coach with 200 athletes, eight weeks
into a 16-week season) in a fresh database: a SQLite file in a temporary directory by
default; with DATABASE_URL set, PostgreSQL's ``test_<name>`` (created, then dropped).
Serves it with gunicorn (2 sync workers, debug off, the app's production settings and
static files collected; benchmarks/httpsite adds the hello-world view) and loads each page
with wrk (Debian's package; ``make bench-http`` installs it if missing) for ``--duration``
seconds at 8 connections, the hello-world view first in every round. Signed-in pages
carry the persona's session cookie; the set-log POST sends one new set per request (a
fresh id made in Lua, as the phone makes one) with the CSRF cookie and header.

Prints, per page: requests/s, its ratio to hello-world in the same round (min / median /
max over the rounds), p50 and p99 latency, the bytes of one response and its queries.
"""

import argparse
import datetime
import http.client
import json
import os
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from benchmarks import serving
from benchmarks.serving import free_port, gunicorn_start, lua_string

# Made by database_create(), removed at the end: the database file, static files, scripts.
TMP = Path(tempfile.gettempdir()) / f"runstrong-http-{os.getpid()}"
os.environ["DJANGO_SETTINGS_MODULE"] = "benchmarks.httpsite.settings"
os.environ["DJANGO_DEBUG"] = "false"
os.environ["DJANGO_SECURE_SSL_REDIRECT"] = "false"
os.environ["DJANGO_ALLOWED_HOSTS"] = "127.0.0.1,testserver"
os.environ["DJANGO_STATIC_ROOT"] = str(TMP / "static")
os.environ.setdefault("DJANGO_SECRET_KEY", "benchmark-only-secret-key-0123456789abcdefghijklmnop")
os.environ.setdefault("DJANGO_LOG_LEVEL", "WARNING")

import django  # noqa: E402

django.setup()

from benchmarks.httpsite.dataset import Dataset, Logger, dataset_build  # noqa: E402

WORKERS = 2
MARK = "BENCH-JSON "
SYNC_URL = "/today/sets/"

# Every script: wrk's figures as one JSON line; for the POST, how many sets the answers
# said were stored (each thread counts in response(); done() adds the threads up).
COMMON_LUA = f"""
local threads = {{}}
function setup(thread)
  table.insert(threads, thread)
  thread:set("tid", #threads)
end

done = function(summary, latency, requests)
  local stored, refused, sample = 0, 0, ""
  for _, thread in ipairs(threads) do
    stored = stored + (thread:get("stored") or 0)
    refused = refused + (thread:get("refused") or 0)
    sample = thread:get("sample") or sample
  end
  local e = summary.errors
  io.write(string.format(
    '{MARK}{{"requests": %d, "duration_us": %d, "bytes": %d, "socket_errors": %d, '
    .. '"non_2xx_3xx": %d, "timeouts": %d, "p50_us": %d, "p99_us": %d, '
    .. '"stored": %d, "refused": %d, "sample": "%s"}}\\n',
    summary.requests, summary.duration, summary.bytes, e.connect + e.read + e.write,
    e.status, e.timeout, latency:percentile(50), latency:percentile(99),
    stored, refused, sample))
end
"""

POST_LUA = """
function init(args)
  math.randomseed(SALT + os.time() + (tid or 0) * 7919)
  for _ = 1, 10 do math.random() end
  stored, refused = 0, 0
end

local function uuid4()
  return (string.gsub("xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx", "[xy]", function(c)
    local v = (c == "x") and math.random(0, 15) or math.random(8, 11)
    return string.format("%x", v)
  end))
end

request = function()
  local t = TARGETS[math.random(#TARGETS)]
  local body = string.format(
    '{"sets": [{"id": "%s", "session": %d, "prescription": %d, "set": %d, "reps": "5", '
    .. '"duration": "", "load": "62.5", "rpe": "8", "performed_on": "%s", "logged_at": "%s"}]}',
    uuid4(), t[1], t[2][math.random(#t[2])], math.random(2, 4), TODAY,
    os.date("!%Y-%m-%dT%H:%M:%SZ"))
  return wrk.format("POST", PATH, {
    ["Cookie"] = t[3], ["X-CSRFToken"] = CSRF, ["Content-Type"] = "application/json",
    ["Accept"] = "*/*"}, body)
end

-- wrk counts answers of 400 and above itself; a 200 or a redirect that stored no set is
-- counted here.
response = function(status, headers, body)
  if status == 200 and string.find(body, '"status": "stored"', 1, true) then
    stored = stored + 1
  elseif status < 400 then
    refused = refused + 1
    sample = string.gsub(string.sub(body, 1, 300), '[%c"\\\\]', " ")
  end
end
"""


@dataclass
class Page:
    label: str
    path: str
    cookie: str = ""
    post: bool = False
    client: object = None  # the persona's test client, for the query count
    queries: int = 0
    body_bytes: int = 0


@dataclass
class Figures:
    rps: float
    p50_ms: float
    p99_ms: float
    errors: int
    requests: int
    bytes_each: float  # headers included
    stored: int
    refused: int
    sample: str


def database_create() -> tuple[str, str]:
    """Makes TMP and a fresh, migrated database: (the URL the server uses, the name to
    restore)."""
    TMP.mkdir()
    return serving.database_create(TMP, sqlite_name="runstrong-http.sqlite3")


def personas(data: Dataset) -> dict:
    """A signed-in test client per persona (its session is in the database, so its cookie
    works against gunicorn too), and the Cookie header for wrk: the session and the CSRF
    cookie, as a browser holds them after its first page."""
    from django.conf import settings
    from django.test import Client

    from athletes.models import User

    csrf = secrets.token_hex(16)

    def signed_in(user_id: int) -> tuple[Client, str]:
        client = Client()
        client.force_login(User.objects.get(pk=user_id))
        session = client.cookies[settings.SESSION_COOKIE_NAME].value
        return client, (
            f"{settings.SESSION_COOKIE_NAME}={session}; {settings.CSRF_COOKIE_NAME}={csrf}"
        )

    return {
        "coach": signed_in(data.coach_id),
        "athlete": signed_in(data.athlete_id),
        "loggers": [(logger, *signed_in(logger.user_id)) for logger in data.loggers],
        "csrf": csrf,
    }


def pages_list(data: Dataset, people: dict) -> list[Page]:
    from django.test import Client

    coach, coach_cookie = people["coach"]
    athlete, athlete_cookie = people["athlete"]
    first_logger = people["loggers"][0]
    return [
        Page("hello-world", "/bench/hello/", client=Client()),
        Page("athlete Today", "/athlete/", athlete_cookie, client=athlete),
        Page("set-log POST (JSON sync)", SYNC_URL, post=True, client=first_logger[1]),
        Page("library list", "/library/", coach_cookie, client=coach),
        Page("calendar (athlete week)", "/calendar/", athlete_cookie, client=athlete),
        Page("iCal feed", f"/feed/{data.feed_token}.ics", client=Client()),
        Page("flags inbox", "/flags/", coach_cookie, client=coach),
        Page("roster (200 athletes)", "/coach/", coach_cookie, client=coach),
        Page(
            "builder (12-week block)",
            f"/blocks/{data.builder_block_id}/",
            coach_cookie,
            client=coach,
        ),
    ]


def one_set(logger: Logger, today: datetime.date) -> str:
    import uuid

    return json.dumps(
        {
            "sets": [
                {
                    "id": str(uuid.uuid4()),
                    "session": logger.session_id,
                    "prescription": logger.prescription_ids[1],
                    "set": 2,
                    "reps": "5",
                    "load": "62.5",
                    "rpe": "8",
                    "performed_on": today.isoformat(),
                }
            ]
        }
    )


def queries_count(page: Page, data: Dataset, people: dict) -> int:
    from benchmarks.harness import count_queries

    if page.post:
        logger = people["loggers"][0][0]
        body = one_set(logger, data.today)
        return count_queries(
            lambda: page.client.post(page.path, body, content_type="application/json")
        )
    return count_queries(lambda: page.client.get(page.path))


def fetch(port: int, page: Page, people: dict, data: Dataset) -> tuple[int, bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    if page.post:
        logger, _client, cookie = people["loggers"][0]
        headers = {
            "Cookie": cookie,
            "X-CSRFToken": people["csrf"],
            "Content-Type": "application/json",
        }
        connection.request("POST", page.path, one_set(logger, data.today), headers)
    else:
        connection.request("GET", page.path, headers={"Cookie": page.cookie} if page.cookie else {})
    response = connection.getresponse()
    body = response.read()
    connection.close()
    return response.status, body


def page_check(port: int, page: Page, people: dict, data: Dataset) -> None:
    """One request through gunicorn: the page answers 200 (not a redirect to the login
    page), and a set posted is stored."""
    status, body = fetch(port, page, people, data)
    if status != 200:
        raise SystemExit(f"{page.label}: {page.path} answered {status}, not 200")
    if page.post:
        results = json.loads(body)["results"]
        if results[0]["status"] != "stored":
            raise SystemExit(f"{page.label}: the set was not stored: {results}")
    page.body_bytes = len(body)


def lua_script(page: Page, people: dict, data: Dataset) -> Path:
    if page.post:
        targets = ", ".join(
            f"{{{logger.session_id}, {{{', '.join(map(str, logger.prescription_ids))}}}, "
            f"{lua_string(cookie)}}}"
            for logger, _client, cookie in people["loggers"]
        )
        text = (
            f"SALT = {secrets.randbelow(2**31)}\n"
            f"TARGETS = {{{targets}}}\n"
            f"CSRF = {lua_string(people['csrf'])}\n"
            f"TODAY = {lua_string(data.today.isoformat())}\n"
            f"PATH = {lua_string(page.path)}\n" + POST_LUA
        )
    else:
        text = 'wrk.method = "GET"\n'
        text += 'wrk.headers["Accept"] = "text/html,application/xhtml+xml,*/*;q=0.8"\n'
        if page.cookie:
            text += f'wrk.headers["Cookie"] = {lua_string(page.cookie)}\n'
    path = TMP / f"page-{secrets.token_hex(4)}.lua"
    path.write_text(COMMON_LUA + text)
    return path


def wrk_run(
    url: str, script: Path, *, seconds: int, connections: int, required: bool = True
) -> Figures:
    out = subprocess.run(  # noqa: S603 (wrk from the system, our arguments)
        [
            shutil.which("wrk") or "wrk",
            "-t1",
            f"-c{connections}",
            f"-d{seconds}s",
            "--timeout=10s",
            f"-s{script}",
            url,
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    line = next((x for x in out.stdout.splitlines() if x.startswith(MARK)), None)
    if line is None:
        raise SystemExit(f"wrk printed no figures:\n{out.stdout}\n{out.stderr}")
    raw = json.loads(line[len(MARK) :])
    if not raw["requests"] and required:
        raise SystemExit(f"wrk got no answer from {url} in {seconds} s:\n{out.stdout}")
    return Figures(
        rps=raw["requests"] / (raw["duration_us"] / 1e6),
        p50_ms=raw["p50_us"] / 1000,
        p99_ms=raw["p99_us"] / 1000,
        errors=raw["socket_errors"] + raw["non_2xx_3xx"] + raw["timeouts"],
        requests=raw["requests"],
        bytes_each=raw["bytes"] / max(raw["requests"], 1),
        stored=raw["stored"],
        refused=raw["refused"],
        sample=raw["sample"],
    )


def measure(
    port: int,
    pages: list[Page],
    script_for: Callable[[Page], Path],
    check: Callable[[Page], None],
    *,
    seconds: int,
    connections: int,
    warmup: bool = False,
) -> dict[str, Figures]:
    """Each page in turn, hello-world first; a page's problems counted in its errors: an
    error or non-2xx/3xx answer, answers shorter than the page (a redirect to the login
    page), a set not stored. Each page is checked (``check``) just before its run: the
    sets posted in a round change what the roster shows, and the size to match with it."""
    figures = {}
    for page in pages:
        check(page)
        result = wrk_run(
            f"http://127.0.0.1:{port}{page.path}",
            # A new script each run: a new seed, new set ids.
            script_for(page),
            seconds=seconds,
            connections=connections,
            required=not warmup,
        )
        # Requests still queued at the server when wrk stops are served all the same:
        # wait them out (about one queue's latency), so that the next page's figures
        # are its own.
        time.sleep(min(result.p99_ms / 1000 if result.requests else seconds, 10) + 0.2)
        if result.bytes_each < 0.9 * page.body_bytes:
            result.errors += result.requests
        if page.post:
            result.errors += result.refused
            if result.refused:
                example = f"{result.refused} sets not stored, e.g. {result.sample}"
                print(f"  {page.label}: {example}")  # noqa: T201
        figures[page.label] = result
    return figures


def print_line(*cells: str, widths=(26, 7, 23, 7, 7, 8, 7, 6)) -> None:
    aligned = [f"{cells[0]:<{widths[0]}}"] + [
        f"{c:>{w}}" for c, w in zip(cells[1:], widths[1:], strict=True)
    ]
    print("  ".join(aligned))  # noqa: T201 (benchmarks print figures)


def table(pages: list[Page], rounds: list[dict[str, Figures]]) -> None:
    ratio_head = "ratio" if len(rounds) == 1 else "ratio min / med / max"
    print_line("page", "req/s", ratio_head, "p50 ms", "p99 ms", "KB/resp", "queries", "errors")
    for page in pages:
        runs = [r[page.label] for r in rounds]
        ratios = sorted(r[page.label].rps / r["hello-world"].rps for r in rounds)
        if page.label == "hello-world":
            ratio = "1"
        elif len(rounds) == 1:
            ratio = f"{ratios[0]:.3f}"
        else:
            ratio = f"{ratios[0]:.3f} / {statistics.median(ratios):.3f} / {ratios[-1]:.3f}"
        print_line(
            page.label,
            f"{statistics.median(f.rps for f in runs):.1f}",
            ratio,
            f"{statistics.median(f.p50_ms for f in runs):.1f}",
            f"{max(f.p99_ms for f in runs):.1f}",
            f"{page.body_bytes / 1024:.1f}",
            str(page.queries),
            str(sum(f.errors for f in runs)),
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--duration", type=int, default=8, help="seconds per page and round")
    parser.add_argument("--warmup", type=int, default=2, help="seconds per page, once")
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument(
        "--only",
        action="append",
        default=[],
        metavar="TEXT",
        help="measure only the pages whose label holds TEXT (again for more); hello-world "
        "always runs, as the ratios' base",
    )
    args = parser.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk is missing: apt-get install wrk (make bench-http does it)")

    from django.core.management import call_command
    from django.db import connection

    engine = "PostgreSQL" if connection.vendor == "postgresql" else "SQLite"
    server = None
    log = TMP / "gunicorn.log"
    database_url, old_name = database_create()
    try:
        started = time.perf_counter()
        call_command("collectstatic", verbosity=0, interactive=False)
        data = dataset_build()
        people = personas(data)
        pages = [
            page
            for page in pages_list(data, people)
            if page.label == "hello-world"
            or not args.only
            or any(text.lower() in page.label.lower() for text in args.only)
        ]
        for page in pages:
            page.queries = queries_count(page, data, people)
        counts = ", ".join(f"{n:,} {what}" for what, n in data.counts.items())
        print(  # noqa: T201
            f"HTTP benchmark on {engine}: gunicorn, {WORKERS} sync workers, debug off; wrk, "
            f"{args.connections} connections, {args.duration} s per page, "
            f"{args.rounds} round(s)\n  data: {counts} "
            f"(built in {time.perf_counter() - started:.0f} s)"
        )
        load_start = os.getloadavg()[0]
        port = free_port()
        env = {**os.environ, "DATABASE_URL": database_url}
        server = gunicorn_start(port, env=env, workers=WORKERS, log=log)

        def scripts(page: Page) -> Path:
            return lua_script(page, people, data)

        def check(page: Page) -> None:
            page_check(port, page, people, data)

        options = {"seconds": args.duration, "connections": args.connections}
        measure(port, pages, scripts, check, **options | {"seconds": args.warmup}, warmup=True)
        rounds = [measure(port, pages, scripts, check, **options) for _ in range(args.rounds)]
        print(  # noqa: T201
            f"  machine: {os.cpu_count()} CPUs; load average {load_start:.1f} at the start, "
            f"{os.getloadavg()[0]:.1f} at the end (other work on it skews the figures)\n"
        )
        table(pages, rounds)
        problems = [p.label for p in pages if any(r[p.label].errors for r in rounds)]
        if problems:
            raise SystemExit(f"FAILED: errors on {', '.join(problems)}")
    except BaseException:
        if log.exists() and log.stat().st_size:
            sys.stderr.write(f"gunicorn's log:\n{log.read_text(errors='replace')[-4000:]}\n")
        raise
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=30)
        connection.creation.destroy_test_db(old_name, verbosity=0)
        shutil.rmtree(TMP, ignore_errors=True)


if __name__ == "__main__":
    main()
