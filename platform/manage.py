#!/usr/bin/env python
"""Django's command-line utility for Fairway."""

import os
import sys
from pathlib import Path


def main() -> None:
    # platform/ is a plain folder (never a package): put it and the repository root on the path.
    here = Path(__file__).resolve().parent
    sys.path[:0] = [str(here), str(here.parent)]
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fairway.settings.dev")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
