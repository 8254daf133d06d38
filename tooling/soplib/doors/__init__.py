"""The doors to the core: the command line, the site generator, GitHub. They parse, call the core, choose a
renderer, write and exit; nothing else lives here."""
