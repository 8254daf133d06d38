"""`python -m soplib` runs the `sop` command (how `sop serve` starts its builds)."""

from soplib.doors.cli import main

main()
