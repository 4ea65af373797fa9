"""What the long-running services (validator, listener, consumer) share: JSON logs on stderr
and one way of reporting a bad configuration."""

from __future__ import annotations

import json
import logging
import sys
import time
from typing import Any

from pydantic import ValidationError

EXIT_BAD_CONFIG = 2  # argparse's code for bad usage


class JsonFormatter(logging.Formatter):
    """One JSON object per line, with the record's `extra` fields."""

    _SKIP = frozenset(vars(logging.makeLogRecord({})).keys()) | {"message", "asctime"}

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "ts": round(time.time(), 3),
            "level": record.levelname.lower(),
            "logger": record.name,
            "msg": record.getMessage(),
        }
        line.update({k: v for k, v in vars(record).items() if k not in self._SKIP})
        if record.exc_info:
            line["exc"] = self.formatException(record.exc_info)
        return json.dumps(line, default=str)


def log_json() -> None:
    """Route every logger to stderr as JSON lines (journald and CloudWatch keep them as is)."""
    handler = logging.StreamHandler()
    handler.setFormatter(JsonFormatter())
    logging.basicConfig(level=logging.INFO, handlers=[handler], force=True)


def bad_config(command: str, error: ValidationError) -> int:
    """Print each invalid setting on one line, `chainops COMMAND: field: why`; the exit code."""
    for problem in error.errors():
        where = ".".join(str(part) for part in problem["loc"]) or "config"
        print(f"chainops {command}: {where}: {problem['msg']}", file=sys.stderr)
    return EXIT_BAD_CONFIG
