"""EventBridge as the local stack needs it: CloudTrail's management events of the emulated
CloudFront, delivered to the functions whose templates declare a matching rule."""
