"""Our own date formats where Django's don't suit a support desk (settings.FORMAT_MODULE_PATH).

Django's en-GB writes moments on a 12-hour clock with minutes dropped on the hour ("5 a.m.",
"midnight"); British timetables, rotas and deadlines are read on the 24-hour clock, and a
deadline of "midnight" leaves people asking which one. Only the time is changed; every other
format is still Django's.
"""
