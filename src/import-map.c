/* import-map.c: helpdesk exports -> import's CSV; see import-map.h. */
#include "import-map.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "buf.h"
#include "civil.h"
#include "config.h"
#include "csv.h"
#include "import.h"
#include "store.h"

enum mfield {
	MF_KEY, MF_PARTNER, MF_SEVERITY, MF_SUMMARY, MF_CREATED, MF_CUSTOMER, MF_ASSIGNEE,
	MF_FIRST_RESPONSE, MF_RESOLVED, MF_RESPONDED_BY, MF_FIRST_REPLY_MINUTES,
	MF_COMMENT, MF_REPORTER_ID, NMFIELDS
};

/* the first ten are import's columns, in its order */
static const char *const mfield_names[NMFIELDS] = {
	"key", "partner", "severity", "summary", "created", "customer", "assignee",
	"first_response", "resolved", "responded_by", "first_response_minutes",
	"comment", "reporter_id",
};
#define NOUT 10

struct pair {
	char *from, *to;
};

struct import_map {
	char *name;			/* "jira", "zendesk" or the file */
	char *column[NMFIELDS];		/* the export's column of each field */
	char *date_format, *key_prefix;
	struct pair *sev, *partner;
	size_t nsev, npartner;
	const struct config *cfg;	/* [partner "KEY"] jira/zendesk = VALUE */
	const char *partner_key;	/* that config key, or NULL */
};

void import_map_free(struct import_map *m)
{
	if (m == NULL)
		return;
	free(m->name);
	for (int i = 0; i < NMFIELDS; i++)
		free(m->column[i]);
	free(m->date_format);
	free(m->key_prefix);
	for (size_t i = 0; i < m->nsev; i++) {
		free(m->sev[i].from);
		free(m->sev[i].to);
	}
	for (size_t i = 0; i < m->npartner; i++) {
		free(m->partner[i].from);
		free(m->partner[i].to);
	}
	free(m->sev);
	free(m->partner);
	free(m);
}

static int add_pair(struct pair **v, size_t *n, const char *from, size_t flen, const char *to)
{
	struct pair *nv = realloc(*v, (*n + 1) * sizeof *nv);

	if (nv == NULL)
		return -1;
	*v = nv;
	nv[*n].from = strndup(from, flen);
	nv[*n].to = strdup(to);
	if (nv[*n].from == NULL || nv[*n].to == NULL) {
		free(nv[*n].from);
		free(nv[*n].to);
		return -1;
	}
	(*n)++;
	return 0;
}

static int set_col(struct import_map *m, int f, const char *name)
{
	free(m->column[f]);
	return (m->column[f] = strdup(name)) != NULL ? 0 : -1;
}

/* "A=b,C=d" into the severity table. */
static int sev_table(struct import_map *m, const char *list)
{
	const char *p = list;

	while (*p != '\0') {
		size_t l = strcspn(p, ",");
		const char *eq = memchr(p, '=', l);
		char to[16];

		if (eq != NULL && (size_t)(p + l - eq - 1) < sizeof to) {
			const char *a = p;
			size_t al = (size_t)(eq - p);

			while (al > 0 && isspace((unsigned char)*a)) {
				a++;
				al--;
			}
			while (al > 0 && isspace((unsigned char)a[al - 1]))
				al--;
			snprintf(to, sizeof to, "%.*s", (int)(p + l - eq - 1), eq + 1);
			if (add_pair(&m->sev, &m->nsev, a, al, to) < 0)
				return -1;
		}
		p += l;
		if (*p == ',')
			p++;
	}
	return 0;
}

static int builtin_jira(struct import_map *m)
{
	const char *sev = config_get(m->cfg, "jira", NULL, "severity");

	m->partner_key = "jira";
	return set_col(m, MF_KEY, "Issue key") | set_col(m, MF_SUMMARY, "Summary") |
	    set_col(m, MF_PARTNER, "Project key") | set_col(m, MF_SEVERITY, "Priority") |
	    set_col(m, MF_ASSIGNEE, "Assignee") | set_col(m, MF_CREATED, "Created") |
	    set_col(m, MF_RESOLVED, "Resolved") | set_col(m, MF_COMMENT, "Comment") |
	    set_col(m, MF_REPORTER_ID, "Reporter Id") |
	    ((m->date_format = strdup("%d/%b/%y %I:%M %p")) == NULL) |
	    sev_table(m, sev != NULL ? sev : "");
}

