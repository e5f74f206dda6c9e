"""Names for the selectors' few statements written as SQL (the case page's records, My cases'
school filter): taken from the models' metadata and quoted, never typed out."""

from __future__ import annotations

from django.db import connection
from django.db.models import Field, Model


def column(model: type[Model], name: str) -> str:
    """The quoted column of `model`'s field `name` ("case" gives "case_id")."""
    field = model._meta.get_field(name)
    assert isinstance(field, Field) and field.column is not None, name
    return connection.ops.quote_name(field.column)


def table(model: type[Model]) -> str:
    return connection.ops.quote_name(model._meta.db_table)
