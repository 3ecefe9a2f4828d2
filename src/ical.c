/* ical.c: iCalendar holiday feeds -> struct cal_rules; see ical.h.
 *
 * The only file that includes libical.  Loading runs in three passes:
 *
 *   1. scan: our own light pass over the raw bytes.  It strips a UTF-8
 *      BOM, accepts CRLF, LF or CR line ends, unfolds folded lines, checks
 *      that BEGIN/END nest, and records the physical line of every
 *      BEGIN:VEVENT / BEGIN:VTIMEZONE directly inside a VCALENDAR and of
 *      every property directly inside such a VEVENT.  libical tolerates
 *      garbage and knows no line numbers, so every "FILE:LINE" comes from
 *      here.  The unfolded text is what libical parses, so both see the
 *      same logical lines; the n-th VEVENT libical returns (file order) is
 *      the n-th VEVENT of the scan.
 *   2. parse: icalparser_parse_string, then per VEVENT the properties we
 *      use, with every date resolved to a wall date/time and a zone.
 *   3. expand: DTSTART + RRULE (icalrecur_iterator) + RDATE - EXDATE -
 *      RECURRENCE-ID overrides, clipped to [from_year, to_year], into local
 *      dates (all-day) or UTC closures (timed).
 *
 * Entries are collected in our own arrays and appended to the caller's
 * cal_rules only when the whole file loaded, so an error leaves it as it
 * was.  libical's recurrence iterator can spin for a long time on rules
 * that (almost) never match, and it ignores UNTIL while scanning for some
 * frequencies, so rules are checked before libical sees them: value ranges,
 * the RFC 5545 table of which BYxxx go with which FREQ, a date-level
 * feasibility test over a whole 400-year Gregorian cycle, and a cost
 * budget per file.
 */
#include "ical.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <libical/ical.h>

#include "buf.h"
#include "cal.h"
#include "civil.h"
#include "tz.h"

#define ICAL_MAX_BYTES		((size_t)32 << 20)	/* a .ics larger than this is refused */
#define ICAL_MAX_DEPTH		32		/* BEGIN nesting */
/* One limit on occurrences, documented in slatrack-calendars(5): an event
 * (and each of its RRULEs, counted from DTSTART when it has a COUNT) may
 * have at most this many up to the last year expanded. */
#define ICAL_MAX_OCCS		100000
#define ICAL_MAX_STEPS		ICAL_MAX_OCCS	/* iterations of one RRULE */
#define ICAL_MAX_ENTRIES	2000000		/* days + closures per file */
#define ICAL_MAX_WARNINGS	500
#define ICAL_COST_BUDGET	((int64_t)4000000)	/* ~microseconds of libical work */
#define ICAL_MIN_YEAR		1600		/* dates outside are refused */
#define ICAL_MAX_YEAR		2599		/* libical stops iterating at 2582 */
#define ICAL_VTZ_LAST_YEAR	2037		/* libical expands VTIMEZONEs up to here */
#define ICAL_MAX_OFFSET_S	(26 * 3600)

/* ---- small helpers ------------------------------------------------------ */

static int lower(int c)
{
	return c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c;
}

/* s[0..n) equals the NUL-terminated word, ignoring ASCII case. */
static int ieq_n(const char *s, size_t n, const char *word)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (word[i] == '\0' || lower((unsigned char)s[i]) !=
		    lower((unsigned char)word[i]))
			return 0;
	return word[n] == '\0';
}

/* a[0..an) equals b[0..bn), ignoring ASCII case. */
static int ieq_nn(const char *a, size_t an, const char *b, size_t bn)
{
	size_t i;

	if (an != bn)
		return 0;
	for (i = 0; i < an; i++)
		if (lower((unsigned char)a[i]) != lower((unsigned char)b[i]))
			return 0;
	return 1;
}

/* Does needle occur in hay[0..n), ignoring ASCII case? */
static int icontains_n(const char *hay, size_t n, const char *needle)
{
	size_t m = strlen(needle), i, j;

	if (m == 0)
		return 1;
	for (i = 0; i + m <= n; i++) {
		for (j = 0; j < m; j++)
			if (lower((unsigned char)hay[i + j]) !=
			    lower((unsigned char)needle[j]))
				break;
		if (j == m)
			return 1;
	}
	return 0;
}

static int icontains(const char *hay, const char *needle)
{
	return hay != NULL && icontains_n(hay, strlen(hay), needle);
}

/* A short printable copy of untrusted text for a message. */
static const char *quote(const char *s, size_t n, char out[72])
{
	size_t i, k = 0;

	for (i = 0; i < n && k < 64; i++) {
		unsigned char c = (unsigned char)s[i];

		out[k++] = c < 0x20 || c == 0x7f ? '?' : (char)c;
	}
	if (i < n) {
		memcpy(out + k, "...", 3);
		k += 3;
	}
	out[k] = '\0';
	return out;
}

static const char *day_str(int64_t day, char out[CIVIL_ISO_LEN])
{
	civil_format_day(day, out);
	return out;
}

static int64_t year_of_day(int64_t day)
{
	int64_t y;
	int m, d;

	civil_ymd_from_days(day, &y, &m, &d);
	return y;
}

static int is_leap(int64_t y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int grow(void **p, size_t *cap, size_t need, size_t size)
{
	size_t n;
	void *q;

	if (need <= *cap)
		return 0;
	n = *cap ? *cap : 8;
	while (n < need) {
		if (n > SIZE_MAX / 2 / size)
			return -1;
		n *= 2;
	}
	q = realloc(*p, n * size);
	if (q == NULL)
		return -1;
	*p = q;
	*cap = n;
	return 0;
}

/* libical keeps its error state in globals: make every error non-fatal
 * (no assert, no message on stderr) and start from a clean errno. */
static void libical_quiet(void)
{
	static const icalerrorenum all[] = {
		ICAL_BADARG_ERROR, ICAL_NEWFAILED_ERROR, ICAL_ALLOCATION_ERROR,
		ICAL_MALFORMEDDATA_ERROR, ICAL_PARSE_ERROR, ICAL_INTERNAL_ERROR,
		ICAL_FILE_ERROR, ICAL_USAGE_ERROR, ICAL_UNIMPLEMENTED_ERROR,
		ICAL_UNKNOWN_ERROR
	};
	size_t i;

	icalerror_set_errors_are_fatal(0);
	for (i = 0; i < sizeof all / sizeof all[0]; i++)
		icalerror_set_error_state(all[i], ICAL_ERROR_NONFATAL);
	icalerror_clear_errno();
}

/* ---- report --------------------------------------------------------------- */

void ical_report_init(struct ical_report *rep)
{
	rep->warnings = NULL;
	rep->nwarnings = 0;
	rep->last_day = -1;
	rep->nevents = 0;
}

void ical_report_release(struct ical_report *rep)
{
	size_t i;

	if (rep == NULL)
		return;
	for (i = 0; i < rep->nwarnings; i++)
		free(rep->warnings[i]);
	free(rep->warnings);
	ical_report_init(rep);
}

/* ---- filters -------------------------------------------------------------- */

int ical_parse_filter(const char *s, int exclude, struct ical_filter *f,
		      struct diag *d)
{
	static const struct {
		const char *prefix;
		enum ical_field field;
	} fields[] = {
		{ "summary:", ICAL_FIELD_SUMMARY },
		{ "description:", ICAL_FIELD_DESCRIPTION },
		{ "categories:", ICAL_FIELD_CATEGORIES },
	};
	size_t i, n;

	if (s == NULL)
		return diag_set(d, DIAG_USAGE, "empty calendar filter");
	f->field = ICAL_FIELD_ANY;
	f->exclude = exclude != 0;
	f->text = s;
	for (i = 0; i < sizeof fields / sizeof fields[0]; i++) {
		n = strlen(fields[i].prefix);
		if (strlen(s) >= n && ieq_n(s, n, fields[i].prefix)) {
			f->field = fields[i].field;
			f->text = s + n;
			break;
		}
	}
	if (f->text[0] == '\0')
		return diag_set(d, DIAG_USAGE, "empty calendar filter '%s'", s);
	return 0;
}

/* ---- pass 1: scan ----------------------------------------------------------- */

struct sprop {			/* a property line directly inside a VEVENT */
	size_t off, len;	/* the unfolded logical line in scan.text */
	size_t namelen;
	int line;		/* first physical line */
};

struct sevent {
	int line;		/* BEGIN:VEVENT */
	size_t first, n;	/* its properties: scan.props[first .. first+n) */
};

struct scan {
	char *text;		/* unfolded, NUL-terminated, for libical */
	size_t len;
	struct sprop *props;
	size_t nprops, aprops;
	struct sevent *evs;
	size_t nevs, aevs;
	int *vtz;		/* line of each BEGIN:VTIMEZONE */
	size_t nvtz, avtz;
	size_t ncals;
};

struct lline {
	size_t off, len;
	int line;
};

static void scan_release(struct scan *sc)
{
	free(sc->text);
	free(sc->props);
	free(sc->evs);
	free(sc->vtz);
	memset(sc, 0, sizeof *sc);
}

/* Offset of the ':' that ends the name and parameters, or len. */
static size_t value_colon(const char *s, size_t len)
{
	size_t i;
	int quoted = 0;

	for (i = 0; i < len; i++) {
		if (s[i] == '"')
			quoted = !quoted;
		else if (s[i] == ':' && !quoted)
			return i;
	}
	return len;
}

static size_t name_len(const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < len && s[i] != ';' && s[i] != ':'; i++)
		;
	return i;
}

/* Unfolds data into sc->text and fills *ll with the logical lines. */
static int scan_unfold(const char *src, const char *data, size_t len,
		       struct scan *sc, struct lline **ll, size_t *nll,
		       struct diag *d)
{
	struct buf b = BUF_INIT;
	const char *p = data, *end = data + len, *q, *next;
	struct lline *v = NULL;
	size_t n = 0, cap = 0;
	int line = 1, open = 0;

	b.cap = ICAL_MAX_BYTES + 2;
	if (len >= 3 && memcmp(p, "\xef\xbb\xbf", 3) == 0)
		p += 3;
	if (memchr(p, '\0', (size_t)(end - p)) != NULL) {
		const char *z = memchr(p, '\0', (size_t)(end - p));

		for (q = p; q < z; q++)
			line += *q == '\n' || (*q == '\r' && (q + 1 == z || q[1] != '\n'));
		return diag_set(d, DIAG_INPUT, "%s:%d: NUL byte: not an iCalendar file",
		    src, line);
	}
	for (; p < end; p = next, line++) {
		for (q = p; q < end && *q != '\n' && *q != '\r'; q++)
			;
		next = q;
		if (q < end)
			next = q + (*q == '\r' && q + 1 < end && q[1] == '\n' ? 2 : 1);
		if (q > p && (*p == ' ' || *p == '\t') && open) {
			buf_add(&b, p + 1, (size_t)(q - p - 1));	/* continuation */
			continue;
		}
		if (open) {
			v[n - 1].len = b.len - v[n - 1].off;
			buf_addc(&b, '\n');
			open = 0;
		}
		while (p < q && (*p == ' ' || *p == '\t'))
			p++;
		if (p == q)
			continue;			/* blank line */
		if (grow((void **)&v, &cap, n + 1, sizeof *v) < 0) {
			buf_release(&b);
			free(v);
			return diag_set(d, DIAG_NOMEM, "out of memory");
		}
		v[n].off = b.len;
		v[n].len = 0;
		v[n].line = line;
		n++;
		open = 1;
		buf_add(&b, p, (size_t)(q - p));
	}
	if (open) {
		v[n - 1].len = b.len - v[n - 1].off;
		buf_addc(&b, '\n');
	}
	if (buf_failed(&b)) {
		buf_release(&b);
		free(v);
		return diag_set(d, DIAG_NOMEM, "%s: out of memory", src);
	}
	sc->len = b.len;
	sc->text = buf_detach(&b);
	if (sc->text == NULL) {
		free(v);
		return diag_set(d, DIAG_NOMEM, "out of memory");
	}
	*ll = v;
	*nll = n;
	return 0;
}

struct frame {
	const char *name;
	size_t len;
	int line;
};

static int scan_run(const char *src, const char *data, size_t len,
		    struct scan *sc, struct diag *d)
{
	struct frame st[ICAL_MAX_DEPTH];
	struct lline *ll = NULL;
	size_t nll = 0, i, depth = 0;
	struct sevent *cur = NULL;
	char q1[72], q2[72];
	int rc = -1;

