"""Refusals of the exchange format, each naming the path (``activities[3].window``)."""


class FormatError(ValueError):
    """A document that breaks the format; ``path`` names the place."""

    def __init__(self, path: str, message: str) -> None:
        super().__init__(f"{path or '(document)'}: {message}")
        self.path = path
        self.message = message


class ProblemError(FormatError):
    """A problem that breaks the schema or contradicts itself."""


class SolutionError(FormatError):
    """A solution that breaks the schema."""
