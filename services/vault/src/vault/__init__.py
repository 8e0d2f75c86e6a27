"""The config vault: every CloudFront distribution's configuration kept as numbered
versions, compared, rolled back, copied and recreated."""
