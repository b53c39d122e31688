import datetime
import os

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from programs.notifications.services import notifications_send


class Command(BaseCommand):
    help = (
        "Queue the notification e-mails due now, one background task each: an athlete's "
        "reminder the evening before a strength day (from 18:00 their time), their weekly "
        "summary (Sunday from 18:00 their time) and a coach's daily digest (from 07:00 their "
        "time), for those who opted in. Each e-mail is recorded before it is queued, so it "
        "goes once however often this runs: run it every 15 minutes, from cron "
        "(*/15 * * * * manage.py send_notifications --site-url https://runstrong.example/) "
        "or the worker machine's scheduler, beside the task worker that sends them."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--site-url",
            default=os.environ.get("RUNSTRONG_SITE_URL", ""),
            help="The site's address for links in the e-mails (default: $RUNSTRONG_SITE_URL).",
        )
        parser.add_argument(
            "--now",
            help="Act as if it were this moment, ISO 8601 with an offset "
            "(2026-12-06T18:30+00:00); to catch up after downtime or to test.",
        )

    def handle(self, *args, site_url: str, now: str | None, **options) -> None:
        if not site_url.startswith(("http://", "https://")):
            raise CommandError(
                "Give the site's address for the e-mails' links: --site-url https://… "
                "or RUNSTRONG_SITE_URL."
            )
        moment = _moment(now) if now else timezone.now()
        report = notifications_send(now=moment, site_url=site_url.rstrip("/") + "/")
        self.stdout.write(
            f"Queued {len(report.queued)} e-mails; {report.already} were already sent or queued."
        )


def _moment(value: str) -> datetime.datetime:
    try:
        moment = datetime.datetime.fromisoformat(value)
    except ValueError:
        raise CommandError(
            f"--now: “{value}” is not a date and time like 2026-12-06T18:30+00:00."
        ) from None
    if moment.tzinfo is None:
        raise CommandError("--now needs a UTC offset, as in 2026-12-06T18:30+00:00.")
    return moment
