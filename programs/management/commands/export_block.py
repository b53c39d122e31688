from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from config.textfiles import write_text_output
from programs.blocks.files import block_export
from programs.models import Block


class Command(BaseCommand):
    help = (
        "Write a block as a block file (JSON; see docs/block-format.md), to standard output "
        "or to a file. import_block reads the result back unchanged."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("block", help="The block's id, or its exact name (any case).")
        parser.add_argument("-o", "--output", type=Path, help="Write to this file.")

    def handle(self, *args, block: str, output: Path | None, **options) -> None:
        text = block_export(Block.objects.with_structure().get(pk=_block_id(block)))
        write_text_output(self, text, output)


def _block_id(ref: str) -> int:
    """The id of the block ``ref`` names: an id, else an exact name ignoring case."""
    if ref.isascii() and ref.isdigit() and len(ref) < 19:
        found = Block.objects.filter(pk=int(ref)).values_list("pk", flat=True).first()
        if found is not None:
            return found
    matches = list(
        Block.objects.filter(name__iexact=ref.strip())
        .order_by("pk")
        .values_list("pk", "owner__email")
    )
    if not matches:
        raise CommandError(f"No block has the id or the name {ref!r}.")
    if len(matches) > 1:
        listed = ", ".join(f"{pk} ({email or 'built-in'})" for pk, email in matches)
        raise CommandError(f"{len(matches)} blocks are named {ref!r}: ids {listed}. Give the id.")
    return matches[0][0]
