"""Git: the only place that runs it, the history of every SOP file, and the library at a reference."""
