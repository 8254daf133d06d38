"""Debian's chromium as Playwright launches it here (`playwright install` cannot download a browser)."""

CHROMIUM = "/usr/bin/chromium"
# As root and without internet, Chromium needs these (see ../shared/design.md, Conventions).
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
