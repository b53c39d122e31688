"""Planning a whole group's seasons in the background, each athlete around their own runs
and races (docs/season-planner.md, "A group").

The task plans the athletes one after another, each in its own transaction with its line
of the report and the progress, so a page can poll ``GroupSeasonPlan.percent``, and a run
that dies part-way resumes after the last athlete it finished (nobody's season is applied
twice). An athlete whose season cannot be planned (no A race and no end date) gets the
reason in the report and the others carry on.
"""

import logging
from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.db import transaction
from django.tasks import TaskContext, task
from django.utils import timezone

from athletes.models import AthleteGroup, AthleteProfile, User
from config.tasks import retry_later
from programs.conflicts.model import Severity
from programs.models import GroupSeasonPlan, SeasonJobStatus
from programs.seasons.model import CatalogueExercise
from programs.seasons.planner import plan_season
from programs.seasons.services import published_catalogue, season_apply, season_request_for

logger = logging.getLogger(__name__)


def _athletes(job: GroupSeasonPlan) -> list[AthleteProfile]:
    """The group's athletes the coach still coaches, in a fixed order."""
    return list(
        AthleteProfile.objects.coached_by(job.coach)
        .filter(athlete_groups=job.group_id)
        .select_related("user")
        .order_by("pk")
    )


def _plan_one(
    job: GroupSeasonPlan, athlete: AthleteProfile, catalogue: tuple[CatalogueExercise, ...]
) -> dict[str, object]:
    line: dict[str, object] = {"athlete": athlete.pk, "email": athlete.user.email}
    request = season_request_for(
        athlete=athlete,
        start=job.start,
        end=job.end,
        sessions_per_week=job.sessions_per_week,
        weekdays=job.weekday_list,
        replace_future=job.replace_future,
        catalogue=catalogue,
    )
    if errors := request.errors():
        return {**line, "error": " ".join(errors.values()), "applied": False}
    plan = plan_season(request)
    line |= {
        "weeks": len(plan.weeks),
        "sessions": len(plan.sessions),
        "warnings": sum(f.severity != Severity.INFO for f in plan.flags),
        "exceptions": len(plan.exceptions),
        "applied": False,
        "error": "",
    }
    if job.apply:
        try:
            season_apply(plan=plan, athlete=athlete, coach=job.coach)
        except ValidationError as error:
            return {**line, "error": " ".join(error.messages)}
        line["applied"] = True
    return line


@task(takes_context=True)
def season_plan_group(context: TaskContext, *, job_id: str, attempt: int = 1) -> str:
    job = GroupSeasonPlan.objects.select_related("coach").filter(pk=job_id).first()
    if job is None or job.finished:
        return "skipped"
    athletes = _athletes(job)
    done = {line["athlete"] for line in job.report}
    GroupSeasonPlan.objects.filter(pk=job.pk).update(
        status=SeasonJobStatus.RUNNING,
        attempts=attempt,
        total=len(done | {a.pk for a in athletes}),
    )
    report = list(job.report)
    catalogue = published_catalogue()
    try:
        for athlete in athletes:
            if athlete.pk in done:
                continue
            with transaction.atomic():
                report.append(_plan_one(job, athlete, catalogue))
                GroupSeasonPlan.objects.filter(pk=job.pk).update(
                    report=report, processed=len(report)
                )
    except Exception:
        if retry_later(context, attempt=attempt, job_id=job_id) is not None:
            return "retrying"
        logger.exception("Season planning %s failed after %s attempts.", job.pk, attempt)
        GroupSeasonPlan.objects.filter(pk=job.pk).update(
            status=SeasonJobStatus.FAILED, finished_at=timezone.now()
        )
        raise
    GroupSeasonPlan.objects.filter(pk=job.pk).update(
        status=SeasonJobStatus.DONE,
        processed=len(report),
        total=len(report),
        finished_at=timezone.now(),
    )
    return "done"


@transaction.atomic
def season_plan_group_queue(
    *,
    group: AthleteGroup,
    coach: User,
    start,
    end=None,
    sessions_per_week: int = 2,
    weekdays: Sequence[int] = (),
    replace_future: bool = False,
    apply: bool = False,
) -> GroupSeasonPlan:
    """Queue the planning of every athlete of ``coach``'s ``group`` from ``start`` (to
    ``end``, default each athlete's last A race) on the preferred ``weekdays`` (0 = Monday),
    applied to their calendars with ``apply``; the task starts once this commits."""
    if group.coach_id != coach.pk:
        raise ValidationError("This is not your group.", code="not_your_group")
    job = GroupSeasonPlan(
        coach=coach,
        group=group,
        start=start,
        end=end,
        sessions_per_week=sessions_per_week,
        weekdays="".join(str(d + 1) for d in sorted(set(weekdays))),
        replace_future=replace_future,
        apply=apply,
    )
    job.total = len(_athletes(job))
    job.full_clean()
    job.save()
    transaction.on_commit(lambda: season_plan_group.enqueue(job_id=str(job.pk)))
    return job