	memset(sc, 0, sizeof *sc);
	if (scan_unfold(src, data, len, sc, &ll, &nll, d) < 0)
		return -1;
	if (nll == 0 || !ieq_n(sc->text + ll[0].off, ll[0].len, "BEGIN:VCALENDAR")) {
		diag_set(d, DIAG_INPUT,
		    "%s:%d: not an iCalendar file (no BEGIN:VCALENDAR)", src,
		    nll == 0 ? 1 : ll[0].line);
		goto out;
	}
	for (i = 0; i < nll; i++) {
		const char *s = sc->text + ll[i].off;
		size_t n = ll[i].len, nl = name_len(s, n), c = value_colon(s, n);
		const char *val = s + c + 1;
		size_t vlen = c < n ? n - c - 1 : 0;
		int is_begin = ieq_n(s, nl, "BEGIN"), is_end = ieq_n(s, nl, "END");

		if ((is_begin || is_end) && (c == n || vlen == 0)) {
			diag_set(d, DIAG_INPUT, "%s:%d: malformed line '%s'", src,
			    ll[i].line, quote(s, n, q1));
			goto out;
		}
		if (is_begin) {
			if (depth == 0 && !ieq_n(val, vlen, "VCALENDAR")) {
				diag_set(d, DIAG_INPUT,
				    "%s:%d: 'BEGIN:%s' outside VCALENDAR", src,
				    ll[i].line, quote(val, vlen, q1));
				goto out;
			}
			if (depth == ICAL_MAX_DEPTH) {
				diag_set(d, DIAG_INPUT,
				    "%s:%d: components nested too deeply", src,
				    ll[i].line);
				goto out;
			}
			if (depth == 0)
				sc->ncals++;
			if (depth == 1 && ieq_n(val, vlen, "VEVENT")) {
				if (grow((void **)&sc->evs, &sc->aevs, sc->nevs + 1,
				    sizeof *sc->evs) < 0)
					goto nomem;
				cur = &sc->evs[sc->nevs++];
				cur->line = ll[i].line;
				cur->first = sc->nprops;
				cur->n = 0;
			}
			if (depth == 1 && ieq_n(val, vlen, "VTIMEZONE")) {
				if (grow((void **)&sc->vtz, &sc->avtz, sc->nvtz + 1,
				    sizeof *sc->vtz) < 0)
					goto nomem;
				sc->vtz[sc->nvtz++] = ll[i].line;
			}
			st[depth].name = val;
			st[depth].len = vlen;
			st[depth].line = ll[i].line;
			depth++;
			continue;
		}
		if (is_end) {
			if (depth == 0) {
				diag_set(d, DIAG_INPUT,
				    "%s:%d: 'END:%s' without BEGIN", src, ll[i].line,
				    quote(val, vlen, q1));
				goto out;
			}
			if (!ieq_nn(st[depth - 1].name, st[depth - 1].len, val, vlen)) {
				diag_set(d, DIAG_INPUT,
				    "%s:%d: 'BEGIN:%s' has no matching END "
				    "(found 'END:%s' at line %d)", src,
				    st[depth - 1].line,
				    quote(st[depth - 1].name, st[depth - 1].len, q1),
				    quote(val, vlen, q2), ll[i].line);
				goto out;
			}
			depth--;
			if (depth == 1)
				cur = NULL;
			continue;
		}
		if (depth == 0) {
			diag_set(d, DIAG_INPUT, "%s:%d: content after END:VCALENDAR",
			    src, ll[i].line);
			goto out;
		}
		if (depth == 2 && cur != NULL) {
			struct sprop *pp;

			if (grow((void **)&sc->props, &sc->aprops, sc->nprops + 1,
			    sizeof *sc->props) < 0)
				goto nomem;
			pp = &sc->props[sc->nprops++];
			pp->off = ll[i].off;
			pp->len = n;
			pp->namelen = nl;
			pp->line = ll[i].line;
			cur->n++;
		}
	}
	if (depth > 0) {
		diag_set(d, DIAG_INPUT,
		    "%s:%d: 'BEGIN:%s' is never closed (truncated file?)", src,
		    st[depth - 1].line,
		    quote(st[depth - 1].name, st[depth - 1].len, q1));
		goto out;
	}
	rc = 0;
	goto out;
nomem:
	diag_set(d, DIAG_NOMEM, "out of memory");
out:
	free(ll);
	if (rc < 0)
		scan_release(sc);
	return rc;
}

static const struct sprop *sprop_at(const struct scan *sc, const struct sevent *se,
				    size_t i)
{
	return &sc->props[se->first + i];
}

/* Line of the first property `name` of the event whose line contains
 * `needle` (any when NULL); the BEGIN:VEVENT line when there is none. */
static int sline(const struct scan *sc, const struct sevent *se,
		 const char *name, const char *needle)
{
	size_t i;

	for (i = 0; i < se->n; i++) {
		const struct sprop *p = sprop_at(sc, se, i);

		if (!ieq_n(sc->text + p->off, p->namelen, name))
			continue;
		if (needle == NULL || icontains_n(sc->text + p->off, p->len, needle))
			return p->line;
	}
	return se->line;
}

/* ---- zones ------------------------------------------------------------------ */

enum zone_kind { ZONE_UTC, ZONE_FLOATING, ZONE_TZ, ZONE_VTZ };

struct zone {
	enum zone_kind kind;
	char *tzid;
	icalcomponent *cal;	/* the VCALENDAR the TZID was looked up in */
	struct tz *tz;		/* ZONE_TZ, owned */
	icaltimezone *vtz;	/* ZONE_VTZ, owned, holds a clone of the VTIMEZONE */
};

/* A date or date-time resolved to its wall clock and zone. */
struct when {
	int is_date;
	int64_t day;		/* wall date */
	int32_t secs;		/* wall seconds after midnight (0 for dates) */
	const struct zone *z;	/* date-times only */
	int64_t at;		/* date-times: the UTC instant */
	int64_t lday;		/* the date it names for an all-day series */
};

/* ---- pass 2: events ----------------------------------------------------------- */

struct rdate {
	struct when w;
	int has_end;		/* PERIOD */
	struct when end;
	int64_t dur_s;		/* PERIOD with a duration */
};

struct event {
	icalcomponent *c, *cal;
	const struct sevent *se;
	const char *uid, *summary, *description;
	icalproperty **cats;
	size_t ncats;
	icalproperty *p_dtstart, *p_dtend, *p_duration, *p_rid;
	int cancelled, passes, makeup, override, matched;
	struct when start, rid;
	int timed;
	int64_t ndays;		/* all-day: length in days */
	int64_t dur_s;		/* timed: length in seconds (exact) */
	int64_t dur_days;	/* timed: plus these calendar days (DURATION PnD, PnW) */
	struct rdate *rdates;
	size_t nrdates;
	struct when *exdates;
	size_t nexdates;
};

struct occ {
	int64_t key;		/* all-day: day; timed: start_at */
	int64_t end;		/* all-day: exclusive day; timed: end_at */
	int64_t wday;		/* wall date of the start */
};

struct occs {
	struct occ *v;
	size_t n, cap;
};

struct ent {			/* a holiday or make-up day */
	int32_t day;
	size_t ev;
};

struct clo {
	int64_t start_at, end_at;
	size_t ev;
};

struct ld {
	const struct ical_options *o;
	const char *src;
	struct diag *d;
	struct scan sc;
	icalcomponent *root;
	icalcomponent **cals;
	size_t ncals;
	struct event *ev;
	size_t nev;
	struct zone utc, floating;
	struct zone **zones;
	size_t nzones, azones;
	int64_t first_day, last_day;	/* window, local dates */
	int64_t cost;
	struct ent *ents;
	size_t nents, aents;
	struct clo *clos;
	size_t nclos, aclos;
	char **warn;
	size_t nwarn, awarn;
	size_t nwarn_dropped;
	/* coverage */
	int any_entry, any_finite;
	int64_t finite_last;
	int any_dated;
	int64_t dated_last;
	size_t dated_ev;
	size_t nevents;
};

static int nomem(struct ld *L)
{
	return diag_set(L->d, DIAG_NOMEM, "out of memory");
}

static int warn(struct ld *L, int line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int warn(struct ld *L, int line, const char *fmt, ...)
{
	struct buf b = BUF_INIT;
	char tmp[DIAG_MSG_LEN];
	va_list ap;
	char *s;

	if (L->nwarn >= ICAL_MAX_WARNINGS) {
		L->nwarn_dropped++;
		return 0;
	}
	va_start(ap, fmt);
	vsnprintf(tmp, sizeof tmp, fmt, ap);
	va_end(ap);
	buf_addf(&b, "%s:%d: %s", L->src, line, tmp);
	if ((s = buf_detach(&b)) == NULL ||
	    grow((void **)&L->warn, &L->awarn, L->nwarn + 1, sizeof *L->warn) < 0) {
		free(s);
		return nomem(L);
	}
	L->warn[L->nwarn++] = s;
	return 0;
}

/* -- zone resolution -- */

static int32_t vtz_offset(icaltimezone *z, int64_t at)
{
	struct icaltimetype tt = icaltime_null_time();
	int64_t day = civil_div(at, CIVIL_DAY_S), y, s;
	int m, dd, dst = 0;

	civil_ymd_from_days(day, &y, &m, &dd);
	if (y > ICAL_VTZ_LAST_YEAR) {
		/* libical expands VTIMEZONE rules only up to 2037: use the
		 * latest earlier year with the same calendar (leap year and
		 * weekday of January 1st), which the rules treat alike. */
		int64_t y2, j = civil_days_from_ymd(y, 1, 1);

		for (y2 = ICAL_VTZ_LAST_YEAR; y2 > ICAL_VTZ_LAST_YEAR - 28; y2--) {
			int64_t j2 = civil_days_from_ymd(y2, 1, 1);

			if (is_leap(y2) == is_leap(y) &&
			    civil_weekday(j2) == civil_weekday(j))
				break;
		}
		day -= j - civil_days_from_ymd(y2, 1, 1);
		civil_ymd_from_days(day, &y, &m, &dd);
	}
	s = civil_mod(at, CIVIL_DAY_S);
	tt.year = (int)y;
	tt.month = m;
	tt.day = dd;
	tt.hour = (int)(s / 3600);
	tt.minute = (int)(s / 60 % 60);
	tt.second = (int)(s % 60);
	tt.is_date = 0;
	return (int32_t)icaltimezone_get_utc_offset_of_utc_time(z, &tt, &dst);
}

/* The earliest instant whose wall time is >= local (a time in a gap means
 * the moment the clock jumps; an ambiguous one its first occurrence). */
static int64_t vtz_local_to_utc(icaltimezone *z, int64_t local_s)
{
	int32_t oa = vtz_offset(z, local_s - 2 * CIVIL_DAY_S);
	int32_t ob = vtz_offset(z, local_s + 2 * CIVIL_DAY_S);
	int64_t best = INT64_MAX, t, lo, hi, mid;

	t = local_s - oa;
	if (vtz_offset(z, t) == oa)
		best = t;
	t = local_s - ob;
	if (vtz_offset(z, t) == ob && t < best)
		best = t;
	if (best != INT64_MAX)
		return best;
	/* In a gap: the moment the clock jumps. */
	lo = local_s - (oa > ob ? oa : ob);
	hi = local_s - (oa < ob ? oa : ob);
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (mid + vtz_offset(z, mid) >= local_s)
			hi = mid;
		else
			lo = mid + 1;
	}
	return lo;
}

static int64_t zone_to_utc(const struct ld *L, const struct zone *z, int64_t local_s)
{
	switch (z->kind) {
	case ZONE_UTC:
		return local_s;
	case ZONE_FLOATING:
		return L->o->local != NULL ? tz_local_to_utc(L->o->local, local_s) :
		    local_s;
	case ZONE_TZ:
		return tz_local_to_utc(z->tz, local_s);
	case ZONE_VTZ:
		return vtz_local_to_utc(z->vtz, local_s);
	}
	return local_s;
}

/* The wall clock of zone z at UTC instant at. */
static int64_t zone_from_utc(const struct ld *L, const struct zone *z, int64_t at)
{
	switch (z->kind) {
	case ZONE_UTC:
		return at;
	case ZONE_FLOATING:
		return L->o->local != NULL ? tz_utc_to_local(L->o->local, at) : at;
	case ZONE_TZ:
		return tz_utc_to_local(z->tz, at);
	case ZONE_VTZ:
		return at + vtz_offset(z->vtz, at);
	}
	return at;
}

/* Wall clock `days` calendar days after instant at in zone z, then
 * `secs` exact seconds. */
static int64_t add_nominal(const struct ld *L, const struct zone *z, int64_t at,
			   int64_t days, int64_t secs)
{
	if (days != 0)
		at = zone_to_utc(L, z, zone_from_utc(L, z, at) + days * CIVIL_DAY_S);
	return at + secs;
}

static int rrule_check(const struct icalrecurrencetype *r, int is_date,
		       const char **why);
static int rrule_feasible(const struct icalrecurrencetype *r);

static int vtz_has_error(icalcomponent *c)
{
	icalcomponent *k;

	if (icalcomponent_get_first_property(c, ICAL_XLICERROR_PROPERTY) != NULL)
		return 1;
	for (k = icalcomponent_get_first_component(c, ICAL_ANY_COMPONENT); k != NULL;
	    k = icalcomponent_get_next_component(c, ICAL_ANY_COMPONENT))
		if (vtz_has_error(k))
			return 1;
	return 0;
}

