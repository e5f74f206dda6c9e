"""Enqueue today's retention run: closed cases past their council's period are anonymised."""

from typing import Any

from django.core.management.base import BaseCommand

from fairway.casework.retention import retention_run


class Command(BaseCommand):
    help = "Queue the daily retention run (anonymise closed cases past the council's period)."

    def handle(self, *args: Any, **options: Any) -> None:
        result = retention_run.enqueue()
        self.stdout.write(f"Queued the retention run (task {result.id}).")
