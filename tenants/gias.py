"""Read and check a DfE "Get Information about Schools" (GIAS) export before anything is saved.

`read_gias_csv` checks the whole file and returns either the rows or every problem, each as
`FILE:ROW:COLUMN: message` with ROW numbered as a spreadsheet shows it (the header is row 1).
The file is read a line at a time (a national export is about 50 MB), never whole.
"""

import csv
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

from .models import School
from .osgb import grid_to_wgs84

URN = "URN"
NAME = "EstablishmentName"
LA = "LA (name)"
PHASE = "PhaseOfEducation (name)"
TYPE = "TypeOfEstablishment (name)"
POSTCODE = "Postcode"
PUPILS = "NumberOfPupils"
TRUST = "Trusts (name)"
LATITUDE = "Latitude"
LONGITUDE = "Longitude"
EASTING = "Easting"
NORTHING = "Northing"
# The school's address, one part a column ("Address3" is GIAS's third address line).
ADDRESS_COLUMNS = ("Street", "Locality", "Address3", "Town")

REQUIRED_COLUMNS = (URN, NAME, PHASE, TYPE, POSTCODE)
OPTIONAL_COLUMNS = (LA, PUPILS, TRUST, EASTING, NORTHING, LATITUDE, LONGITUDE, *ADDRESS_COLUMNS)

# GIAS wording -> Fairway's. Types Fairway does not place pupils in (independent schools,
# further education colleges, ...) are reported as errors rather than guessed.
PHASES = {
    "nursery": School.Phase.NURSERY,
    "primary": School.Phase.PRIMARY,
    "middle deemed primary": School.Phase.MIDDLE,
    "middle deemed secondary": School.Phase.MIDDLE,
    "secondary": School.Phase.SECONDARY,
    "all-through": School.Phase.ALL_THROUGH,
    "16 plus": School.Phase.SIXTEEN_PLUS,
    "not applicable": School.Phase.NOT_APPLICABLE,
}
TYPES = {
    "community school": School.Kind.MAINTAINED,
    "voluntary aided school": School.Kind.MAINTAINED,
    "voluntary controlled school": School.Kind.MAINTAINED,
    "foundation school": School.Kind.MAINTAINED,
    "local authority nursery school": School.Kind.MAINTAINED,
    "academy converter": School.Kind.ACADEMY,
    "academy sponsor led": School.Kind.ACADEMY,
    "university technical college": School.Kind.ACADEMY,
    "studio schools": School.Kind.ACADEMY,
    "free schools": School.Kind.FREE_SCHOOL,
    "free schools 16 to 19": School.Kind.FREE_SCHOOL,
    "community special school": School.Kind.SPECIAL,
    "foundation special school": School.Kind.SPECIAL,
    "non-maintained special school": School.Kind.SPECIAL,
    "academy special converter": School.Kind.SPECIAL,
    "academy special sponsor led": School.Kind.SPECIAL,
    "free schools special": School.Kind.SPECIAL,
    "pupil referral unit": School.Kind.ALTERNATIVE_PROVISION,
    "academy alternative provision converter": School.Kind.ALTERNATIVE_PROVISION,
    "academy alternative provision sponsor led": School.Kind.ALTERNATIVE_PROVISION,
    "free schools alternative provision": School.Kind.ALTERNATIVE_PROVISION,
}
POSTCODE_RE = re.compile(r"^[A-Z]{1,2}[0-9][A-Z0-9]? ?[0-9][A-Z]{2}$")
# Council names carry words GIAS leaves out: "Norfolk County Council" is GIAS's "Norfolk".
COUNCIL_WORDS = re.compile(
    r"\b(county|city|borough|district|metropolitan|council|london|royal|of|the)\b", re.I
)


@dataclass(frozen=True, slots=True)
class SchoolRow:
    row: int
    urn: int
    name: str
    phase: School.Phase
    kind: School.Kind
    postcode: str
    number_on_roll: int | None
    address: str
    trust_name: str
    latitude: Decimal | None
    longitude: Decimal | None


@dataclass(frozen=True)
class GiasResult:
    rows: list[SchoolRow]
    problems: list[str]


def council_key(name: str) -> str:
    return " ".join(COUNCIL_WORDS.sub(" ", name).split()).lower()


def _postcode(value: str) -> str:
    compact = "".join(value.split()).upper()
    return f"{compact[:-3]} {compact[-3:]}" if len(compact) > 3 else compact


