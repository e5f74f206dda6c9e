"""Every row of every council model (and every guidance page) in a form two databases can share.

Ids of the council's own records are kept (a restore keeps them); references to shared records
(people, permissions, content types...) are written as their natural keys, whose ids differ
between databases. Run in a subprocess against the restored database:

    python -c "from tests.backup_snapshot import main; main()"
"""

from __future__ import annotations

import json
from typing import Any

from django.db import models


def _natural(model: type[models.Model], pk: object) -> object:
    from fairway.backup import NATURAL_KEYS

    paths = NATURAL_KEYS[model._meta.label]
    return list(model._base_manager.filter(pk=pk).values_list(*paths).get())


def snapshot() -> dict[str, Any]:
    from wagtail.models import Site

    from cms.models import CouncilHomePage
    from fairway.backup import GLOBAL, PAGE_SKIPPED, council_models

    rows: dict[str, Any] = {}
    for item in council_models():
        model = item.model
        fields = model._meta.concrete_fields
        found = []
        for row in model._base_manager.order_by("pk").values(*[f.attname for f in fields]):
            for f in fields:
                target = getattr(f, "related_model", None)
                if target is not None and target._meta.label in GLOBAL and row[f.attname]:
                    row[f.attname] = _natural(target, row[f.attname])
            found.append(row)
        rows[model._meta.label] = found
    pages = []
    for home in CouncilHomePage.objects.order_by("pk"):
        for page in home.get_descendants(inclusive=True).order_by("path").specific():
            pages.append(
                {
                    "pk": page.pk,
                    "class": page._meta.label,
                    "url": page.url_path.removeprefix(home.url_path),
                    "live": page.live,
                    "has_unpublished_changes": page.has_unpublished_changes,
                    **{
                        f.attname: f.value_to_string(page)
                        for f in type(page)._meta.concrete_fields
                        if f.name not in PAGE_SKIPPED
                        and not getattr(f.remote_field, "parent_link", False)
                    },
                }
            )
    sites = sorted(
        Site.objects.filter(root_page__in=CouncilHomePage.objects.all()).values_list(
            "hostname", "port", "site_name", "root_page_id"
        )
    )
    return json.loads(json.dumps({"rows": rows, "pages": pages, "sites": sites}, default=str))


def main() -> None:
    import django

    django.setup()
    print(json.dumps(snapshot()))