/* Checks a VTIMEZONE before libical expands it (a hostile observance rule
 * could keep libical busy for hours); adds its cost to the budget. */
static int vtz_check(struct ld *L, icalcomponent *vtz, int line, const char *tzid)
{
	icalcomponent *ob;
	icalproperty *p;
	char q[72];
	int nobs = 0;

	if (vtz_has_error(vtz))
		return diag_set(L->d, DIAG_INPUT, "%s:%d: cannot parse VTIMEZONE '%s'",
		    L->src, line, quote(tzid, strlen(tzid), q));
	for (ob = icalcomponent_get_first_component(vtz, ICAL_ANY_COMPONENT);
	    ob != NULL; ob = icalcomponent_get_next_component(vtz, ICAL_ANY_COMPONENT)) {
		icalcomponent_kind k = icalcomponent_isa(ob);
		struct icaltimetype st;
		int ok = 1;

		if (k != ICAL_XSTANDARD_COMPONENT && k != ICAL_XDAYLIGHT_COMPONENT)
			continue;
		nobs++;
		p = icalcomponent_get_first_property(ob, ICAL_DTSTART_PROPERTY);
		if (p == NULL ||
		    icalcomponent_get_first_property(ob, ICAL_TZOFFSETTO_PROPERTY) == NULL ||
		    icalcomponent_get_first_property(ob, ICAL_TZOFFSETFROM_PROPERTY) == NULL)
			ok = 0;
		if (ok) {
			st = icalproperty_get_dtstart(p);
			if (icaltime_is_null_time(st) || st.year < ICAL_MIN_YEAR ||
			    st.year > ICAL_MAX_YEAR)
				ok = 0;
			else if (st.year < ICAL_VTZ_LAST_YEAR)
				L->cost += (int64_t)(ICAL_VTZ_LAST_YEAR - st.year) * 30;
		}
		for (p = icalcomponent_get_first_property(ob, ICAL_TZOFFSETTO_PROPERTY);
		    ok && p != NULL; p = icalcomponent_get_next_property(ob,
		    ICAL_TZOFFSETTO_PROPERTY)) {
			int off = icalproperty_get_tzoffsetto(p);

			if (off > ICAL_MAX_OFFSET_S || off < -ICAL_MAX_OFFSET_S)
				ok = 0;
		}
		for (p = icalcomponent_get_first_property(ob, ICAL_TZOFFSETFROM_PROPERTY);
		    ok && p != NULL; p = icalcomponent_get_next_property(ob,
		    ICAL_TZOFFSETFROM_PROPERTY)) {
			int off = icalproperty_get_tzoffsetfrom(p);

			if (off > ICAL_MAX_OFFSET_S || off < -ICAL_MAX_OFFSET_S)
				ok = 0;
		}
		for (p = icalcomponent_get_first_property(ob, ICAL_RRULE_PROPERTY);
		    ok && p != NULL; p = icalcomponent_get_next_property(ob,
		    ICAL_RRULE_PROPERTY)) {
			struct icalrecurrencetype r = icalproperty_get_rrule(p);
			const char *why;

			if (r.freq != ICAL_YEARLY_RECURRENCE ||
			    rrule_check(&r, 0, &why) < 0 || !rrule_feasible(&r))
				ok = 0;
		}
		if (!ok)
			return diag_set(L->d, DIAG_INPUT,
			    "%s:%d: unusable %s in VTIMEZONE '%s'", L->src, line,
			    k == ICAL_XSTANDARD_COMPONENT ? "STANDARD" : "DAYLIGHT",
			    quote(tzid, strlen(tzid), q));
	}
	if (nobs == 0)
		return diag_set(L->d, DIAG_INPUT,
		    "%s:%d: VTIMEZONE '%s' has no STANDARD or DAYLIGHT", L->src, line,
		    quote(tzid, strlen(tzid), q));
	if (L->cost > ICAL_COST_BUDGET)
		return diag_set(L->d, DIAG_INPUT,
		    "%s:%d: VTIMEZONE '%s' is too costly to expand", L->src, line,
		    quote(tzid, strlen(tzid), q));
	return 0;
}

static struct tz *load_iana(const char *tzid)
{
	struct diag scratch;
	struct tz *z;
	const char *p;

	if (tzid[0] != '/')
		return tz_load(tzid, &scratch);
	/* "/mozilla.org/20050126_1/Europe/Berlin" and similar prefixes. */
	for (p = tzid; (p = strchr(p, '/')) != NULL; ) {
		p++;
		if (*p == '\0' || *p == '/')
			continue;
		if ((z = tz_load(p, &scratch)) != NULL)
			return z;
	}
	return NULL;
}

/* The zone of TZID as seen from VCALENDAR cal: its VTIMEZONE, else the
 * IANA zone of that name.  NULL with diag set on failure. */
static const struct zone *zone_get(struct ld *L, icalcomponent *cal,
				   const char *tzid, int line)
{
	struct zone *z;
	icalcomponent *vtz, *found = NULL;
	size_t i, ci, k = 0, vi = 0;
	char q[72];

	for (i = 0; i < L->nzones; i++)
		if (L->zones[i]->cal == cal && strcmp(L->zones[i]->tzid, tzid) == 0)
			return L->zones[i];
	/* Index of the VTIMEZONE for its line: count those of earlier VCALENDARs. */
	for (ci = 0; ci < L->ncals && L->cals[ci] != cal; ci++)
		k += (size_t)icalcomponent_count_components(L->cals[ci],
		    ICAL_VTIMEZONE_COMPONENT);
	for (vtz = icalcomponent_get_first_component(cal, ICAL_VTIMEZONE_COMPONENT);
	    vtz != NULL; vtz = icalcomponent_get_next_component(cal,
	    ICAL_VTIMEZONE_COMPONENT), vi++) {
		icalproperty *p = icalcomponent_get_first_property(vtz,
		    ICAL_TZID_PROPERTY);
		const char *id = p != NULL ? icalproperty_get_tzid(p) : NULL;

		if (id != NULL && strcmp(id, tzid) == 0) {
			found = vtz;
			break;
		}
	}
	if ((z = calloc(1, sizeof *z)) == NULL ||
	    (z->tzid = strdup(tzid)) == NULL)
		goto nomem;
	z->cal = cal;
	if (found != NULL) {
		icalcomponent *clone;
		int vline = k + vi < L->sc.nvtz ? L->sc.vtz[k + vi] : line;

		if (vtz_check(L, found, vline, tzid) < 0)
			goto fail;
		z->kind = ZONE_VTZ;
		if ((clone = icalcomponent_new_clone(found)) == NULL ||
		    (z->vtz = icaltimezone_new()) == NULL) {
			if (clone != NULL)
				icalcomponent_free(clone);
			goto nomem;
		}
		if (!icaltimezone_set_component(z->vtz, clone)) {
			icalcomponent_free(clone);
			diag_set(L->d, DIAG_INPUT, "%s:%d: unusable VTIMEZONE '%s'",
			    L->src, vline, quote(tzid, strlen(tzid), q));
			goto fail;
		}
	} else {
		z->kind = ZONE_TZ;
		if ((z->tz = load_iana(tzid)) == NULL) {
			diag_set(L->d, DIAG_INPUT,
			    "%s:%d: unknown TZID '%s' (no VTIMEZONE, not an IANA zone)",
			    L->src, line, quote(tzid, strlen(tzid), q));
			goto fail;
		}
	}
	if (grow((void **)&L->zones, &L->azones, L->nzones + 1, sizeof *L->zones) < 0)
		goto nomem;
	L->zones[L->nzones++] = z;
	return z;
nomem:
	nomem(L);
fail:
	if (z != NULL) {
		if (z->vtz != NULL)
			icaltimezone_free(z->vtz, 1);
		tz_free(z->tz);
		free(z->tzid);
		free(z);
	}
	return NULL;
}

static void zones_free(struct ld *L)
{
	size_t i;

	for (i = 0; i < L->nzones; i++) {
		struct zone *z = L->zones[i];

		if (z->vtz != NULL)
			icaltimezone_free(z->vtz, 1);
		tz_free(z->tz);
		free(z->tzid);
		free(z);
	}
	free(L->zones);
	L->zones = NULL;
	L->nzones = 0;
}

/* -- dates -- */

/* "YYYYMMDD" of tt, to find its line. */
static const char *tt_needle(struct icaltimetype tt, char out[16])
{
	snprintf(out, 16, "%04d%02d%02d", tt.year % 10000 < 0 ? 0 : tt.year % 10000,
	    tt.month < 0 || tt.month > 99 ? 0 : tt.month,
	    tt.day < 0 || tt.day > 99 ? 0 : tt.day);
	return out;
}

/* Resolves tt, the value of property p (named name) of event e.  A
 * floating date-time is in zone `floating` (NULL: the partner's zone). */
static int when_make(struct ld *L, const struct event *e, icalproperty *p,
		     const char *name, struct icaltimetype tt,
		     const struct zone *floating, struct when *w)
{
	icalparameter *par;
	const char *tzid = NULL;
	char nd[16];

	if (icaltime_is_null_time(tt) ||
	    tt.year < ICAL_MIN_YEAR || tt.year > ICAL_MAX_YEAR ||
	    !civil_valid_ymd(tt.year, tt.month, tt.day) ||
	    (!tt.is_date && (tt.hour < 0 || tt.hour > 23 || tt.minute < 0 ||
	    tt.minute > 59 || tt.second < 0 || tt.second > 60)))
		return diag_set(L->d, DIAG_INPUT, "%s:%d: invalid %s%s", L->src,
		    sline(&L->sc, e->se, name, icaltime_is_null_time(tt) ? NULL :
		    tt_needle(tt, nd)), name,
		    !icaltime_is_null_time(tt) && (tt.year < ICAL_MIN_YEAR ||
		    tt.year > ICAL_MAX_YEAR) ? " (year outside 1600..2599)" : "");
	w->is_date = tt.is_date != 0;
	w->day = civil_days_from_ymd(tt.year, tt.month, tt.day);
	w->secs = w->is_date ? 0 : tt.hour * 3600 + tt.minute * 60 + tt.second;
	w->z = NULL;
	w->at = w->day * CIVIL_DAY_S;
	w->lday = w->day;
	if (w->is_date)
		return 0;
	if (icaltime_is_utc(tt)) {
		w->z = &L->utc;
		/* On an all-day series a UTC instant names the partner's date
		 * at that instant (programs write local midnight in UTC), but
		 * 00:00:00Z names its own date (others write dates so). */
		if (w->secs != 0 && L->o->local != NULL)
			w->lday = civil_div(tz_utc_to_local(L->o->local, w->day *
			    CIVIL_DAY_S + w->secs), CIVIL_DAY_S);
	} else {
		par = p != NULL ? icalproperty_get_first_parameter(p,
		    ICAL_TZID_PARAMETER) : NULL;
		if (par != NULL)
			tzid = icalparameter_get_tzid(par);
		if (tzid != NULL && tzid[0] != '\0') {
			w->z = zone_get(L, e->cal, tzid, sline(&L->sc, e->se, name, tzid));
			if (w->z == NULL)
				return -1;
		} else {
			w->z = floating != NULL ? floating : &L->floating;
		}
	}
	w->at = zone_to_utc(L, w->z, w->day * CIVIL_DAY_S + w->secs);
	return 0;
}

/* RFC 5545 3.3.6: the days and weeks of a DURATION are nominal (a day is
 * 23 or 25 hours across a DST change), hours, minutes and seconds exact. */
static int64_t dur_days_of(struct icaldurationtype du)
{
	return (int64_t)du.weeks * 7 + (int64_t)du.days;
}

static int64_t dur_exact_s(struct icaldurationtype du)
{
	return (int64_t)du.hours * 3600 + (int64_t)du.minutes * 60 + (int64_t)du.seconds;
}

static int64_t dur_seconds(struct icaldurationtype du)
{
	int64_t s = (int64_t)du.weeks * 7 * CIVIL_DAY_S + (int64_t)du.days * CIVIL_DAY_S +
	    (int64_t)du.hours * 3600 + (int64_t)du.minutes * 60 + (int64_t)du.seconds;

	return du.is_neg ? -s : s;
}

/* Does the parameter list s[0..n) (";A=B;C=D", before the ':') hold
 * NAME=VALUE, ignoring ASCII case? */
static int has_param(const char *s, size_t n, const char *name, const char *value)
{
	size_t i = 0, j, eq, nl = strlen(name);

	while (i < n) {
		if (s[i] == ';') {
			i++;
			continue;
		}
		for (j = i; j < n && s[j] != ';'; j++)
			;
		for (eq = i; eq < j && s[eq] != '='; eq++)
			;
		if (eq < j && eq - i == nl && ieq_n(s + i, nl, name) &&
		    ieq_nn(s + eq + 1, j - eq - 1, value, strlen(value)))
			return 1;
		i = j;
	}
	return 0;
}

