"""Powertools Logger, Tracer and Metrics, configured by the POWERTOOLS_* environment."""

from aws_lambda_powertools import Logger, Metrics, Tracer

logger = Logger()
tracer = Tracer()
metrics = Metrics()
