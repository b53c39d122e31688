"""Library benchmark (issue #3): 1,000 exercises.

    make bench-library          # or: .venv/bin/python -m benchmarks.library

Prints the import time of 1,000 rows, the queries of the library page and the picker with
100 and with 1,000 exercises, and search round trips through the test client.
"""

import csv
import io
import json
import random
from pathlib import Path

from benchmarks.harness import bench_database, count_queries, once, report, timed

BUILTIN = Path(__file__).resolve().parent.parent / "library" / "data" / "exercises.json"
WORDS = [
    "banded",
    "tempo",
    "paused",
    "deficit",
    "offset",
    "isometric",
    "landmine",
    "cable",
    "kneeling",
    "staggered",
    "eccentric",
    "single-arm",
    "alternating",
    "loaded",
    "reactive",
]


def thousand_rows() -> bytes:
    """The built-in library plus generated variants, as one CSV of 1,000 rows."""
    builtin = json.loads(BUILTIN.read_text())
    rng = random.Random(7)  # noqa: S311 (sample data, not secrets)
    rows = list(builtin)
    n = 0
    while len(rows) < 1000:
        base = builtin[n % len(builtin)]
        word = WORDS[(n // len(builtin)) % len(WORDS)]
        rows.append(
            {
                **base,
                "name": f"{word.capitalize()} {base['name'].lower()} {n}",
                "slug": "",
                "aliases": [f"{word} variant {n}"],
                "easier": base["slug"] if rng.random() < 0.5 else "",
            }
        )
        n += 1
    out = io.StringIO()
    columns = list(builtin[0].keys())
    writer = csv.DictWriter(out, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow(
            {
                key: "|".join(value)
                if isinstance(value, list)
                else ("true" if value is True else "false" if value is False else value)
                for key, value in row.items()
            }
        )
    return out.getvalue().encode()


def main() -> None:
    from django.test import Client

    from library.io import import_exercises
    from library.models import Exercise
    from tests.factories import CoachFactory

    print("Library benchmark")  # noqa: T201
    with bench_database():
        coach = CoachFactory()
        client = Client()
        client.force_login(coach)

        data = thousand_rows()
        # The built-in library alone first, to compare queries at two sizes.
        builtin = import_exercises(data=BUILTIN.read_bytes(), filename="exercises.json")
        assert builtin.ok, [str(e) for e in builtin.errors[:5]]
        small = Exercise.objects.count()
        page_small = count_queries(lambda: client.get("/library/"))
        picker_small = count_queries(lambda: client.get("/library/picker/", {"q": "squat"}))
        Exercise.objects.all().delete()

        result = {}
        elapsed = once(
            lambda: result.setdefault(
                "report", import_exercises(data=data, filename="thousand.csv")
            )
        )
        imported = result["report"]
        assert imported.ok, [str(e) for e in imported.errors[:5]]
        total = Exercise.objects.count()
        report(f"import {total} rows (CSV, one transaction)", f"{elapsed:,.0f} ms", limit="< 10 s")
        again = once(lambda: import_exercises(data=data, filename="thousand.csv"))
        report("re-import the same 1,000 rows (all unchanged)", f"{again:,.0f} ms")

        page_big = count_queries(lambda: client.get("/library/"))
        picker_big = count_queries(lambda: client.get("/library/picker/", {"q": "squat"}))
        report(
            f"library page queries, {small} vs {total} exercises",
            f"{page_small} vs {page_big}",
            limit="fixed",
        )
        report(
            f"picker queries, {small} vs {total} exercises",
            f"{picker_small} vs {picker_big}",
            limit="fixed",
        )

        htmx = {"HX-Request": "true", "HX-Target": "results"}
        for query in ["squat", "rdl", "plie", "single leg calf"]:
            figures = timed(lambda q=query: client.get("/library/", {"q": q}, headers=htmx))
            report(
                f"search round trip q={query!r} (htmx results)",
                f"{figures['median']:.1f} ms median",
                limit=f"p95 {figures['p95']:.1f} ms; < 50 ms",
            )
        figures = timed(
            lambda: client.get(
                "/library/", {"muscle": "hamstrings", "equipment": "dumbbell"}, headers=htmx
            )
        )
        report(
            "filter round trip (muscle + equipment)",
            f"{figures['median']:.1f} ms median",
            limit=f"p95 {figures['p95']:.1f} ms",
        )
        figures = timed(lambda: client.get("/library/picker/", {"q": "lunge"}))
        report(
            "picker round trip q='lunge'",
            f"{figures['median']:.1f} ms median",
            limit=f"p95 {figures['p95']:.1f} ms; < 50 ms",
        )
        figures = timed(lambda: client.get("/library/"), repeat=15)
        report(
            "full library page",
            f"{figures['median']:.1f} ms median",
            limit=f"p95 {figures['p95']:.1f} ms",
        )


if __name__ == "__main__":
    main()
