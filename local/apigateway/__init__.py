"""API Gateway: the REST API stage, its authorizer, API keys and usage plans."""
