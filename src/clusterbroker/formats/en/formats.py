"""English date and time formats: day before month, and a 24-hour clock.

Django's English defaults write a time as "2:28 a.m.": its abbreviation point doubled the full
stop of every sentence that ends with a time ("Registration closed on ..., 2:28 a.m..").
Times are written on a 24-hour clock, as the event pages already do, and month names are
never abbreviated with a point ("Sept."), so a date or a time can end a sentence.
"""

DATE_FORMAT = "j F Y"
TIME_FORMAT = "H:i"
DATETIME_FORMAT = "j F Y, H:i"
YEAR_MONTH_FORMAT = "F Y"
MONTH_DAY_FORMAT = "j F"
SHORT_DATE_FORMAT = "j M Y"
SHORT_DATETIME_FORMAT = "j M Y, H:i"
