"""`fairway restore FILE`: one council's backup loaded in one transaction, or nothing changed."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from fairway.backup import BackupError, restore_read


class Command(BaseCommand):
    help = "Restore one council from a file made by `fairway backup`."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            summary = restore_read(path=Path(options["file"]))
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(
            f"Restored {summary.council}: {summary.rows} records and {summary.pages} guidance "
            f"pages; {summary.people_made} people were new here and must set a password "
            "('Forgotten your password?') and their authenticator."
        )
        if summary.emptied:
            self.stdout.write(
                "Links to records of councils not in this database were left empty: "
                + ", ".join(sorted(summary.emptied))
            )
