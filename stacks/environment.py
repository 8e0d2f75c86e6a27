"""The environment a function of the stacks runs in: Lambda's own variables around its
template's, and the credentials that point boto3 (ours and the handlers') at an emulator."""

import os
import secrets
import time
from collections.abc import Mapping
from pathlib import Path

# The emulator's secret key when the shell sets none: of this run only, so that a signature
# (an S3 request at /s3/, an upload's policy) is the stack's or one of its functions'.
_RUN_SECRET_KEY = secrets.token_hex(20)


def fake_credentials_environment(region: str, endpoint_url: str) -> dict[str, str]:
    """What boto3 (ours and the handlers') needs to talk to the emulator and nothing else."""
    return {
        "AWS_ACCESS_KEY_ID": os.environ.get("AWS_ACCESS_KEY_ID", "local"),
        "AWS_SECRET_ACCESS_KEY": os.environ.get("AWS_SECRET_ACCESS_KEY", _RUN_SECRET_KEY),
        "AWS_REGION": region,
        "AWS_DEFAULT_REGION": region,
        "AWS_ENDPOINT_URL": endpoint_url,
    }


def lambda_environment(
    function_name: str,
    *,
    handler: str,
    task_root: Path,
    memory_mb: int,
    region: str,
    template_variables: Mapping[str, str],
    emulator: Mapping[str, str],
    initialization_type: str = "on-demand",
) -> dict[str, str]:
    """A function's environment as Lambda gives it: its template's variables, Lambda's own
    (reserved: a template cannot change them), and `emulator` (the credentials and what
    points the function at the local emulator). `initialization_type` is Lambda's
    `on-demand`, `provisioned-concurrency` or `snap-start` (the init of a snapshot). The
    runtime's own folder (`LAMBDA_RUNTIME_DIR`) is the runtime's to add."""
    return {
        "LANG": "en_US.UTF-8",
        "TZ": ":UTC",
        "PATH": "/usr/local/bin:/usr/bin:/bin",
        **template_variables,
        "AWS_REGION": region,
        "AWS_DEFAULT_REGION": region,
        "AWS_EXECUTION_ENV": "AWS_Lambda_python3.13",
        "AWS_LAMBDA_FUNCTION_NAME": function_name,
        "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": str(memory_mb),
        "AWS_LAMBDA_FUNCTION_VERSION": "$LATEST",
        "AWS_LAMBDA_INITIALIZATION_TYPE": initialization_type,
        "AWS_LAMBDA_LOG_GROUP_NAME": f"/aws/lambda/{function_name}",
        "AWS_LAMBDA_LOG_STREAM_NAME": time.strftime("%Y/%m/%d/[$LATEST]") + "local",
        "_HANDLER": handler,
        "LAMBDA_TASK_ROOT": str(task_root),
        **emulator,
    }
