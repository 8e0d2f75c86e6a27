"""Lambda: each function run in worker processes, as Lambda runs it."""
