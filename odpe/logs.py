"""Secrets never reach a log line: a filter for every handler (Django's and gunicorn's)."""

import logging
import re

# An invitation link carries the token that creates an account: anyone who reads it in a log
# could use it. Only its hash is stored; the clear token lives in the e-mail and the address bar.
SECRET_PATHS = re.compile(r"(/invitations/accept/)[^/\s\"'?#]+")
REDACTED = r"\1[redacted]"


def redact(text: str) -> str:
    return SECRET_PATHS.sub(REDACTED, text)


class RedactSecrets(logging.Filter):
    """Rewrites the message (arguments included) and the traceback text with the secrets masked."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        record.msg, record.args = redact(message), ()
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        return True
