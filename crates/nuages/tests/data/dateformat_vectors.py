"""Golden vectors for nuages::utils::dateformat, produced by real Django 5.2.

Run with the reference venv:
    ~/.cache/nuages-reference-django/venv/bin/python dateformat_vectors.py > dateformat_vectors.json

Settings: USE_TZ=True, TIME_ZONE="UTC" (Django sets the process TZ to it, so naive values are
read in UTC by `U`), LANGUAGE_CODE="en-us", USE_I18N=False.
Each case: value (kind + fields), format, and the outputs of dateformat.format (`dateformat`),
dateformat.time_format (`timeformat`) and the |date and |time filters (or the error class).
"""
import datetime
import json

import django
from django.conf import settings

settings.configure(USE_TZ=True, TIME_ZONE="UTC", USE_I18N=False, LANGUAGE_CODE="en-us")
django.setup()

from django.utils import dateformat  # noqa: E402
from django.template import defaultfilters  # noqa: E402

CHARS = "aAbcdDeEfFgGhHiIjlLmMnNoOPrsStTUuwWyYzZ"

UTC = datetime.timezone.utc


def tz(minutes, name=None):
    return datetime.timezone(datetime.timedelta(minutes=minutes), name) if name else datetime.timezone(
        datetime.timedelta(minutes=minutes))


def describe(v):
    if isinstance(v, datetime.datetime):
        d = {"kind": "datetime", "y": v.year, "mo": v.month, "d": v.day, "h": v.hour, "mi": v.minute,
             "s": v.second, "us": v.microsecond}
        if v.tzinfo is not None:
            off = v.utcoffset()
            d["offset"] = off.days * 86400 + off.seconds
            d["tzname"] = v.tzname()
        return d
    if isinstance(v, datetime.date):
        return {"kind": "date", "y": v.year, "mo": v.month, "d": v.day}
    if isinstance(v, datetime.time):
        return {"kind": "time", "h": v.hour, "mi": v.minute, "s": v.second, "us": v.microsecond}
    raise TypeError(v)


VALUES = [
    datetime.datetime(2021, 3, 14, 9, 30, 0),
    datetime.datetime(2022, 11, 2, 18, 5, 7),
    datetime.datetime(2019, 6, 1, 0, 0, 0),
    datetime.datetime(2000, 12, 21, 12, 0, 0, 123),
    datetime.datetime(2008, 1, 2, 23, 59, 59, 999999),
    datetime.datetime(2024, 2, 29, 0, 45, 1),
    datetime.datetime(2023, 1, 1, 13, 1, 0),      # ISO week 52 of 2022
    datetime.datetime(2020, 12, 31, 11, 59, 0),   # ISO week 53
    datetime.datetime(2011, 9, 11, 1, 2, 3),
    datetime.datetime(2012, 9, 12, 12, 30, 0),
    datetime.datetime(2013, 9, 13, 0, 1, 0),
    datetime.datetime(2001, 5, 22, 4, 4, 4),
    datetime.datetime(999, 7, 23, 3, 0, 0),
    datetime.datetime(1969, 12, 31, 23, 59, 59),
    datetime.datetime(2021, 3, 14, 9, 30, 0, tzinfo=UTC),
    datetime.datetime(2021, 3, 14, 9, 30, 0, tzinfo=tz(120)),
    datetime.datetime(2021, 3, 14, 9, 30, 0, tzinfo=tz(-270)),
    datetime.datetime(2021, 8, 14, 22, 0, 0, 5, tzinfo=tz(330, "IST")),
    datetime.datetime(2021, 8, 14, 22, 0, 0, tzinfo=tz(-480, "PST")),
    datetime.date(2021, 3, 14),
    datetime.date(2024, 2, 29),
    datetime.date(2023, 1, 1),
    datetime.date(1900, 2, 3),
    datetime.time(9, 30, 0),
    datetime.time(0, 0, 0),
    datetime.time(12, 0, 0),
    datetime.time(12, 30, 15, 42),
    datetime.time(23, 5, 0),
]

FORMATS = [c for c in CHARS] + [
    "Y-m-d", "jS F Y H:i", "D, d M Y H:i:s", "N j, Y, P", r"\Y\e\s Y", r"\\Y", r"\\\Y",
    "l jS \\o\\f F Y h:i:s A", "c", "r", "", "Hello", "H\\", "z/t/L", "\\\n", "日本 Y", "x%dq",
]

cases = []
for v in VALUES:
    is_time = isinstance(v, datetime.time)
    for f in FORMATS:
        case = {"value": describe(v), "format": f}
        for fn_name, fn in (("dateformat", dateformat.format), ("timeformat", dateformat.time_format)):
            try:
                case[fn_name] = fn(v, f)
            except TypeError as e:
                case[fn_name] = {"error": "TypeError", "message": str(e)}
            except AttributeError as e:
                case[fn_name] = {"error": "AttributeError"}
        # The template filters (what |date and |time give).
        for fn_name, fn in (("date_filter", defaultfilters.date), ("time_filter", defaultfilters.time)):
            try:
                case[fn_name] = fn(v, f)
            except TypeError as e:
                case[fn_name] = {"error": "TypeError", "message": str(e)}
        cases.append(case)
    # Filters without an argument use DATE_FORMAT / TIME_FORMAT of the en locale.
    for name in (None, "DATE_FORMAT", "DATETIME_FORMAT", "SHORT_DATE_FORMAT", "SHORT_DATETIME_FORMAT",
                 "TIME_FORMAT", "YEAR_MONTH_FORMAT", "MONTH_DAY_FORMAT"):
        case = {"value": describe(v), "format": name, "named": True}
        for fn_name, fn in (("date_filter", defaultfilters.date), ("time_filter", defaultfilters.time)):
            try:
                case[fn_name] = fn(v, name) if name else fn(v)
            except TypeError as e:
                case[fn_name] = {"error": "TypeError", "message": str(e)}
        cases.append(case)

print(json.dumps({"django": django.get_version(), "cases": cases}, ensure_ascii=False, indent=0))
