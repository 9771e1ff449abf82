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
    RequestBody,
    Schema,
)
from litestar.openapi.spec.enums import OpenAPIType

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
