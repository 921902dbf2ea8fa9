"""The one way the admin writes a moment: "2 Dec 2026, 14:05 UTC" (decision 0120).

Django reads these for its English locale (``FORMAT_MODULE_PATH``): change lists, read-only
fields, the history and every page that formats a date with the ``DATETIME_FORMAT`` name, and
``core.text.moment`` for the sentences the workflow writes. Input formats stay Django's, so
the date and time pickers keep reading what they write.
"""

DATETIME_FORMAT = "j M Y, H:i T"
SHORT_DATETIME_FORMAT = DATETIME_FORMAT
DATE_FORMAT = "j M Y"
SHORT_DATE_FORMAT = DATE_FORMAT
TIME_FORMAT = "H:i"
