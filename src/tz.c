/* tz.c: IANA timezones from TZif files (RFC 8536); see tz.h.
 *
 * A zone is one sorted array of {at, utoff, abbrev}.  Entry 0 is a sentinel
 * at INT64_MIN holding the local time type in force before the first
 * transition; entry i covers [trans[i].at, trans[i + 1].at).  The explicit
 * transitions of the file come first, then those the POSIX TZ footer rule
 * implies, generated year by year through 2200.  Consecutive entries with
 * the same offset and abbreviation are merged, so every entry after the
 * sentinel is a visible change.
 *
 * Everything is validated before use: counts are bounded by the bytes that
 * are actually there, indices by their tables, offsets by TZ_MAX_OFF_S.
 */
#include "tz.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "civil.h"

#define TZ_DEFAULT_DIR	"/usr/share/zoneinfo"
#define TZ_NAME_MAX	255		/* longest zone name we accept */
#define TZ_FILE_MAX	((size_t)1 << 20)	/* TZif files are a few KiB */
#define TZ_HDR_LEN	44
#define TZ_MAX_TIMES	((uint32_t)1 << 20)
#define TZ_MAX_TYPES	256		/* indices are one byte */
#define TZ_MAX_CHARS	((uint32_t)1 << 16)
#define TZ_ABBR_MAX	32		/* footer names */
#define TZ_MAX_OFF_S	(26 * 3600)	/* RFC 8536: -24:59:59 .. +25:59:59 */
#define TZ_RULE_MAX_H	167		/* RFC 8536 extension of POSIX times */
#define TZ_GEN_FIRST	1800		/* footer expansion range (years) */
#define TZ_GEN_LAST	2200
#define TZ_WINDOW_S	(2 * CIVIL_DAY_S)	/* > 2 * TZ_MAX_OFF_S */

struct tz_trans {
	int64_t at;		/* first instant of this entry */
	int32_t utoff;		/* seconds east of UTC */
	uint32_t abbr;		/* index into pool */
};

/* The transitions are indexed by spans of 2^25 s (388 days) from 1900
 * to 2100: a span holds two or three of them, so finding the one in
 * force is a look-up and a step or two, not a binary search (a year's
 * report asks millions of times). */
#define TZ_SPAN_SHIFT 25
#define TZ_SPAN_FROM (-2208988800LL)	/* 1900-01-01T00:00:00Z */
#define TZ_NSPANS 189			/* to past 2100 */

struct tz {
	char *name;
	struct tz_trans *trans;	/* ntrans >= 1; trans[0].at == INT64_MIN */
	size_t ntrans, cap;
	char *pool;		/* NUL-terminated abbreviations */
	uint32_t span_first[TZ_NSPANS];	/* the transition in force at each span's start */
};

static void index_spans(struct tz *z);

struct tz_hdr {
	int version;		/* 1, 2, 3, 4 ... */
	uint32_t isutcnt, isstdcnt, leapcnt, timecnt, typecnt, charcnt;
};

enum tz_rule_kind { TZ_RULE_JULIAN1, TZ_RULE_JULIAN0, TZ_RULE_MWD };

struct tz_rule {
	enum tz_rule_kind kind;
	int day;		/* Jn: 1..365, n: 0..365 */
	int month, week, wday;	/* Mm.w.d */
	int32_t time;		/* local seconds after midnight */
};

struct tz_posix {
	char std[TZ_ABBR_MAX + 1], dst[TZ_ABBR_MAX + 1];
	int32_t std_off, dst_off;	/* seconds east of UTC */
	int has_dst;
	struct tz_rule start, end;
};

static int64_t sat_add(int64_t a, int64_t b)
{
	if (b > 0 && a > INT64_MAX - b)
		return INT64_MAX;
	if (b < 0 && a < INT64_MIN - b)
		return INT64_MIN;
	return a + b;
}

static int64_t sat_sub(int64_t a, int64_t b)
{
	/* b is an offset or a window, never INT64_MIN */
	return sat_add(a, -b);
}

