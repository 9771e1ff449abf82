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
from service.domain.render import consistent_values, render_report, summed_values


@cache
def sample_previous(carried_forward_more: int = 0) -> str:
    """Last year's report of the sample's agency, continuous with it: its 结转下年度 is the
    sample's 上年结转 and its 现行有效 leads to the sample's. With `carried_forward_more`,
    its 结转下年度 · 自然人 (and 新收, so that it still adds up) that much higher."""
    values = consistent_values(seed=11)
    last: dict[str, dict[str, dict[str, int | str | None]]] = {
        t: {r: dict(c) for r, c in rows.items()} for t, rows in values.items()
    }
    app = last["applications"]
    for col, v in values["applications"]["carried_over"].items():
        if col != "total":
            app["carried_forward"][col] = v
            room = app["total"][col] + v  # type: ignore[operator]  # the sample's cells are counts (ints), though the values map types them int | str | None
            app["carried_over"][col] = min(app["carried_over"][col], room)  # type: ignore[type-var]  # the sample's cells are counts (ints), though the values map types them int | str | None
            app["new_received"][col] = room - app["carried_over"][col]  # type: ignore[operator]  # the sample's cells are counts (ints), though the values map types them int | str | None
    app["carried_forward"]["natural_person"] += carried_forward_more  # type: ignore[operator]  # the sample's cells are counts (ints), though the values map types them int | str | None
    app["new_received"]["natural_person"] += carried_forward_more  # type: ignore[operator]  # the sample's cells are counts (ints), though the values map types them int | str | None
    for row in app.values():
        row["total"] = sum(v for k, v in row.items() if k != "total")  # type: ignore[misc]  # the sample's cells are counts (ints), though the values map types them int | str | None
    for key in ("regulations", "normative_documents"):
        now, before = values["active_disclosure"][key], last["active_disclosure"][key]
        before["in_force"] = now["in_force"] - now["issued"] + now["repealed"]  # type: ignore[operator]  # the sample's cells are counts (ints), though the values map types them int | str | None
    problems = "2022年存在的主要问题是依申请公开答复文书不够规范。下一步将统一答复文书格式，开展案例学习。"
    return render_report(last, layout="tab", agency="示例市示例局", year=2022, narrative={"problems": problems})


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
                "previous": Schema(
                    type=[OpenAPIType.OBJECT, OpenAPIType.NULL],
                    required=["content"],
                    properties={
                        "content": Schema(type=OpenAPIType.STRING, min_length=1, description="Last year's report text."),
                        "filename": Schema(type=[OpenAPIType.STRING, OpenAPIType.NULL]),
                        "format": Schema(type=[OpenAPIType.STRING, OpenAPIType.NULL], enum=["text", "html", None]),
                    },
                    description=(
                        "Optional: the same agency's report on the year before, same shape as the body. "
                        "Adds the cross-year rules (family `cross-year`): 上年结转 against last year's "
                        "结转下年度 (error), 现行有效件数 continuity (warning), a problems part copied from "
                        "last year (warning); another agency or a non-consecutive year gives one "
                        "`previous-not-comparable` warning instead. Last year's own findings are not returned."
                    ),
                ),
            },
        ),
        examples={
            "report": Example(summary="The same report wrapped in JSON", value={"content": text, "filename": "2023年报.txt"}),
            "cross-year": Example(
                summary="With last year's report",
                value={"content": text, "filename": "2023年报.txt",
                       "previous": {"content": sample_previous(), "filename": "2022年报.txt"}},
            ),
        },
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
        _add_example(self, _cross_year_result(), "cross-year",
                     "Result for the sample report with a `previous` whose 结转下年度 · 自然人 is 2 higher")


@cache
def _cross_year_result() -> Any:
    from service.domain.rules.crossyear import with_previous

    result = with_previous(parse_text(sample_report()), parse_text(sample_previous(2)))
    return msgspec.to_builtins(ValidateResult.from_parse(result))


def _add_example(op: Operation, value: Any, name: str = "report",
                 summary: str = "Result for the sample report") -> None:
    if not op.responses:
        return
    ok = op.responses.get("200")
    if isinstance(ok, OpenAPIResponse) and ok.content:
        for media in ok.content.values():
            media.examples = {**(media.examples or {}), name: Example(summary=summary, value=value)}


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


@cache
def sample_rollup() -> tuple[str, tuple[str, ...]]:
    """A county's summary report over two departments' reports; the summary's 予以公开 ·
    自然人 is one more than the parts' sum, so the example answer shows a finding."""
    parts = [consistent_values(seed=s) for s in (12, 13)]
    total = summed_values(parts)
    total["applications"]["granted"]["natural_person"] += 1  # type: ignore[operator]  # the sample's cells are counts (ints), though the values map types them int | str | None
    summary = render_report(total, layout="tab", agency="示例县人民政府", year=2023)
    return summary, tuple(
        render_report(p, layout="tab", agency=name, year=2023)
        for p, name in zip(parts, ("示例县教育局", "示例县民政局"), strict=True)
    )


def _rollup_body() -> RequestBody:
    summary, parts = sample_rollup()
    doc = Schema(
        type=OpenAPIType.OBJECT,
        required=["content"],
        properties={
            "content": Schema(type=OpenAPIType.STRING, min_length=1),
            "filename": Schema(type=[OpenAPIType.STRING, OpenAPIType.NULL]),
            "format": Schema(type=[OpenAPIType.STRING, OpenAPIType.NULL], enum=["text", "html", None]),
        },
    )
    binary = Schema(type=OpenAPIType.STRING, format=OpenAPIFormat.BINARY)
    return RequestBody(
        required=True,
        description="The summary report and the reports it sums (1 to 100 parts).",
        content={
            "application/json": MediaType(
                schema=Schema(
                    type=OpenAPIType.OBJECT, required=["summary", "parts"],
                    properties={"summary": doc, "parts": Schema(type=OpenAPIType.ARRAY, items=doc, min_items=1, max_items=100)},
                ),
                examples={"rollup": Example(summary="A county's report over two departments' reports", value={
                    "summary": {"content": summary, "filename": "示例县2023年报.txt"},
                    "parts": [{"content": p} for p in parts],
                })},
            ),
            "multipart/form-data": MediaType(
                schema=Schema(
                    type=OpenAPIType.OBJECT, required=["summary", "parts"],
                    properties={
                        "summary": Schema(type=OpenAPIType.STRING, format=OpenAPIFormat.BINARY, description="The summary report, any accepted format."),
                        "parts": Schema(type=OpenAPIType.ARRAY, items=binary, description="The reports it sums, one part named `parts` each."),
                    },
                ),
                examples={"upload": Example(
                    summary="Files", description="curl -F summary=@县.pdf -F parts=@教育局.pdf -F parts=@民政局.pdf …/v1/reports/rollup",
                    value={"summary": "(file bytes)", "parts": ["(file bytes)", "(file bytes)"]},
                )},
            ),
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


@cache
def _rollup_result() -> Any:
    from service.domain.models import RollupPart, RollupResult, summarise
    from service.domain.rules.rollup import compare

    summary, parts = sample_rollup()
    top, results = parse_text(summary), [parse_text(p) for p in parts]
    issues = compare(top, results)
    return msgspec.to_builtins(RollupResult(
        report=ValidateResult.from_parse(top),
        parts=[RollupPart(index=n, meta=r.meta, summary=r.summary) for n, r in enumerate(results, 1)],
        issues=issues, summary=summarise(issues),
    ))


@dataclass
class RollupOperation(Operation):
    def __post_init__(self) -> None:
        self.request_body = _rollup_body()
        _add_example(self, _rollup_result())
