#!/usr/bin/env python3
"""Generate slatrack's holiday calendars (iCalendar, RFC 5545).

    python3 calendars/generate.py            # (re)write calendars/*.ics
    python3 calendars/generate.py --list     # print every day off, one a line
    python3 calendars/generate.py --check    # exit 1 if a file is out of date

Python 3 standard library only.  The output is deterministic: running the
generator twice gives byte-identical files (fixed DTSTAMP, sorted events).

Every holiday is an all-day VEVENT (DTSTART;VALUE=DATE, DTEND exclusive).
Fixed-date and nth-weekday holidays are one yearly RRULE each; Easter-based,
lunar and other moving holidays are one dated VEVENT per year; substitute
days are separate dated VEVENTs.  China's make-up working days carry
CATEGORIES:WORKDAY.  See calendars/README.md for sources and caveats.
"""

import datetime as dt
import math
import os
import sys

FIRST_YEAR = 2024
LAST_YEAR = 2035
YEARS = range(FIRST_YEAR, LAST_YEAR + 1)
HORIZON_START = dt.date(FIRST_YEAR, 1, 1)
HORIZON_END = dt.date(LAST_YEAR, 12, 31)
UNTIL = HORIZON_END.strftime("%Y%m%d")
DTSTAMP = "20260101T000000Z"
DOMAIN = "slatrack.invalid"
PRODID = "-//slatrack//holiday generator//EN"

MO, TU, WE, TH, FR, SA, SU = range(7)
WD_CODE = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
ONE_DAY = dt.timedelta(days=1)


# ---------------------------------------------------------------------------
# Gregorian helpers


def d(y, m, day):
    return dt.date(y, m, day)


def nth_weekday(year, month, weekday, n):
    """The n-th (1-based; -1 = last) given weekday of a month."""
    if n > 0:
        first = dt.date(year, month, 1)
        return first + dt.timedelta(days=(weekday - first.weekday()) % 7 + 7 * (n - 1))
    nxt = dt.date(year + (month == 12), month % 12 + 1, 1)
    last = nxt - ONE_DAY
    return last - dt.timedelta(days=(last.weekday() - weekday) % 7 + 7 * (-n - 1))


def easter(year):
    """Gregorian Easter Sunday (anonymous Gregorian / Meeus-Jones-Butcher)."""
    a = year % 19
    b, c = divmod(year, 100)
    dd, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - dd - g + 15) % 30
    i, k = divmod(c, 4)
    l = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * l) // 451
    month, day = divmod(h + l - 7 * m + 114, 31)
    return dt.date(year, month, day + 1)


def is_weekend(day):
    return day.weekday() >= SA


# ---------------------------------------------------------------------------
# Hebrew calendar (molad of Tishrei and the four dehiyyot)

PARTS_PER_HOUR = 1080
PARTS_PER_DAY = 24 * PARTS_PER_HOUR
# Mean synodic month: 29 days 12 hours 793 parts.
LUNATION = 29 * PARTS_PER_DAY + 12 * PARTS_PER_HOUR + 793
# Molad BaHaRaD (Tishrei AM 1): day 1 (Monday; day 0 is a Sunday), 5 h 204 p,
# hours counted from 18:00 of the previous civil evening.
MOLAD_BAHARAD = 1 * PARTS_PER_DAY + 5 * PARTS_PER_HOUR + 204
# Day 1 of that count (1 Tishrei AM 1) is Monday 7 October 3761 BCE
# (proleptic Julian), rata die -1373427; Python's date ordinals are rata die.
HEBREW_DAY0_ORDINAL = -1373427 - 1


def hebrew_leap(year):
    return (7 * year + 1) % 19 < 7


def rosh_hashana_day(year):
    """Day number (0 = the Sunday before the epoch) of 1 Tishrei of year AM."""
    months = (235 * year - 234) // 19          # months elapsed before Tishrei
    molad = MOLAD_BAHARAD + months * LUNATION
    day, parts = divmod(molad, PARTS_PER_DAY)
    dow = day % 7                               # 0 = Sunday ... 6 = Saturday
    if parts >= 18 * PARTS_PER_HOUR:
        day += 1                                # Molad zaken (molad at/after noon)
    elif dow == 2 and parts >= 9 * PARTS_PER_HOUR + 204 and not hebrew_leap(year):
        day += 2                                # GaTaRaD: Tuesday -> Thursday
    elif dow == 1 and parts >= 15 * PARTS_PER_HOUR + 589 and hebrew_leap(year - 1):
        day += 1                                # BeTUTaKPaT: Monday -> Tuesday
    if day % 7 in (0, 3, 5):
        day += 1                                # Lo ADU Rosh: not Sun, Wed, Fri
    return day


def rosh_hashana(year):
    """Gregorian date of 1 Tishrei of Hebrew year `year` (the daytime date)."""
    return dt.date.fromordinal(rosh_hashana_day(year) + HEBREW_DAY0_ORDINAL)


def hebrew_year_length(year):
    return (rosh_hashana(year + 1) - rosh_hashana(year)).days


def pesach(gregorian_year):
    """15 Nisan falling in a Gregorian year: always 163 days before the next
    1 Tishrei (Nisan 30 + Iyar 29 + Sivan 30 + Tammuz 29 + Av 30 + Elul 29)."""
    return rosh_hashana(gregorian_year + 3761) - dt.timedelta(days=163)


# ---------------------------------------------------------------------------
# Astronomy for the Chinese calendar (Beijing time, UTC+8)
#
# New moons: Meeus, Astronomical Algorithms (2nd ed.), ch. 49, with all the
# periodic and planetary terms (error well under a minute).  Sun: Meeus
# ch. 25 low-accuracy apparent longitude (about 0.01 degree, i.e. about 15
# minutes in time), so every date derived from it is re-derived with the
# instants shifted by +-SOLAR_MARGIN and must not change (see
# chinese_festivals); a date that sits that close to midnight stops the
# generator instead of being guessed.

SOLAR_MARGIN_DAYS = 30 / 1440.0     # 30 minutes
LUNAR_MARGIN_DAYS = 3 / 1440.0      # 3 minutes
BEIJING = 8 / 24.0
JD_ORDINAL_OFFSET = 1721424.5       # JD at 0h UT of date.fromordinal(1) is this + 1


def delta_t_days(year):
    """TT - UT.  About 69 s in 2020-2025; a gentle projection after that."""
    return (69.2 + 0.25 * max(0.0, year - 2025.0)) / 86400.0


def sin_d(x):
    return math.sin(math.radians(x))


