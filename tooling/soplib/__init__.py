"""SOP library tooling: one core (load, lint, history, change log, diff); thin doors (CLI, MkDocs plugin)."""
