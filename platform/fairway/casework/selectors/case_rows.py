"""A case's own records (events, extensions, milestones, attendance weeks, sign-offs, commitments,
form submissions, early end, outcome) loaded onto the case in one round trip.

The case page shows all of them. Prefetching them is one query each, nine in all, and each costs
about 0.7 ms whether it finds rows or not, most of it Django building the query: more than the
rest of the page's reads together (bench/README.md). On PostgreSQL one statement returns every
relation as a JSON array of rows, in the order the prefetch would give, and the rows become model
instances placed in the same caches `prefetch_related` fills, so the rest of the page reads
`case.events.all()` as before. Elsewhere (SQLite, the demo's database) the prefetches run.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from django.db import connection
from django.db.models import Model, Prefetch, prefetch_related_objects
from django.db.models.fields.reverse_related import ForeignObjectRel

from ..models import Case, FormSubmission, Outcome
from ._sql import column, table

# Reverse foreign keys (many rows) and reverse one-to-ones (a row or none), with their order.
MANY = ("events", "extensions", "milestones_done", "attendance_weeks", "sign_offs", "commitments")
SUBMISSIONS_ORDER = ("form_key", "occurrence")
ONE = ("early_end", "outcome")

# Columns whose JSON text `to_python` reads back exactly. A decimal would come back as a float,
# bytes as hex text: a record with such a column makes every relation use the prefetches, slower
# but right (the page's query-count test would show it).
_EXACT_IN_JSON = {
    "AutoField",
    "BigAutoField",
    "BigIntegerField",
    "BooleanField",
    "CharField",
    "DateField",
    "DateTimeField",
    "ForeignKey",
    "IntegerField",
    "JSONField",
    "OneToOneField",
    "PositiveIntegerField",
    "PositiveSmallIntegerField",
    "SmallIntegerField",
    "TextField",
    "UUIDField",
}


def case_records_load(case: Case) -> None:
    """Fill `case`'s caches for its records, as `prefetch_related` would, with who was told of
    the outcome (the outcome block lists them)."""
    if connection.vendor != "postgresql" or not _exact_in_json():
        prefetch_related_objects(
            [case],
            *MANY,
            Prefetch("submissions", queryset=FormSubmission.objects.order_by(*SUBMISSIONS_ORDER)),
            "early_end",
            Prefetch("outcome", queryset=Outcome.objects.prefetch_related("told")),
        )
        return
    with connection.cursor() as cursor:
        cursor.execute(_statement(), {"case": case.pk})
        arrays = cursor.fetchone()
    cache_of = case.__dict__.setdefault("_prefetched_objects_cache", {})
    for (name, rel), rows in zip(_relations(), arrays, strict=True):
        instances = [_instance(rel, row, case) for row in rows]
        if rel.one_to_one:
            if name == "outcome" and instances:
                prefetch_related_objects(instances, "told")
            rel.set_cached_value(case, instances[0] if instances else None)
        else:
            rows_of = getattr(case, name).all()
            rows_of._result_cache = instances
            rows_of._prefetch_done = True
            cache_of[name] = rows_of


@cache
def _relations() -> tuple[tuple[str, ForeignObjectRel], ...]:
    names = (*MANY, "submissions", *ONE)
    return tuple((name, Case._meta.get_field(name)) for name in names)  # type: ignore[misc]


@cache
def _exact_in_json() -> bool:
    return all(
        f.get_internal_type() in _EXACT_IN_JSON
        for _name, rel in _relations()
        for f in rel.related_model._meta.concrete_fields
    )


def _order(name: str, model: type[Model]) -> list[str]:
    if name == "submissions":
        order = list(SUBMISSIONS_ORDER)
    else:
        order = [str(o) for o in model._meta.ordering or ()]
    # The key last, so rows with equal dates come in the order they were made.
    return [*order, "id"] if "id" not in order else order


@cache
def _statement() -> str:
    """One subquery a relation: its rows as a JSON array of arrays, one value a column."""
    parts = []
    for name, rel in _relations():
        model = rel.related_model
        columns = ", ".join(f"t.{column(model, f.name)}" for f in model._meta.concrete_fields)
        order = ", ".join(
            f"t.{column(model, o.lstrip('-'))}" + (" DESC" if o.startswith("-") else "")
            for o in _order(name, model)
        )
        parts.append(
            f"(SELECT coalesce(json_agg(json_build_array({columns}) ORDER BY {order}), '[]') "
            f"FROM {table(model)} t "
            f"WHERE t.{column(model, rel.field.name)} = %(case)s)"
        )
    return "SELECT " + ", ".join(parts)


def _instance(rel: ForeignObjectRel, row: list[Any], case: Case) -> Model:
    """A model instance from its JSON row: each value through its field's `to_python`, as a form
    would read it (dates and times come as ISO text, JSON columns as JSON)."""
    model = rel.related_model
    fields = model._meta.concrete_fields
    instance = model.from_db(
        connection.alias,
        [f.attname for f in fields],
        [
            None if value is None else f.to_python(value)
            for f, value in zip(fields, row, strict=True)
        ],
    )
    rel.field.set_cached_value(instance, case)  # record.case needs no query
    return instance
