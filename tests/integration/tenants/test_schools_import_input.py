"""`fairway schools import` on files that are not GIAS CSV text, and on a national-sized export."""

import tracemalloc
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from tenants.gias import read_gias_csv
from tenants.models import Council, School

DATA = Path(__file__).resolve().parent.parent.parent / "data"
GOOD = DATA / "gias_norfolk_sample.csv"


def run(path: Path) -> tuple[int, str]:
    err = StringIO()
    try:
        call_command(
            "schools_import", str(path), "--council", "norfolk", stdout=StringIO(), stderr=err
        )
    except SystemExit as exit_:
        return int(exit_.code or 0), err.getvalue()
    return 0, err.getvalue()


@pytest.mark.django_db
def test_binary_file_is_a_clear_error_not_a_traceback(council_a: Council, tmp_path: Path) -> None:
    path = tmp_path / "schools.csv"
    # 0x81 is neither UTF-8 nor Windows-1252: this raised UnicodeDecodeError before.
    path.write_bytes(GOOD.read_bytes() + b"990199,926,Norfolk,4,Caf\x81 School\n")
    code, err = run(path)
    assert code == 1
    assert err.splitlines() == [
        f"{path}:8:25: byte 0x81 is not text in UTF-8 or Windows-1252; "
        "is this a CSV export from GIAS?",
        "1 problem(s); nothing was imported.",
    ]
    assert not School.objects.exists()


def test_workbook_or_other_binary_data_is_named(tmp_path: Path) -> None:
    path = tmp_path / "schools.xlsx"
    path.write_bytes(b"PK\x03\x04\x14\x00\x06\x00")
    result = read_gias_csv(path, council_name="Norfolk County Council")
    assert result.rows == []
    assert result.problems == [
        f"{path}:1:6: the file holds binary data, not CSV text "
        "(an Excel workbook must be saved as CSV first)"
    ]


def test_quote_never_closed_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "schools.csv"
    header = GOOD.read_text().splitlines()[0]
    path.write_text(header + "\n" + '990101,926,"Norfolk' + "x" * 200_000 + "\n")
    result = read_gias_csv(path, council_name="Norfolk County Council")
    assert result.rows == []
    assert len(result.problems) == 1
    assert result.problems[0].startswith(f"{path}:2: field larger than field limit")


def test_windows_1252_after_many_utf8_lines(tmp_path: Path) -> None:
    """The encoding is decided over the whole file, though only a line at a time is read."""
    lines = GOOD.read_text().splitlines()
    path = tmp_path / "schools.csv"
    path.write_bytes(
        ("\n".join(lines) + "\n").replace("St Edmund's", "St Edmund\u2019s").encode("cp1252")
    )
    result = read_gias_csv(path, council_name="Norfolk County Council")
    assert result.problems == []
    assert any(r.name.startswith("St Edmund\u2019s") for r in result.rows)


def test_a_large_export_is_streamed_not_read_whole(tmp_path: Path) -> None:
    """A GIAS export is about 50 MB, mostly columns Fairway ignores: memory follows the rows kept,
    not the file (reading it whole held the bytes, the text and every line at once)."""
    header, first, *_rest = GOOD.read_text().splitlines()
    filler = ",".join(f"Extra{i}" for i in range(150))
    padding = ",".join("x" * 12 for _ in range(150))
    path = tmp_path / "national.csv"
    with path.open("w") as out:
        out.write(f"{header},{filler}\n")
        for n in range(4_000):
            out.write(f"{first.replace('990101', str(100000 + n), 1)},{padding}\n")
    size = path.stat().st_size
    assert size > 7_000_000
    tracemalloc.start()
    try:
        result = read_gias_csv(path, council_name="Norfolk County Council")
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert result.problems == [] and len(result.rows) == 4_000
    assert peak < size / 2, f"peak {peak:,} bytes for a {size:,}-byte file"
