"""Data migrations: documented, re-runnable scripts run once per stage after a deploy that
needs them (README, "Migrations")."""
