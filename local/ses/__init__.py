"""Amazon SES, stood in for by a real SMTP server that keeps every message."""
