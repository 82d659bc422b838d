# Arabic: the same order, with the Arabic comma.
DATE_FORMAT = "j F Y"
DATETIME_FORMAT = "j F Y، H:i"
SHORT_DATETIME_FORMAT = "j M Y، H:i:s"
