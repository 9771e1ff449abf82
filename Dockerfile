# syntax=docker/dockerfile:1.7
# nianbao: the service image. Two stages, as in uv's Docker guide:
#   builder  resolves nothing: it installs exactly uv.lock into /app/.venv, dependencies in a
#            layer of their own (rebuilt only when the lock changes), then the project;
#   runtime  the same slim Python with the virtual environment copied in: no uv, no compilers,
#            no source tree, a numeric non-root user.
# Both stages use the same base so the venv's interpreter path (/usr/local/bin/python3.11)
# exists in the runtime. Every dependency ships a manylinux wheel, so nothing is compiled.

ARG PYTHON_IMAGE=python:3.11-slim-bookworm
# The builder may differ from the runtime only in what it trusts or carries for the build
# (e.g. a corporate CA for a TLS-intercepting proxy); its Python must be the runtime's.
ARG BUILDER_IMAGE=${PYTHON_IMAGE}
ARG UV_IMAGE=ghcr.io/astral-sh/uv:0.13.9

FROM ${UV_IMAGE} AS uv

FROM ${BUILDER_IMAGE} AS builder
COPY --from=uv /uv /uvx /bin/
ENV UV_COMPILE_BYTECODE=1 \
    UV_LINK_MODE=copy \
    UV_PYTHON_DOWNLOADS=0 \
    UV_PROJECT_ENVIRONMENT=/app/.venv
WORKDIR /app

# Dependencies only: this layer is cached until uv.lock or pyproject.toml change.
RUN --mount=type=cache,target=/root/.cache/uv \
    --mount=type=bind,source=uv.lock,target=/app/uv.lock \
    --mount=type=bind,source=pyproject.toml,target=/app/pyproject.toml \
    uv sync --frozen --no-dev --no-install-project

# The project itself, installed as a wheel (not editable) so the runtime needs no source tree.
# uv keys its cached build of a local project on pyproject.toml only, so with the cache mount
# a changed source tree would reinstall the old wheel: refresh the project's entry every time.
COPY pyproject.toml uv.lock README.md ./
COPY service ./service
RUN --mount=type=cache,target=/root/.cache/uv \
    uv sync --frozen --no-dev --no-editable --refresh-package nianbao --reinstall-package nianbao

FROM ${PYTHON_IMAGE} AS runtime
ARG UID=10001
RUN groupadd --system --gid "${UID}" nianbao \
 && useradd --system --uid "${UID}" --gid "${UID}" --no-create-home --home-dir /nonexistent \
            --shell /usr/sbin/nologin nianbao
COPY --from=builder /app/.venv /app/.venv
ENV PATH="/app/.venv/bin:${PATH}" \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    NIANBAO_HOST=0.0.0.0 \
    NIANBAO_PORT=8000 \
    NIANBAO_WORKERS=1
WORKDIR /app
# Numeric, so Kubernetes' runAsNonRoot can verify it without reading /etc/passwd.
USER 10001:10001
EXPOSE 8000
# uvicorn drains on SIGTERM: stops accepting, finishes in-flight requests, then exits.
STOPSIGNAL SIGTERM
HEALTHCHECK --interval=30s --timeout=5s --start-period=10s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:%s/healthz' % os.environ.get('NIANBAO_PORT', '8000'), timeout=4)"]
ENTRYPOINT ["nianbao"]
CMD ["serve"]
