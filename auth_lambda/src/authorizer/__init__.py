"""The JWT Lambda authorizer: verifies Cognito tokens and returns the caller's IAM policy."""
