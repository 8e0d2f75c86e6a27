"""One module per route; each ends with `lambda_handler = entrypoint(app)`."""
