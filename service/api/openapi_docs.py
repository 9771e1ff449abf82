"""What the generated OpenAPI document cannot infer: request bodies and examples.

The report endpoints read the raw body themselves (the media type decides how), so their
request body is declared here, one entry per accepted media type, each with an example.
Examples are computed from the sample report, so they are always what the service returns.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

import msgspec
from litestar.openapi.spec import (
    Example,
    OpenAPIMediaType as MediaType,
    OpenAPIResponse,
    Operation,
    Reference,
    RequestBody,
    Schema,
)
from litestar.openapi.spec.enums import OpenAPIFormat, OpenAPIType

from litestar.openapi.datastructures import ResponseSpec

from service.api.formats_docs import file_media_types, sample_report
from service.domain.models import RuleInfo, ValidateResult
from service.domain.pipeline import parse_text


@cache
def _sample_results() -> tuple[Any, Any]:
    result = parse_text(sample_report())
    full = msgspec.to_builtins(result)
    return full, msgspec.to_builtins(ValidateResult.from_parse(result))


def _request_body() -> RequestBody:
    text = sample_report()
    files = list(file_media_types().items())
    json = MediaType(
        schema=Schema(
            type=OpenAPIType.OBJECT,
            required=["content"],
            properties={
                "content": Schema(type=OpenAPIType.STRING, description="The report text.", min_length=1),
                "filename": Schema(type=[OpenAPIType.STRING, OpenAPIType.NULL], description="Optional name of the source file, echoed nowhere, used to guess the format."),
                "format": Schema(type=[OpenAPIType.STRING, OpenAPIType.NULL], enum=["text", "html", None], description="How `content` is written; `text` when absent."),
            },
        ),
        examples={"report": Example(summary="The same report wrapped in JSON", value={"content": text, "filename": "2023年报.txt"})},
    )
    # The JSON wrapper is listed after the plain text it wraps (the registry's first format).
    content = dict([files[0], ("application/json", json), *files[1:]])
    return RequestBody(content=content, required=True, description="The report, in one of the accepted media types.")


@dataclass
class ParseOperation(Operation):
    def __post_init__(self) -> None:
        self.request_body = _request_body()
        _add_example(self, _sample_results()[0])


@dataclass
class ValidateOperation(Operation):
    def __post_init__(self) -> None:
        self.request_body = _request_body()
        _add_example(self, _sample_results()[1])


def _add_example(op: Operation, value: Any) -> None:
    if not op.responses:
        return
    ok = op.responses.get("200")
    if isinstance(ok, OpenAPIResponse) and ok.content:
        for media in ok.content.values():
            media.examples = {"report": Example(summary="Result for the sample report", value=value)}


def example_response(container: Any, value: Any, description: str) -> ResponseSpec:
    """A 200 response spec with one example, for operations whose body Litestar infers."""
    return ResponseSpec(
        data_container=container,
        description=description,
        examples=[Example(summary="Example", value=value)],
        generate_examples=False,
    )


def rules_example() -> ResponseSpec:
    from service.domain.rules import catalogue

    return example_response(
        list[RuleInfo], msgspec.to_builtins(catalogue()[:2]), "The rule catalogue."
    )


def _batch_request_body() -> RequestBody:
    binary = Schema(type=OpenAPIType.STRING, format=OpenAPIFormat.BINARY)
    return RequestBody(
        required=True,
        description="The reports: a zip of report files, or one multipart file part per report.",
        content={
            "application/zip": MediaType(schema=Schema(
                type=OpenAPIType.STRING, format=OpenAPIFormat.BINARY,
                description="A zip whose .txt, .html, .docx and .pdf members (in folders too) are the reports.")),
            "multipart/form-data": MediaType(schema=Schema(
                type=OpenAPIType.OBJECT,
                properties={"files": Schema(type=OpenAPIType.ARRAY, items=binary,
                                            description="One part per report (any field name); its filename names its line.")},
            )),
        },
    )


def _batch_line_schema() -> Schema:
    ref = Reference  # the models are components of the document already
    return Schema(
        type=OpenAPIType.OBJECT,
        required=["name", "status"],
        description="One line of the NDJSON answer: one report.",
        properties={
            "name": Schema(type=OpenAPIType.STRING, description="The file's name (its path inside the zip)."),
            "status": Schema(type=OpenAPIType.INTEGER, description="200 when read; else the problem's status."),
            "result": ref(ref="#/components/schemas/ValidateResult"),
            "problem": ref(ref="#/components/schemas/Problem"),
        },
    )


def _batch_example() -> str:
    valid = msgspec.json.encode({"name": "市局/2023年报.txt", "status": 200, "result": _sample_results()[1]})
    bad = msgspec.json.encode({"name": "区局/年报.docx", "status": 422, "problem": {
        "type": "/problems/unsupported-document", "title": "无法读取的文档", "status": 422,
        "detail": "the file is not a readable .docx (truncated zip)."}})
    return (valid + b"\n" + bad + b"\n").decode()


@dataclass
class BatchOperation(Operation):
    def __post_init__(self) -> None:
        self.request_body = _batch_request_body()
        ok = OpenAPIResponse(
            description="One JSON line per report, streamed as each is done (application/x-ndjson).",
            content={"application/x-ndjson": MediaType(
                schema=_batch_line_schema(),
                examples={"batch": Example(summary="A good report and an unreadable one", value=_batch_example())},
            )},
        )
        self.responses = {**(self.responses or {}), "200": ok}