static int builtin_zendesk(struct import_map *m)
{
	m->partner_key = "zendesk";
	return set_col(m, MF_KEY, "Id") | set_col(m, MF_SUMMARY, "Subject") |
	    set_col(m, MF_PARTNER, "Organization") | set_col(m, MF_SEVERITY, "Priority") |
	    set_col(m, MF_CUSTOMER, "Requester") | set_col(m, MF_ASSIGNEE, "Assignee") |
	    set_col(m, MF_CREATED, "Created at") | set_col(m, MF_RESOLVED, "Solved at") |
	    set_col(m, MF_FIRST_REPLY_MINUTES, "First reply time in minutes") |
	    ((m->date_format = strdup("%Y-%m-%d %H:%M")) == NULL) |
	    ((m->key_prefix = strdup("ZD-")) == NULL) |
	    sev_table(m, "Urgent=critical,High=high,Normal=medium,Low=low,-=low,=low");
}

static char *trim(char *s)
{
	char *e;

	while (isspace((unsigned char)*s))
		s++;
	e = s + strlen(s);
	while (e > s && isspace((unsigned char)e[-1]))
		*--e = '\0';
	return s;
}

/* A mapping file; errors name FILE:LINE. */
static int load_file(struct import_map *m, const char *path, struct diag *d)
{
	FILE *f = fopen(path, "r");
	char line[1024];
	int n = 0;

	if (f == NULL)
		return diag_set(d, DIAG_INPUT, "--map: cannot open '%s' (expected jira, zendesk "
		    "or a mapping file)", path);
	while (fgets(line, sizeof line, f) != NULL) {
		char *s = trim(line), *eq, *name, *val;
		int sev;

		n++;
		if (*s == '\0' || *s == '#')
			continue;
		if ((eq = strchr(s, '=')) == NULL) {
			fclose(f);
			return diag_set(d, DIAG_INPUT, "%s:%d: expected 'name = value'", path, n);
		}
		*eq = '\0';
		name = trim(s);
		val = trim(eq + 1);
		if (strncmp(name, "column ", 7) == 0) {
			const char *field = trim(name + 7);
			int i;

			for (i = 0; i < NMFIELDS; i++)
				if (strcmp(mfield_names[i], field) == 0 && i != MF_COMMENT &&
				    i != MF_REPORTER_ID)
					break;
			if (i == NMFIELDS) {
				fclose(f);
				return diag_set(d, DIAG_INPUT, "%s:%d: unknown field '%s' (the fields "
				    "are key, partner, severity, summary, created, customer, "
				    "assignee, first_response, resolved, responded_by, "
				    "first_response_minutes)", path, n, field);
			}
			if (*val == '\0' || set_col(m, i, val) < 0)
				goto bad;
		} else if (strncmp(name, "severity ", 9) == 0 || strcmp(name, "severity") == 0) {
			const char *from = name[8] == ' ' ? trim(name + 9) : "";

			if (store_severity_parse(val, &sev) < 0) {
				fclose(f);
				return diag_set(d, DIAG_INPUT, "%s:%d: '%s' is not one of critical, "
				    "high, medium, low", path, n, val);
			}
			if (add_pair(&m->sev, &m->nsev, from, strlen(from), val) < 0)
				goto nomem;
		} else if (strncmp(name, "partner ", 8) == 0) {
			const char *from = trim(name + 8);

			if (*val == '\0' || add_pair(&m->partner, &m->npartner, from, strlen(from),
			    val) < 0)
				goto bad;
		} else if (strcmp(name, "date_format") == 0) {
			free(m->date_format);
			if ((m->date_format = strdup(val)) == NULL)
				goto nomem;
		} else if (strcmp(name, "key_prefix") == 0) {
			free(m->key_prefix);
			if ((m->key_prefix = strdup(val)) == NULL)
				goto nomem;
		} else {
			fclose(f);
			return diag_set(d, DIAG_INPUT, "%s:%d: unknown setting '%s' (column FIELD, "
			    "severity VALUE, partner VALUE, date_format, key_prefix)", path, n, name);
		}
	}
	fclose(f);
	for (int i = 0; i < 5; i++)
		if (m->column[i] == NULL && i != MF_PARTNER)
			return diag_set(d, DIAG_INPUT, "%s: no 'column %s = ...' (key, severity, "
			    "summary, created and partner are required)", path, mfield_names[i]);
	if (m->column[MF_PARTNER] == NULL)
		return diag_set(d, DIAG_INPUT, "%s: no 'column partner = ...'", path);
	return 0;
bad:
	fclose(f);
	return diag_set(d, DIAG_INPUT, "%s:%d: empty value", path, n);
nomem:
	fclose(f);
	return diag_set(d, DIAG_NOMEM, "out of memory");
}

