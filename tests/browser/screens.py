"""The two screens the site is checked on: a desktop's, and a phone's (390 px: a common phone's CSS width)."""

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
