"""Where the HTTP benchmark's pages spend their time (issue #17): each page of
benchmarks/http.py, on the same data, requested through the test client while a sampler
reads the stack every half millisecond (as pyinstrument does), or under cProfile.

.venv/bin/python -m benchmarks.http_profile [--pages roster builder ...] [--cprofile]

For each page: its time per request in this process, the share of samples by kind of
work, and the functions of our code that hold the most time, inclusive of what they call.
Kinds: the innermost frame of the database layer decides, if any (the database: SQL,
driver, connections; the ORM building queries; the ORM's work per row: model objects,
values, prefetch matching); then forms and widgets, or localisation (number and date
formats, translation), anywhere on the stack; then the innermost frame: our code, the
template engine, request handling (middleware, sessions, the test client), other code.
"""

import argparse
import cProfile
import io
import itertools
import pstats
import statistics
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from types import CodeType

from benchmarks import http as bench
from benchmarks.httpsite.dataset import Dataset

ROOT = Path(__file__).resolve().parent.parent
OURS = tuple(str(ROOT / d) + "/" for d in ("athletes", "library", "programs", "config"))
INTERVAL_S = 0.0005
BUDGET_S = 4.0
SLUGS = {
    "today": "athlete Today",
    "post": "set-log POST (JSON sync)",
    "library": "library list",
    "calendar": "calendar (athlete week)",
    "ical": "iCal feed",
    "flags": "flags inbox",
    "roster": "roster (200 athletes)",
    "builder": "builder (12-week block)",
}
DRIVERS = ("/psycopg/", "/psycopg_binary/", "/sqlite3/")
# Django's connections, cursors and transactions, as opposed to the backends' converters.
EXECUTES = ("/django/db/utils.py", "/django/db/transaction.py")
# The ORM's work for each row or object: model objects, field values and converters,
# iterables, prefetch matching, related-object caches.
PER_ROW_FILES = (
    "/django/db/models/base.py",
    "/django/db/models/fields/",
    "/django/db/backends/",
)
PER_ROW_FUNCTIONS = {
    "django/db/models/query.py": {"__iter__", "prefetch_one_level", "_fetch_all"},
    "django/db/models/sql/compiler.py": {"apply_converters", "results_iter"},
}
FIRST_MATCH = (
    ("forms and widgets", ("/django/forms/", "/crispy_forms/", "/crispy_bootstrap5/")),
    (
        "localisation: formats, translation",
        (
            "/django/utils/formats.py",
            "/django/utils/numberformat.py",
            "/django/utils/dateformat.py",
            "/django/utils/translation/",
        ),
    ),
)
INNERMOST = (
    ("our code (python)", OURS),
    (
        "template engine",
        (
            "/django/template/",
            "/django/templatetags/",
            "/django/utils/html.py",
            "/django/utils/safestring.py",
            "/django/utils/functional.py",
            "/django/utils/text.py",
        ),
    ),
    (
        "request handling: middleware, sessions, test client",
        (
            "/django/core/",
            "/django/middleware/",
            "/django/contrib/",
            "/django/http/",
            "/django/test/",
            "/django/urls/",
            "/django_htmx/",
            "/whitenoise/",
        ),
    ),
)


def fetches(code: CodeType) -> bool:
    """The ORM's lambda that fetches rows from the cursor: the driver's time (SQLite
    computes most rows as they are fetched)."""
    return code.co_filename.endswith("django/db/models/sql/compiler.py") and code.co_name in {
        "<lambda>",
        "cursor_iter",
    }


def database_kind(code: CodeType) -> str:
    """The kind of a frame of django.db or of a database driver."""
    name = code.co_filename
    connection = "/django/db/backends/" in name and name.endswith(("/base.py", "/utils.py"))
    if connection or fetches(code) or any(p in name for p in DRIVERS + EXECUTES):
        return "database: SQL and driver"
    per_row = any(p in name for p in PER_ROW_FILES) or any(
        name.endswith(file) and code.co_name in functions
        for file, functions in PER_ROW_FUNCTIONS.items()
    )
    return "ORM: per row (objects, values, prefetch)" if per_row else "ORM: building queries"


def kind(stack: tuple[CodeType, ...]) -> str:
    """``stack`` innermost first: the innermost frame of the database layer decides, if
    any; then forms or localisation anywhere on the stack; then the innermost frame."""
    for code in stack:
        if "/django/db/" in code.co_filename or any(p in code.co_filename for p in DRIVERS):
            return database_kind(code)
    for label, parts in FIRST_MATCH:
        if any(p in c.co_filename for c in stack for p in parts):
            return label
    for code in stack:
        for label, parts in INNERMOST:
            if any(p in code.co_filename for p in parts):
                return label
        if "site-packages/django/" in code.co_filename:
            return "Django, other"
        if "site-packages/" in code.co_filename:
            return "library: " + code.co_filename.split("site-packages/")[1].split("/")[0]
    return "other"


