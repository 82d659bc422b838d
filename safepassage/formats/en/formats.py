# Dates as GOV.UK writes them: 24 November 2026, 2:05pm is written 14:05 on staff screens.
DATE_FORMAT = "j F Y"
DATETIME_FORMAT = "j F Y, H:i"
SHORT_DATETIME_FORMAT = "j M Y, H:i:s"
