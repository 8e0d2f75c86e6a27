"""Publish the web client to a stage: `python -m web_client.publish --stage dev [--region R]`.

Reads the stage's exports (`shop-<stage>-WebBucketName`, `-WebDistributionId`, `-ApiUrl`,
`-UserPoolId`, `-UserPoolClientId`, `-Currency`), writes `config.json` from them, syncs
`web_client/site/` and the npm packages it loads (web_client/vendor.py) to the bucket and
invalidates the CloudFront distribution.
"""

import argparse
import sys
from collections.abc import Sequence

from web_client.aws import CloudFrontDistribution, S3SiteBucket, aws_clients, read_exports
from web_client.errors import PublishError
from web_client.release import PublishReport, build_release, publish, target_from_exports
from web_client.vendor import vendor_files


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m web_client.publish",
        description="Publish the web client to the stage's S3 bucket and CloudFront distribution.",
    )
    parser.add_argument("--stage", required=True, help="deployment stage, e.g. dev or prod")
    parser.add_argument("--region", help="AWS region (default: AWS_REGION or the profile's)")
    return parser.parse_args(argv)


def run(stage: str, region: str | None) -> PublishReport:
    clients = aws_clients(region)
    target = target_from_exports(stage, clients.region, read_exports(clients.cloudformation))
    return publish(
        build_release(target.config, vendor=vendor_files()),
        S3SiteBucket(clients.s3, target.bucket),
        CloudFrontDistribution(clients.cloudfront, target.distribution_id),
    )


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    try:
        report = run(args.stage, args.region)
    except PublishError as exc:
        print(f"publish: {exc}", file=sys.stderr)
        return 1
    print(
        f"publish: release {report.version}: {len(report.uploaded)} objects uploaded, "
        f"{len(report.deleted)} stale objects deleted, invalidation {report.invalidation_id}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
