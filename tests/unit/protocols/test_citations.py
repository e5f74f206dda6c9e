"""Rules cite their source by key: the loader resolves it, a part's rules cite the part's sources."""

from pathlib import Path

from protocols.core.loader import load_protocol
from protocols.core.model import Citation

REPO = Path(__file__).resolve().parents[3]
PART = """\
part: floor
title: A legal floor
sources:
  - key: the_regulations
    title: The Regulations
    url: https://www.legislation.gov.uk/uksi/2010/1156
events:
  - key: start
    label: First day
    source: {ref: the_regulations, at: regulation 3}
"""
PROTOCOL = """\
council: testshire
protocol: testshire-moves
version: 1
title: Testshire managed moves
effective_from: 2024-09-01
include: [floor.yaml]
sources:
  - key: testshire_protocol
    title: Testshire protocol
roles:
  - {key: home_school, label: Home school, kind: home_school}
stages:
  - {key: trial, label: Trial}
milestones:
  - key: trial_end
    label: End of trial
    stage: trial
    due: end of school week 6 from start
    source: {ref: testshire_protocol, at: section 2}
  - key: catch_up
    label: Catch-up call
    stage: trial
    due: 2 school days after start
    practice: true
outcomes:
  - {key: stayed, label: Stayed}
"""


def test_rules_cite_sources_of_the_file_and_its_parts(tmp_path: Path) -> None:
    (tmp_path / "floor.yaml").write_text(PART)
    (tmp_path / "protocol.yaml").write_text(PROTOCOL)
    protocol = load_protocol(str(tmp_path / "protocol.yaml"))

    # The file's own documents come first, then the parts'.
    assert [s.key for s in protocol.sources] == ["testshire_protocol", "the_regulations"]
    trial_end = protocol.milestone("trial_end")
    assert trial_end.source == Citation(ref="testshire_protocol", at="section 2")
    assert protocol.source_of(trial_end.source).title == "Testshire protocol"
    start = next(e for e in protocol.events if e.key == "start")
    source = protocol.source_of(start.source)
    assert source is not None and source.url.endswith("/uksi/2010/1156")
    catch_up = protocol.milestone("catch_up")
    assert catch_up.practice and catch_up.source is None
    assert protocol.source_of(catch_up.source) is None
