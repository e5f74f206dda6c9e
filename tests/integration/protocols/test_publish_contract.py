"""Publishing checks a protocol against what case work reads (the contract case work registers)."""

import shutil
from pathlib import Path

import pytest

from protocols.core.problems import DefinitionError
from protocols.models import ProtocolVersion
from protocols.services import protocol_version_publish
from tests.factories import CouncilFactory

BUNDLED = Path(__file__).resolve().parents[3] / "protocols" / "bundled"


def test_a_protocol_case_work_cannot_read_is_not_published(db: None, tmp_path: Path) -> None:
    CouncilFactory(slug="southwark", name="Southwark Council")
    for folder in ("southwark", "shared"):
        shutil.copytree(BUNDLED / folder, tmp_path / folder)
    forms = tmp_path / "shared" / "casework-forms.yaml"
    forms.write_text(forms.read_text().replace("key: date_of_birth", "key: birth_date"))
    with pytest.raises(DefinitionError) as refused:
        protocol_version_publish(path=tmp_path / "southwark" / "managed-moves-v1.yaml")
    assert f"{forms}:49:5: form 'referral' has no field 'date_of_birth'" in str(refused.value)
    assert not ProtocolVersion.objects.exists()