def new_moon_jde(k):
    """JDE (TT) of the true new moon with lunation number k (k=0: 2000-01-06)."""
    t = k / 1236.85
    jde = (2451550.09766 + 29.530588861 * k + 0.00015437 * t * t
           - 0.000000150 * t ** 3 + 0.00000000073 * t ** 4)
    e = 1 - 0.002516 * t - 0.0000074 * t * t
    m = 2.5534 + 29.10535670 * k - 0.0000014 * t * t - 0.00000011 * t ** 3
    mp = (201.5643 + 385.81693528 * k + 0.0107582 * t * t + 0.00001238 * t ** 3
          - 0.000000058 * t ** 4)
    f = (160.7108 + 390.67050284 * k - 0.0016118 * t * t - 0.00000227 * t ** 3
         + 0.000000011 * t ** 4)
    om = 124.7746 - 1.56375588 * k + 0.0020672 * t * t + 0.00000215 * t ** 3
    corr = (-0.40720 * sin_d(mp)
            + 0.17241 * e * sin_d(m)
            + 0.01608 * sin_d(2 * mp)
            + 0.01039 * sin_d(2 * f)
            + 0.00739 * e * sin_d(mp - m)
            - 0.00514 * e * sin_d(mp + m)
            + 0.00208 * e * e * sin_d(2 * m)
            - 0.00111 * sin_d(mp - 2 * f)
            - 0.00057 * sin_d(mp + 2 * f)
            + 0.00056 * e * sin_d(2 * mp + m)
            - 0.00042 * sin_d(3 * mp)
            + 0.00042 * e * sin_d(m + 2 * f)
            + 0.00038 * e * sin_d(m - 2 * f)
            - 0.00024 * e * sin_d(2 * mp - m)
            - 0.00017 * sin_d(om)
            - 0.00007 * sin_d(mp + 2 * m)
            + 0.00004 * sin_d(2 * mp - 2 * f)
            + 0.00004 * sin_d(3 * m)
            + 0.00003 * sin_d(mp + m - 2 * f)
            + 0.00003 * sin_d(2 * mp + 2 * f)
            - 0.00003 * sin_d(mp + m + 2 * f)
            + 0.00003 * sin_d(mp - m + 2 * f)
            - 0.00002 * sin_d(mp - m - 2 * f)
            - 0.00002 * sin_d(3 * mp + m)
            + 0.00002 * sin_d(4 * mp))
    planetary = (
        (0.000325, 299.77, 0.107408, -0.009173),
        (0.000165, 251.88, 0.016321, 0.0),
        (0.000164, 251.83, 26.651886, 0.0),
        (0.000126, 349.42, 36.412478, 0.0),
        (0.000110, 84.66, 18.206239, 0.0),
        (0.000062, 141.74, 53.303771, 0.0),
        (0.000060, 207.14, 2.453732, 0.0),
        (0.000056, 154.84, 7.306860, 0.0),
        (0.000047, 34.52, 27.261239, 0.0),
        (0.000042, 207.19, 0.121824, 0.0),
        (0.000040, 291.34, 1.844379, 0.0),
        (0.000037, 161.72, 24.198154, 0.0),
        (0.000035, 239.56, 25.513099, 0.0),
        (0.000023, 331.55, 3.592518, 0.0),
    )
    for coef, a0, a1, a2 in planetary:
        corr += coef * sin_d(a0 + a1 * k + a2 * t * t)
    return jde + corr


def sun_apparent_longitude(jde):
    """Apparent geocentric longitude of the Sun in degrees (Meeus ch. 25)."""
    t = (jde - 2451545.0) / 36525.0
    l0 = 280.46646 + 36000.76983 * t + 0.0003032 * t * t
    m = 357.52911 + 35999.05029 * t - 0.0001537 * t * t
    c = ((1.914602 - 0.004817 * t - 0.000014 * t * t) * sin_d(m)
         + (0.019993 - 0.000101 * t) * sin_d(2 * m)
         + 0.000289 * sin_d(3 * m))
    om = 125.04 - 1934.136 * t
    return (l0 + c - 0.00569 - 0.00478 * sin_d(om)) % 360.0


def solar_term_jde(year, longitude):
    """JDE when the Sun's apparent longitude reaches `longitude` in `year`."""
    # Rough start: the March equinox is near March 20.
    jde = 2451545.0 + 365.2422 * (year - 2000) + 79.0 + (longitude % 360) * 365.2422 / 360.0
    for _ in range(60):
        diff = (longitude - sun_apparent_longitude(jde) + 180.0) % 360.0 - 180.0
        jde += diff * 365.2422 / 360.0
        if abs(diff) < 1e-9:
            break
    return jde


def jd_to_local_date(jd_ut, offset_days):
    return dt.date.fromordinal(int(math.floor(jd_ut + offset_days - JD_ORDINAL_OFFSET)))


def tt_to_ut(jde):
    year = 2000 + (jde - 2451545.0) / 365.25
    return jde - delta_t_days(year)


def chinese_new_moons(first_year, last_year, shift):
    """Beijing dates of every new moon from late first_year-1 to early last_year+1."""
    k = math.floor((first_year - 1 - 2000) * 12.3685) - 2
    out = []
    while True:
        jd = tt_to_ut(new_moon_jde(k)) + shift
        day = jd_to_local_date(jd, BEIJING)
        if day.year > last_year + 1:
            return out
        if day >= dt.date(first_year - 1, 10, 1):
            out.append(day)
        k += 1


def chinese_principal_terms(first_year, last_year, shift):
    """Beijing dates of the 12 principal terms (zhongqi), longitudes 0,30..330."""
    out = []
    for year in range(first_year - 1, last_year + 2):
        for lon in range(0, 360, 30):
            out.append(jd_to_local_date(tt_to_ut(solar_term_jde(year, lon)) + shift, BEIJING))
    return sorted(set(out))


def solar_term_date(year, longitude, shift=0.0, offset=BEIJING):
    return jd_to_local_date(tt_to_ut(solar_term_jde(year, longitude)) + shift, offset)


def _chinese_festivals_once(years, moon_shift, sun_shift):
    moons = chinese_new_moons(years[0], years[-1], moon_shift)
    terms = chinese_principal_terms(years[0], years[-1], sun_shift)

    def month_start_on_or_before(day):
        return max(m for m in moons if m <= day)

    result = {}
    for year in years:
        # GB/T 33661-2017: the month holding the winter solstice is month 11;
        # if 13 months run from one month 11 to the next, the first of them
        # without a principal term is the leap month.
        ws_prev = solar_term_date(year - 1, 270, sun_shift)
        ws_this = solar_term_date(year, 270, sun_shift)
        m11_prev = month_start_on_or_before(ws_prev)
        m11_this = month_start_on_or_before(ws_this)
        starts = [m for m in moons if m11_prev <= m <= m11_this]
        months = len(starts) - 1                 # 12 or 13
        leap_index = None
        if months == 13:
            for i in range(months):
                if not any(starts[i] <= t < starts[i + 1] for t in terms):
                    leap_index = i
                    break
        numbering = {}
        number = 10
        for i in range(months):
            if i == leap_index:
                continue
            number = number % 12 + 1
            numbering.setdefault(number, starts[i])
        first = numbering[1]
        result[year] = {
            "spring_festival": first,
            "dragon_boat": numbering[5] + dt.timedelta(days=4),
            "mid_autumn": numbering[8] + dt.timedelta(days=14),
            "qingming": solar_term_date(year, 15, sun_shift),
        }
    return result


