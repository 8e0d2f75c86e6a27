"""The Shop web client: the static single-page app in `site/` and the command that publishes it."""
