"""The core's shared definitions: what every command and every page reads the same way."""