def chinese_festivals(years):
    """Dates of Spring Festival (1/1), Dragon Boat (5/5), Mid-Autumn (8/15)
    and Qingming for each year; fails loudly if any is not robust against
    the ephemeris error margins."""
    years = list(years)
    base = _chinese_festivals_once(years, 0.0, 0.0)
    for ms in (-LUNAR_MARGIN_DAYS, 0.0, LUNAR_MARGIN_DAYS):
        for ss in (-SOLAR_MARGIN_DAYS, 0.0, SOLAR_MARGIN_DAYS):
            if _chinese_festivals_once(years, ms, ss) != base:
                raise SystemExit("generate.py: a Chinese calendar date is within "
                                 "the ephemeris error margin of midnight; "
                                 "check it by hand")
    return base


# ---------------------------------------------------------------------------
# Japanese equinox days (formula valid 1980-2099, in JST)


def jp_vernal_equinox(year):
    return dt.date(year, 3, int(20.8431 + 0.242194 * (year - 1980) - (year - 1980) // 4))


def jp_autumnal_equinox(year):
    return dt.date(year, 9, int(23.2488 + 0.242194 * (year - 1980) - (year - 1980) // 4))


# ---------------------------------------------------------------------------
# Calendar model and iCalendar output


class Event:
    def __init__(self, uid, summary, start, end, description=None, rrule=None,
                 exdates=(), categories="Holidays", occurrences=None):
        self.uid = uid
        self.summary = summary
        self.start = start
        self.end = end                    # exclusive
        self.description = description
        self.rrule = rrule
        self.exdates = sorted(exdates)
        self.categories = categories
        # The generator's own idea of the dates this event covers; the
        # verification compares it with an independent RRULE expansion.
        self.occurrences = occurrences


def slugify(text):
    out = []
    for ch in text.lower().replace("'", ""):
        if ch.isascii() and ch.isalnum():
            out.append(ch)
        elif out and out[-1] != "-":
            out.append("-")
    return "".join(out).strip("-")


class Calendar:
    def __init__(self, code, name, caldesc):
        self.code = code
        self.prefix = code.lower()
        self.name = name
        self.caldesc = caldesc
        self.events = []
        self.uids = set()

    def _uid(self, slug, day=None):
        uid = "%s-%s%s@%s" % (self.prefix, slug,
                              "" if day is None else "-" + day.strftime("%Y%m%d"), DOMAIN)
        if uid in self.uids:
            raise SystemExit("generate.py: duplicate UID " + uid)
        self.uids.add(uid)
        return uid

    def yearly(self, summary, month, day, local=None, note=None, first_year=FIRST_YEAR,
               exclude_years=(), slug=None):
        """A fixed-date holiday: one RRULE from first_year to the horizon."""
        occ = [dt.date(y, month, day) for y in range(first_year, LAST_YEAR + 1)]
        ex = [o for o in occ if o.year in exclude_years]
        start = occ[0]
        ev = Event(self._uid(slug or slugify(summary)), summary, start, start + ONE_DAY,
                   description=describe(local, note),
                   rrule="FREQ=YEARLY;BYMONTH=%d;BYMONTHDAY=%d;UNTIL=%s" % (month, day, UNTIL),
                   exdates=ex, occurrences=[o for o in occ if o not in ex])
        self.events.append(ev)
        return [o for o in occ if o not in ex]

    def weekday_rule(self, summary, month, n, weekday, local=None, note=None, slug=None):
        """An nth-weekday-of-month holiday as one RRULE (BYDAY=nWD)."""
        occ = [nth_weekday(y, month, weekday, n) for y in YEARS]
        ev = Event(self._uid(slug or slugify(summary)), summary, occ[0], occ[0] + ONE_DAY,
                   description=describe(local, note),
                   rrule="FREQ=YEARLY;BYMONTH=%d;BYDAY=%d%s;UNTIL=%s"
                         % (month, n, WD_CODE[weekday], UNTIL),
                   occurrences=occ)
        self.events.append(ev)
        return occ

    def dated(self, summary, start, days=1, local=None, note=None, slug=None,
              categories="Holidays"):
        """One dated all-day event covering `days` days from `start`."""
        if not (HORIZON_START <= start <= HORIZON_END):
            return None
        end = start + dt.timedelta(days=days)
        ev = Event(self._uid(slug or slugify(summary), start), summary, start, end,
                   description=describe(local, note), categories=categories,
                   occurrences=[start + dt.timedelta(days=i) for i in range(days)])
        self.events.append(ev)
        return start

    def days_off(self):
        """{date: [summary, ...]} of holidays, and the set of make-up workdays."""
        off, work = {}, {}
        for ev in self.events:
            target = work if "WORKDAY" in ev.categories.split(",") else off
            for o in ev.occurrences:
                target.setdefault(o, []).append(ev.summary)
        return off, work

    def render(self):
        lines = [
            "BEGIN:VCALENDAR",
            "VERSION:2.0",
            "PRODID:" + PRODID,
            "CALSCALE:GREGORIAN",
            "METHOD:PUBLISH",
            "X-WR-CALNAME:" + escape(self.name),
            "X-WR-CALDESC:" + escape(self.caldesc),
        ]
        for ev in sorted(self.events, key=lambda e: (e.start, e.rrule is None, e.uid)):
            lines += [
                "BEGIN:VEVENT",
                "UID:" + ev.uid,
                "DTSTAMP:" + DTSTAMP,
                "DTSTART;VALUE=DATE:" + ev.start.strftime("%Y%m%d"),
                "DTEND;VALUE=DATE:" + ev.end.strftime("%Y%m%d"),
            ]
            if ev.rrule:
                lines.append("RRULE:" + ev.rrule)
            if ev.exdates:
                lines.append("EXDATE;VALUE=DATE:" + ",".join(x.strftime("%Y%m%d")
                                                             for x in ev.exdates))
            lines.append("SUMMARY:" + escape(ev.summary))
            if ev.description:
                lines.append("DESCRIPTION:" + escape(ev.description))
            lines += [
                "TRANSP:TRANSPARENT",
                "CATEGORIES:" + ev.categories,
                "END:VEVENT",
            ]
        lines.append("END:VCALENDAR")
        return b"".join(fold(line) + b"\r\n" for line in lines)


def describe(local, note):
    parts = [p for p in (local, note) if p]
    return ". ".join(p.rstrip(".") for p in parts) + "." if parts else None


def escape(text):
    return (text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
            .replace("\r\n", "\\n").replace("\n", "\\n"))


def fold(line):
    """Fold a content line at 75 octets without splitting a UTF-8 character."""
    data = line.encode("utf-8")
    out, limit = [], 75
    while len(data) > limit:
        cut = limit
        while cut > 0 and (data[cut] & 0xC0) == 0x80:   # continuation byte
            cut -= 1
        out.append(data[:cut])
        data = data[cut:]
        limit = 74                                       # after the leading space
    out.append(data)
    return b"\r\n ".join(out)


# ---------------------------------------------------------------------------
# Substitute-day helpers


def add_substitutes(cal, items, taken, summary_fmt, rule, slug_suffix):
    """items: [(summary, date)] in priority order; taken: set of dates that are
    already days off.  rule(date, taken) -> substitute date or None."""
    for summary, day in items:
        sub = rule(day, taken)
        if sub is None:
            continue
        taken.add(sub)
        cal.dated(summary_fmt % summary, sub, slug=slugify(summary) + slug_suffix,
                  note="%s falls on a %s (%s)" % (summary, day.strftime("%A"),
                                                  day.isoformat()))


def next_free_weekday(day, taken):
    """GB/AU style: the next weekday (Mon-Fri) that is not already a day off."""
    if not is_weekend(day):
        return None
    cand = day + ONE_DAY
    while is_weekend(cand) or cand in taken:
        cand += ONE_DAY
    return cand


# ---------------------------------------------------------------------------
# Jurisdictions

EASTER_NOTE = "Date depends on Easter (Gregorian computus)"


def build_us():
    cal = Calendar("US", "United States federal holidays",
                   "US federal holidays 2024-2035 (5 U.S.C. 6103) for the slatrack SLA "
                   "tracker: the 11 legal public holidays, plus the weekday on which a "
                   "holiday falling on a Saturday (the Friday before) or a Sunday (the "
                   "Monday after) is observed by federal offices. State holidays are not "
                   "included. Generated by calendars/generate.py; all-day events, "
                   "DTEND is exclusive.")
    fixed = [
        ("New Year's Day", 1, 1),
        ("Juneteenth National Independence Day", 6, 19),
        ("Independence Day", 7, 4),
        ("Veterans Day", 11, 11),
        ("Christmas Day", 12, 25),
    ]
    for name, m, day in fixed:
        cal.yearly(name, m, day, note="5 U.S.C. 6103(a)")
    cal.weekday_rule("Birthday of Martin Luther King, Jr.", 1, 3, MO,
                     note="Third Monday in January. 5 U.S.C. 6103(a)", slug="mlk-day")
    cal.weekday_rule("Washington's Birthday", 2, 3, MO,
                     note="Third Monday in February (often called Presidents Day). "
                          "5 U.S.C. 6103(a)")
    cal.weekday_rule("Memorial Day", 5, -1, MO, note="Last Monday in May. 5 U.S.C. 6103(a)")
    cal.weekday_rule("Labor Day", 9, 1, MO, note="First Monday in September. 5 U.S.C. 6103(a)")
    cal.weekday_rule("Columbus Day", 10, 2, MO, note="Second Monday in October. 5 U.S.C. 6103(a)")
    cal.weekday_rule("Thanksgiving Day", 11, 4, TH,
                     note="Fourth Thursday in November. 5 U.S.C. 6103(a)")
    # Observed days: Saturday -> Friday before, Sunday -> Monday after
    # (5 U.S.C. 6103(b), Executive Order 11582).  A Saturday 1 January is
    # observed on 31 December of the year before, so look one year ahead.
    for year in range(FIRST_YEAR, LAST_YEAR + 2):
        for name, m, day in fixed:
            actual = dt.date(year, m, day)
            if actual.weekday() == SA:
                obs = actual - ONE_DAY
            elif actual.weekday() == SU:
                obs = actual + ONE_DAY
            else:
                continue
            cal.dated(name + " (observed)", obs, slug=slugify(name) + "-observed",
                      note="%s falls on a %s (%s); federal offices observe it on this "
                           "day. 5 U.S.C. 6103(b)"
                           % (name, actual.strftime("%A"), actual.isoformat()))
    return cal


BFDA = "Banking and Financial Dealings Act 1971"


def build_gb_eng():
    cal = Calendar("GB-ENG", "UK bank holidays (England and Wales)",
                   "Bank and public holidays in England and Wales 2024-2035 for the "
                   "slatrack SLA tracker: Banking and Financial Dealings Act 1971 "
                   "(Schedule 1), Christmas Day and Good Friday by common law, New "
                   "Year's Day and Early May by annual royal proclamation. Substitute days "
                   "are the next weekday that is not already a holiday. Scotland and "
                   "Northern Ireland differ. Generated by calendars/generate.py.")
    taken = set()
    taken.update(cal.yearly("New Year's Day", 1, 1, note="Bank holiday by royal proclamation"))
    for y in YEARS:
        e = easter(y)
        taken.add(cal.dated("Good Friday", e - 2 * ONE_DAY,
                            note="Common law holiday. " + EASTER_NOTE))
        taken.add(cal.dated("Easter Monday", e + ONE_DAY,
                            note="Banking and Financial Dealings Act 1971. " + EASTER_NOTE))
    taken.update(cal.weekday_rule("Early May bank holiday", 5, 1, MO,
                                  note="First Monday in May (royal proclamation)"))
    taken.update(cal.weekday_rule("Spring bank holiday", 5, -1, MO,
                                  note="Last Monday in May. " + BFDA))
    taken.update(cal.weekday_rule("Summer bank holiday", 8, -1, MO,
                                  note="Last Monday in August. " + BFDA))
    taken.update(cal.yearly("Christmas Day", 12, 25, note="Common law holiday"))
    taken.update(cal.yearly("Boxing Day", 12, 26,
                            note="Banking and Financial Dealings Act 1971"))
    items = []
    for y in YEARS:
        items += [("New Year's Day", d(y, 1, 1)), ("Christmas Day", d(y, 12, 25)),
                  ("Boxing Day", d(y, 12, 26))]
    add_substitutes(cal, items, taken, "%s (substitute day)", next_free_weekday, "-substitute")
    return cal


def build_de():
    cal = Calendar("DE", "Germany: nationwide public holidays",
                   "The nine public holidays observed in all 16 German states, "
                   "2024-2035, for the slatrack SLA tracker. German Unity Day is set by "
                   "the Unification Treaty (Einigungsvertrag Art. 2); the others by each "
                   "state's Feiertagsgesetz. State-only holidays (Epiphany, Corpus "
                   "Christi, Reformation Day, All Saints' Day, etc.) are not "
                   "included. Generated by calendars/generate.py.")
    cal.yearly("New Year's Day", 1, 1, local="Neujahr")
    cal.yearly("Labour Day", 5, 1, local="Tag der Arbeit")
    cal.yearly("German Unity Day", 10, 3, local="Tag der Deutschen Einheit",
               note="Einigungsvertrag Art. 2 Abs. 2")
    cal.yearly("Christmas Day", 12, 25, local="1. Weihnachtstag")
    cal.yearly("Boxing Day", 12, 26, local="2. Weihnachtstag")
    for y in YEARS:
        e = easter(y)
        cal.dated("Good Friday", e - 2 * ONE_DAY, local="Karfreitag", note=EASTER_NOTE)
        cal.dated("Easter Monday", e + ONE_DAY, local="Ostermontag", note=EASTER_NOTE)
        cal.dated("Ascension Day", e + dt.timedelta(days=39), local="Christi Himmelfahrt",
                  note=EASTER_NOTE)
        cal.dated("Whit Monday", e + dt.timedelta(days=50), local="Pfingstmontag",
                  note=EASTER_NOTE)
    return cal


def build_fr():
    cal = Calendar("FR", "France: public holidays",
                   "The 11 public holidays (jours fériés) of Code du travail art. L3133-1, "
                   "2024-2035, for the slatrack SLA tracker. Alsace-Moselle's extra days "
                   "(Good Friday, 26 December) and overseas departments' abolition days "
                   "are not included. Generated by calendars/generate.py.")
    law = "Code du travail art. L3133-1"
    cal.yearly("New Year's Day", 1, 1, local="Jour de l'an", note=law)
    cal.yearly("Labour Day", 5, 1, local="Fête du Travail", note=law)
    cal.yearly("Victory in Europe Day", 5, 8, local="Victoire 1945", note=law)
    cal.yearly("Bastille Day", 7, 14, local="Fête nationale", note=law)
    cal.yearly("Assumption Day", 8, 15, local="Assomption", note=law)
    cal.yearly("All Saints' Day", 11, 1, local="Toussaint", note=law)
    cal.yearly("Armistice Day", 11, 11, local="Armistice 1918", note=law)
    cal.yearly("Christmas Day", 12, 25, local="Noël", note=law)
    for y in YEARS:
        e = easter(y)
        cal.dated("Easter Monday", e + ONE_DAY, local="Lundi de Pâques",
                  note=law + ". " + EASTER_NOTE)
        cal.dated("Ascension Day", e + dt.timedelta(days=39), local="Ascension",
                  note=law + ". " + EASTER_NOTE)
        cal.dated("Whit Monday", e + dt.timedelta(days=50), local="Lundi de Pentecôte",
                  note=law + ". " + EASTER_NOTE + ". Many employers use it as the "
                       "'journée de solidarité' (a worked day)")
    return cal


# India: the 14 holidays that all Central Government offices observe
# compulsorily (DoPT Office Memoranda on holidays for 2024, 2025 and 2026,
# dates as notified for the administrative offices in Delhi/New Delhi).
# The Islamic dates may be changed by moon sighting; states differ.
IN_DOPT = {
    2024: [
        ("Id-ul-Fitr", "Idu'l Fitr", d(2024, 4, 11)),
        ("Mahavir Jayanti", None, d(2024, 4, 21)),
        ("Buddha Purnima", None, d(2024, 5, 23)),
        ("Id-ul-Zuha (Bakrid)", None, d(2024, 6, 17)),
        ("Muharram", None, d(2024, 7, 17)),
        ("Milad-un-Nabi (Prophet Mohammad's Birthday)", "Id-e-Milad", d(2024, 9, 16)),
        ("Dussehra", "Vijaya Dashami", d(2024, 10, 12)),
        ("Diwali", "Deepavali", d(2024, 10, 31)),
        ("Guru Nanak's Birthday", "Guru Nanak Jayanti", d(2024, 11, 15)),
    ],
    2025: [
        ("Id-ul-Fitr", "Idu'l Fitr", d(2025, 3, 31)),
        ("Mahavir Jayanti", None, d(2025, 4, 10)),
        ("Buddha Purnima", None, d(2025, 5, 12)),
        ("Id-ul-Zuha (Bakrid)", None, d(2025, 6, 7)),
        ("Muharram", None, d(2025, 7, 6)),
        ("Milad-un-Nabi (Prophet Mohammad's Birthday)", "Id-e-Milad", d(2025, 9, 5)),
        ("Dussehra", "Vijaya Dashami", d(2025, 10, 2)),
        ("Diwali", "Deepavali", d(2025, 10, 20)),
        ("Guru Nanak's Birthday", "Guru Nanak Jayanti", d(2025, 11, 5)),
    ],
    2026: [
        ("Id-ul-Fitr", "Idu'l Fitr", d(2026, 3, 21)),
        ("Mahavir Jayanti", None, d(2026, 3, 31)),
        ("Buddha Purnima", None, d(2026, 5, 1)),
        ("Id-ul-Zuha (Bakrid)", None, d(2026, 5, 27)),
        ("Muharram", None, d(2026, 6, 26)),
        ("Milad-un-Nabi (Prophet Mohammad's Birthday)", "Id-e-Milad", d(2026, 8, 26)),
        ("Dussehra", "Vijaya Dashami", d(2026, 10, 20)),
        ("Diwali", "Deepavali", d(2026, 11, 8)),
        ("Guru Nanak's Birthday", "Guru Nanak Jayanti", d(2026, 11, 24)),
    ],
}
IN_ISLAMIC = ("Id-ul-Fitr", "Id-ul-Zuha (Bakrid)", "Muharram",
              "Milad-un-Nabi (Prophet Mohammad's Birthday)")


def build_in():
    cal = Calendar("IN", "India: national and central government holidays",
                   "India 2024-2035 for the slatrack SLA tracker: the three national "
                   "holidays (Republic Day, Independence Day, Gandhi Jayanti), "
                   "Christmas and Good Friday every year, and the other compulsory "
                   "Central Government holidays (lunar and Islamic) only for the years "
                   "whose DoPT holiday list is published (2024-2026). State holidays and "
                   "the three state-chosen optional holidays are not included. Generated "
                   "by calendars/generate.py; see README.md.")
    cal.yearly("Republic Day", 1, 26, local="गणतंत्र दिवस", note="National holiday")
    cal.yearly("Independence Day", 8, 15, local="स्वतंत्रता दिवस", note="National holiday")
    cal.yearly("Gandhi Jayanti", 10, 2, local="गांधी जयंती",
               note="Mahatma Gandhi's Birthday. National holiday")
    cal.yearly("Christmas Day", 12, 25, note="Compulsory Central Government holiday")
    for y in YEARS:
        cal.dated("Good Friday", easter(y) - 2 * ONE_DAY,
                  note="Compulsory Central Government holiday. " + EASTER_NOTE)
    for year, rows in sorted(IN_DOPT.items()):
        for summary, local, day in rows:
            note = ("Compulsory Central Government holiday; date as notified by DoPT "
                    "for %d (Delhi/New Delhi)" % year)
            if summary in IN_ISLAMIC:
                note += ". The date may be changed by moon sighting"
            cal.dated(summary, day, local=local, note=note)
    return cal


def build_au_nsw():
    cal = Calendar("AU-NSW", "Australia: New South Wales public holidays",
                   "New South Wales public holidays 2024-2035 (Public Holidays Act 2010 "
                   "(NSW)) for the slatrack SLA tracker. Weekend New Year's, Christmas and "
                   "Boxing Days give an additional weekday holiday; a weekend Australia Day "
                   "moves to the Monday (EXDATE on the weekend date). Additional Anzac Day "
                   "holidays declared by order for 2026 and 2027 are included. The August "
                   "Bank Holiday (banks only) is not included. Generated by "
                   "calendars/generate.py.")
    law = "Public Holidays Act 2010 (NSW)"
    taken = set()
    taken.update(cal.yearly("New Year's Day", 1, 1, note=law))
    weekend_aus = [y for y in YEARS if is_weekend(d(y, 1, 26))]
    taken.update(cal.yearly("Australia Day", 1, 26, exclude_years=weekend_aus,
                            note=law + ". When 26 January is a Saturday or Sunday the "
                                 "holiday is the following Monday instead"))
    for y in weekend_aus:
        act = d(y, 1, 26)
        mon = act + dt.timedelta(days=(MO - act.weekday()) % 7)
        taken.add(cal.dated("Australia Day (observed)", mon, slug="australia-day-observed",
                            note=law + ". 26 January %d is a %s" % (y, act.strftime("%A"))))
    for y in YEARS:
        e = easter(y)
        taken.add(cal.dated("Good Friday", e - 2 * ONE_DAY, note=law + ". " + EASTER_NOTE))
        taken.add(cal.dated("Easter Saturday", e - ONE_DAY,
                            note=law + ". The day after Good Friday"))
        taken.add(cal.dated("Easter Sunday", e, note=law))
        taken.add(cal.dated("Easter Monday", e + ONE_DAY, note=law + ". " + EASTER_NOTE))
    taken.update(cal.yearly("Anzac Day", 4, 25,
                            note=law + ". The Act gives no substitute day when it falls on a "
                                       "weekend"))
    # One-off additional days declared for the weekend Anzac Days of 2026 and
    # 2027 (Public Holidays Amendment (Anzac Day) Order 2026); not a standing
    # rule, so 2032 (a Sunday) gets none unless another order is made.
    for day in (d(2026, 4, 27), d(2027, 4, 26)):
        taken.add(cal.dated("Anzac Day (additional day)", day, slug="anzac-day-additional",
                            note="Declared by the Public Holidays Amendment (Anzac Day) "
                                 "Order 2026: Anzac Day (25 April %d) is a %s"
                                 % (day.year, d(day.year, 4, 25).strftime("%A"))))
    taken.update(cal.weekday_rule("King's Birthday", 6, 2, MO,
                                  note=law + ". Second Monday in June"))
    taken.update(cal.weekday_rule("Labour Day", 10, 1, MO, note=law + ". First Monday in October"))
    taken.update(cal.yearly("Christmas Day", 12, 25, note=law))
    taken.update(cal.yearly("Boxing Day", 12, 26, note=law))
    items = []
    for y in YEARS:
        items += [("New Year's Day", d(y, 1, 1)), ("Christmas Day", d(y, 12, 25)),
                  ("Boxing Day", d(y, 12, 26))]
    add_substitutes(cal, items, taken, "%s (additional day)", next_free_weekday, "-additional")
    return cal


BR_LAW = "Lei 662/1949 as amended by Lei 10.607/2002"


def build_br():
    cal = Calendar("BR", "Brazil: national holidays",
                   "Brazilian national holidays 2024-2035 for the slatrack SLA tracker: Lei "
                   "662/1949 (as amended by Leis 6.802/1980, 10.607/2002 and "
                   "14.759/2023) and Good Friday. Carnival and Corpus Christi are optional "
                   "days (pontos facultativos), not national holidays, and are not "
                   "included; nor are state and municipal holidays. Generated by "
                   "calendars/generate.py.")
    cal.yearly("New Year's Day", 1, 1, local="Confraternização Universal", note=BR_LAW)
    cal.yearly("Tiradentes' Day", 4, 21, local="Tiradentes", note=BR_LAW)
    cal.yearly("Labour Day", 5, 1, local="Dia do Trabalho", note=BR_LAW)
    cal.yearly("Independence Day", 9, 7, local="Independência do Brasil", note=BR_LAW)
    cal.yearly("Our Lady of Aparecida", 10, 12, local="Nossa Senhora Aparecida",
               note="Lei 6.802/1980")
    cal.yearly("All Souls' Day", 11, 2, local="Finados", note=BR_LAW)
    cal.yearly("Republic Proclamation Day", 11, 15, local="Proclamação da República",
               note=BR_LAW)
    cal.yearly("Black Consciousness Day", 11, 20,
               local="Dia Nacional de Zumbi e da Consciência Negra",
               note="Lei 14.759/2023 (national holiday from 2024)")
    cal.yearly("Christmas Day", 12, 25, local="Natal", note=BR_LAW)
    for y in YEARS:
        cal.dated("Good Friday", easter(y) - 2 * ONE_DAY, local="Sexta-feira da Paixão",
                  note="Religious holiday (Lei 9.093/1995), observed nationwide. " + EASTER_NOTE)
    return cal


def build_jp():
    cal = Calendar("JP", "Japan: national holidays",
                   "Japanese national holidays 2024-2035 (Act on National Holidays, "
                   "国民の祝日に関する法律) for the slatrack SLA tracker, including "
                   "substitute holidays (振替休日) and citizens' holidays (国民の休日). "
                   "Equinox days after 2027 are computed and confirmed officially only in "
                   "February of the year before. The customary 31 Dec-3 Jan closure is "
                   "not a national holiday and is not included. Generated by "
                   "calendars/generate.py.")
    law = "Act on National Holidays"
    national = {}

    def add(day, name):
        if day is not None and HORIZON_START <= day <= HORIZON_END:
            national[day] = name

    fixed = [
        ("New Year's Day", "元日", 1, 1),
        ("National Foundation Day", "建国記念の日", 2, 11),
        ("Emperor's Birthday", "天皇誕生日", 2, 23),
        ("Showa Day", "昭和の日", 4, 29),
        ("Constitution Memorial Day", "憲法記念日", 5, 3),
        ("Greenery Day", "みどりの日", 5, 4),
        ("Children's Day", "こどもの日", 5, 5),
        ("Mountain Day", "山の日", 8, 11),
        ("Culture Day", "文化の日", 11, 3),
        ("Labour Thanksgiving Day", "勤労感謝の日", 11, 23),
    ]
    for name, local, m, day in fixed:
        for o in cal.yearly(name, m, day, local=local, note=law):
            add(o, name)
    rules = [
        ("Coming of Age Day", "成人の日", 1, 2),
        ("Marine Day", "海の日", 7, 3),
        ("Respect for the Aged Day", "敬老の日", 9, 3),
        ("Sports Day", "スポーツの日", 10, 2),
    ]
    for name, local, m, n in rules:
        for o in cal.weekday_rule(name, m, n, MO, local=local,
                                  note=law + ". %s Monday of %s"
                                  % (("First", "Second", "Third")[n - 1],
                                     dt.date(2000, m, 1).strftime("%B"))):
            add(o, name)
    for y in YEARS:
        add(cal.dated("Vernal Equinox Day", jp_vernal_equinox(y), local="春分の日",
                      note=law + ". Equinox date in JST"), "Vernal Equinox Day")
        add(cal.dated("Autumnal Equinox Day", jp_autumnal_equinox(y), local="秋分の日",
                      note=law + ". Equinox date in JST"), "Autumnal Equinox Day")
    extra = set()
    # Citizens' holiday (Art. 3(3)): a day that is not a national holiday but
    # whose previous and next days both are.
    for day in sorted(national):
        mid = day + ONE_DAY
        if mid not in national and mid + ONE_DAY in national:
            cal.dated("Citizens' holiday", mid, local="国民の休日",
                      note=law + " Art. 3(3): a day between two national holidays")
            extra.add(mid)
    # Substitute holiday (Art. 3(2)): a national holiday on a Sunday moves the
    # day off to the nearest following day that is not a national holiday.
    for day in sorted(national):
        if day.weekday() != SU:
            continue
        sub = day + ONE_DAY
        while sub in national or sub in extra:
            sub += ONE_DAY
        extra.add(sub)
        cal.dated("Substitute holiday", sub, local="振替休日",
                  note=law + " Art. 3(2): %s (%s) falls on a Sunday"
                  % (national[day], day.isoformat()))
    return cal


def build_pl():
    cal = Calendar("PL", "Poland: public holidays",
                   "Polish public holidays (dni ustawowo wolne od pracy, Ustawa z dnia 18 "
                   "stycznia 1951 r. o dniach wolnych od pracy) 2024-2035 for the slatrack "
                   "SLA tracker. Christmas Eve is a holiday from 2025. The extra day off an "
                   "employer must grant for a holiday falling on a Saturday (Kodeks pracy "
                   "art. 130 § 2) is chosen by each employer and is not included. Generated "
                   "by calendars/generate.py.")
    law = "Ustawa o dniach wolnych od pracy"
    cal.yearly("New Year's Day", 1, 1, local="Nowy Rok", note=law)
    cal.yearly("Epiphany", 1, 6, local="Święto Trzech Króli", note=law)
    cal.yearly("Labour Day", 5, 1, local="Święto Pracy", note=law)
    cal.yearly("Constitution Day", 5, 3, local="Święto Narodowe Trzeciego Maja", note=law)
    cal.yearly("Assumption Day", 8, 15, local="Wniebowzięcie Najświętszej Maryi Panny",
               note=law)
    cal.yearly("All Saints' Day", 11, 1, local="Wszystkich Świętych", note=law)
    cal.yearly("Independence Day", 11, 11, local="Narodowe Święto Niepodległości", note=law)
    cal.yearly("Christmas Eve", 12, 24, local="Wigilia Bożego Narodzenia", first_year=2025,
               note=law + " as amended in 2024 (a day off from 2025)")
    cal.yearly("Christmas Day", 12, 25, local="Boże Narodzenie (pierwszy dzień)", note=law)
    cal.yearly("Second Day of Christmas", 12, 26, local="Boże Narodzenie (drugi dzień)",
               note=law)
    for y in YEARS:
        e = easter(y)
        cal.dated("Easter Sunday", e, local="Wielkanoc", note=law + ". " + EASTER_NOTE)
        cal.dated("Easter Monday", e + ONE_DAY, local="Poniedziałek Wielkanocny",
                  note=law + ". " + EASTER_NOTE)
        cal.dated("Pentecost Sunday", e + dt.timedelta(days=49), local="Zielone Świątki",
                  note=law + ". " + EASTER_NOTE)
        cal.dated("Corpus Christi", e + dt.timedelta(days=60), local="Boże Ciało",
                  note=law + ". " + EASTER_NOTE)
    return cal


def build_il():
    cal = Calendar("IL", "Israel: statutory holidays (days of rest)",
                   "Israeli statutory days of rest 2024-2035 for the slatrack SLA tracker "
                   "(Law and Administration Ordinance s. 18A; Hours of Work and Rest Law): "
                   "Rosh Hashanah (2 days), Yom Kippur, Sukkot, Shemini Atzeret, "
                   "Passover first and seventh days, Independence Day, Shavuot. Dates "
                   "from the Hebrew calendar (molad and dehiyyot). Each holiday begins at "
                   "sunset the evening before; the event is the daytime date. The working "
                   "week is Sunday-Thursday. Generated by calendars/generate.py.")
    eve = "Begins at sunset the previous evening; the day off is this date"
    for y in YEARS:
        # Spring holidays of Hebrew year y+3760.
        p = pesach(y)
        heb = y + 3760
        cal.dated("Passover (first day)", p, local="פסח", note=eve)
        cal.dated("Passover (seventh day)", p + dt.timedelta(days=6), local="שביעי של פסח",
                  note=eve)
        iyar5 = p + dt.timedelta(days=20)
        # Independence Day rules in force since 2004: 5 Iyar on Friday or
        # Saturday moves back to Thursday; on Monday it moves to Tuesday.
        wd = iyar5.weekday()
        if wd == FR:
            atz = iyar5 - ONE_DAY
        elif wd == SA:
            atz = iyar5 - 2 * ONE_DAY
        elif wd == MO:
            atz = iyar5 + ONE_DAY
        else:
            atz = iyar5
        moved = ""
        if atz != iyar5:
            moved = " (5 Iyar %d is a %s; moved by law)" % (heb, iyar5.strftime("%A"))
        cal.dated("Independence Day", atz, local="יום העצמאות",
                  note="Independence Day Law" + moved + ". " + eve)
        cal.dated("Shavuot", p + dt.timedelta(days=50), local="שבועות", note=eve)
        # Autumn holidays of Hebrew year y+3761.
        rh = rosh_hashana(y + 3761)
        cal.dated("Rosh Hashanah", rh, days=2, local="ראש השנה",
                  note="Jewish New Year %d (two days). %s" % (y + 3761, eve))
        cal.dated("Yom Kippur", rh + dt.timedelta(days=9), local="יום כיפור", note=eve)
        cal.dated("Sukkot (first day)", rh + dt.timedelta(days=14), local="סוכות", note=eve)
        cal.dated("Shemini Atzeret / Simchat Torah", rh + dt.timedelta(days=21),
                  local="שמיני עצרת / שמחת תורה", note=eve, slug="shemini-atzeret")
    return cal


# China: State Council General Office notices (国务院办公厅关于…部分节假日安排的通知)
# for 2024, 2025 and 2026: (summary, local name, first day off, last day off,
# [make-up working days]).
CN_PUBLISHED = {
    2024: [
        ("New Year's Day", "元旦", d(2024, 1, 1), d(2024, 1, 1), []),
        ("Spring Festival", "春节", d(2024, 2, 10), d(2024, 2, 17),
         [d(2024, 2, 4), d(2024, 2, 18)]),
        ("Qingming Festival", "清明节", d(2024, 4, 4), d(2024, 4, 6), [d(2024, 4, 7)]),
        ("Labour Day", "劳动节", d(2024, 5, 1), d(2024, 5, 5),
         [d(2024, 4, 28), d(2024, 5, 11)]),
        ("Dragon Boat Festival", "端午节", d(2024, 6, 10), d(2024, 6, 10), []),
        ("Mid-Autumn Festival", "中秋节", d(2024, 9, 15), d(2024, 9, 17), [d(2024, 9, 14)]),
        ("National Day", "国庆节", d(2024, 10, 1), d(2024, 10, 7),
         [d(2024, 9, 29), d(2024, 10, 12)]),
    ],
    2025: [
        ("New Year's Day", "元旦", d(2025, 1, 1), d(2025, 1, 1), []),
        ("Spring Festival", "春节", d(2025, 1, 28), d(2025, 2, 4),
         [d(2025, 1, 26), d(2025, 2, 8)]),
        ("Qingming Festival", "清明节", d(2025, 4, 4), d(2025, 4, 6), []),
        ("Labour Day", "劳动节", d(2025, 5, 1), d(2025, 5, 5), [d(2025, 4, 27)]),
        ("Dragon Boat Festival", "端午节", d(2025, 5, 31), d(2025, 6, 2), []),
        ("National Day and Mid-Autumn Festival", "国庆节、中秋节", d(2025, 10, 1),
         d(2025, 10, 8), [d(2025, 9, 28), d(2025, 10, 11)]),
    ],
    2026: [
        ("New Year's Day", "元旦", d(2026, 1, 1), d(2026, 1, 3), [d(2026, 1, 4)]),
        ("Spring Festival", "春节", d(2026, 2, 15), d(2026, 2, 23),
         [d(2026, 2, 14), d(2026, 2, 28)]),
        ("Qingming Festival", "清明节", d(2026, 4, 4), d(2026, 4, 6), []),
        ("Labour Day", "劳动节", d(2026, 5, 1), d(2026, 5, 5), [d(2026, 5, 9)]),
        ("Dragon Boat Festival", "端午节", d(2026, 6, 19), d(2026, 6, 21), []),
        ("Mid-Autumn Festival", "中秋节", d(2026, 9, 25), d(2026, 9, 27), []),
        ("National Day", "国庆节", d(2026, 10, 1), d(2026, 10, 7),
         [d(2026, 9, 20), d(2026, 10, 10)]),
    ],
}
CN_LAST_PUBLISHED = max(CN_PUBLISHED)


def build_cn():
    cal = Calendar("CN", "China (mainland): public holidays and make-up working days",
                   "Mainland China 2024-2035 for the slatrack SLA tracker. %d-%d: the "
                   "State Council's published schedules, with make-up working days "
                   "(CATEGORIES:WORKDAY). %d-%d: only the 13 statutory holiday days of the "
                   "National Holidays Regulations (全国年节及纪念日放假办法, 2024 "
                   "revision), lunar dates computed for Beijing time (GB/T 33661-2017); "
                   "the bridging days and make-up working days of those years are not "
                   "known until the State Council publishes them - regenerate then. "
                   "Generated by calendars/generate.py."
                   % (FIRST_YEAR, CN_LAST_PUBLISHED, CN_LAST_PUBLISHED + 1, LAST_YEAR))
    for year, blocks in sorted(CN_PUBLISHED.items()):
        for summary, local, first, last, workdays in blocks:
            days = (last - first).days + 1
            cal.dated(summary, first, days=days, local=local,
                      note="State Council schedule for %d; %d day%s off"
                           % (year, days, "s" if days > 1 else ""))
            for w in workdays:
                cal.dated(summary + " make-up working day", w, local=local + " 调休上班",
                          note="A %s worked in exchange for a day of the %s break "
                               "(State Council schedule for %d)"
                               % (w.strftime("%A"), summary, year),
                          slug=slugify(summary) + "-make-up-working-day",
                          categories="WORKDAY")
    computed_years = range(CN_LAST_PUBLISHED + 1, LAST_YEAR + 1)
    fest = chinese_festivals(computed_years)
    note = ("Statutory holiday day%s only; the State Council had not published the "
            "%d schedule (bridging days, make-up working days) when this file was "
            "generated")
    for y in computed_years:
        f = fest[y]
        cal.dated("New Year's Day", d(y, 1, 1), local="元旦", note=note % ("", y))
        cal.dated("Spring Festival", f["spring_festival"] - ONE_DAY, days=4,
                  local="春节 (除夕至正月初三)",
                  note=note % ("s", y) + ". Chinese New Year's Eve to the third day of "
                                         "the first lunar month")
        cal.dated("Qingming Festival", f["qingming"], local="清明节", note=note % ("", y))
        cal.dated("Labour Day", d(y, 5, 1), days=2, local="劳动节", note=note % ("s", y))
        cal.dated("Dragon Boat Festival", f["dragon_boat"], local="端午节",
                  note=note % ("", y) + ". Fifth day of the fifth lunar month")
        cal.dated("Mid-Autumn Festival", f["mid_autumn"], local="中秋节",
                  note=note % ("", y) + ". Fifteenth day of the eighth lunar month")
        cal.dated("National Day", d(y, 10, 1), days=3, local="国庆节", note=note % ("s", y))
    return cal


BUILDERS = [
    ("US.ics", build_us),
    ("GB-ENG.ics", build_gb_eng),
    ("DE.ics", build_de),
    ("FR.ics", build_fr),
    ("IN.ics", build_in),
    ("AU-NSW.ics", build_au_nsw),
    ("BR.ics", build_br),
    ("JP.ics", build_jp),
    ("PL.ics", build_pl),
    ("IL.ics", build_il),
    ("CN.ics", build_cn),
]


def main(argv):
    here = os.path.dirname(os.path.abspath(__file__))
    mode = argv[1] if len(argv) > 1 else "--write"
    if mode not in ("--write", "--list", "--check"):
        sys.stderr.write(__doc__)
        return 2
    stale = 0
    for fname, build in BUILDERS:
        cal = build()
        if mode == "--list":
            off, work = cal.days_off()
            for day in sorted(off):
                print("%s %s off %s" % (cal.code, day.isoformat(), " / ".join(off[day])))
            for day in sorted(work):
                print("%s %s work %s" % (cal.code, day.isoformat(), " / ".join(work[day])))
            continue
        data = cal.render()
        path = os.path.join(here, fname)
        try:
            with open(path, "rb") as fh:
                old = fh.read()
        except FileNotFoundError:
            old = None
        if old == data:
            continue
        if mode == "--check":
            sys.stderr.write("generate.py: %s is out of date\n" % fname)
            stale += 1
            continue
        with open(path + ".tmp", "wb") as fh:
            fh.write(data)
        os.replace(path + ".tmp", path)
        print("wrote calendars/%s (%d events)" % (fname, len(cal.events)))
    return 1 if stale else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