static uint32_t get_u32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	    (uint32_t)p[2] << 8 | (uint32_t)p[3];
}

static int32_t get_i32(const unsigned char *p)
{
	uint32_t u = get_u32(p);

	return u > INT32_MAX ? -(int32_t)(~u) - 1 : (int32_t)u;
}

static int64_t get_i64(const unsigned char *p)
{
	uint64_t u = (uint64_t)get_u32(p) << 32 | get_u32(p + 4);

	return u > INT64_MAX ? -(int64_t)(~u) - 1 : (int64_t)u;
}

/* ---- TZif structure ---------------------------------------------------- */

static int parse_header(const unsigned char *p, size_t avail, struct tz_hdr *h)
{
	if (avail < TZ_HDR_LEN || memcmp(p, "TZif", 4) != 0)
		return -1;
	if (p[4] == 0)
		h->version = 1;
	else if (p[4] >= '2' && p[4] <= '9')
		h->version = p[4] - '0';
	else
		return -1;
	h->isutcnt = get_u32(p + 20);
	h->isstdcnt = get_u32(p + 24);
	h->leapcnt = get_u32(p + 28);
	h->timecnt = get_u32(p + 32);
	h->typecnt = get_u32(p + 36);
	h->charcnt = get_u32(p + 40);
	if (h->typecnt == 0 || h->typecnt > TZ_MAX_TYPES ||
	    h->timecnt > TZ_MAX_TIMES || h->charcnt > TZ_MAX_CHARS)
		return -1;
	if ((h->isutcnt != 0 && h->isutcnt != h->typecnt) ||
	    (h->isstdcnt != 0 && h->isstdcnt != h->typecnt))
		return -1;
	/* Leap-second ("right/") zones count TAI-like seconds: not POSIX time. */
	if (h->leapcnt != 0)
		return -1;
	return 0;
}

static uint64_t block_len(const struct tz_hdr *h, unsigned tsize)
{
	/* every count is < 2^32, so this cannot overflow 64 bits */
	return (uint64_t)h->timecnt * (tsize + 1) + (uint64_t)h->typecnt * 6 +
	    h->charcnt + (uint64_t)h->leapcnt * (tsize + 4) + h->isstdcnt +
	    h->isutcnt;
}

/* ---- POSIX TZ footer ----------------------------------------------------- */

