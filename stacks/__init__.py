"""The stack templates read as data, and their intrinsic functions resolved against given values:
what the local stack, the tests, the bench and the pipelines' test export build from."""
