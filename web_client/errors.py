"""What can stop a publication; the command line prints the message and exits non-zero."""


class PublishError(Exception):
    """Base of the refusals the publishing command reports to its user."""


class MissingExportsError(PublishError):
    """The stacks the web client needs are not deployed (or not in this region)."""

    def __init__(self, missing: list[str]) -> None:
        super().__init__(
            "Missing CloudFormation exports: "
            + ", ".join(missing)
            + ". Deploy the bootstrap and api stacks of this stage first."
        )
        self.missing = missing


class AwsRefusedError(PublishError):
    """An AWS call failed (no permission, unknown bucket or distribution, throttling...)."""

    def __init__(self, operation: str, code: str, message: str) -> None:
        super().__init__(f"{operation} failed: {code}: {message}")
        self.operation = operation
        self.code = code


class MissingVendorFilesError(PublishError):
    """The npm packages the site loads are not installed."""

    def __init__(self, missing: list[str]) -> None:
        super().__init__(
            "Missing "
            + ", ".join(missing)
            + ": install the web client's npm packages first (`make setup` runs npm ci)."
        )
        self.missing = missing