class NotText(Exception):
    """The file is not CSV text: `line` and `column` say where, counted as an editor shows them."""

    def __init__(self, message: str, *, line: int, column: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.line = line
        self.column = column


def _encoding(path: Path) -> str:
    """UTF-8 if every line is UTF-8, else Windows-1252 (what GIAS downloads are); one line at a
    time, so a 50 MB export costs one line of memory. Raises NotText for anything else."""
    for encoding in ("utf-8-sig", "cp1252"):
        with path.open("rb") as raw:
            for number, line in enumerate(raw, start=1):
                if b"\0" in line:
                    raise NotText(
                        "the file holds binary data, not CSV text (an Excel workbook must be "
                        "saved as CSV first)",
                        line=number,
                        column=len(line[: line.index(b"\0")].decode(encoding, "replace")) + 1,
                    )
                try:
                    line.decode(encoding if number == 1 else encoding.removesuffix("-sig"))
                except UnicodeDecodeError as error:
                    if encoding == "cp1252":
                        raise NotText(
                            f"byte 0x{line[error.start]:02X} is not text in UTF-8 or "
                            "Windows-1252; is this a CSV export from GIAS?",
                            line=number,
                            column=len(line[: error.start].decode(encoding, "replace")) + 1,
                        ) from None
                    break
            else:
                return encoding
    raise AssertionError("unreachable: cp1252 either decodes every line or raises")


def read_gias_csv(path: str | Path, *, council_name: str) -> GiasResult:
    path = Path(path)
    shown = str(path)
    try:
        encoding = _encoding(path)
    except OSError as error:
        return GiasResult(rows=[], problems=[f"{shown}: cannot read the file ({error.strerror})"])
    except NotText as error:
        where = f"{error.line}:{error.column}" if error.column else str(error.line)
        return GiasResult(rows=[], problems=[f"{shown}:{where}: {error.message}"])
    try:
        with path.open(encoding=encoding, newline="") as text:
            reader = csv.DictReader(text)
            try:
                return _check_rows(reader, shown=shown, council_name=council_name)
            except csv.Error as error:
                # A cell over the csv module's limit (say, a quote never closed): where it stopped.
                return GiasResult(rows=[], problems=[f"{shown}:{reader.line_num + 1}: {error}"])
    except OSError as error:
        return GiasResult(rows=[], problems=[f"{shown}: cannot read the file ({error.strerror})"])


def _check_rows(reader: "csv.DictReader[str]", *, shown: str, council_name: str) -> GiasResult:
    problems: list[str] = []

    def problem(row: int, column: str, message: str) -> None:
        problems.append(f"{shown}:{row}:{column}: {message}")

    header = [h.strip() for h in (reader.fieldnames or [])]
    if not header:
        return GiasResult(
            rows=[], problems=[f"{shown}:1: the file is empty; expected a header row"]
        )
    reader.fieldnames = header
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    for column in missing:
        problem(1, column, "required column is missing")
    if missing:
        return GiasResult(rows=[], problems=problems)

    expected_la = council_key(council_name)
    rows: list[SchoolRow] = []
    first_row_of_urn: dict[int, int] = {}
    for index, record in enumerate(reader, start=2):
        if None in record:
            problem(
                index,
                "-",
                f"row has {len(header) + len(record[None])} cells; the header has {len(header)}",
            )
            continue
        cells = {k: (v or "").strip() for k, v in record.items()}
        if not any(cells.values()):
            continue  # a blank line at the end of a spreadsheet export
        before = len(problems)

        urn_text = cells[URN]
        urn = 0
        if not urn_text.isdigit():
            problem(index, URN, f"{urn_text!r} is not a whole number" if urn_text else "is empty")
        else:
            urn = int(urn_text)
            if urn in first_row_of_urn:
                problem(index, URN, f"URN {urn} is also on row {first_row_of_urn[urn]}")
            else:
                first_row_of_urn[urn] = index
        name = cells[NAME]
        if not name:
            problem(index, NAME, "is empty")
        elif len(name) > 200:
            problem(index, NAME, "is longer than 200 characters")
        phase = PHASES.get(cells[PHASE].lower())
        if phase is None:
            problem(index, PHASE, f"{cells[PHASE]!r} is not a GIAS phase of education")
        kind = TYPES.get(cells[TYPE].lower())
        if kind is None:
            problem(
                index, TYPE, f"{cells[TYPE]!r} is not a type of school Fairway places pupils in"
            )
        postcode = _postcode(cells[POSTCODE])
        if postcode and not POSTCODE_RE.match(postcode):
            problem(index, POSTCODE, f"{cells[POSTCODE]!r} is not a UK postcode")
        pupils_text = cells.get(PUPILS, "")
        pupils = None
        if pupils_text:
            if pupils_text.isdigit():
                pupils = int(pupils_text)
            else:
                problem(
                    index,
                    PUPILS,
                    f"{pupils_text!r} is not a whole number (leave it blank if unknown)",
                )
        la = cells.get(LA, "")
        if la and council_key(la) != expected_la:
            problem(
                index, LA, f"{la!r} is not {council_name}; import each council's schools separately"
            )
        coordinates: list[Decimal | None] = []
        for column, limit in ((LATITUDE, 90), (LONGITUDE, 180)):
            value = cells.get(column, "")
            try:
                number = Decimal(value) if value else None
            except InvalidOperation:
                number = None
                problem(index, column, f"{value!r} is not a number")
            if number is not None and not (-limit <= number <= limit):
                problem(index, column, f"{value} is out of range")
                number = None
            coordinates.append(number.quantize(Decimal("0.000001")) if number is not None else None)

        # GIAS gives National Grid eastings and northings; Latitude/Longitude columns win if present.
        if coordinates == [None, None] and (cells.get(EASTING) or cells.get(NORTHING)):
            grid: list[int] = []
            for column, limit in ((EASTING, 700_000), (NORTHING, 1_300_000)):
                value = cells.get(column, "")
                if not value.isdigit() or int(value) > limit:
                    problem(index, column, f"{value!r} is not a National Grid {column.lower()}")
                else:
                    grid.append(int(value))
            if len(grid) == 2:
                lat, lon = grid_to_wgs84(grid[0], grid[1])
                coordinates = [Decimal(f"{lat:.6f}"), Decimal(f"{lon:.6f}")]

        if len(problems) == before and phase is not None and kind is not None:
            rows.append(
                SchoolRow(
                    row=index,
                    urn=urn,
                    name=name,
                    phase=phase,
                    kind=kind,
                    postcode=postcode,
                    number_on_roll=pupils,
                    address="\n".join(
                        part for part in (cells.get(c, "").strip() for c in ADDRESS_COLUMNS) if part
                    ),
                    trust_name=cells.get(TRUST, ""),
                    latitude=coordinates[0],
                    longitude=coordinates[1],
                )
            )
    if not problems and not rows:
        problems.append(f"{shown}:2: the file has a header but no schools")
    return GiasResult(rows=rows if not problems else [], problems=problems)
