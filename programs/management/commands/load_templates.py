from django.core.management.base import BaseCommand, CommandError

from programs.blocks.templates_builtin import TemplateFileError, load_builtin_templates


class Command(BaseCommand):
    help = (
        "Load the built-in block templates (programs/data/templates/*.json). Run it after "
        "load_library. Safe to re-run: unchanged templates are left alone and changed ones "
        "replaced."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--force", action="store_true", help="Rewrite every template, changed or not."
        )

    def handle(self, *args, force: bool, **options) -> None:
        try:
            lines = load_builtin_templates(force=force)
        except TemplateFileError as error:
            raise CommandError(str(error)) from None
        for line in lines:
            self.stdout.write(f"  {line}")
        self.stdout.write(
            f"Built-in templates: {len(lines)} changed."
            if lines
            else "Built-in templates up to date."
        )
