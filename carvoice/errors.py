"""The base of every error carvoice reports to a user.

The CLI prints a `CarvoiceError` as one clear message and a non-zero exit code, never a traceback.
"""


class CarvoiceError(Exception):
    """A problem the user can understand and act on; the message says what happened and what to do."""