/* A property with VALUE=DATE whose value is not a list of plain dates:
 * libical reads "20261225T000000" as nothing at all, and the event (say,
 * Christmas) would vanish without a word. */
static int check_date_values(struct ld *L, const struct event *e)
{
	static const char *const dated[] = {
		"DTSTART", "DTEND", "RDATE", "EXDATE", "RECURRENCE-ID"
	};
	const struct scan *sc = &L->sc;
	size_t i, k, c, a, b;
	char q[72];

	for (i = 0; i < e->se->n; i++) {
		const struct sprop *sp = sprop_at(sc, e->se, i);
		const char *s = sc->text + sp->off;

		for (k = 0; k < sizeof dated / sizeof dated[0]; k++)
			if (ieq_n(s, sp->namelen, dated[k]))
				break;
		if (k == sizeof dated / sizeof dated[0])
			continue;
		c = value_colon(s, sp->len);
		if (c >= sp->len || !has_param(s + sp->namelen, c - sp->namelen,
		    "VALUE", "DATE"))
			continue;
		for (a = c + 1; a <= sp->len; a = b + 1) {
			size_t m, x, y;
			int ok;

			for (b = a; b < sp->len && s[b] != ','; b++)
				;
			for (x = a; x < b && (s[x] == ' ' || s[x] == '\t'); x++)
				;
			for (y = b; y > x && (s[y - 1] == ' ' || s[y - 1] == '\t'); y--)
				;
			ok = y - x == 8;
			for (m = x; ok && m < y; m++)
				ok = s[m] >= '0' && s[m] <= '9';
			if (!ok)
				return diag_set(L->d, DIAG_INPUT,
				    "%s:%d: %s is VALUE=DATE but '%s' is not a date "
				    "(YYYYMMDD)", L->src, sp->line, dated[k],
				    quote(s + x, y - x, q));
		}
	}
	return 0;
}

/* libical found a value it could not parse (it leaves an X-LIC-ERROR in
 * place of the property): name the line of the first property that
 * matters to us and does not parse on its own. */
static int check_parse_errors(struct ld *L, const struct event *e)
{
	static const char *const important[] = {
		"DTSTART", "DTEND", "DURATION", "RRULE", "RDATE", "EXDATE",
		"RECURRENCE-ID"
	};
	const struct scan *sc = &L->sc;
	size_t i, k, c;
	char q[72];

	for (i = 0; i < e->se->n; i++) {
		const struct sprop *sp = sprop_at(sc, e->se, i);
		const char *s = sc->text + sp->off;
		icalproperty *p;
		char *line;

		for (k = 0; k < sizeof important / sizeof important[0]; k++)
			if (ieq_n(s, sp->namelen, important[k]))
				break;
		if (k == sizeof important / sizeof important[0])
			continue;
		if ((line = malloc(sp->len + 1)) == NULL)
			return nomem(L);
		memcpy(line, s, sp->len);
		line[sp->len] = '\0';
		p = icalproperty_new_from_string(line);
		free(line);
		icalerror_clear_errno();
		if (p != NULL) {
			icalproperty_free(p);
			continue;
		}
		c = value_colon(s, sp->len);
		return diag_set(L->d, DIAG_INPUT, "%s:%d: cannot parse %s '%s'",
		    L->src, sp->line, important[k], c < sp->len ?
		    quote(s + c + 1, sp->len - c - 1, q) : "");
	}
	return 0;
}

static int cat_is_workday(const char *s)
{
	const char *p = s, *e;

	while (p != NULL && *p != '\0') {
		const char *a, *b;

		e = strchr(p, ',');
		a = p;
		b = e != NULL ? e : p + strlen(p);
		while (a < b && (*a == ' ' || *a == '\t'))
			a++;
		while (b > a && (b[-1] == ' ' || b[-1] == '\t'))
			b--;
		if (ieq_n(a, (size_t)(b - a), "WORKDAY"))
			return 1;
		p = e != NULL ? e + 1 : NULL;
	}
	return 0;
}

static int filter_hit(const struct ical_filter *f, const struct event *e)
{
	size_t i;
	int cat = 0;

	for (i = 0; i < e->ncats && !cat; i++)
		cat = icontains(icalproperty_get_categories(e->cats[i]), f->text);
	switch (f->field) {
	case ICAL_FIELD_SUMMARY:
		return icontains(e->summary, f->text);
	case ICAL_FIELD_DESCRIPTION:
		return icontains(e->description, f->text);
	case ICAL_FIELD_CATEGORIES:
		return cat;
	case ICAL_FIELD_ANY:
		break;
	}
	return icontains(e->summary, f->text) || icontains(e->description, f->text) ||
	    cat;
}

static int filters_pass(const struct ical_options *o, const struct event *e)
{
	size_t i;
	int includes = 0, inc_hit = 0;

	for (i = 0; i < o->nfilters; i++) {
		const struct ical_filter *f = &o->filters[i];

		if (f->exclude) {
			if (filter_hit(f, e))
				return 0;
		} else {
			includes = 1;
			if (!inc_hit && filter_hit(f, e))
				inc_hit = 1;
		}
	}
	return !includes || inc_hit;
}

static const char *ev_name(const struct event *e)
{
	return e->summary != NULL && e->summary[0] != '\0' ? e->summary :
	    "(no summary)";
}

/* Reads the properties of one VEVENT that matter. */
static int event_prepare(struct ld *L, struct event *e)
{
	icalproperty *p, **rd = NULL, **ex = NULL;
	size_t nrd = 0, ard = 0, nex = 0, aex = 0, acats = 0, i;
	int xlic = 0, rc = -1;
	const struct scan *sc = &L->sc;
	const struct zone *fz;

	for (p = icalcomponent_get_first_property(e->c, ICAL_ANY_PROPERTY); p != NULL;
	    p = icalcomponent_get_next_property(e->c, ICAL_ANY_PROPERTY)) {
		icalproperty ***vec = NULL;
		size_t *vn = NULL, *va = NULL;

		switch (icalproperty_isa(p)) {
		case ICAL_DTSTART_PROPERTY:
			if (e->p_dtstart == NULL)
				e->p_dtstart = p;
			break;
		case ICAL_DTEND_PROPERTY:
			if (e->p_dtend == NULL)
				e->p_dtend = p;
			break;
		case ICAL_DURATION_PROPERTY:
			if (e->p_duration == NULL)
				e->p_duration = p;
			break;
		case ICAL_RECURRENCEID_PROPERTY:
			if (e->p_rid == NULL)
				e->p_rid = p;
			break;
		case ICAL_UID_PROPERTY:
			if (e->uid == NULL)
				e->uid = icalproperty_get_uid(p);
			break;
		case ICAL_SUMMARY_PROPERTY:
			if (e->summary == NULL)
				e->summary = icalproperty_get_summary(p);
			break;
		case ICAL_DESCRIPTION_PROPERTY:
			if (e->description == NULL)
				e->description = icalproperty_get_description(p);
			break;
		case ICAL_STATUS_PROPERTY:
			if (icalproperty_get_status(p) == ICAL_STATUS_CANCELLED)
				e->cancelled = 1;
			break;
		case ICAL_CATEGORIES_PROPERTY:
			vec = &e->cats;
			vn = &e->ncats;
			va = &acats;
			break;
		case ICAL_RDATE_PROPERTY:
			vec = &rd;
			vn = &nrd;
			va = &ard;
			break;
		case ICAL_EXDATE_PROPERTY:
			vec = &ex;
			vn = &nex;
			va = &aex;
			break;
		case ICAL_XLICERROR_PROPERTY:
			xlic = 1;
			break;
		default:
			break;
		}
		if (vec != NULL) {
			if (grow((void **)vec, va, *vn + 1, sizeof **vec) < 0) {
				nomem(L);
				goto out;
			}
			(*vec)[(*vn)++] = p;
		}
	}
	if ((xlic && check_parse_errors(L, e) < 0) || check_date_values(L, e) < 0)
		goto out;
	/* STATUS:CANCELED (one L) is common enough; libical rejects it. */
	for (i = 0; i < e->se->n; i++) {
		const struct sprop *sp = sprop_at(sc, e->se, i);
		const char *t = sc->text + sp->off;
		size_t c = value_colon(t, sp->len);

		if (ieq_n(t, sp->namelen, "STATUS") && c < sp->len &&
		    (ieq_nn(t + c + 1, sp->len - c - 1, "CANCELLED", 9) ||
		    ieq_nn(t + c + 1, sp->len - c - 1, "CANCELED", 8)))
			e->cancelled = 1;
	}
	/* An override replaces its occurrence even when the filters drop
	 * the override itself. */
	if (e->p_rid != NULL) {
		if (when_make(L, e, e->p_rid, "RECURRENCE-ID",
		    icalproperty_get_recurrenceid(e->p_rid), NULL, &e->rid) < 0)
			goto out;
		e->override = 1;
	}
	e->passes = filters_pass(L->o, e);
	if (!e->passes) {
		rc = 0;
		goto out;
	}
	for (i = 0; i < e->ncats; i++)
		if (cat_is_workday(icalproperty_get_categories(e->cats[i])))
			e->makeup = 1;

	/* DTSTART */
	if (e->p_dtstart == NULL) {
		int l = sline(sc, e->se, "DTSTART", NULL);

		if (l != e->se->line)
			diag_set(L->d, DIAG_INPUT, "%s:%d: cannot parse DTSTART", L->src, l);
		else
			diag_set(L->d, DIAG_INPUT, "%s:%d: VEVENT has no DTSTART", L->src, l);
		goto out;
	}
	if (when_make(L, e, e->p_dtstart, "DTSTART",
	    icalproperty_get_dtstart(e->p_dtstart), NULL, &e->start) < 0)
		goto out;
	e->timed = !e->start.is_date;
	/* Floating values next to a DTSTART with a zone are taken in that
	 * zone (RFC 5545 wants them alike; sloppy feeds leave off the TZID). */
	fz = e->timed ? e->start.z : NULL;

	/* Length: DTEND, else DURATION, else one day / nothing. */
	if (e->p_dtend != NULL) {
		struct when w;
		int line = sline(sc, e->se, "DTEND", NULL);

		if (when_make(L, e, e->p_dtend, "DTEND",
		    icalproperty_get_dtend(e->p_dtend), fz, &w) < 0)
			goto out;
		if (w.is_date != e->start.is_date &&
		    warn(L, line, "DTSTART and DTEND have different value types "
		    "(DATE and DATE-TIME) in '%s'; using DTSTART's", ev_name(e)) < 0)
			goto out;
		if (e->p_duration != NULL &&
		    warn(L, sline(sc, e->se, "DURATION", NULL),
		    "both DTEND and DURATION in '%s'; DURATION ignored", ev_name(e)) < 0)
			goto out;
		if (!e->timed) {
			if (w.day < e->start.day) {
				diag_set(L->d, DIAG_INPUT, "%s:%d: DTEND before DTSTART",
				    L->src, line);
				goto out;
			}
			e->ndays = w.day - e->start.day;
			if (e->ndays == 0)
				e->ndays = 1;
		} else {
			int64_t end_at = w.is_date ?
			    zone_to_utc(L, e->start.z, w.day * CIVIL_DAY_S) : w.at;

			if (end_at < e->start.at) {
				diag_set(L->d, DIAG_INPUT, "%s:%d: DTEND before DTSTART",
				    L->src, line);
				goto out;
			}
			e->dur_s = end_at - e->start.at;
		}
	} else if (e->p_duration != NULL) {
		int64_t s = dur_seconds(icalproperty_get_duration(e->p_duration));

		if (s < 0) {
			diag_set(L->d, DIAG_INPUT, "%s:%d: negative DURATION", L->src,
			    sline(sc, e->se, "DURATION", NULL));
			goto out;
		}
		if (e->timed) {
			struct icaldurationtype du =
			    icalproperty_get_duration(e->p_duration);

			e->dur_days = dur_days_of(du);
			e->dur_s = dur_exact_s(du);
		} else
			e->ndays = s <= CIVIL_DAY_S ? 1 : (s + CIVIL_DAY_S - 1) / CIVIL_DAY_S;
	} else {
		e->ndays = 1;
		e->dur_s = 0;
	}

	/* A floating RECURRENCE-ID next to a DTSTART with a zone. */
	if (e->override && !e->rid.is_date && e->rid.z == &L->floating && fz != NULL) {
		e->rid.z = fz;
		e->rid.at = zone_to_utc(L, fz, e->rid.day * CIVIL_DAY_S + e->rid.secs);
	}

	/* RDATE */
	if (nrd > 0 && (e->rdates = calloc(nrd, sizeof *e->rdates)) == NULL) {
		nomem(L);
		goto out;
	}
	for (i = 0; i < nrd; i++) {
		struct icaldatetimeperiodtype v = icalproperty_get_rdate(rd[i]);
		struct rdate *r = &e->rdates[e->nrdates];

		if (!icaltime_is_null_time(v.time)) {
			if (when_make(L, e, rd[i], "RDATE", v.time, fz, &r->w) < 0)
				goto out;
		} else if (!icaltime_is_null_time(v.period.start)) {
			if (when_make(L, e, rd[i], "RDATE", v.period.start, fz,
			    &r->w) < 0)
				goto out;
			r->has_end = 1;
			if (!icaltime_is_null_time(v.period.end)) {
				if (when_make(L, e, rd[i], "RDATE", v.period.end, fz,
				    &r->end) < 0)
					goto out;
				if ((r->w.is_date ? r->end.day < r->w.day :
				    r->end.at < r->w.at)) {
					diag_set(L->d, DIAG_INPUT,
					    "%s:%d: RDATE period ends before it starts",
					    L->src, sline(sc, e->se, "RDATE", NULL));
					goto out;
				}
			} else {
				r->dur_s = dur_seconds(v.period.duration);
				if (r->dur_s < 0) {
					diag_set(L->d, DIAG_INPUT,
					    "%s:%d: negative RDATE duration", L->src,
					    sline(sc, e->se, "RDATE", NULL));
					goto out;
				}
				r->end = r->w;
				if (r->w.is_date) {
					r->end.at = r->w.at + r->dur_s;
				} else {
					r->end.at = add_nominal(L, r->w.z, r->w.at,
					    dur_days_of(v.period.duration),
					    dur_exact_s(v.period.duration));
					r->dur_s = r->end.at - r->w.at;
				}
				r->end.day = r->w.day + (r->w.secs + r->dur_s) / CIVIL_DAY_S;
			}
		} else {
			diag_set(L->d, DIAG_INPUT, "%s:%d: cannot parse RDATE", L->src,
			    sline(sc, e->se, "RDATE", NULL));
			goto out;
		}
		e->nrdates++;
	}

	/* EXDATE */
	if (nex > 0 && (e->exdates = calloc(nex, sizeof *e->exdates)) == NULL) {
		nomem(L);
		goto out;
	}
	for (i = 0; i < nex; i++) {
		if (when_make(L, e, ex[i], "EXDATE", icalproperty_get_exdate(ex[i]),
		    fz, &e->exdates[e->nexdates]) < 0)
			goto out;
		e->nexdates++;
	}
	rc = 0;
out:
	free(rd);
	free(ex);
	return rc;
}

