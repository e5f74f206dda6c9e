"""The contracts protocols are checked against before they are published.

Each app that reads protocol keys declares them (`protocols.core.contract.Contract`) and
registers its contract here when it is ready; this app never imports those apps (the imports run
one way: case work uses protocols, not the reverse).
"""

from __future__ import annotations

from protocols.core.contract import Contract, check_all
from protocols.core.model import Protocol
from protocols.core.problems import Problem

_REGISTERED: dict[str, Contract] = {}


def contract_register(*, contract: Contract) -> None:
    """Check every protocol published from now on against `contract` (idempotent per reader)."""
    _REGISTERED[contract.reader] = contract


def registered_contracts() -> tuple[Contract, ...]:
    return tuple(_REGISTERED.values())


def contract_problems(*, protocol: Protocol) -> list[Problem]:
    """Every way `protocol` falls short of what the registered apps read from it."""
    return check_all(protocol, registered_contracts())
