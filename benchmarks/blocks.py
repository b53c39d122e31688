"""Block builder benchmark (issue #4): a 16-week block, 3 sessions a week, 8 exercises each.

make bench-blocks          # or: .venv/bin/python -m benchmarks.blocks
"""

from benchmarks.harness import bench_database, count_queries, once, report, timed

HTMX = {"HX-Request": "true"}


def build(owner, exercises, weeks: int):
    from programs.blocks import editing, services
    from programs.models import Prescription

    block = services.block_create(owner=owner, name=f"{weeks}-week block", weeks=weeks)
    for week in block.weeks.all():
        for day in (1, 3, 5):
            session = editing.session_add(week=week, day=day)
            Prescription.objects.bulk_create(
                Prescription(
                    session=session,
                    exercise=e,
                    order=i,
                    sets=3,
                    reps_min=8,
                    load_type="rpe",
                    load_value=7,
                )
                for i, e in enumerate(exercises, start=1)
            )
    return block


def main() -> None:
    from django.test import Client

    from library.io import BUILTIN_PATH, import_exercises
    from library.models import Exercise
    from programs.blocks import services
    from programs.blocks.files import block_export, block_import
    from programs.models import Block, Prescription
    from tests.factories import CoachFactory

    print("Block builder benchmark")  # noqa: T201
    with bench_database():
        import_exercises(data=BUILTIN_PATH.read_bytes(), filename="exercises.json")
        coach = CoachFactory()
        client = Client()
        client.force_login(coach)
        exercises = list(Exercise.objects.order_by("slug")[:8])
        small, large = build(coach, exercises, 1), build(coach, exercises, 16)
        rows = Prescription.objects.filter(session__week__block=large).count()

        q_small = count_queries(lambda: client.get(f"/blocks/{small.pk}/"))
        q_large = count_queries(lambda: client.get(f"/blocks/{large.pk}/"))
        report("builder page queries, 1 vs 16 weeks", f"{q_small} vs {q_large}", limit="fixed")
        figures = timed(lambda: client.get(f"/blocks/{large.pk}/"), repeat=10)
        report(
            f"builder page, 16 weeks ({rows} prescriptions)",
            f"{figures['median']:.0f} ms median",
            limit=f"p95 {figures['p95']:.0f} ms",
        )

        rx = Prescription.objects.filter(session__week__block=large).order_by("pk").first()
        data = {
            "sets": 4,
            "reps_min": 8,
            "load_type": "rpe",
            "load_value": 7,
            "progression": "hold",
        }
        url = f"/blocks/prescriptions/{rx.pk}/"
        figures = timed(lambda: client.post(url, data, headers=HTMX))
        edit_queries = count_queries(lambda: client.post(url, data, headers=HTMX))
        report(
            "inline edit round trip (row, week's grid row, summary)",
            f"{figures['median']:.1f} ms median",
            limit=f"p95 {figures['p95']:.1f} ms; {edit_queries} queries; < 50 ms",
        )

        q_copy = count_queries(lambda: services.block_copy(block=large, owner=coach))
        figures = timed(lambda: services.block_copy(block=large, owner=coach), repeat=10)
        report(
            "copy a 16-week block (service)",
            f"{figures['median']:.0f} ms median",
            limit=f"{q_copy} queries; < 300 ms",
        )
        q_copy_small = count_queries(lambda: services.block_copy(block=small, owner=coach))
        report("copy queries, 1 vs 16 weeks", f"{q_copy_small} vs {q_copy}", limit="fixed")

        text = block_export(Block.objects.with_structure().get(pk=large.pk)).encode()
        elapsed = once(lambda: block_import(data=text, owner=coach))
        report(f"import a 16-week block file ({len(text) // 1024} KB)", f"{elapsed:.0f} ms")
        figures = timed(
            lambda: block_export(Block.objects.with_structure().get(pk=large.pk)), repeat=10
        )
        report("export a 16-week block", f"{figures['median']:.0f} ms median")


if __name__ == "__main__":
    main()
