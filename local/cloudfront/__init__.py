"""CloudFront as the config vault needs it: distributions kept exactly as put, a new ETag on
every update, and CloudFront's refusals (local/cloudfront/distributions.py), served on the
emulator's endpoint in front of moto (local/cloudfront/server.py)."""
