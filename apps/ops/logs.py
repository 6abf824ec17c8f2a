"""DJANGO_LOG_FORMAT=json: one JSON object per line, for a log shipper to parse."""

import json
import logging
from datetime import UTC, datetime

REQUEST_FIELDS = (
    "request_id",
    "company",
    "door",
    "method",
    "path",
    "status",
    "duration_ms",
    "queries",
)


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        line = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
        }
        for field in REQUEST_FIELDS:
            if hasattr(record, field):
                line[field] = getattr(record, field)
        line["message"] = record.getMessage()
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return json.dumps(line, default=str)
