"""Liveness, readiness and the problem-type descriptions."""

from __future__ import annotations

from typing import Any

import msgspec
from litestar import Request, Response, get
from litestar.datastructures import State
from litestar.params import FromPath
from litestar.openapi.datastructures import ResponseSpec
from litestar.openapi.spec import Example

from service.api.openapi_docs import example_response
from service.api.problems import PROBLEM_TYPES, Problem, ProblemError, ProblemType


class Health(msgspec.Struct):
    status: str


@get("/healthz", operation_id="healthz", summary="Liveness probe", tags=["operations"],
     responses={200: example_response(Health, {"status": "ok"}, "The process is alive.")})
async def healthz() -> Health:
    return Health(status="ok")


@get("/readyz", operation_id="readyz", summary="Readiness probe", tags=["operations"],
     description="200 once the service has warmed up; 503 while it starts, while it drains, and "
                 "while every document reader is busy and the waiting places are taken (`busy`: "
                 "new documents would be refused, so the Service should send them elsewhere). "
                 "Answered on the event loop: it never waits behind a document being read.",
     responses={
         200: example_response(Health, {"status": "ready"}, "Ready to serve."),
         503: example_response(Health, {"status": "busy"}, "Starting, shutting down, or full."),
     })
async def readyz(state: State) -> Response[Health]:
    if not state.get("ready", False):
        return Response(Health(status="starting" if not state.get("draining") else "draining"), status_code=503)
    workers = state.get("pool")
    if workers is not None and workers.full():
        return Response(Health(status="busy"), status_code=503, headers={"Retry-After": "1"})
    return Response(Health(status="ready"))


@get("/problems/{slug:str}", operation_id="getProblemType", summary="Describe a problem type",
     tags=["operations"], description="What a problem `type` URI returned by this service means.",
     responses={200: example_response(ProblemType, msgspec.to_builtins(PROBLEM_TYPES["empty-body"]),
                                      "The problem type."),
                # Found by contract fuzzing: the 404 for an unknown slug was undocumented.
                404: ResponseSpec(data_container=Problem, media_type="application/problem+json",
                                  description="No problem type of that name.", generate_examples=False,
                                  examples=[Example(summary="not-found", value={
                                      "type": "/problems/not-found", "title": "资源不存在", "status": 404})])})
async def problem_type(slug: FromPath[str], request: Request[Any, Any, Any]) -> ProblemType:
    if slug not in PROBLEM_TYPES:
        raise ProblemError("not-found", f"No problem type {slug!r}.")
    return PROBLEM_TYPES[slug]
