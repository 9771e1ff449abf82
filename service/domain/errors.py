"""Why a file of an accepted type could not be read as a report.

Its own module, importing nothing of the service, so that every reader (`formats/`) and the
bounds on a document (`limits`) raise the same error without importing one another.
"""

from __future__ import annotations

from typing import Literal

Reason = Literal["corrupt", "too-large", "no-text", "encrypted", "unrecognised"]


class DocumentError(ValueError):
    """The bytes are not a readable document of the type they claim to be.

    `reason` is stable and machine-readable: the API maps it to a problem type. The message
    names the file's fault (never the file's text: it may be logged).
    """

    def __init__(self, reason: Reason, message: str):
        super().__init__(message)
        self.reason: Reason = reason
