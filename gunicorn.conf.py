"""gunicorn reads this file from the working folder: its logs go through our redaction filter."""

from gunicorn.glogging import Logger

from odpe.logs import RedactSecrets


class RedactingLogger(Logger):
    """The access log writes every request line and referrer: invitation tokens are masked there."""

    def setup(self, cfg):
        super().setup(cfg)
        for log in (self.error_log, self.access_log):
            for handler in log.handlers:
                handler.addFilter(RedactSecrets())


logger_class = RedactingLogger
