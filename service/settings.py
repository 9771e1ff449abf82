"""Every setting, read from the environment in one place.

| variable                  | default   | meaning                                               |
|---------------------------|-----------|-------------------------------------------------------|
| NIANBAO_HOST              | 0.0.0.0   | address the server binds                              |
| NIANBAO_PORT              | 8000      | port the server listens on                            |
| NIANBAO_WORKERS           | 1         | server worker processes                               |
| NIANBAO_MAX_BODY_BYTES    | 5242880   | largest accepted request body (413 above it)          |
| NIANBAO_LOG_LEVEL         | info      | debug, info, warning, error                           |
| NIANBAO_CORS_ORIGINS      | (empty)   | comma-separated origins allowed by CORS; empty: off   |
| NIANBAO_API_KEYS          | (empty)   | comma-separated API keys; empty: no key required      |
| NIANBAO_API_KEYS_FILE     | (empty)   | file with one API key per line (a mounted Secret)     |
| NIANBAO_SHUTDOWN_TIMEOUT  | 25        | seconds to finish in-flight requests after SIGTERM    |
| NIANBAO_BATCH_MAX_FILES   | 500       | reports one POST /v1/batches may hold                 |
| NIANBAO_BATCH_MAX_BYTES   | 104857600 | largest batch body, and most bytes its zip unpacks to |
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

import msgspec

_LEVELS = ("debug", "info", "warning", "error", "critical")


class SettingsError(ValueError):
    """An environment variable holds a value the service cannot use."""


class Settings(msgspec.Struct, frozen=True, kw_only=True):
    host: str = "0.0.0.0"
    port: int = 8000
    workers: int = 1
    max_body_bytes: int = 5 * 1024 * 1024
    log_level: str = "info"
    cors_origins: tuple[str, ...] = ()
    api_keys: frozenset[str] = frozenset()
    shutdown_timeout: int = 25
    batch_max_files: int = 500
    batch_max_bytes: int = 100 * 1024 * 1024

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        env = os.environ if env is None else env

        def integer(name: str, default: int, minimum: int) -> int:
            raw = env.get(name, "").strip()
            if not raw:
                return default
            try:
                value = int(raw)
            except ValueError:
                raise SettingsError(f"{name} must be an integer, got {raw!r}") from None
            if value < minimum:
                raise SettingsError(f"{name} must be at least {minimum}, got {value}")
            return value

        level = env.get("NIANBAO_LOG_LEVEL", "info").strip().lower() or "info"
        if level not in _LEVELS:
            raise SettingsError(f"NIANBAO_LOG_LEVEL must be one of {', '.join(_LEVELS)}")
        keys = {k.strip() for k in env.get("NIANBAO_API_KEYS", "").split(",") if k.strip()}
        keys_file = env.get("NIANBAO_API_KEYS_FILE", "").strip()
        if keys_file:
            try:
                text = Path(keys_file).read_text(encoding="utf-8")
            except OSError as exc:
                raise SettingsError(f"NIANBAO_API_KEYS_FILE cannot be read: {exc.strerror}") from None
            keys |= {line.strip() for line in text.splitlines() if line.strip()}
        origins = tuple(o.strip() for o in env.get("NIANBAO_CORS_ORIGINS", "").split(",") if o.strip())
        return cls(
            host=env.get("NIANBAO_HOST", "0.0.0.0").strip() or "0.0.0.0",
            port=integer("NIANBAO_PORT", 8000, 1),
            workers=integer("NIANBAO_WORKERS", 1, 1),
            max_body_bytes=integer("NIANBAO_MAX_BODY_BYTES", 5 * 1024 * 1024, 1),
            log_level=level,
            cors_origins=origins,
            api_keys=frozenset(keys),
            shutdown_timeout=integer("NIANBAO_SHUTDOWN_TIMEOUT", 25, 1),
            batch_max_files=integer("NIANBAO_BATCH_MAX_FILES", 500, 1),
            batch_max_bytes=integer("NIANBAO_BATCH_MAX_BYTES", 100 * 1024 * 1024, 1),
        )
