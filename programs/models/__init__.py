"""The programs app's models, split by subject: blocks, and athletes' schedules."""

from programs.models.activities import (
    Activity,
    ActivityFormat,
    ActivityImport,
    ActivityUpload,
    ImportStatus,
)
from programs.models.blocks import (
    MAX_PRESCRIPTIONS_PER_SESSION,
    MAX_SESSIONS_PER_WEEK,
    TEMPO_VALIDATOR,
    Block,
    Dose,
    LoadType,
    Phase,
    Prescription,
    Progression,
    Session,
    Week,
    Weekday,
    dose_constraints,
)
from programs.models.conflicts import ConflictSettings, Flag
from programs.models.jobs import BackgroundJob
from programs.models.logging import BodyArea, PainNote, SessionComment, SetLog
from programs.models.notifications import (
    NotificationKind,
    NotificationLog,
    NotificationSettings,
)
from programs.models.runs import KEY_RUN_TYPES, RacePriority, Run, RunSource, RunStatus, RunType
from programs.models.schedule import (
    WEEKDAYS_VALIDATOR,
    Assignment,
    OneRepMax,
    ScheduledPrescription,
    ScheduledSession,
    SessionStatus,
)
from programs.models.seasons import GroupSeasonPlan, SeasonDraft, SeasonJobStatus

__all__ = [
    "KEY_RUN_TYPES",
    "MAX_PRESCRIPTIONS_PER_SESSION",
    "MAX_SESSIONS_PER_WEEK",
    "TEMPO_VALIDATOR",
    "WEEKDAYS_VALIDATOR",
    "Activity",
    "ActivityFormat",
    "ActivityImport",
    "ActivityUpload",
    "Assignment",
    "BackgroundJob",
    "Block",
    "BodyArea",
    "ConflictSettings",
    "Dose",
    "Flag",
    "GroupSeasonPlan",
    "ImportStatus",
    "LoadType",
    "NotificationKind",
    "NotificationLog",
    "NotificationSettings",
    "OneRepMax",
    "PainNote",
    "Phase",
    "Prescription",
    "Progression",
    "RacePriority",
    "Run",
    "RunSource",
    "RunStatus",
    "RunType",
    "ScheduledPrescription",
    "ScheduledSession",
    "SeasonDraft",
    "SeasonJobStatus",
    "Session",
    "SessionComment",
    "SessionStatus",
    "SetLog",
    "Week",
    "Weekday",
    "dose_constraints",
]
