"""The partners service: the catalogue and price quotes for partners' machines (API key and
usage plan), and the admin's management of those partners' keys."""
