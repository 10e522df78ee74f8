"""gunicorn settings for Rekindle (`make run` and the tests pass ``--config`` with this file).

The logger takes partner invite tokens out of the access and error logs.
"""

logger_class = "assessment.core.log_redaction.RedactingLogger"