static void event_release(struct event *e)
{
	free(e->cats);
	free(e->rdates);
	free(e->exdates);
}

/* ---- pass 3: recurrences --------------------------------------------------------- */

static int occ_add(struct ld *L, struct occs *oc, int64_t key, int64_t end, int64_t wday)
{
	if (grow((void **)&oc->v, &oc->cap, oc->n + 1, sizeof *oc->v) < 0)
		return nomem(L);
	oc->v[oc->n].key = key;
	oc->v[oc->n].end = end;
	oc->v[oc->n].wday = wday;
	oc->n++;
	return 0;
}

/* Does timed event e have a length?  (A zero one closes nothing.) */
static int has_length(const struct event *e)
{
	return !e->timed || e->dur_s > 0 || e->dur_days > 0;
}

/* The end of the occurrence of timed event e that starts at `at`. */
static int64_t occ_end_at(const struct ld *L, const struct event *e, int64_t at)
{
	return add_nominal(L, e->start.z, at, e->dur_days, e->dur_s);
}

/* The occurrence of e starting at wall date/time w (a date-time in its own
 * zone, or a date that takes DTSTART's time of day). */
static int occ_from_when(struct ld *L, const struct event *e, const struct when *w,
			 struct occs *oc)
{
	int64_t at;

	if (!e->timed)
		return occ_add(L, oc, w->day, w->day + e->ndays, w->day);
	at = w->is_date ? zone_to_utc(L, e->start.z, w->day * CIVIL_DAY_S +
	    e->start.secs) : w->at;
	return occ_add(L, oc, at, occ_end_at(L, e, at), w->day);
}

static int freq_subdaily(icalrecurrencetype_frequency f)
{
	return f == ICAL_SECONDLY_RECURRENCE || f == ICAL_MINUTELY_RECURRENCE ||
	    f == ICAL_HOURLY_RECURRENCE;
}

static int64_t freq_unit_s(icalrecurrencetype_frequency f)
{
	return f == ICAL_SECONDLY_RECURRENCE ? 1 : f == ICAL_MINUTELY_RECURRENCE ?
	    60 : 3600;
}

#define BY_END ICAL_RECURRENCE_ARRAY_MAX

static size_t by_count(const short *v, size_t max)
{
	size_t n = 0;

	while (n < max && v[n] != BY_END)
		n++;
	return n;
}

static int by_range(const short *v, size_t max, int lo, int hi, int allow_neg)
{
	size_t i, n = by_count(v, max);

	for (i = 0; i < n; i++) {
		int x = v[i];

		if (allow_neg && x < 0)
			x = -x;
		if (x < lo || x > hi)
			return 0;
	}
	return 1;
}

#define NBY(a) (sizeof(a) / sizeof((a)[0]))

/* Checks what libical accepts but RFC 5545 does not, and what we refuse
 * because libical could spin on it.  0 or -1 with *why. */
static int rrule_check(const struct icalrecurrencetype *r, int is_date,
		       const char **why)
{
	icalrecurrencetype_frequency f = r->freq;
	size_t nmon = by_count(r->by_month, NBY(r->by_month));
	size_t nmday = by_count(r->by_month_day, NBY(r->by_month_day));
	size_t nyday = by_count(r->by_year_day, NBY(r->by_year_day));
	size_t nweek = by_count(r->by_week_no, NBY(r->by_week_no));
	size_t nday = by_count(r->by_day, NBY(r->by_day));
	size_t npos = by_count(r->by_set_pos, NBY(r->by_set_pos));
	size_t i;

	if ((int)f < (int)ICAL_SECONDLY_RECURRENCE || (int)f > (int)ICAL_YEARLY_RECURRENCE)
		return *why = "no FREQ", -1;
	if (r->interval < 1)
		return *why = "bad INTERVAL", -1;
	if (r->count < 0)
		return *why = "bad COUNT", -1;
	if (r->rscale != NULL)
		return *why = "RSCALE is not supported", -1;
	if (!by_range(r->by_second, NBY(r->by_second), 0, 59, 0) ||
	    !by_range(r->by_minute, NBY(r->by_minute), 0, 59, 0) ||
	    !by_range(r->by_hour, NBY(r->by_hour), 0, 23, 0) ||
	    !by_range(r->by_month, NBY(r->by_month), 1, 12, 0) ||
	    !by_range(r->by_month_day, NBY(r->by_month_day), 1, 31, 1) ||
	    !by_range(r->by_year_day, NBY(r->by_year_day), 1, 366, 1) ||
	    !by_range(r->by_week_no, NBY(r->by_week_no), 1, 53, 1) ||
	    !by_range(r->by_set_pos, NBY(r->by_set_pos), 1, 366, 1))
		return *why = "a BYxxx value out of range", -1;
	for (i = 0; i < nday; i++) {
		int wd = icalrecurrencetype_day_day_of_week(r->by_day[i]);
		int pos = icalrecurrencetype_day_position(r->by_day[i]);

		if (wd < ICAL_SUNDAY_WEEKDAY || wd > ICAL_SATURDAY_WEEKDAY ||
		    pos < -53 || pos > 53)
			return *why = "a BYDAY value out of range", -1;
		if (pos != 0 && f != ICAL_MONTHLY_RECURRENCE &&
		    f != ICAL_YEARLY_RECURRENCE)
			return *why = "BYDAY with a position needs FREQ=MONTHLY or YEARLY", -1;
		if (pos != 0 && f == ICAL_YEARLY_RECURRENCE && nweek > 0)
			return *why = "BYDAY with a position and BYWEEKNO", -1;
	}
	if (nweek > 0)
		return *why = "BYWEEKNO is not supported", -1;
	if (nmday > 0 && f == ICAL_WEEKLY_RECURRENCE)
		return *why = "BYMONTHDAY with FREQ=WEEKLY", -1;
	if (nyday > 0 && (f == ICAL_DAILY_RECURRENCE || f == ICAL_WEEKLY_RECURRENCE ||
	    f == ICAL_MONTHLY_RECURRENCE))
		return *why = "BYYEARDAY with FREQ=DAILY, WEEKLY or MONTHLY", -1;
	if (freq_subdaily(f)) {
		if (is_date)
			return *why = "an hourly or finer FREQ on an all-day event", -1;
		if (nmon + nmday + nyday + nday + npos > 0)
			return *why = "BYMONTH, BYMONTHDAY, BYYEARDAY, BYDAY or BYSETPOS "
			    "with an hourly or finer FREQ is not supported", -1;
	}
	return 0;
}

/* Could the date-level parts of r ever select a day?  An exact answer for
 * BYMONTH, BYMONTHDAY, BYYEARDAY and BYDAY (with positions inside a month
 * or year), a sufficient one for BYSETPOS: scans one 400-year cycle. */
static int rrule_feasible(const struct icalrecurrencetype *r)
{
	unsigned char mon[13] = { 0 }, mday[32] = { 0 }, mdayn[32] = { 0 };
	unsigned char yday[367] = { 0 }, ydayn[367] = { 0 };
	unsigned char wd_any[7] = { 0 }, ordm[7][6] = { { 0 } }, ordmn[7][6] = { { 0 } };
	unsigned char ordy[7][54] = { { 0 } }, ordyn[7][54] = { { 0 } };
	size_t nmon = by_count(r->by_month, NBY(r->by_month));
	size_t nmday = by_count(r->by_month_day, NBY(r->by_month_day));
	size_t nyday = by_count(r->by_year_day, NBY(r->by_year_day));
	size_t nday = by_count(r->by_day, NBY(r->by_day));
	size_t npos = by_count(r->by_set_pos, NBY(r->by_set_pos));
	size_t i;
	int scope_month, minpos = INT_MAX, wkst, y, m, d, dim, diy, yd, wd;
	int64_t per_day, count = 0, period = -1, day;

	if (nmon + nmday + nyday + nday + npos == 0)
		return 1;
	scope_month = r->freq == ICAL_MONTHLY_RECURRENCE || nmon > 0;
	for (i = 0; i < nmon; i++)
		mon[r->by_month[i]] = 1;
	for (i = 0; i < nmday; i++) {
		int v = r->by_month_day[i];

		if (v > 0)
			mday[v] = 1;
		else
			mdayn[-v] = 1;
	}
	for (i = 0; i < nyday; i++) {
		int v = r->by_year_day[i];

		if (v > 0)
			yday[v] = 1;
		else
			ydayn[-v] = 1;
	}
	for (i = 0; i < nday; i++) {
		int w = icalrecurrencetype_day_day_of_week(r->by_day[i]) - 1;
		int pos = icalrecurrencetype_day_position(r->by_day[i]);

		if (pos == 0)
			wd_any[w] = 1;
		else if (scope_month && pos > 0 && pos <= 5)
			ordm[w][pos] = 1;
		else if (scope_month && pos < 0 && pos >= -5)
			ordmn[w][-pos] = 1;
		else if (!scope_month && pos > 0)
			ordy[w][pos] = 1;
		else if (!scope_month)
			ordyn[w][-pos] = 1;
	}
	for (i = 0; i < npos; i++) {
		int v = r->by_set_pos[i] < 0 ? -r->by_set_pos[i] : r->by_set_pos[i];

		if (v < minpos)
			minpos = v;
	}
	per_day = 1;
	if (freq_subdaily(r->freq) == 0) {
		size_t a = by_count(r->by_hour, NBY(r->by_hour));
		size_t b = by_count(r->by_minute, NBY(r->by_minute));
		size_t c = by_count(r->by_second, NBY(r->by_second));

		per_day = (int64_t)(a ? a : 1) * (int64_t)(b ? b : 1) * (int64_t)(c ? c : 1);
	}
	wkst = r->week_start >= ICAL_SUNDAY_WEEKDAY &&
	    r->week_start <= ICAL_SATURDAY_WEEKDAY ? r->week_start - 1 : 1;
	day = civil_days_from_ymd(2000, 1, 1);
	wd = civil_weekday(day);		/* 0 = Sunday, as icalrecur - 1 */
	for (y = 2000; y < 2400; y++) {
		diy = is_leap(y) ? 366 : 365;
		yd = 0;
		for (m = 1; m <= 12; m++) {
			dim = civil_days_in_month(y, m);
			for (d = 1; d <= dim; d++, day++, wd = (wd + 1) % 7) {
				int ok = 1;
				int64_t p;

				yd++;
				if (nmon && !mon[m])
					ok = 0;
				if (ok && nmday && !mday[d] && !mdayn[dim - d + 1])
					ok = 0;
				if (ok && nyday && !yday[yd] && !ydayn[diy - yd + 1])
					ok = 0;
				if (ok && nday) {
					int hit = wd_any[wd];

					if (!hit && scope_month)
						hit = ordm[wd][(d - 1) / 7 + 1] ||
						    ordmn[wd][(dim - d) / 7 + 1];
					if (!hit && !scope_month)
						hit = ordy[wd][(yd - 1) / 7 + 1] ||
						    ordyn[wd][(diy - yd) / 7 + 1];
					ok = hit;
				}
				if (!ok)
					continue;
				if (npos == 0)
					return 1;
				/* BYSETPOS: is some period's set large enough? */
				switch (r->freq) {
				case ICAL_YEARLY_RECURRENCE:
					p = y;
					break;
				case ICAL_MONTHLY_RECURRENCE:
					p = (int64_t)y * 12 + m;
					break;
				case ICAL_WEEKLY_RECURRENCE:
					p = civil_div(day - ((wd - wkst + 7) % 7), 7);
					break;
				default:
					p = day;
					break;
				}
				if (p != period) {
					period = p;
					count = 0;
				}
				count += per_day;
				if (count >= minpos)
					return 1;
			}
		}
	}
	return 0;
}

