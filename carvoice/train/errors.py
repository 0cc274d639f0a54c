from carvoice.errors import CarvoiceError


class TrainError(CarvoiceError):
    """Training data, fitting or export went wrong, in a way the message explains."""
