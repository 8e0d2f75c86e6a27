"""A handler in a process of its own, with the variables Lambda's Python runtime sets.

Lambda's own variables change what libraries do at import: the X-Ray SDK, for one, makes a
centralized sampler with two botocore clients unless `LAMBDA_TASK_ROOT` says it runs in
Lambda. A cold start measured or tested without them is not Lambda's.
"""

from pathlib import Path

RUNTIME = "python3.13"
REGION = "eu-west-1"
# Link-local, as in Lambda: nothing listens there, and the X-Ray SDK only sends UDP to it.
XRAY_DAEMON = "169.254.79.129:2000"
INITIALIZATION_TYPES = ("on-demand", "provisioned-concurrency", "snap-start")


def lambda_environment(
    function_name: str,
    task_root: Path,
    *,
    memory_mb: int = 512,
    initialization_type: str = "on-demand",
    xray_daemon: str = XRAY_DAEMON,
) -> dict[str, str]:
    """What Lambda's runtime puts in a function's environment besides its own variables
    (credentials: the emulator's fakes)."""
    if initialization_type not in INITIALIZATION_TYPES:
        raise ValueError(f"{initialization_type} is not one of {INITIALIZATION_TYPES}")
    daemon_host, _, daemon_port = xray_daemon.rpartition(":")
    return {
        "PATH": "/usr/local/bin:/usr/bin:/bin",
        "LANG": "en_US.UTF-8",
        "TZ": ":UTC",
        "AWS_REGION": REGION,
        "AWS_DEFAULT_REGION": REGION,
        "AWS_EXECUTION_ENV": f"AWS_Lambda_{RUNTIME}",
        "AWS_LAMBDA_FUNCTION_NAME": function_name,
        "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": str(memory_mb),
        "AWS_LAMBDA_FUNCTION_VERSION": "$LATEST",
        "AWS_LAMBDA_INITIALIZATION_TYPE": initialization_type,
        "AWS_LAMBDA_LOG_GROUP_NAME": f"/aws/lambda/{function_name}",
        "AWS_LAMBDA_LOG_STREAM_NAME": "2026/11/29/[$LATEST]00000000000000000000000000000000",
        "LAMBDA_TASK_ROOT": str(task_root),
        "LAMBDA_RUNTIME_DIR": "/var/runtime",
        "AWS_XRAY_CONTEXT_MISSING": "LOG_ERROR",
        "AWS_XRAY_DAEMON_ADDRESS": xray_daemon,
        "_AWS_XRAY_DAEMON_ADDRESS": daemon_host,
        "_AWS_XRAY_DAEMON_PORT": daemon_port,
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_SESSION_TOKEN": "testing",
    }


def trace_header(*, sampled: bool) -> str:
    """An invocation's `_X_AMZN_TRACE_ID`, as Lambda sets it, with X-Ray's sampling decision."""
    flag = "1" if sampled else "0"
    return f"Root=1-674a1b2c-0123456789abcdef01234567;Parent=53995c3f42cd8ad8;Sampled={flag}"