/* An icaltimetype for a wall date (and time). */
static struct icaltimetype mk_tt(int64_t day, int32_t secs, int is_date)
{
	struct icaltimetype t = is_date ? icaltime_null_date() : icaltime_null_time();
	int64_t y;
	int m, d;

	civil_ymd_from_days(day, &y, &m, &d);
	t.year = (int)y;
	t.month = m;
	t.day = d;
	/* icaltime_null_date() leaves -1 in the time fields, which makes
	 * libical's iterator return DTSTART twice. */
	t.hour = is_date ? 0 : secs / 3600;
	t.minute = is_date ? 0 : secs / 60 % 60;
	t.second = is_date ? 0 : secs % 60;
	t.is_date = is_date;
	t.zone = NULL;
	return t;
}

/* Rough cost of libical scanning from wall second a to b (~microseconds). */
static int64_t scan_cost(icalrecurrencetype_frequency f, int64_t a_s, int64_t b_s)
{
	int64_t span = b_s > a_s ? b_s - a_s : 0;

	if (freq_subdaily(f))
		return span / freq_unit_s(f) * 4 + 1;
	if (f == ICAL_YEARLY_RECURRENCE)
		return span / CIVIL_DAY_S / 4 + 1;
	return span / CIVIL_DAY_S * 4 + 1;
}

struct series {
	int finite;		/* every RRULE has COUNT or UNTIL */
	int exhausted;		/* ... and each ended inside the window */
	int64_t hint_day;	/* finite but not exhausted: a lower bound */
};

static int rule_error(struct ld *L, int line, const char *what, const char *val,
		      const char *why)
{
	char q[72];

	return diag_set(L->d, DIAG_INPUT, "%s:%d: %s RRULE '%s'%s%s", L->src, line,
	    what, quote(val, strlen(val), q), why != NULL ? ": " : "",
	    why != NULL ? why : "");
}

/* The series ended inside the stretch skipped with set_start: find its
 * last occurrence before from_day (for "ends ..." and last_day) by walking
 * from DTSTART, within the same step limit. */
static int last_before(struct ld *L, const struct event *e,
		       const struct icalrecurrencetype *r0, struct icaltimetype dt,
		       int64_t from_day, int64_t until_at, int64_t until_day,
		       struct occs *oc)
{
	struct icalrecurrencetype r = *r0;
	icalrecur_iterator *it;
	struct icaltimetype t;
	int64_t steps = 0, prev_s, ts, at, day, best_day = 0, best_at = 0;
	int have = 0;

	r.until = mk_tt(from_day < until_day + 1 ? from_day : until_day + 1, 0,
	    e->start.is_date);
	prev_s = e->start.day * CIVIL_DAY_S + e->start.secs;
	if ((it = icalrecur_iterator_new(r, dt)) == NULL)
		return 0;
	while (!icaltime_is_null_time(t = icalrecur_iterator_next(it)) &&
	    ++steps <= ICAL_MAX_STEPS && L->cost <= ICAL_COST_BUDGET) {
		if (!civil_valid_ymd(t.year, t.month, t.day))
			break;
		day = civil_days_from_ymd(t.year, t.month, t.day);
		ts = day * CIVIL_DAY_S + (e->start.is_date ? 0 :
		    t.hour * 3600 + t.minute * 60 + t.second);
		L->cost += scan_cost(r.freq, prev_s, ts);
		prev_s = ts;
		at = e->timed ? zone_to_utc(L, e->start.z, ts) : day;
		if (e->timed ? at > until_at : day > until_day)
			break;
		have = 1;
		best_day = day;
		best_at = at;
	}
	icalrecur_iterator_free(it);
	if (!have)
		return 0;
	return occ_add(L, oc, best_at, e->timed ? occ_end_at(L, e, best_at) :
	    best_at + e->ndays,
	    best_day);
}

static int expand_rule(struct ld *L, struct event *e, const struct sprop *sp,
		       struct occs *oc, struct series *ser)
{
	const struct scan *sc = &L->sc;
	const char *s = sc->text + sp->off;
	size_t c = value_colon(s, sp->len);
	struct icalrecurrencetype r;
	icalrecur_iterator *it = NULL;
	struct icaltimetype t, dt;
	int64_t dt_day = e->start.day, stop_day, clamp_day, from_day, until_day = 0;
	int64_t until_at = 0, prev_s, steps = 0, tday, at;
	int32_t dt_secs = e->start.secs;
	int is_date = e->start.is_date, has_until, finite, exhausted = 0, rc = -1;
	int skipped = 0, found = 0;
	const char *why = NULL;
	char *val;
	char ds[CIVIL_ISO_LEN];

	if ((val = malloc(sp->len + 1)) == NULL)
		return nomem(L);
	if (c < sp->len)
		memcpy(val, s + c + 1, sp->len - c - 1);
	val[c < sp->len ? sp->len - c - 1 : 0] = '\0';
	icalerror_clear_errno();
	r = icalrecurrencetype_from_string(val);
	icalerror_clear_errno();
	if (r.freq == ICAL_NO_RECURRENCE) {
		rule_error(L, sp->line, "cannot parse", val, NULL);
		goto out;
	}
	if (rrule_check(&r, is_date, &why) < 0) {
		rule_error(L, sp->line, "unsupported", val, why);
		goto out;
	}
	has_until = !icaltime_is_null_time(r.until);
	finite = has_until || r.count > 0;
	if (!finite)
		ser->finite = 0;
	if (!rrule_feasible(&r)) {
		if (warn(L, sp->line, "RRULE of '%s' never matches a date", ev_name(e)) < 0)
			goto out;
		rc = 0;
		goto out_exhausted;
	}
	if (has_until) {
		struct icaltimetype u = r.until;

		if (u.year < ICAL_MIN_YEAR || u.year > ICAL_MAX_YEAR ||
		    !civil_valid_ymd(u.year, u.month, u.day) || (!u.is_date &&
		    (u.hour < 0 || u.hour > 23 || u.minute < 0 || u.minute > 59 ||
		    u.second < 0 || u.second > 60))) {
			rule_error(L, sp->line, "bad UNTIL in", val, NULL);
			goto out;
		}
		/* A date UNTIL ends with its day; a floating one is in
		 * DTSTART's zone. */
		until_day = civil_days_from_ymd(u.year, u.month, u.day);
		if (!e->timed)
			until_at = 0;
		else if (u.is_date)
			until_at = zone_to_utc(L, e->start.z,
			    (until_day + 1) * CIVIL_DAY_S) - 1;
		else if (icaltime_is_utc(u))
			until_at = until_day * CIVIL_DAY_S + u.hour * 3600 +
			    u.minute * 60 + u.second;
		else
			until_at = zone_to_utc(L, e->start.z, until_day * CIVIL_DAY_S +
			    u.hour * 3600 + u.minute * 60 + u.second);
	}

	/* Bound libical: it scans for the next match without looking at our
	 * window, so give it an UNTIL no later than just past the window. */
	stop_day = L->last_day;
	clamp_day = stop_day + 1;
	if (has_until && until_day + 1 < clamp_day)
		clamp_day = until_day + 1;
	if (clamp_day < dt_day)
		clamp_day = dt_day;
	r.until = mk_tt(clamp_day, 0, is_date);

	/* Skip what lies before the window (not possible with COUNT). */
	from_day = L->first_day - (e->timed ? e->dur_s / CIVIL_DAY_S + e->dur_days :
	    e->ndays) - 2;
	prev_s = dt_day * CIVIL_DAY_S + dt_secs;
	if (r.count == 0 && dt_day < from_day && freq_subdaily(r.freq)) {
		int64_t step = (int64_t)r.interval * freq_unit_s(r.freq);
		int64_t k = (from_day * CIVIL_DAY_S - prev_s) / step;

		prev_s += k * step;
		dt_day = civil_div(prev_s, CIVIL_DAY_S);
		dt_secs = (int32_t)civil_mod(prev_s, CIVIL_DAY_S);
	}
	dt = mk_tt(dt_day, dt_secs, is_date);

	/* Is DTSTART itself an occurrence?  (It counts as one either way.) */
	if (dt_day == e->start.day && dt_secs == e->start.secs) {
		struct icalrecurrencetype r1 = r;

		r1.until = dt;
		if ((it = icalrecur_iterator_new(r1, dt)) == NULL) {
			rule_error(L, sp->line, "cannot expand", val, NULL);
			goto out;
		}
		t = icalrecur_iterator_next(it);
		icalrecur_iterator_free(it);
		it = NULL;
		L->cost += 400;
		if (icaltime_is_null_time(t)) {
			if (warn(L, sp->line, "DTSTART %s of '%s' does not match its "
			    "RRULE", day_str(e->start.day, ds), ev_name(e)) < 0)
				goto out;
			/* RFC 5545: DTSTART counts as the first of COUNT. */
			if (r.count == 1) {
				rc = 0;
				goto out;
			}
			if (r.count > 1)
				r.count--;
		}
	}

	if ((it = icalrecur_iterator_new(r, dt)) == NULL) {
		rule_error(L, sp->line, "cannot expand", val, NULL);
		goto out;
	}
	if (r.count == 0 && dt_day < from_day && !freq_subdaily(r.freq) &&
	    (!has_until || until_day >= from_day) &&
	    icalrecur_iterator_set_start(it, mk_tt(from_day, 0, is_date))) {
		prev_s = from_day * CIVIL_DAY_S;
		skipped = 1;
	}
	icalerror_clear_errno();
	for (;;) {
		int64_t ts;

		t = icalrecur_iterator_next(it);
		if (icaltime_is_null_time(t)) {
			exhausted = (r.count > 0 && steps >= r.count) ||
			    (has_until && until_day <= stop_day);
			if (!(r.count > 0 && steps >= r.count))
				L->cost += scan_cost(r.freq, prev_s,
				    clamp_day * CIVIL_DAY_S) +
				    (r.freq >= ICAL_MONTHLY_RECURRENCE ? 1500 : 0);
			break;
		}
		if (++steps > ICAL_MAX_STEPS) {
			diag_set(L->d, DIAG_INPUT,
			    "%s:%d: RRULE has more than %d occurrences up to %d",
			    L->src, sp->line, ICAL_MAX_STEPS, L->o->to_year);
			goto out;
		}
		if (t.year < ICAL_MIN_YEAR || t.year > ICAL_MAX_YEAR ||
		    !civil_valid_ymd(t.year, t.month, t.day))
			break;
		tday = civil_days_from_ymd(t.year, t.month, t.day);
		ts = tday * CIVIL_DAY_S + (is_date ? 0 : t.hour * 3600 + t.minute * 60 +
		    t.second);
		L->cost += scan_cost(r.freq, prev_s, ts) + 2;	/* + our own work */
		prev_s = ts;
		if (L->cost > ICAL_COST_BUDGET) {
			diag_set(L->d, DIAG_INPUT,
			    "%s:%d: RRULE is too costly to expand", L->src, sp->line);
			goto out;
		}
		at = e->timed ? zone_to_utc(L, e->start.z, ts) : tday;
		if (has_until && (e->timed ? at > until_at : tday > until_day)) {
			exhausted = 1;
			break;
		}
		if (tday > stop_day) {
			if (tday > ser->hint_day)
				ser->hint_day = tday;
			break;
		}
		if (occ_add(L, oc, at, e->timed ? occ_end_at(L, e, at) : at + e->ndays,
		    tday) < 0)
			goto out;
		found++;
	}
	if (skipped && exhausted && found == 0 &&
	    last_before(L, e, &r, dt, from_day, has_until ? until_at : INT64_MAX,
	    until_day, oc) < 0)
		goto out;
	if (L->cost > ICAL_COST_BUDGET) {
		diag_set(L->d, DIAG_INPUT, "%s:%d: RRULE is too costly to expand",
		    L->src, sp->line);
		goto out;
	}
	if (finite && !exhausted && has_until && until_day > ser->hint_day)
		ser->hint_day = until_day;
	if (!exhausted)
		ser->exhausted = 0;
	rc = 0;
	goto out;
out_exhausted:
	rc = 0;
out:
	if (it != NULL)
		icalrecur_iterator_free(it);
	free(r.rscale);
	free(val);
	return rc;
}

