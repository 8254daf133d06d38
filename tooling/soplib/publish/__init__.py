"""What the site publishes, as files any Markdown site generator renders: no generator is imported here."""