struct import_map *import_map_load(const char *spec, const struct config *cfg,
				   struct diag *d)
{
	struct import_map *m = calloc(1, sizeof *m);
	int rc;

	if (m == NULL || (m->name = strdup(spec)) == NULL) {
		import_map_free(m);
		diag_set(d, DIAG_NOMEM, "out of memory");
		return NULL;
	}
	m->cfg = cfg;
	if (strcmp(spec, "jira") == 0)
		rc = builtin_jira(m) ? diag_set(d, DIAG_NOMEM, "out of memory") : 0;
	else if (strcmp(spec, "zendesk") == 0)
		rc = builtin_zendesk(m) ? diag_set(d, DIAG_NOMEM, "out of memory") : 0;
	else
		rc = load_file(m, spec, d);
	if (rc < 0) {
		import_map_free(m);
		return NULL;
	}
	return m;
}

/* ---- dates ------------------------------------------------------------------- */

static const char *const months[12] = {
	"jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"
};

static int num(const char **p, const char *end, int maxdigits, int *out)
{
	int n = 0, v = 0;

	while (*p < end && n < maxdigits && isdigit((unsigned char)**p)) {
		v = v * 10 + (**p - '0');
		(*p)++;
		n++;
	}
	*out = v;
	return n > 0 ? 0 : -1;
}

int import_map_parse_date(const char *fmt, const char *s, size_t len, int64_t *local_s)
{
	const char *p = s, *end = s + len;
	int y = -1, mo = 1, dd = 1, h = 0, mi = 0, sec = 0, pm = -1, v;

	for (const char *f = fmt; *f != '\0'; f++) {
		if (*f == ' ') {
			while (p < end && *p == ' ')
				p++;
			continue;
		}
		if (*f != '%') {
			if (p >= end || *p != *f)
				return -1;
			p++;
			continue;
		}
		switch (*++f) {
		case 'Y':
			if (num(&p, end, 4, &y) < 0)
				return -1;
			break;
		case 'y':
			if (num(&p, end, 2, &v) < 0)
				return -1;
			y = 2000 + v;
			break;
		case 'm':
			if (num(&p, end, 2, &mo) < 0)
				return -1;
			break;
		case 'd':
		case 'e':
			if (num(&p, end, 2, &dd) < 0)
				return -1;
			break;
		case 'H':
		case 'I':
			if (num(&p, end, 2, &h) < 0)
				return -1;
			break;
		case 'M':
			if (num(&p, end, 2, &mi) < 0)
				return -1;
			break;
		case 'S':
			if (num(&p, end, 2, &sec) < 0)
				return -1;
			break;
		case 'b': {
			int i;

			for (i = 0; i < 12; i++)
				if (end - p >= 3 && strncasecmp(p, months[i], 3) == 0)
					break;
			if (i == 12)
				return -1;
			mo = i + 1;
			p += 3;
			break;
		}
		case 'p':
			if (end - p >= 2 && strncasecmp(p, "AM", 2) == 0)
				pm = 0;
			else if (end - p >= 2 && strncasecmp(p, "PM", 2) == 0)
				pm = 1;
			else
				return -1;
			p += 2;
			break;
		case '%':
			if (p >= end || *p != '%')
				return -1;
			p++;
			break;
		default:
			return -1;
		}
	}
	while (p < end && *p == ' ')
		p++;
	if (p != end || y < 0)
		return -1;
	if (pm >= 0) {
		if (h < 1 || h > 12)
			return -1;
		h = h % 12 + (pm ? 12 : 0);
	}
	if (!civil_valid_ymd(y, mo, dd) || h > 23 || mi > 59 || sec > 59)
		return -1;
	*local_s = civil_days_from_ymd(y, mo, dd) * 86400 + h * 3600 + mi * 60 + sec;
	return 0;
}

/* ---- translation -------------------------------------------------------------- */

struct translator {
	const struct import_map *m;
	const char *source;
	struct import_result *r;
	int *same;			/* per export column: the field it is, -1 */
	size_t ncols;
};