static int cmp_occ(const void *a, const void *b)
{
	const struct occ *x = a, *y = b;

	if (x->key != y->key)
		return x->key < y->key ? -1 : 1;
	return x->end < y->end ? -1 : x->end > y->end;
}

/* Does w (an EXDATE or RECURRENCE-ID) name occurrence o of e? */
static int when_matches(const struct event *e, const struct when *w,
			const struct occ *o)
{
	if (w->is_date || !e->timed)
		return w->lday == o->wday;
	return w->at == o->key;
}

struct uidx {
	const char *uid;
	size_t ev;
};

static int cmp_uidx(const void *a, const void *b)
{
	const struct uidx *x = a, *y = b;
	int c = strcmp(x->uid, y->uid);

	if (c != 0)
		return c;
	return x->ev < y->ev ? -1 : x->ev > y->ev;
}

static int ent_add(struct ld *L, int64_t day, size_t ev)
{
	if (L->nents + L->nclos >= ICAL_MAX_ENTRIES)
		return diag_set(L->d, DIAG_INPUT, "%s: more than %d entries",
		    L->src, ICAL_MAX_ENTRIES);
	if (grow((void **)&L->ents, &L->aents, L->nents + 1, sizeof *L->ents) < 0)
		return nomem(L);
	L->ents[L->nents].day = (int32_t)day;
	L->ents[L->nents].ev = ev;
	L->nents++;
	return 0;
}

static int clo_add(struct ld *L, int64_t s, int64_t e, size_t ev)
{
	if (L->nents + L->nclos >= ICAL_MAX_ENTRIES)
		return diag_set(L->d, DIAG_INPUT, "%s: more than %d entries",
		    L->src, ICAL_MAX_ENTRIES);
	if (grow((void **)&L->clos, &L->aclos, L->nclos + 1, sizeof *L->clos) < 0)
		return nomem(L);
	L->clos[L->nclos].start_at = s;
	L->clos[L->nclos].end_at = e;
	L->clos[L->nclos].ev = ev;
	L->nclos++;
	return 0;
}

/* The last local date occurrence o of e covers. */
static int64_t occ_last_day(const struct event *e, const struct occ *o)
{
	if (!e->timed)
		return o->end - 1;
	return o->wday + civil_div(civil_mod(o->key, CIVIL_DAY_S) +
	    (o->end > o->key ? o->end - o->key - 1 : 0), CIVIL_DAY_S);
}

/* Everything one event (a master, or an override standing alone)
 * contributes; `ovr` lists the overrides of a master (indices into L->ev). */
static int event_expand(struct ld *L, size_t ei, const size_t *ovr, size_t novr)
{
	struct event *e = &L->ev[ei];
	struct occs oc = { NULL, 0, 0 };
	struct series ser = { 1, 1, -1 };
	const struct scan *sc = &L->sc;
	size_t i, j, k, n;
	int64_t last = -1, upto;
	int rc = -1, has_rrule = 0;
	char ds[CIVIL_ISO_LEN], *exm = NULL;

	if (has_length(e)) {
		if (occ_from_when(L, e, &e->start, &oc) < 0)
			goto out;
	}
	if (!e->override) {
		for (i = 0; i < e->se->n; i++) {
			const struct sprop *sp = sprop_at(sc, e->se, i);

			if (!ieq_n(sc->text + sp->off, sp->namelen, "RRULE"))
				continue;
			has_rrule = 1;
			if (!has_length(e))
				continue;		/* closes nothing */
			if (expand_rule(L, e, sp, &oc, &ser) < 0)
				goto out;
		}
		for (i = 0; i < e->nrdates; i++) {
			const struct rdate *r = &e->rdates[i];

			if (!r->has_end) {
				if (has_length(e) &&
				    occ_from_when(L, e, &r->w, &oc) < 0)
					goto out;
				continue;
			}
			if (!e->timed) {
				int64_t end = r->end.day + (r->end.secs > 0 && !r->end.is_date);

				if (occ_add(L, &oc, r->w.day, end > r->w.day ? end :
				    r->w.day + 1, r->w.day) < 0)
					goto out;
			} else {
				int64_t s = r->w.is_date ? zone_to_utc(L, e->start.z,
				    r->w.day * CIVIL_DAY_S) : r->w.at;
				int64_t en = r->end.is_date ? zone_to_utc(L, e->start.z,
				    r->end.day * CIVIL_DAY_S) : r->end.at;

				if (en > s && occ_add(L, &oc, s, en, r->w.day) < 0)
					goto out;
			}
		}
	}
	if (oc.n > 1)
		qsort(oc.v, oc.n, sizeof *oc.v, cmp_occ);
	if (e->nexdates > 0 && (exm = calloc(e->nexdates, 1)) == NULL) {
		nomem(L);
		goto out;
	}
	/* Unique starts, then drop EXDATEs and overridden occurrences. */
	for (i = n = 0; i < oc.n; i++) {
		int drop = n > 0 && oc.v[n - 1].key == oc.v[i].key;

		for (j = 0; j < e->nexdates; j++)
			if (when_matches(e, &e->exdates[j], &oc.v[i])) {
				exm[j] = 1;
				drop = 1;
			}
		for (k = 0; !drop && k < novr; k++) {
			struct event *o = &L->ev[ovr[k]];

			if (when_matches(e, &o->rid, &oc.v[i])) {
				o->matched = 1;
				drop = 1;
			}
		}
		if (!drop)
			oc.v[n++] = oc.v[i];
	}
	oc.n = n;
	if (oc.n > ICAL_MAX_OCCS) {
		diag_set(L->d, DIAG_INPUT, "%s:%d: '%s' has more than %d occurrences "
		    "up to %d", L->src, e->se->line, ev_name(e), ICAL_MAX_OCCS,
		    L->o->to_year);
		goto out;
	}
	for (j = 0; !e->override && j < e->nexdates; j++) {
		const struct when *w = &e->exdates[j];
		int64_t wd = w->is_date || !e->timed ? w->lday :
		    civil_div(w->day * CIVIL_DAY_S + w->secs, CIVIL_DAY_S);
		char ws[CIVIL_ISO_LEN], nd[16];
		int64_t y;
		int mo, dd;

		if (exm[j] || wd < L->first_day || wd > L->last_day)
			continue;
		civil_ymd_from_days(w->day, &y, &mo, &dd);
		snprintf(nd, sizeof nd, "%04d%02d%02d", (int)y, mo, dd);
		if (w->is_date)
			civil_format_day(w->day, ws);
		else if (w->z == &L->utc)
			civil_format_utc(w->at, ws);
		else
			civil_format_local(w->day * CIVIL_DAY_S + w->secs, 1, ws);
		if (warn(L, sline(sc, e->se, "EXDATE", nd), "EXDATE %s of '%s' "
		    "matches no occurrence", ws, ev_name(e)) < 0)
			goto out;
	}

	/* Coverage and warnings. */
	for (i = 0; i < oc.n; i++) {
		int64_t l = occ_last_day(e, &oc.v[i]);

		if (l > last)
			last = l;
	}
	if (oc.n > 0 || (has_rrule && !ser.finite))
		L->any_entry = 1;
	if (e->override) {
		/* an instance of a series: its master speaks for coverage */
	} else if (has_rrule && ser.finite) {
		int64_t l = ser.exhausted ? last : (last > ser.hint_day ? last : ser.hint_day);

		if (l >= 0) {
			L->any_finite = 1;
			if (l > L->finite_last)
				L->finite_last = l;
			if (ser.exhausted && year_of_day(l) < L->o->to_year &&
			    warn(L, e->se->line, "series '%s' ends %s, before %d",
			    ev_name(e), day_str(l, ds), L->o->to_year) < 0)
				goto out;
		}
	} else if (!has_rrule && last >= 0) {
		L->any_finite = 1;
		if (last > L->finite_last)
			L->finite_last = last;
		if (!e->timed && (!L->any_dated || last > L->dated_last)) {
			L->any_dated = 1;
			L->dated_last = last;
			L->dated_ev = ei;
		}
	}

	/* Entries, clipped to the window. */
	upto = INT64_MIN;
	for (i = 0; i < oc.n; i++) {
		const struct occ *o = &oc.v[i];

		if (e->timed) {
			if (o->end > o->key && o->wday <= L->last_day &&
			    occ_last_day(e, o) >= L->first_day &&
			    clo_add(L, o->key, o->end, ei) < 0)
				goto out;
			continue;
		}
		for (int64_t dd = o->key > upto ? o->key : upto; dd < o->end; dd++) {
			if (dd < L->first_day) {
				dd = L->first_day - 1;
				continue;
			}
			if (dd > L->last_day)
				break;
			if (ent_add(L, dd, ei) < 0)
				goto out;
		}
		if (o->end > upto)
			upto = o->end;
	}
	rc = 0;
out:
	free(exm);
	free(oc.v);
	return rc;
}

static int cmp_ent(const void *a, const void *b)
{
	const struct ent *x = a, *y = b;

	if (x->day != y->day)
		return x->day < y->day ? -1 : 1;
	return x->ev < y->ev ? -1 : x->ev > y->ev;
}

static int cmp_clo(const void *a, const void *b)
{
	const struct clo *x = a, *y = b;

	if (x->start_at != y->start_at)
		return x->start_at < y->start_at ? -1 : 1;
	return x->ev < y->ev ? -1 : x->ev > y->ev;
}

static const char *const observances[] = {
	"daylight saving", "summer time", "winter time", "valentine",
	"mother's day", "mothers' day", "mothers day", "mother\xe2\x80\x99s day",
	"father's day", "fathers' day", "fathers day", "father\xe2\x80\x99s day",
	"halloween", "april fool", "groundhog", "st. patrick", "st patrick",
	"saint patrick", "earth day", "tax day", "ash wednesday",
	"shrove tuesday", "pancake day", "(observance)"
};

static int event_warnings(struct ld *L, const struct event *e)
{
	size_t i;

	if (e->summary == NULL || e->summary[0] == '\0')
		return warn(L, e->se->line, "event has no SUMMARY");
	for (i = 0; i < sizeof observances / sizeof observances[0]; i++)
		if (icontains(e->summary, observances[i]))
			return warn(L, e->se->line,
			    "'%s' looks like an observance, not a day off", e->summary);
	if (icontains(e->description, "observance"))
		return warn(L, e->se->line,
		    "'%s' is marked as an observance in DESCRIPTION", e->summary);
	return 0;
}

/* An override whose RANGE we do not support, or which has no series in
 * this file (files are independent: a UID does not reach into another). */
static int override_warnings(struct ld *L, const struct event *o, int any_master)
{
	const struct scan *sc = &L->sc;
	char ds[CIVIL_ISO_LEN], q[72];
	size_t i;

	for (i = 0; i < o->se->n; i++) {
		const struct sprop *sp = sprop_at(sc, o->se, i);
		const char *t = sc->text + sp->off;
		size_t c = value_colon(t, sp->len);

		if (ieq_n(t, sp->namelen, "RECURRENCE-ID") &&
		    has_param(t + sp->namelen, c - sp->namelen, "RANGE",
		    "THISANDFUTURE")) {
			if (warn(L, sp->line, "RANGE=THISANDFUTURE is not supported: only "
			    "the occurrence of %s of '%s' is replaced",
			    day_str(o->rid.day, ds), ev_name(o)) < 0)
				return -1;
			break;
		}
	}
	if (!any_master && o->passes &&
	    warn(L, o->se->line, "RECURRENCE-ID %s of '%s' has no series with UID "
	    "'%s' in this file; counted as an event of its own",
	    day_str(o->rid.day, ds), ev_name(o), quote(o->uid, strlen(o->uid), q)) < 0)
		return -1;
	return 0;
}

