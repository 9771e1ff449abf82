"""`DocumentError` for the readers of this package, which import it from here.

It is defined in `service.domain.errors`, outside this package: `limits` raises it too and is
imported by the text reader this package's `__init__` imports, so a definition here would
make an import cycle.
"""

from __future__ import annotations

from service.domain.errors import DocumentError, Reason

__all__ = ["DocumentError", "Reason"]