static void problem(struct translator *t, long line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void problem(struct translator *t, long line, const char *fmt, ...)
{
	char msg[600];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	import_result_add_error(t->r, "%s:%ld: %s", t->source, line, msg);
}

static int name_eq(const char *a, size_t alen, const char *b)
{
	while (alen > 0 && isspace((unsigned char)*a)) {
		a++;
		alen--;
	}
	while (alen > 0 && isspace((unsigned char)a[alen - 1]))
		alen--;
	if (alen >= 3 && memcmp(a, "\xef\xbb\xbf", 3) == 0) {
		a += 3;
		alen -= 3;
	}
	return strlen(b) == alen && strncasecmp(a, b, alen) == 0;
}

/* The field's value: the first non-empty of its columns (repeated
 * columns), "" when none. */
static const char *value(const struct translator *t, const struct csv_record *rec, int f,
			 size_t *len)
{
	for (size_t i = 0; i < t->ncols && i < rec->nfields; i++) {
		size_t l = rec->lens[i];
		const char *v = rec->fields[i];

		if (t->same[i] != f)
			continue;
		while (l > 0 && isspace((unsigned char)*v)) {
			v++;
			l--;
		}
		while (l > 0 && isspace((unsigned char)v[l - 1]))
			l--;
		if (l > 0) {
			*len = l;
			return v;
		}
	}
	*len = 0;
	return "";
}

/* A date of the export as import reads it: ISO 8601 with an offset as
 * given, else local "YYYY-MM-DDTHH:MM:SS" (read in the partner's zone). */
static int date_out(const struct translator *t, const char *v, size_t len, int64_t *local,
		    int *utc, char out[CIVIL_ISO_LEN + 8])
{
	enum civil_instant_kind kind;
	int64_t x;

	if (civil_parse_instant_n(v, len, &x, &kind) == 0) {
		*utc = kind == CIVIL_INSTANT_UTC;
		*local = x;
	} else if (t->m->date_format != NULL &&
	    import_map_parse_date(t->m->date_format, v, len, &x) == 0) {
		*utc = 0;
		*local = x;
	} else
		return -1;
	if (*utc)
		civil_format_utc(x, out);
	else {
		civil_format_local(x, 1, out);	/* "YYYY-MM-DD HH:MM:SS" */
		out[10] = 'T';
	}
	return 0;
}

static const char *lookup(const struct pair *v, size_t n, const char *s, size_t len)
{
	for (size_t i = 0; i < n; i++)
		if (strlen(v[i].from) == len && strncasecmp(v[i].from, s, len) == 0)
			return v[i].to;
	for (size_t i = 0; i < n; i++)
		if (strcmp(v[i].from, "*") == 0)
			return v[i].to;
	return NULL;
}

static const char *partner_of(const struct import_map *m, const char *v, size_t len,
			      char *tmp, size_t size)
{
	const char *to = lookup(m->partner, m->npartner, v, len);
	const char *subs[256];
	size_t n;

	if (to != NULL)
		return to;
	snprintf(tmp, size, "%.*s", (int)len, v);
	if (m->partner_key == NULL)
		return tmp;
	n = config_subsections(m->cfg, "partner", subs, 256);
	for (size_t i = 0; i < n && i < 256; i++) {
		const char *j = config_get(m->cfg, "partner", subs[i], m->partner_key);

		if (j != NULL && strcasecmp(j, tmp) == 0)
			return subs[i];
	}
	return tmp;
}

/* Jira's "Comment" cells "DATE;AUTHOR-ID;TEXT": the first whose author
 * is not the reporter. */
static int jira_first_comment(struct translator *t, const struct csv_record *rec,
			      const char *reporter, size_t rlen, char out[CIVIL_ISO_LEN + 8],
			      long line)
{
	int64_t best = 0, x;
	int found = 0, utc;
	char tmp[CIVIL_ISO_LEN + 8];

	for (size_t i = 0; i < t->ncols && i < rec->nfields; i++) {
		const char *c = rec->fields[i], *s1, *s2;

		if (t->same[i] != MF_COMMENT || rec->lens[i] == 0)
			continue;
		if ((s1 = memchr(c, ';', rec->lens[i])) == NULL)
			continue;
		s2 = memchr(s1 + 1, ';', rec->lens[i] - (size_t)(s1 + 1 - c));
		if (s2 == NULL)
			s2 = c + rec->lens[i];
		if (rlen > 0 && (size_t)(s2 - s1 - 1) == rlen && strncmp(s1 + 1, reporter, rlen) == 0)
			continue;
		if (date_out(t, c, (size_t)(s1 - c), &x, &utc, tmp) < 0) {
			problem(t, line, "Comment: bad date '%.*s' (expected %s)", (int)(s1 - c), c,
			    t->m->date_format);
			return -1;
		}
		if (!found || x < best) {
			best = x;
			memcpy(out, tmp, sizeof tmp);
			found = 1;
		}
	}
	if (!found)
		out[0] = '\0';
	return 0;
}

static int translate_row(struct translator *t, const struct csv_record *rec,
			 struct buf *out)
{
	const struct import_map *m = t->m;
	char cells[NOUT][512];
	size_t len;
	const char *v;
	int bad = 0;
	int64_t created = 0;
	int created_utc = 0;

	memset(cells, 0, sizeof cells);
	for (int f = 0; f < NOUT; f++) {
		if (m->column[f] == NULL)
			continue;
		v = value(t, rec, f, &len);
		switch (f) {
		case MF_KEY:
			if (len == 0) {
				problem(t, rec->line, "%s: missing", m->column[f]);
				bad = 1;
			} else
				snprintf(cells[f], sizeof cells[f], "%s%.*s",
				    m->key_prefix ? m->key_prefix : "", (int)len, v);
			break;
		case MF_SEVERITY: {
			const char *to = lookup(m->sev, m->nsev, v, len);

			if (to == NULL) {
				problem(t, rec->line, "%s: '%.*s' has no severity (%s)",
				    m->column[f], (int)(len < 60 ? len : 60), v,
				    strcmp(m->name, "jira") == 0 ? "add it to jira.severity in the "
				    "config, or *=SEVERITY" : strcmp(m->name, "zendesk") == 0 ?
				    "the zendesk map knows Urgent, High, Normal, Low" :
				    "add 'severity VALUE = SEVERITY' to the map");
				bad = 1;
			} else
				snprintf(cells[f], sizeof cells[f], "%s", to);
			break;
		}
		case MF_PARTNER: {
			char tmp[256];

			if (len > 0 || m->npartner > 0)
				snprintf(cells[f], sizeof cells[f], "%s",
				    partner_of(m, v, len, tmp, sizeof tmp));
			break;
		}
		case MF_CREATED:
		case MF_FIRST_RESPONSE:
		case MF_RESOLVED: {
			int64_t x;
			int utc;

			if (len == 0)
				break;
			if (date_out(t, v, len, &x, &utc, cells[f]) < 0) {
				problem(t, rec->line, "%s: bad date '%.*s' (expected %s)",
				    m->column[f], (int)(len < 60 ? len : 60), v,
				    m->date_format ? m->date_format : "ISO 8601");
				bad = 1;
			} else if (f == MF_CREATED) {
				created = x;
				created_utc = utc;
			}
			break;
		}
		default:
			snprintf(cells[f], sizeof cells[f], "%.*s", (int)(len < 500 ? len : 500), v);
		}
	}
	if (!bad && cells[MF_FIRST_RESPONSE][0] == '\0' && cells[MF_CREATED][0] != '\0' &&
	    m->column[MF_FIRST_REPLY_MINUTES] != NULL) {
		int64_t mins;
		char tmp[32];

		v = value(t, rec, MF_FIRST_REPLY_MINUTES, &len);
		snprintf(tmp, sizeof tmp, "%.*s", (int)(len < 30 ? len : 30), v);
		if (len > 0 && civil_parse_i64(tmp, 0, 100000000, &mins) < 0) {
			problem(t, rec->line, "%s: '%s' is not a number of minutes",
			    m->column[MF_FIRST_REPLY_MINUTES], tmp);
			bad = 1;
		} else if (len > 0) {
			if (created_utc)
				civil_format_utc(created + mins * 60, cells[MF_FIRST_RESPONSE]);
			else {
				civil_format_local(created + mins * 60, 1, cells[MF_FIRST_RESPONSE]);
				cells[MF_FIRST_RESPONSE][10] = 'T';
			}
		}
	}
	if (!bad && m->column[MF_COMMENT] != NULL && cells[MF_FIRST_RESPONSE][0] == '\0') {
		const char *rep = value(t, rec, MF_REPORTER_ID, &len);

		if (jira_first_comment(t, rec, rep, len, cells[MF_FIRST_RESPONSE], rec->line) < 0)
			bad = 1;
	}
	if (bad)
		return 1;
	for (int f = 0; f < NOUT; f++)
		csv_add_field(out, cells[f], f == 0);
	csv_end_record(out);
	return 0;
}

static int header(struct translator *t, const struct csv_record *rec)
{
	const struct import_map *m = t->m;
	int bad = 0;

	t->ncols = rec->nfields;
	if ((t->same = malloc((rec->nfields + 1) * sizeof *t->same)) == NULL)
		return -1;
	for (size_t i = 0; i < rec->nfields; i++) {
		t->same[i] = -1;
		for (int f = 0; f < NMFIELDS; f++)
			if (m->column[f] != NULL && name_eq(rec->fields[i], rec->lens[i],
			    m->column[f])) {
				t->same[i] = f;
				break;
			}
	}
	for (int f = 0; f < NMFIELDS; f++) {
		int seen = 0;

		for (size_t i = 0; i < rec->nfields; i++)
			seen |= t->same[i] == f;
		if (!seen && m->column[f] != NULL && (f == MF_KEY || f == MF_SEVERITY ||
		    f == MF_SUMMARY || f == MF_CREATED || (f == MF_PARTNER && m->npartner == 0))) {
			problem(t, rec->line, "no column '%s' (the %s map reads %s from it)",
			    m->column[f], m->name, mfield_names[f]);
			bad = 1;
		}
	}
	return bad;
}

int import_map_translate(const struct import_map *m, const char *data, size_t len,
			 const char *source, struct buf *out, long **lines, size_t *nlines,
			 struct import_result *r, struct diag *d)
{
	struct translator t;
	struct csv_reader rd;
	struct csv_record rec;
	size_t cap = 1024, outlines = 0;
	int have_header = 0, rc = -1;
	long *ln = malloc(cap * sizeof *ln);

	memset(&t, 0, sizeof t);
	t.m = m;
	t.source = source;
	t.r = r;
	*lines = NULL;
	*nlines = 0;
	if (ln == NULL)
		return diag_set(d, DIAG_NOMEM, "out of memory");
	csv_reader_init(&rd, data, len);
	for (int f = 0; f < NOUT; f++)
		csv_add_field(out, mfield_names[f], f == 0);
	csv_end_record(out);
	ln[outlines++] = 1;
	for (;;) {
		struct diag cd;
		size_t before = out->len;
		int got;

		diag_clear(&cd);
		got = csv_read(&rd, &rec, &cd);
		if (got == 0)
			break;
		if (got < 0) {
			if (cd.code != DIAG_INPUT) {
				*d = cd;
				goto out;
			}
			import_result_add_error(r, "%s:%s", source, cd.msg);
			break;
		}
		if (rec.nfields == 1 && rec.lens[0] == 0)
			continue;
		if (!have_header) {
			have_header = 1;
			ln[0] = rec.line;
			if (header(&t, &rec) != 0)
				break;
			continue;
		}
		r->rows++;
		if (translate_row(&t, &rec, out) != 0)
			continue;
		for (size_t i = before; i < out->len; i++) {
			if (out->data[i] != '\n')
				continue;
			if (outlines == cap) {
				long *nl = realloc(ln, (cap *= 2) * sizeof *nl);

				if (nl == NULL) {
					diag_set(d, DIAG_NOMEM, "out of memory");
					goto out;
				}
				ln = nl;
			}
			ln[outlines++] = rec.line;
		}
		if (r->nerrors >= IMPORT_MAX_ERRORS)
			break;
	}
	if (!have_header && r->nerrors == 0)
		import_result_add_error(r, "%s: empty: no header line", source);
	if (buf_failed(out)) {
		diag_set(d, DIAG_NOMEM, "out of memory");
		goto out;
	}
	if (r->nerrors > 0) {
		diag_set(d, DIAG_INPUT, "%zu problem%s in %s: nothing imported", r->nerrors,
		    r->nerrors == 1 ? "" : "s", source);
		goto out;
	}
	*lines = ln;
	*nlines = outlines;
	ln = NULL;
	rc = 0;
out:
	r->rows = 0;
	free(ln);
	free(t.same);
	csv_reader_release(&rd);
	return rc;
}