def ours(code: CodeType) -> str | None:
    if code.co_filename.startswith(OURS):
        return f"{Path(code.co_filename).relative_to(ROOT)}:{code.co_name}"
    return None


class Sampler:
    """The main thread's stack every INTERVAL_S, counted by stack."""

    def __init__(self) -> None:
        self.stacks: Counter[tuple[CodeType, ...]] = Counter()
        self.target = threading.main_thread().ident
        self.running = False

    def __enter__(self) -> "Sampler":
        self.switch = sys.getswitchinterval()
        sys.setswitchinterval(INTERVAL_S / 5)  # the sampler gets the GIL when it asks
        self.running = True
        self.thread = threading.Thread(target=self.run, daemon=True)
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.running = False
        self.thread.join()
        sys.setswitchinterval(self.switch)

    def run(self) -> None:
        while self.running:
            time.sleep(INTERVAL_S)
            frame = sys._current_frames().get(self.target)
            stack = []
            while frame is not None:
                stack.append(frame.f_code)
                frame = frame.f_back
            self.stacks[tuple(stack)] += 1


def request_for(page: bench.Page, people: dict, data: Dataset) -> Callable[[], object]:
    if page.post:
        # Each request another athlete's, as wrk's are: one athlete's exercise takes 50 sets
        # at most, and a refused set would be profiled instead of a stored one.
        # One handler for all their clients: each client loads the middleware (WhiteNoise
        # reads the static files) at its first request, which is not the page's cost.
        for _logger, client, _cookie in people["loggers"]:
            client.handler = page.client.handler
        loggers = itertools.cycle(people["loggers"])

        def post() -> object:
            logger, client, _cookie = next(loggers)
            body = bench.one_set(logger, data.today)
            response = client.post(page.path, body, content_type="application/json")
            assert response.json()["results"][0]["status"] == "stored", response.content
            return response

        return post
    return lambda: page.client.get(page.path)


def profile(label: str, call: Callable[[], object], *, use_cprofile: bool) -> None:
    for _ in range(3):
        call()
    times = []
    started = time.perf_counter()
    while time.perf_counter() - started < BUDGET_S or len(times) < 5:
        begin = time.perf_counter()
        call()
        times.append((time.perf_counter() - begin) * 1000)
    count = max(5, min(len(times), 40))
    print(f"\n{label}: {statistics.median(times):.1f} ms per request (median of {len(times)})")  # noqa: T201
    if use_cprofile:
        profiler = cProfile.Profile()
        profiler.enable()
        for _ in range(count):
            call()
        profiler.disable()
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats("tottime").print_stats(20)
        print(out.getvalue())  # noqa: T201
        return
    with Sampler() as sampler:
        for _ in range(count):
            call()
    total = sum(sampler.stacks.values())
    kinds: Counter[str] = Counter()
    inclusive: Counter[str] = Counter()
    innermost: Counter[str] = Counter()
    for stack, n in sampler.stacks.items():
        kinds[kind(stack)] += n
        names = [name for code in stack if (name := ours(code))]
        for name in set(names):
            inclusive[name] += n
        if names:
            innermost[f"{names[0]} [{kind(stack)}]"] += n
    print(f"  {total} samples over {count} requests; by kind of work:")  # noqa: T201
    for name, n in kinds.most_common():
        if n / total < 0.005:
            continue
        print(f"    {100 * n / total:5.1f} %  {name}")  # noqa: T201
    print("  our functions, inclusive of what they call:")  # noqa: T201
    for name, n in inclusive.most_common(14):
        print(f"    {100 * n / total:5.1f} %  {name}")  # noqa: T201
    print("  innermost function of ours [kind of work below it]:")  # noqa: T201
    for name, n in innermost.most_common(10):
        print(f"    {100 * n / total:5.1f} %  {name}")  # noqa: T201


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", nargs="*", choices=sorted(SLUGS), default=sorted(SLUGS))
    parser.add_argument("--cprofile", action="store_true", help="cProfile, top 20 by own time")
    args = parser.parse_args()

    import shutil

    from django.core.management import call_command
    from django.db import connection

    old_name = bench.database_create()[1]
    try:
        call_command("collectstatic", verbosity=0, interactive=False)
        data = bench.dataset_build()
        people = bench.personas(data)
        pages = {p.label: p for p in bench.pages_list(data, people)}
        engine = "PostgreSQL" if connection.vendor == "postgresql" else "SQLite"
        print(f"Profiles on {engine}, through the test client, debug off")  # noqa: T201
        for slug in args.pages:
            page = pages[SLUGS[slug]]
            profile(page.label, request_for(page, people, data), use_cprofile=args.cprofile)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
        shutil.rmtree(bench.TMP, ignore_errors=True)


if __name__ == "__main__":
    main()
