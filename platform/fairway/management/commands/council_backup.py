"""`fairway backup --council SLUG --output FILE`: everything one council holds, in one file."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from fairway.backup import BackupError, backup_write
from tenants.models import Council


class Command(BaseCommand):
    help = "Back up one council (its people, schools, cases, audit log and guidance pages)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--council", required=True, help="the council's slug")
        parser.add_argument("--output", required=True, help="the file to write (.jsonl or .gz)")

    def handle(self, *args: Any, **options: Any) -> None:
        council = Council.objects.filter(slug=options["council"]).first()
        if council is None:
            slugs = ", ".join(Council.objects.values_list("slug", flat=True)) or "none"
            raise CommandError(f"No council {options['council']!r} (councils: {slugs})")
        try:
            summary = backup_write(council=council, path=Path(options["output"]))
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(
            f"Backed up {council.name}: {summary.total} records and {summary.pages} guidance "
            f"pages to {options['output']} (backup {summary.backup_id})."
        )
