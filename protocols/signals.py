"""Signals protocols sends. Other apps connect to them, so protocols imports none of those apps.

``protocol_version_published``
    Sent once a new ``ProtocolVersion`` is stored and its transaction has committed (never for
    republishing an identical version). Keyword arguments: ``version`` (the ProtocolVersion) and
    ``request`` (the HttpRequest of the person publishing through a view, else None). Sent with
    ``send_robust``: a receiver that fails is logged and cannot undo or fail the publishing.
"""

from django.dispatch import Signal

protocol_version_published = Signal()
