"""`fairway schools import FILE.csv --council SLUG`: load a GIAS export into one council."""

import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tenants.gias import OPTIONAL_COLUMNS, REQUIRED_COLUMNS, read_gias_csv
from tenants.models import Council
from tenants.services import SchoolsImportError, schools_import


class Command(BaseCommand):
    help = (
        "Create or update a council's schools from a DfE Get Information about Schools CSV. "
        f"Required columns: {', '.join(REQUIRED_COLUMNS)}; optional: {', '.join(OPTIONAL_COLUMNS)}. "
        "Nothing is imported unless every row is valid."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", metavar="FILE.csv")
        parser.add_argument("--council", required=True, metavar="SLUG")

    def handle(self, *args: Any, **options: Any) -> None:
        council = Council.objects.filter(slug=options["council"]).first()
        if council is None:
            slugs = ", ".join(Council.objects.values_list("slug", flat=True)) or "none yet"
            raise CommandError(f"no council {options['council']!r} (councils: {slugs})")
        source = options["file"]
        result = read_gias_csv(source, council_name=council.name)
        problems = result.problems
        counts = None
        if not problems:
            try:
                counts = schools_import(council=council, rows=result.rows, source=source)
            except SchoolsImportError as error:
                problems = error.problems
        if problems or counts is None:
            for line in problems:
                self.stderr.write(line)
            self.stderr.write(f"{len(problems)} problem(s); nothing was imported.")
            sys.exit(1)
        self.stdout.write(
            f"{council.name}: {counts.created} created, {counts.updated} updated, "
            f"{counts.unchanged} unchanged."
        )
