from django.core.management.base import BaseCommand
from django.db import transaction

from programs.demo import DEMO_PASSWORD, seed_demo


class Command(BaseCommand):
    help = "Create the demo coach, athletes and curator (idempotent: a second run changes nothing)."

    def handle(self, *args, **options) -> None:
        with transaction.atomic():
            report = seed_demo()
        for line in report.changes:
            self.stdout.write(f"  {line}")
        if not report.changes:
            self.stdout.write("Demo data already in place; nothing changed.")
        self.stdout.write(self.style.SUCCESS(f"Demo logins (password: {DEMO_PASSWORD}):"))
        for email, role in report.logins:
            self.stdout.write(f"  {role:<8} {email}")
