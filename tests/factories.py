import factory
from django.contrib.auth.hashers import make_password
from django.utils.text import slugify

from athletes.models import AthleteProfile, CoachingLink, User

PASSWORD = "correct-horse-battery"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.com")
    name = factory.Faker("name")
    password = factory.LazyFunction(lambda: make_password(PASSWORD))


class CoachFactory(UserFactory):
    is_coach = True


class CuratorFactory(UserFactory):
    is_staff = True


class AthleteFactory(UserFactory):
    athlete_profile = factory.RelatedFactory(
        "tests.factories.AthleteProfileFactory", factory_related_name="user"
    )


class AthleteProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AthleteProfile

    user = factory.SubFactory(UserFactory)


def link(coach: User, athlete: User) -> CoachingLink:
    return CoachingLink.objects.create(coach=coach, athlete=athlete.athlete_profile)


class ExerciseFactory(factory.django.DjangoModelFactory):
    """A published exercise. Pass ``primary=["glutes"]``, ``secondary=[...]`` and
    ``equipment_slugs=[...]`` to attach vocabulary by slug."""

    class Meta:
        model = "library.Exercise"
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Exercise {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.name))
    pattern = "squat"
    load_class = "light_lower"
    status = "published"
    cues = "Stand tall\nBrace"
    faults = "Knees caving"

    @factory.post_generation
    def primary(self, create, slugs, **kwargs):
        _attach_muscles(self, slugs or ["glutes"], primary=True)

    @factory.post_generation
    def secondary(self, create, slugs, **kwargs):
        _attach_muscles(self, slugs or [], primary=False)

    @factory.post_generation
    def equipment_slugs(self, create, slugs, **kwargs):
        from library.models import Equipment

        self.equipment.set(Equipment.objects.filter(slug__in=slugs or ["bodyweight"]))


def _attach_muscles(exercise, slugs, *, primary):
    from library.models import ExerciseMuscle, Muscle

    ExerciseMuscle.objects.bulk_create(
        ExerciseMuscle(exercise=exercise, muscle=m, primary=primary)
        for m in Muscle.objects.filter(slug__in=slugs)
    )


def make_block(
    owner: User | None,
    exercises,
    *,
    name: str = "Test block",
    weeks: int = 4,
    sessions: int = 2,
    phases: dict[int, str] | None = None,
    dose: dict | None = None,
    days: list[int] | None = None,
):
    """A block of ``weeks`` weeks with ``sessions`` sessions each, every session holding
    every exercise at ``dose`` (3×10 bodyweight by default); ``days`` pins the sessions to
    weekdays, otherwise they are labelled A, B, C."""
    from programs.blocks.data import block_write
    from programs.models import Block

    dose = {"sets": 3, "reps_min": 10, **(dose or {})}
    data = {
        "name": name,
        "weeks": [
            {
                "number": number,
                "phase": (phases or {}).get(number, "foundation"),
                "sessions": [
                    {
                        "day": days[index] if days else None,
                        "label": "" if days else "ABCDEFG"[index],
                        "title": f"Session {'ABCDEFG'[index]}",
                        "prescriptions": [{"exercise": e.slug, **dose} for e in exercises],
                    }
                    for index in range(sessions)
                ],
            }
            for number in range(1, weeks + 1)
        ],
    }
    block = block_write(data=data, exercises={e.slug: e.pk for e in exercises}, owner=owner)
    return Block.objects.with_structure().get(pk=block.pk)


def make_runs_for_a_year(athlete: AthleteProfile, *, today) -> list:
    """A year of training to ``today`` and its week: a rest day every Monday and a run on
    every other day (easy, tempo, long…), done up to ``today`` (one in twenty skipped, some
    from a watch file with no plan) and planned after. About 300 done runs."""
    import datetime

    from programs.models import Run

    week = ["rest", "easy", "tempo", "easy", "recovery", "long", "easy"]
    metres = {"rest": None, "easy": 8000, "tempo": 10000, "recovery": 5000, "long": 20000}
    first = today - datetime.timedelta(days=today.weekday() + 52 * 7)
    runs = []
    for offset in range(53 * 7):
        date = first + datetime.timedelta(days=offset)
        run_type = week[date.weekday()]
        planned = metres[run_type]
        run = Run(athlete=athlete, date=date, run_type=run_type, distance_m=planned)
        if date <= today and run_type != "rest":
            if offset % 20 == 0:
                run.status = "skipped"
            elif offset % 9 == 0:
                run.status, run.source, run.distance_m = "done", "activity", None
                run.actual_distance_m, run.actual_duration_s = planned + 150, planned * 3 // 10
            else:
                run.status = "done"
                run.actual_distance_m = planned + offset % 7 * 100 if offset % 3 else None
                run.actual_duration_s = planned * 3 // 10 if offset % 3 else None
        runs.append(run)
    return Run.objects.bulk_create(runs)


def make_self_coached(**kwargs) -> User:
    """A runner without a coach: a coach whose athlete profile is coached by themselves."""
    user = AthleteFactory(is_coach=True, **kwargs)
    link(user, user)
    return user


def make_builtin_template(exercises, *, key: str, **options):
    """A built-in template (no owner, ``builtin_key``), as ``load_templates`` makes one,
    without the library's files: ``make_block``'s options."""
    from programs.models import Block

    # Written for a passing owner, then made the owner-less template load_templates makes.
    maker = CoachFactory()
    block = make_block(maker, exercises, **options)
    Block.objects.filter(pk=block.pk).update(
        owner=None, is_template=True, is_shared=True, builtin_key=key
    )
    maker.delete()
    return Block.objects.with_structure().get(pk=block.pk)
