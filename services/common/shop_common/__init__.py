"""Shared code of the Shop services: errors, HTTP responses, caller, settings, pagination."""
