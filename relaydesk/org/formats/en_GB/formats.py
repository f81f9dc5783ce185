# Django's en_GB formats with the 24-hour clock (see relaydesk/org/formats/__init__.py).
TIME_FORMAT = "H:i"
DATETIME_FORMAT = "j M Y, H:i"
SHORT_DATETIME_FORMAT = "d/m/Y H:i"