static int load_events(struct ld *L)
{
	struct uidx *ux = NULL;
	size_t nux = 0, i, j, *ovr = NULL;
	int rc = -1;
	char ds[CIVIL_ISO_LEN];

	for (i = 0; i < L->nev; i++)
		if (event_prepare(L, &L->ev[i]) < 0)
			goto out;
	/* Group by UID so masters find their overrides. */
	if (L->nev > 0 && ((ux = calloc(L->nev, sizeof *ux)) == NULL ||
	    (ovr = calloc(L->nev, sizeof *ovr)) == NULL)) {
		nomem(L);
		goto out;
	}
	for (i = 0; i < L->nev; i++)
		if (L->ev[i].uid != NULL) {
			ux[nux].uid = L->ev[i].uid;
			ux[nux].ev = i;
			nux++;
		}
	if (nux > 1)
		qsort(ux, nux, sizeof *ux, cmp_uidx);
	for (i = 0; i < L->nev; i++) {
		struct event *e = &L->ev[i];

		if (!e->passes)
			continue;
		L->nevents++;
		if (!e->cancelled && event_warnings(L, e) < 0)
			goto out;
	}
	for (i = 0; i < nux; ) {
		size_t a = i, b = i, novr = 0, m;

		while (b < nux && strcmp(ux[b].uid, ux[a].uid) == 0)
			b++;
		for (j = a; j < b; j++)
			if (L->ev[ux[j].ev].override)
				ovr[novr++] = ux[j].ev;
		for (j = a; j < b; j++) {
			struct event *e = &L->ev[ux[j].ev];

			if (e->override || !e->passes || e->cancelled)
				continue;
			if (event_expand(L, ux[j].ev, ovr, novr) < 0)
				goto out;
		}
		for (m = 0; m < novr; m++) {
			struct event *o = &L->ev[ovr[m]];
			int has_master = 0, any_master = 0;

			for (j = a; j < b; j++) {
				const struct event *mm = &L->ev[ux[j].ev];

				has_master |= !mm->override && mm->passes && !mm->cancelled;
				any_master |= !mm->override;
			}
			if (override_warnings(L, o, any_master) < 0)
				goto out;
			if (has_master && !o->matched && o->passes &&
			    warn(L, o->se->line, "RECURRENCE-ID %s of '%s' matches "
			    "no occurrence", day_str(o->rid.day, ds), ev_name(o)) < 0)
				goto out;
			if (o->passes && !o->cancelled &&
			    event_expand(L, ovr[m], NULL, 0) < 0)
				goto out;
		}
		i = b;
	}
	/* Events without a UID stand alone. */
	for (i = 0; i < L->nev; i++) {
		struct event *e = &L->ev[i];

		if (e->uid == NULL && e->passes && !e->cancelled &&
		    event_expand(L, i, NULL, 0) < 0)
			goto out;
	}
	rc = 0;
out:
	free(ux);
	free(ovr);
	return rc;
}

static int final_warnings(struct ld *L)
{
	size_t i, j;
	char ds[CIVIL_ISO_LEN];

	if (L->any_dated && year_of_day(L->dated_last) < L->o->to_year) {
		const struct event *e = &L->ev[L->dated_ev];

		if (warn(L, e->se->line, "dated events end %s ('%s'), before %d",
		    day_str(L->dated_last, ds), ev_name(e), L->o->to_year) < 0)
			return -1;
	}
	if (L->nents > 1)
		qsort(L->ents, L->nents, sizeof *L->ents, cmp_ent);
	if (L->nclos > 1)
		qsort(L->clos, L->nclos, sizeof *L->clos, cmp_clo);
	for (i = 0; i < L->nents; i = j) {
		const struct event *a = &L->ev[L->ents[i].ev];

		for (j = i + 1; j < L->nents && L->ents[j].day == L->ents[i].day; j++) {
			const struct event *b = &L->ev[L->ents[j].ev];

			if (L->ents[j].ev == L->ents[j - 1].ev)
				continue;
			if (warn(L, b->se->line, "'%s' and '%s' (line %d) are both on %s",
			    ev_name(b), ev_name(a), a->se->line,
			    day_str(L->ents[i].day, ds)) < 0)
				return -1;
			break;
		}
		while (j < L->nents && L->ents[j].day == L->ents[i].day)
			j++;
	}
	if (L->nwarn_dropped > 0) {
		L->nwarn--;		/* make room for the note */
		free(L->warn[L->nwarn]);
		L->nwarn_dropped++;
		if (warn(L, 1, "%zu more warnings not shown", L->nwarn_dropped) < 0)
			return -1;
	}
	return 0;
}

static int commit(struct ld *L, struct cal_rules *out, struct ical_report *rep)
{
	size_t i;

	if (rep != NULL) {
		char **w;
		int32_t last;

		if (L->nwarn > 0) {
			w = realloc(rep->warnings, (rep->nwarnings + L->nwarn) * sizeof *w);
			if (w == NULL)
				return nomem(L);
			rep->warnings = w;
		}
		for (i = 0; i < L->nwarn; i++)
			rep->warnings[rep->nwarnings++] = L->warn[i];
		L->nwarn = 0;
		if (!L->any_entry && !L->any_finite)
			last = -1;
		else if (!L->any_finite)
			last = INT32_MAX;
		else
			last = L->finite_last >= INT32_MAX ? INT32_MAX - 1 :
			    (int32_t)L->finite_last;
		if (rep->last_day == -1 || (last != -1 && (rep->last_day == INT32_MAX ||
		    (last != INT32_MAX && last > rep->last_day))))
			rep->last_day = last;
		rep->nevents += L->nevents;
	}
	for (i = 0; i < L->nents; i++) {
		const struct event *e = &L->ev[L->ents[i].ev];

		if (cal_rules_add_day(out, L->ents[i].day, e->makeup ? CAL_DAY_MAKEUP :
		    CAL_DAY_HOLIDAY, ev_name(e), L->src, e->se->line) < 0)
			return nomem(L);
	}
	for (i = 0; i < L->nclos; i++) {
		const struct event *e = &L->ev[L->clos[i].ev];

		if (cal_rules_add_closure(out, L->clos[i].start_at, L->clos[i].end_at,
		    ev_name(e), L->src, e->se->line) < 0)
			return nomem(L);
	}
	return 0;
}

static int collect(struct ld *L)
{
	icalcomponent *c;
	size_t i, nvtz = 0, nev = 0, k = 0;

	if (icalcomponent_isa(L->root) == ICAL_VCALENDAR_COMPONENT) {
		L->ncals = 1;
		if ((L->cals = malloc(sizeof *L->cals)) == NULL)
			return nomem(L);
		L->cals[0] = L->root;
	} else if (icalcomponent_isa(L->root) == ICAL_XROOT_COMPONENT) {
		size_t n = (size_t)icalcomponent_count_components(L->root,
		    ICAL_VCALENDAR_COMPONENT);

		if (n > 0 && (L->cals = calloc(n, sizeof *L->cals)) == NULL)
			return nomem(L);
		for (c = icalcomponent_get_first_component(L->root,
		    ICAL_VCALENDAR_COMPONENT); c != NULL && L->ncals < n;
		    c = icalcomponent_get_next_component(L->root,
		    ICAL_VCALENDAR_COMPONENT))
			L->cals[L->ncals++] = c;
	}
	if (L->ncals != L->sc.ncals)
		goto mismatch;
	for (i = 0; i < L->ncals; i++) {
		nev += (size_t)icalcomponent_count_components(L->cals[i],
		    ICAL_VEVENT_COMPONENT);
		nvtz += (size_t)icalcomponent_count_components(L->cals[i],
		    ICAL_VTIMEZONE_COMPONENT);
	}
	if (nev != L->sc.nevs || nvtz != L->sc.nvtz)
		goto mismatch;
	if (nev > 0 && (L->ev = calloc(nev, sizeof *L->ev)) == NULL)
		return nomem(L);
	L->nev = nev;
	for (i = 0; i < L->ncals; i++)
		for (c = icalcomponent_get_first_component(L->cals[i],
		    ICAL_VEVENT_COMPONENT); c != NULL;
		    c = icalcomponent_get_next_component(L->cals[i],
		    ICAL_VEVENT_COMPONENT)) {
			if (k == nev)
				goto mismatch;
			L->ev[k].c = c;
			L->ev[k].cal = L->cals[i];
			L->ev[k].se = &L->sc.evs[k];
			k++;
		}
	return 0;
mismatch:
	return diag_set(L->d, DIAG_INPUT,
	    "%s:1: malformed calendar (components libical cannot read)", L->src);
}

int ical_load_buffer(const char *data, size_t len, const struct ical_options *o,
		     struct cal_rules *out, struct ical_report *rep, struct diag *d)
{
	struct ld L;
	size_t i;
	int rc = -1;

	memset(&L, 0, sizeof L);
	L.o = o;
	L.d = d;
	L.src = o->source != NULL ? o->source : "(calendar)";
	L.utc.kind = ZONE_UTC;
	L.floating.kind = ZONE_FLOATING;
	L.finite_last = -1;
	if (o->from_year < ICAL_MIN_YEAR || o->to_year > ICAL_MAX_YEAR ||
	    o->from_year > o->to_year)
		return diag_set(d, DIAG_USAGE, "%s: bad year range %d-%d", L.src,
		    o->from_year, o->to_year);
	if (data == NULL && len > 0)
		return diag_set(d, DIAG_USAGE, "%s: no data", L.src);
	if (len > ICAL_MAX_BYTES)
		return diag_set(d, DIAG_INPUT, "%s: larger than %zu bytes", L.src,
		    ICAL_MAX_BYTES);
	L.first_day = civil_days_from_ymd(o->from_year, 1, 1);
	L.last_day = civil_days_from_ymd(o->to_year, 12, 31);
	if (scan_run(L.src, data != NULL ? data : "", len, &L.sc, d) < 0)
		return -1;
	libical_quiet();
	L.root = icalparser_parse_string(L.sc.text);
	icalerror_clear_errno();
	if (L.root == NULL) {
		diag_set(d, DIAG_INPUT, "%s:1: cannot parse calendar", L.src);
		goto out;
	}
	if (collect(&L) < 0 || load_events(&L) < 0 || final_warnings(&L) < 0 ||
	    commit(&L, out, rep) < 0)
		goto out;
	rc = 0;
out:
	for (i = 0; i < L.nev; i++)
		event_release(&L.ev[i]);
	free(L.ev);
	zones_free(&L);
	free(L.cals);
	if (L.root != NULL)
		icalcomponent_free(L.root);
	for (i = 0; i < L.nwarn; i++)
		free(L.warn[i]);
	free(L.warn);
	free(L.ents);
	free(L.clos);
	scan_release(&L.sc);
	icalerror_clear_errno();
	icalmemory_free_ring();
	return rc;
}

/* Reads all of a regular file.  A FIFO, device or directory is refused
 * before anything is read from it: opening with O_NONBLOCK keeps open(2)
 * from waiting for a writer, and fstat(2) says what it is. */
int ical_read_file(const char *path, size_t max, char **data, size_t *len,
		   struct diag *d)
{
	struct stat st;
	char *buf = NULL, *p;
	size_t n = 0, cap = 0;
	ssize_t got;
	int fd;

	*data = NULL;
	*len = 0;
	if (path == NULL || path[0] == '\0')
		return diag_set(d, DIAG_USAGE, "no calendar file");
	if ((fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY)) < 0)
		return diag_set(d, DIAG_INPUT, "cannot open '%s': %s", path,
		    strerror(errno));
	if (fstat(fd, &st) < 0) {
		diag_set(d, DIAG_INPUT, "cannot read '%s': %s", path, strerror(errno));
		close(fd);
		return -1;
	}
	if (!S_ISREG(st.st_mode)) {
		close(fd);
		return diag_set(d, DIAG_INPUT, "'%s' is not a regular file (%s)", path,
		    S_ISFIFO(st.st_mode) ? "a FIFO" : S_ISDIR(st.st_mode) ?
		    "a directory" : S_ISCHR(st.st_mode) || S_ISBLK(st.st_mode) ?
		    "a device" : S_ISSOCK(st.st_mode) ? "a socket" : "not a file");
	}
	for (;;) {
		if (n == cap) {
			if (cap > max) {
				close(fd);
				free(buf);
				return diag_set(d, DIAG_INPUT, "%s: larger than %zu bytes",
				    path, max);
			}
			cap = cap ? cap * 2 : 65536;
			if ((p = realloc(buf, cap + 1)) == NULL) {
				close(fd);
				free(buf);
				return diag_set(d, DIAG_NOMEM, "out of memory");
			}
			buf = p;
		}
		got = read(fd, buf + n, cap - n);
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0) {
			diag_set(d, DIAG_INPUT, "cannot read '%s': %s", path,
			    strerror(errno));
			close(fd);
			free(buf);
			return -1;
		}
		if (got == 0)
			break;
		n += (size_t)got;
	}
	close(fd);
	if (n > max) {
		free(buf);
		return diag_set(d, DIAG_INPUT, "%s: larger than %zu bytes", path, max);
	}
	buf[n] = '\0';
	*data = buf;
	*len = n;
	return 0;
}

int ical_load_file(const struct ical_options *o, struct cal_rules *out,
		   struct ical_report *rep, struct diag *d)
{
	char *data;
	size_t len;
	int rc;

	if (o->source == NULL)
		return diag_set(d, DIAG_USAGE, "no calendar file");
	if (ical_read_file(o->source, ICAL_MAX_BYTES, &data, &len, d) < 0)
		return -1;
	rc = ical_load_buffer(data, len, o, out, rep, d);
	free(data);
	return rc;
}