static int is_alpha(int c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

static int is_digit(int c)
{
	return c >= '0' && c <= '9';
}

static int posix_name(const char **pp, const char *end, char out[TZ_ABBR_MAX + 1])
{
	const char *p = *pp;
	size_t n = 0;

	if (p < end && *p == '<') {
		for (p++; p < end && *p != '>'; p++) {
			if (!is_alpha(*p) && !is_digit(*p) && *p != '+' && *p != '-')
				return -1;
			if (n == TZ_ABBR_MAX)
				return -1;
			out[n++] = *p;
		}
		if (p == end)
			return -1;
		p++;			/* '>' */
	} else {
		for (; p < end && is_alpha(*p); p++) {
			if (n == TZ_ABBR_MAX)
				return -1;
			out[n++] = *p;
		}
	}
	if (n < 3)
		return -1;
	out[n] = '\0';
	*pp = p;
	return 0;
}

static int posix_num(const char **pp, const char *end, int maxdigits, int *out)
{
	const char *p = *pp;
	int v = 0, n = 0;

	while (p < end && is_digit(*p) && n < maxdigits) {
		v = v * 10 + (*p++ - '0');
		n++;
	}
	if (n == 0)
		return -1;
	*out = v;
	*pp = p;
	return 0;
}

/* [+-]hh[:mm[:ss]] with hh <= TZ_RULE_MAX_H; the signed seconds. */
static int posix_secs(const char **pp, const char *end, int32_t *out)
{
	const char *p = *pp;
	int sign = 1, h, m = 0, s = 0;

	if (p < end && (*p == '+' || *p == '-'))
		sign = *p++ == '-' ? -1 : 1;
	if (posix_num(&p, end, 3, &h) == -1 || h > TZ_RULE_MAX_H)
		return -1;
	if (p < end && *p == ':') {
		p++;
		if (posix_num(&p, end, 2, &m) == -1 || m > 59)
			return -1;
		if (p < end && *p == ':') {
			p++;
			if (posix_num(&p, end, 2, &s) == -1 || s > 59)
				return -1;
		}
	}
	*out = sign * (h * 3600 + m * 60 + s);
	*pp = p;
	return 0;
}

/* A POSIX offset is west of UTC; the result is east of UTC. */
static int posix_offset(const char **pp, const char *end, int32_t *out)
{
	int32_t west;

	if (posix_secs(pp, end, &west) == -1 || west > TZ_MAX_OFF_S ||
	    west < -TZ_MAX_OFF_S)
		return -1;
	*out = -west;
	return 0;
}

static int posix_rule(const char **pp, const char *end, struct tz_rule *r)
{
	const char *p = *pp;

	memset(r, 0, sizeof *r);
	if (p < end && *p == 'J') {
		p++;
		r->kind = TZ_RULE_JULIAN1;
		if (posix_num(&p, end, 3, &r->day) == -1 || r->day < 1 ||
		    r->day > 365)
			return -1;
	} else if (p < end && *p == 'M') {
		p++;
		r->kind = TZ_RULE_MWD;
		if (posix_num(&p, end, 2, &r->month) == -1 ||
		    r->month < 1 || r->month > 12 || p == end || *p++ != '.' ||
		    posix_num(&p, end, 1, &r->week) == -1 ||
		    r->week < 1 || r->week > 5 || p == end || *p++ != '.' ||
		    posix_num(&p, end, 1, &r->wday) == -1 || r->wday > 6)
			return -1;
	} else {
		r->kind = TZ_RULE_JULIAN0;
		if (posix_num(&p, end, 3, &r->day) == -1 || r->day > 365)
			return -1;
	}
	r->time = 2 * 3600;
	if (p < end && *p == '/') {
		p++;
		if (posix_secs(&p, end, &r->time) == -1)
			return -1;
	}
	*pp = p;
	return 0;
}

static int posix_parse(const char *p, const char *end, struct tz_posix *px)
{
	memset(px, 0, sizeof *px);
	if (posix_name(&p, end, px->std) == -1 ||
	    posix_offset(&p, end, &px->std_off) == -1)
		return -1;
	if (p == end)
		return 0;
	px->has_dst = 1;
	if (posix_name(&p, end, px->dst) == -1)
		return -1;
	if (p < end && *p != ',') {
		if (posix_offset(&p, end, &px->dst_off) == -1)
			return -1;
	} else {
		px->dst_off = px->std_off + 3600;
		if (px->dst_off > TZ_MAX_OFF_S)
			return -1;
	}
	if (p == end) {
		/* POSIX leaves this to the implementation: US rules. */
		const char *def = "M3.2.0,M11.1.0", *dend = def + strlen(def);

		if (posix_rule(&def, dend, &px->start) == -1 || *def++ != ',' ||
		    posix_rule(&def, dend, &px->end) == -1)
			return -1;
		return 0;
	}
	if (*p++ != ',' || posix_rule(&p, end, &px->start) == -1 ||
	    p == end || *p++ != ',' || posix_rule(&p, end, &px->end) == -1)
		return -1;
	return p == end ? 0 : -1;
}

static int is_leap(int64_t y)
{
	return civil_days_in_month(y, 2) == 29;
}

/* Local seconds at which rule r fires in year y. */
static int64_t rule_local(const struct tz_rule *r, int64_t y)
{
	int64_t day, first;
	int wd, dim;

	switch (r->kind) {
	case TZ_RULE_JULIAN1:
		day = civil_days_from_ymd(y, 1, 1) + r->day - 1;
		if (r->day >= 60 && is_leap(y))
			day++;
		break;
	case TZ_RULE_JULIAN0:
		day = civil_days_from_ymd(y, 1, 1) + r->day;
		break;
	case TZ_RULE_MWD:
	default:
		first = civil_days_from_ymd(y, r->month, 1);
		wd = civil_weekday(first);
		dim = civil_days_in_month(y, r->month);
		day = first + (r->wday - wd + 7) % 7 + (int64_t)(r->week - 1) * 7;
		while (day >= first + dim)
			day -= 7;
		break;
	}
	return day * CIVIL_DAY_S + r->time;
}

/* ---- building ------------------------------------------------------------ */

static int same_state(const struct tz *z, const struct tz_trans *a,
    int32_t utoff, uint32_t abbr)
{
	return a->utoff == utoff &&
	    strcmp(z->pool + a->abbr, z->pool + abbr) == 0;
}

/* Appends a transition, keeping the array strictly increasing and free of
 * entries that change nothing.  Capacity is reserved by the caller. */
static void push(struct tz *z, int64_t at, int32_t utoff, uint32_t abbr)
{
	struct tz_trans *last = &z->trans[z->ntrans - 1];

	if (at < last->at)
		return;
	if (at == last->at) {
		last->utoff = utoff;
		last->abbr = abbr;
		if (z->ntrans > 1 && same_state(z, last - 1, utoff, abbr))
			z->ntrans--;
		return;
	}
	if (same_state(z, last, utoff, abbr) || z->ntrans == z->cap)
		return;
	z->trans[z->ntrans].at = at;
	z->trans[z->ntrans].utoff = utoff;
	z->trans[z->ntrans].abbr = abbr;
	z->ntrans++;
}

static uint32_t pool_add(struct tz *z, size_t *used, const char *s)
{
	size_t n = strlen(s) + 1;
	uint32_t at = (uint32_t)*used;

	memcpy(z->pool + *used, s, n);
	*used += n;
	return at;
}

static int64_t year_of(int64_t at)
{
	int64_t y;
	int m, d;

	if (at < civil_days_from_ymd(TZ_GEN_FIRST, 1, 1) * CIVIL_DAY_S)
		return TZ_GEN_FIRST;
	if (at >= civil_days_from_ymd(TZ_GEN_LAST + 1, 1, 1) * CIVIL_DAY_S)
		return TZ_GEN_LAST + 1;
	civil_ymd_from_days(civil_div(at, CIVIL_DAY_S), &y, &m, &d);
	return y;
}

/* Transitions the footer implies after `after` (the last explicit one). */
static void expand_footer(struct tz *z, const struct tz_posix *px,
    int64_t after, uint32_t std_abbr, uint32_t dst_abbr)
{
	int64_t y, s, e;
	int in_dst = 0;

	for (y = year_of(after) - 1; y <= TZ_GEN_LAST; y++) {
		s = rule_local(&px->start, y) - px->std_off;
		e = rule_local(&px->end, y) - px->dst_off;
		if (s == e)
			continue;
		if (s < e && s > after) {
			push(z, s, px->dst_off, dst_abbr);
			in_dst = 1;
		}
		if (e > after) {
			push(z, e, px->std_off, std_abbr);
			in_dst = 0;
		}
		if (s > e && s > after) {
			push(z, s, px->dst_off, dst_abbr);
			in_dst = 1;
		}
	}
	/* Do not leave a southern-hemisphere zone in DST forever. */
	if (in_dst)
		push(z, rule_local(&px->end, TZ_GEN_LAST + 1) - px->dst_off,
		    px->std_off, std_abbr);
}

static void tz_free_parts(struct tz *z)
{
	free(z->name);
	free(z->trans);
	free(z->pool);
	free(z);
}

static struct tz *tz_new(const char *name, size_t cap, size_t poolsz)
{
	struct tz *z;
	size_t n = strlen(name) + 1;

	if ((z = calloc(1, sizeof *z)) == NULL)
		return NULL;
	z->name = malloc(n);
	z->trans = cap <= SIZE_MAX / sizeof *z->trans ?
	    malloc(cap * sizeof *z->trans) : NULL;
	z->pool = calloc(1, poolsz);
	if (z->name == NULL || z->trans == NULL || z->pool == NULL) {
		tz_free_parts(z);
		return NULL;
	}
	memcpy(z->name, name, n);
	z->cap = cap;
	return z;
}

enum { TZ_OK, TZ_BAD, TZ_NOMEM };

static int build(const char *name, const unsigned char *data, size_t len,
    struct tz **out)
{
	struct tz_hdr h;
	struct tz_posix px;
	const unsigned char *blk, *times, *idx, *types, *chars;
	size_t pos, used, cap, i;
	unsigned tsize = 4;
	int has_footer = 0;
	uint32_t std_abbr = 0, dst_abbr = 0, t0;
	struct tz *z;
	int64_t at, prev = INT64_MIN;

	*out = NULL;
	if (data == NULL || parse_header(data, len, &h) == -1)
		return TZ_BAD;
	pos = TZ_HDR_LEN;
	if (block_len(&h, 4) > len - pos)
		return TZ_BAD;
	if (h.version >= 2) {
		pos += (size_t)block_len(&h, 4);
		if (parse_header(data + pos, len - pos, &h) == -1 || h.version < 2)
			return TZ_BAD;
		pos += TZ_HDR_LEN;
		tsize = 8;
		if (block_len(&h, 8) > len - pos)
			return TZ_BAD;
	}
	blk = data + pos;
	pos += (size_t)block_len(&h, tsize);
	if (tsize == 8 && pos < len) {
		const char *f = (const char *)data + pos + 1, *fend;

		if (data[pos] != '\n' ||
		    (fend = memchr(f, '\n', len - pos - 1)) == NULL ||
		    memchr(f, '\0', (size_t)(fend - f)) != NULL)
			return TZ_BAD;
		if (fend > f) {
			if (posix_parse(f, fend, &px) == -1)
				return TZ_BAD;
			has_footer = 1;
		}
	}

	times = blk;
	idx = times + (size_t)h.timecnt * tsize;
	types = idx + h.timecnt;
	chars = types + (size_t)h.typecnt * 6;

	/* validate the local time types */
	for (i = 0; i < h.typecnt; i++) {
		const unsigned char *t = types + i * 6;
		int32_t off = get_i32(t);

		if (off < -TZ_MAX_OFF_S || off > TZ_MAX_OFF_S || t[4] > 1 ||
		    t[5] >= h.charcnt ||
		    memchr(chars + t[5], '\0', h.charcnt - t[5]) == NULL)
			return TZ_BAD;
	}
	for (i = 0; i < h.timecnt; i++) {
		at = tsize == 8 ? get_i64(times + i * 8) : get_i32(times + i * 4);
		if ((i > 0 && at <= prev) || idx[i] >= h.typecnt)
			return TZ_BAD;
		prev = at;
	}

	cap = (size_t)h.timecnt + 1;
	if (has_footer && px.has_dst)
		cap += 2 * (TZ_GEN_LAST - TZ_GEN_FIRST + 3) + 1;
	z = tz_new(name, cap, (size_t)h.charcnt + 2 * (TZ_ABBR_MAX + 1) + 1);
	if (z == NULL)
		return TZ_NOMEM;
	memcpy(z->pool, chars, h.charcnt);
	used = h.charcnt;
	if (has_footer) {
		std_abbr = pool_add(z, &used, px.std);
		if (px.has_dst)
			dst_abbr = pool_add(z, &used, px.dst);
	}

	/* RFC 8536 3.2: before the first transition, type 0; with no
	 * transitions at all, the footer (if any) governs all time. */
	z->trans[0].at = INT64_MIN;
	if (h.timecnt == 0 && has_footer) {
		z->trans[0].utoff = px.std_off;
		z->trans[0].abbr = std_abbr;
	} else {
		z->trans[0].utoff = get_i32(types);
		z->trans[0].abbr = types[5];
	}
	z->ntrans = 1;
	for (i = 0; i < h.timecnt; i++) {
		at = tsize == 8 ? get_i64(times + i * 8) : get_i32(times + i * 4);
		t0 = idx[i];
		push(z, at, get_i32(types + t0 * 6), types[t0 * 6 + 5]);
	}
	if (has_footer && px.has_dst)
		expand_footer(z, &px, h.timecnt == 0 ? INT64_MIN : prev,
		    std_abbr, dst_abbr);
	else if (has_footer && h.timecnt > 0)
		/* RFC 8536 3.2: the footer governs from the last transition
		 * on; for a consistent file this changes nothing. */
		push(z, prev, px.std_off, std_abbr);
	*out = z;
	return TZ_OK;
}

/* ---- public interface ---------------------------------------------------- */

struct tz *tz_from_tzif(const char *name, const unsigned char *data, size_t len,
			struct diag *d)
{
	struct tz *z;

	if (name == NULL)
		name = "";
	switch (build(name, data, len, &z)) {
	case TZ_OK:
		index_spans(z);
		return z;
	case TZ_NOMEM:
		diag_set(d, DIAG_NOMEM, "out of memory");
		return NULL;
	default:
		diag_set(d, DIAG_INPUT, "unknown timezone '%s'", name);
		return NULL;
	}
}

static int valid_name(const char *name)
{
	const char *p;

	if (name[0] == '\0' || name[0] == '/' || strstr(name, "..") != NULL ||
	    strlen(name) > TZ_NAME_MAX)
		return 0;
	for (p = name; *p != '\0'; p++)
		if (!is_alpha(*p) && !is_digit(*p) && *p != '/' && *p != '_' &&
		    *p != '+' && *p != '-')
			return 0;
	return 1;
}

/* Reads the whole file into *out (caller frees).  -1 on any failure. */
static int read_file(const char *path, unsigned char **out, size_t *len)
{
	FILE *fp;
	unsigned char *buf = NULL, *nb;
	size_t n = 0, alloc = 0, got;

	*out = NULL;
	*len = 0;
	if ((fp = fopen(path, "rb")) == NULL)
		return -1;
	for (;;) {
		if (n == alloc) {
			if (alloc == TZ_FILE_MAX + 1)
				break;		/* too large */
			alloc = alloc == 0 ? 8192 : alloc * 2;
			if (alloc > TZ_FILE_MAX + 1)
				alloc = TZ_FILE_MAX + 1;
			if ((nb = realloc(buf, alloc)) == NULL)
				break;
			buf = nb;
		}
		got = fread(buf + n, 1, alloc - n, fp);
		n += got;
		if (got == 0)
			break;
	}
	if (ferror(fp) || !feof(fp) || n > TZ_FILE_MAX) {
		fclose(fp);
		free(buf);
		return -1;
	}
	fclose(fp);
	*out = buf;
	*len = n;
	return 0;
}

struct tz *tz_load(const char *name, struct diag *d)
{
	char path[4096];
	const char *dir;
	unsigned char *data;
	size_t len;
	struct tz *z;
	int r;

	if (name == NULL || !valid_name(name)) {
		diag_set(d, DIAG_INPUT, "unknown timezone '%s'",
		    name == NULL ? "" : name);
		return NULL;
	}
	dir = getenv("TZDIR");
	if (dir == NULL || dir[0] == '\0')
		dir = TZ_DEFAULT_DIR;
	r = snprintf(path, sizeof path, "%s/%s", dir, name);
	if (r < 0 || (size_t)r >= sizeof path ||
	    read_file(path, &data, &len) == -1) {
		if (strcmp(name, "UTC") == 0) {
			/* Works even without zoneinfo installed. */
			if ((z = tz_new(name, 1, 4)) == NULL) {
				diag_set(d, DIAG_NOMEM, "out of memory");
				return NULL;
			}
			memcpy(z->pool, "UTC", 4);
			z->trans[0].at = INT64_MIN;
			z->trans[0].utoff = 0;
			z->trans[0].abbr = 0;
			z->ntrans = 1;
			index_spans(z);
			return z;
		}
		diag_set(d, DIAG_INPUT, "unknown timezone '%s'", name);
		return NULL;
	}
	z = tz_from_tzif(name, data, len, d);
	free(data);
	return z;
}

void tz_free(struct tz *z)
{
	if (z != NULL)
		tz_free_parts(z);
}

const char *tz_name(const struct tz *z)
{
	return z->name;
}

/* The largest i with trans[i].at <= at (trans[0].at is INT64_MIN), by
 * halving. */
static size_t find_halving(const struct tz *z, int64_t at)
{
	size_t lo = 0, hi = z->ntrans, mid;

	while (hi - lo > 1) {
		mid = lo + (hi - lo) / 2;
		if (z->trans[mid].at <= at)
			lo = mid;
		else
			hi = mid;
	}
	return lo;
}

/* Fills span_first once every transition is in. */
static void index_spans(struct tz *z)
{
	for (int64_t k = 0; k < TZ_NSPANS; k++)
		z->span_first[k] = (uint32_t)find_halving(z, TZ_SPAN_FROM +
		    (k << TZ_SPAN_SHIFT));
}

/* The same answer as find_halving, from the span's index. */
static size_t find(const struct tz *z, int64_t at)
{
	size_t i;
	int64_t k;

	if (at < TZ_SPAN_FROM || at >= TZ_SPAN_FROM + ((int64_t)TZ_NSPANS << TZ_SPAN_SHIFT))
		return find_halving(z, at);
	k = (at - TZ_SPAN_FROM) >> TZ_SPAN_SHIFT;
	for (i = z->span_first[k]; i + 1 < z->ntrans && z->trans[i + 1].at <= at; i++)
		;
	return i;
}

int32_t tz_offset_at(const struct tz *z, int64_t at)
{
	return z->trans[find(z, at)].utoff;
}

const char *tz_abbrev_at(const struct tz *z, int64_t at)
{
	return z->pool + z->trans[find(z, at)].abbr;
}

int64_t tz_utc_to_local(const struct tz *z, int64_t at)
{
	return sat_add(at, tz_offset_at(z, at));
}

/*
 * The earliest t with t + offset(t) >= local_s.  Within entry i the wall
 * clock t + utoff is increasing, so its earliest qualifying instant is
 * max(trans[i].at, local_s - utoff) if that is still inside the entry;
 * scanning entries in time order, the first hit is the answer.  No instant
 * before local_s - TZ_WINDOW_S can qualify because |utoff| < TZ_WINDOW_S,
 * and one at local_s + TZ_WINDOW_S always does, so only a few entries are
 * looked at.
 */
int64_t tz_local_to_utc(const struct tz *z, int64_t local_s)
{
	size_t i;
	int64_t c;

	for (i = find(z, sat_sub(local_s, TZ_WINDOW_S)); i < z->ntrans; i++) {
		c = sat_sub(local_s, z->trans[i].utoff);
		if (c < z->trans[i].at)
			c = z->trans[i].at;
		if (i + 1 == z->ntrans || c < z->trans[i + 1].at)
			return c;
	}
	return local_s;		/* not reached: the last entry is open-ended */
}

int64_t tz_next_transition(const struct tz *z, int64_t at)
{
	size_t i = find(z, at) + 1;

	/* skip entries that only rename the abbreviation */
	while (i < z->ntrans && z->trans[i].utoff == z->trans[i - 1].utoff)
		i++;
	return i < z->ntrans ? z->trans[i].at : INT64_MAX;
}

void tz_format_offset(int32_t off_s, char out[8])
{
	int64_t a = off_s < 0 ? -(int64_t)off_s : off_s;
	int64_t hh = a / 3600, mm = a % 3600 / 60;

	if (hh > 99) {
		hh = 99;
		mm = 59;
	}
	out[0] = off_s < 0 ? '-' : '+';
	out[1] = (char)('0' + hh / 10);
	out[2] = (char)('0' + hh % 10);
	out[3] = ':';
	out[4] = (char)('0' + mm / 10);
	out[5] = (char)('0' + mm % 10);
	out[6] = '\0';
	out[7] = '\0';
}
