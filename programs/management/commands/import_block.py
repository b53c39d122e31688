from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from programs.blocks.files import MAX_FILE_BYTES, BlockFileError, block_import


class Command(BaseCommand):
    help = (
        "Create a block from a block file (JSON; see docs/block-format.md) for a coach. "
        "A file with any error writes nothing and lists every error with its path."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", type=Path, help="The block file to import.")
        parser.add_argument(
            "--owner", required=True, metavar="EMAIL", help="The coach who will own the block."
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Check the file, writing nothing."
        )
        parser.add_argument("--name", help="Name the block this instead of the file's name.")

    def handle(
        self, *args, file: Path, owner: str, dry_run: bool, name: str | None, **options
    ) -> None:
        coach = get_user_model().objects.filter(email__iexact=owner.strip()).first()
        if coach is None:
            raise CommandError(f"No user has the email {owner!r}.")
        if not coach.is_coach:
            raise CommandError(f"{coach.email} is not a coach; only coaches own blocks.")
        try:
            with file.open("rb") as handle:
                # One byte past the limit is enough to report the file as too large.
                data = handle.read(MAX_FILE_BYTES + 1)
        except OSError as error:
            raise CommandError(f"Cannot read {file}: {error.strerror}.") from None
        try:
            result = block_import(data=data, owner=coach, dry_run=dry_run, name=name)
        except BlockFileError as error:
            raise CommandError(f"{file}: {error}") from None
        for error in result.errors:
            self.stderr.write(str(error))
        if not result.ok:
            raise CommandError(f"{file}: {result.summary()}")
        if result.notice:
            self.stdout.write(result.notice)
        self.stdout.write(self.style.SUCCESS(result.summary()))
