"""Contract fuzzing: schemathesis against the OpenAPI document the app itself serves.

Every operation is exercised in-process over ASGI with generated requests, valid and
invalid (positive and negative data), bounded in examples per operation. Each response is
checked by schemathesis's checks: no 5xx, a status code the document lists for the
operation, the documented content type, a body that matches the documented schema, the
documented headers. `NIANBAO_FUZZ_EXAMPLES` raises the bound for a longer run.
"""

from __future__ import annotations

import os

import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import negative_data_rejection, positive_data_acceptance

from service.app import OPENAPI_PATH, create_app
from service.settings import Settings

EXAMPLES = int(os.environ.get("NIANBAO_FUZZ_EXAMPLES", "40"))

app = create_app(Settings(log_level="error", max_body_bytes=256 * 1024))
schema = schemathesis.openapi.from_asgi(f"{OPENAPI_PATH}/openapi.json", app)


@schemathesis.serializer("application/pdf", "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                         "application/zip")
def _file_bytes(ctx: object, value: object) -> bytes:
    """Binary bodies (`format: binary`) as generated: bytes, or text as UTF-8."""
    if isinstance(value, bytes):
        return value
    return str(value).encode("utf-8", "surrogatepass")


@schema.parametrize()
@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
def test_every_operation_keeps_its_contract(case: schemathesis.Case) -> None:
    # positive_data_acceptance is left out everywhere: a schema-valid body can still be a
    # documented 4xx. A raw text, HTML, PDF or Word body has no schema that says what a
    # readable file is (a "PDF" of random bytes is 422 unsupported-document), and JSON
    # `content` of whitespace only ("\x1f" is whitespace to Python, not to ECMA regex) is
    # 400 empty-body.
    excluded = [positive_data_acceptance]
    if case.media_type is not None and case.media_type != "application/json":
        # Any bytes are schema-valid there, so there is no negative data to reject either;
        # it is checked where a schema decides, on the JSON body.
        excluded.append(negative_data_rejection)
    case.call_and_validate(excluded_checks=excluded)
