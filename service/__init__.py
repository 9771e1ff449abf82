"""nianbao (年报校验服务): parse and validate government information disclosure annual reports."""

__version__ = "0.1.0"
