"""The athlete's runs as JSON, planned beside done: what the export command prints for other
tools. Times are in the athlete's zone, distances in metres, durations in seconds."""

import zoneinfo
from typing import Any

from athletes.models import AthleteProfile
from programs.models import Run
from programs.schedule.runfiles.records import schedule_order


def export_runs_json(*, athlete: AthleteProfile) -> list[dict[str, Any]]:
    zone = zoneinfo.ZoneInfo(athlete.user.time_zone)
    return [
        {
            "date": run.date.isoformat(),
            "type": run.run_type,
            "status": run.status,
            "planned_distance_m": run.distance_m,
            "actual_distance_m": run.actual_distance_m,
            "actual_duration_s": run.actual_duration_s,
            "started_at": run.started_at.astimezone(zone).isoformat() if run.started_at else None,
            "elevation_gain_m": run.elevation_gain_m,
            "avg_hr": run.avg_hr,
            "source": run.source,
        }
        for run in sorted(Run.objects.filter(athlete=athlete), key=schedule_order)
    ]
