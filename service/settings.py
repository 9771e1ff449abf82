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
| NIANBAO_BODY_TIMEOUT      | 10        | seconds a client may take to send its whole body (408)|
| NIANBAO_PARSE_WORKERS     | 4         | worker processes reading documents, per server worker |
| NIANBAO_PARSE_QUEUE       | 4         | documents that may wait for a reader (503 beyond)     |
| NIANBAO_PARSE_DEADLINE    | 7         | seconds one document may take to read (422 past it)   |
| NIANBAO_PARSE_MEMORY_MB   | 256       | MiB one document may take in its reader (422 past it) |
| NIANBAO_PARSE_TOTAL_MEMORY_MB | 384   | MiB all documents being read may take together        |

Time bounds nest: a request lasts at most the body timeout, one parse deadline waiting for
a reader and one reading, so `NIANBAO_BODY_TIMEOUT + 2 × NIANBAO_PARSE_DEADLINE <
NIANBAO_SHUTDOWN_TIMEOUT` is required at start (10 + 14 < 25 by default), and the chart
derives `terminationGracePeriodSeconds` from the shutdown timeout.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

import msgspec

if TYPE_CHECKING:
    from service.api.pool import PoolLimits

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
    body_timeout: int = 10
    parse_workers: int = 4
    parse_queue: int = 4
    parse_deadline: int = 7
    parse_memory_mb: int = 256
    parse_total_memory_mb: int = 384

    def __post_init__(self) -> None:
        if self.body_timeout + 2 * self.parse_deadline >= self.shutdown_timeout:
            raise SettingsError(
                f"NIANBAO_BODY_TIMEOUT ({self.body_timeout}) + 2 × NIANBAO_PARSE_DEADLINE "
                f"({self.parse_deadline}: waiting for a reader, then reading) must be less than "
                f"NIANBAO_SHUTDOWN_TIMEOUT ({self.shutdown_timeout}): a request in flight at "
                "SIGTERM must be able to finish"
            )
        if self.parse_total_memory_mb < self.parse_memory_mb:
            raise SettingsError("NIANBAO_PARSE_TOTAL_MEMORY_MB must be at least NIANBAO_PARSE_MEMORY_MB")

    def pool_limits(self) -> PoolLimits:
        from service.api.pool import MiB, PoolLimits  # the domain is imported with it

        return PoolLimits(
            workers=self.parse_workers,
            queue=self.parse_queue,
            deadline=float(self.parse_deadline),
            worker_memory=self.parse_memory_mb * MiB,
            total_memory=self.parse_total_memory_mb * MiB,
        )

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
        keys = api_keys(env)
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
            body_timeout=integer("NIANBAO_BODY_TIMEOUT", 10, 1),
            parse_workers=integer("NIANBAO_PARSE_WORKERS", 4, 1),
            parse_queue=integer("NIANBAO_PARSE_QUEUE", 4, 0),
            parse_deadline=integer("NIANBAO_PARSE_DEADLINE", 7, 1),
            parse_memory_mb=integer("NIANBAO_PARSE_MEMORY_MB", 256, 32),
            parse_total_memory_mb=integer("NIANBAO_PARSE_TOTAL_MEMORY_MB", 384, 32),
        )


def api_keys(env: Mapping[str, str]) -> set[str]:
    """The configured API keys. Fails closed: a variable that is set but yields no key (`,`,
    a blank or empty keys file) is an error, never "authentication off"."""
    raw = env.get("NIANBAO_API_KEYS", "")
    keys = {k.strip() for k in raw.split(",") if k.strip()}
    if raw.strip() and not keys:
        raise SettingsError("NIANBAO_API_KEYS is set but holds no key (only commas and spaces); "
                            "unset it to run without keys")
    keys_file = env.get("NIANBAO_API_KEYS_FILE", "").strip()
    if keys_file:
        try:
            text = Path(keys_file).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            reason = exc.strerror if isinstance(exc, OSError) else "not UTF-8 text"
            raise SettingsError(f"NIANBAO_API_KEYS_FILE cannot be read: {reason}") from None
        from_file = {line.strip() for line in text.splitlines() if line.strip()}
        if not from_file:
            raise SettingsError(f"NIANBAO_API_KEYS_FILE ({keys_file}) holds no key; refusing to start "
                                "without authentication. Put one key per line, or unset the variable")
        keys |= from_file
    return keys
