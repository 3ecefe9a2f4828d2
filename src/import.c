/* import.c: CSV rows -> checked tickets -> one transaction; see import.h.
 *
 * Two passes.  The first reads every record, maps it through the header,
 * parses the instants and severity, finds the partner (each partner's
 * schedule is compiled once and cached: imports are large) and computes
 * the deadline; it takes no lock.  The second, inside one BEGIN IMMEDIATE
 * transaction, matches each row by key and adds the new ones through
 * store_ticket_add, which checks the text fields as `ticket add` does.
 * Problems from both passes are collected; with any, or with dry_run,
 * the transaction is rolled back.
 */
#include "import.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <strings.h>
#include <string.h>

#include "buf.h"
#include "civil.h"
#include "csv.h"
#include "schedule.h"
#include "sla.h"
#include "store-import.h"
#include "store.h"
#include "text.h"
#include "tz.h"

enum column {
	COL_KEY, COL_PARTNER, COL_SEVERITY, COL_SUMMARY, COL_CUSTOMER, COL_ASSIGNEE,
	COL_CREATED, COL_FIRST_RESPONSE, COL_RESOLVED, COL_RESPONDED_BY, NCOLUMNS
};

const char *const import_columns[] = {
	"key", "partner", "severity", "summary", "customer", "assignee", "created",
	"first_response", "resolved", "responded_by",
};
const size_t import_ncolumns = NCOLUMNS;

static const unsigned required_columns = 1u << COL_KEY | 1u << COL_PARTNER |
	1u << COL_SEVERITY | 1u << COL_SUMMARY | 1u << COL_CREATED;

/* One partner named in the file, looked up once. */
struct partner_slot {
	char *key;
	int found;		/* 1 usable, 0 unknown or broken (err says why) */
	char err[DIAG_MSG_LEN + 16];
	const struct sla_partner *sp;	/* borrowed from the importer's sla_cache */
};

struct row {
	long line;
	int skip;		/* 1 repeats an earlier row; 2 contradicts one */
	struct store_ticket t;	/* strings owned; partner_key unused (NULL) */
};

struct importer {
	struct store *s;
	const struct import_options *o;
	struct import_result *r;
	size_t max_errors;
	struct sla_cache *cache;	/* each partner's schedule compiled once */
	struct partner_slot *partners;
	size_t npartners;
	struct row *rows;
	size_t nrows, rows_alloc;
	long *error_lines;	/* parallel to r->errors, for sorting */
	int col_of[NCOLUMNS];	/* record field index of each column, -1 absent */
	size_t ncols;		/* fields in the header */
};

void import_result_init(struct import_result *r)
{
	memset(r, 0, sizeof *r);
}

void import_result_release(struct import_result *r)
{
	for (size_t i = 0; i < r->nerrors; i++)
		free(r->errors[i]);
	free(r->errors);
	import_result_init(r);
}

void import_result_add_error(struct import_result *r, const char *fmt, ...)
{
	char msg[DIAG_MSG_LEN + 64];
	char **v;
	va_list ap;

	if (r->nerrors >= IMPORT_MAX_ERRORS) {
		r->truncated = 1;
		return;
	}
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	if ((v = realloc(r->errors, (r->nerrors + 1) * sizeof *v)) == NULL) {
		r->truncated = 1;
		return;
	}
	r->errors = v;
	if ((v[r->nerrors] = strdup(msg)) == NULL)
		r->truncated = 1;
	else
		r->nerrors++;
}

/* Records "FILE:LINE: message" (line 0: "FILE: message"; line < 0:
 * the message starts with its own "LINE: ", from the CSV reader, at line
 * -line); returns 1 when the cap is reached. */
static int add_error(struct importer *im, long line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int add_error(struct importer *im, long line, const char *fmt, ...)
{
	struct import_result *r = im->r;
	char msg[DIAG_MSG_LEN];
	char **v;
	long *l;
	struct buf b = BUF_INIT;
	va_list ap;

	if (r->nerrors >= im->max_errors) {
		r->truncated = 1;
		return 1;
	}
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	if (line > 0 && im->o->line_map != NULL && (size_t)line <= im->o->nline_map)
		line = im->o->line_map[line - 1];
	if (line > 0)
		buf_addf(&b, "%s:%ld: %s", im->o->source, line, msg);
	else if (line < 0)
		buf_addf(&b, "%s:%s", im->o->source, msg);
	else
		buf_addf(&b, "%s: %s", im->o->source, msg);
	if ((v = realloc(r->errors, (r->nerrors + 1) * sizeof *v)) != NULL)
		r->errors = v;
	if ((l = realloc(im->error_lines, (r->nerrors + 1) * sizeof *l)) != NULL)
		im->error_lines = l;
	if (v == NULL || l == NULL || buf_failed(&b)) {
		buf_release(&b);
		r->truncated = 1;
		return 1;
	}
	im->error_lines[r->nerrors] = line < 0 ? -line : line;
	r->errors[r->nerrors++] = buf_detach(&b);
	if (r->nerrors < im->max_errors)
		return 0;
	r->truncated = 1;	/* checking stops here */
	return 1;
}

/* Orders the problems by line (insertion sort: stable, and the two passes
 * each produce them in order already). */
static void sort_errors(struct importer *im)
{
	char **e = im->r->errors;
	long *l = im->error_lines;

	for (size_t i = 1; i < im->r->nerrors; i++) {
		char *te = e[i];
		long tl = l[i];
		size_t j = i;

		for (; j > 0 && l[j - 1] > tl; j--) {
			e[j] = e[j - 1];
			l[j] = l[j - 1];
		}
		e[j] = te;
		l[j] = tl;
	}
}

/* A short, terminal-safe quote of untrusted text for a message. */
static void quote(char *out, size_t size, const char *s)
{
	struct buf b = BUF_INIT;

	text_add_safe_n(&b, s, strnlen(s, 80), 0);
	if (strlen(s) > 80)
		buf_adds(&b, "...");
	snprintf(out, size, "%s", buf_failed(&b) ? "?" : buf_str(&b));
	buf_release(&b);
}

static int is_blank(char c)
{
	return c == ' ' || c == '\t';
}

/* The slice of s[0..*len) without leading and trailing ASCII blanks. */
static const char *trim(const char *s, size_t *len)
{
	while (*len > 0 && is_blank(*s)) {
		s++;
		(*len)--;
	}
	while (*len > 0 && is_blank(s[*len - 1]))
		(*len)--;
	return s;
}

static int header(struct importer *im, const struct csv_record *rec)
{
	struct buf unknown = BUF_INIT, missing = BUF_INIT;
	unsigned seen = 0;
	int bad = 0;

	for (size_t c = 0; c < NCOLUMNS; c++)
		im->col_of[c] = -1;
	im->ncols = rec->nfields;
	for (size_t i = 0; i < rec->nfields; i++) {
		size_t len = rec->lens[i];
		const char *name = trim(rec->fields[i], &len);
		size_t c;
		char q[128];

		if (i == 0 && len >= 3 && memcmp(name, "\xef\xbb\xbf", 3) == 0) {
			name += 3;	/* a second BOM some tools add */
			len -= 3;
		}
		for (c = 0; c < NCOLUMNS; c++)
			if (strlen(import_columns[c]) == len &&
			    strncasecmp(import_columns[c], name, len) == 0)
				break;
		if (c == NCOLUMNS) {
			char tmp[128];

			snprintf(tmp, sizeof tmp, "%.*s", (int)(len < 100 ? len : 100), name);
			quote(q, sizeof q, tmp);
			buf_addf(&unknown, "%s'%s'", unknown.len ? ", " : "", q);
			continue;
		}
		if (seen & 1u << c) {
			add_error(im, rec->line, "column '%s' appears twice", import_columns[c]);
			bad = 1;
		}
		seen |= 1u << c;
		im->col_of[c] = (int)i;
	}
	for (size_t c = 0; c < NCOLUMNS; c++)
		if ((required_columns & 1u << c) && !(seen & 1u << c))
			buf_addf(&missing, "%s'%s'", missing.len ? ", " : "", import_columns[c]);
	if (unknown.len) {
		struct buf known = BUF_INIT;

		for (size_t c = 0; c < NCOLUMNS; c++)
			buf_addf(&known, "%s%s", c ? ", " : "", import_columns[c]);
		add_error(im, rec->line, "unknown column%s %s (the columns are %s)",
		    strchr(buf_str(&unknown), ',') ? "s" : "", buf_str(&unknown),
		    buf_str(&known));
		buf_release(&known);
		bad = 1;
	}
	if (missing.len) {
		add_error(im, rec->line, "missing column%s %s",
		    strchr(buf_str(&missing), ',') ? "s" : "", buf_str(&missing));
		bad = 1;
	}
	buf_release(&unknown);
	buf_release(&missing);
	return bad ? -1 : 0;
}

static struct partner_slot *partner_find(struct importer *im, const char *key,
					 struct diag *d)
{
	struct partner_slot *v, *ps;
	struct diag pd;

	for (size_t i = 0; i < im->npartners; i++)
		if (strcmp(im->partners[i].key, key) == 0)
			return &im->partners[i];
	if ((v = realloc(im->partners, (im->npartners + 1) * sizeof *v)) == NULL) {
		diag_set(d, DIAG_NOMEM, "out of memory");
		return NULL;
	}
	im->partners = v;
	ps = &v[im->npartners];
	memset(ps, 0, sizeof *ps);
	if ((ps->key = strdup(key)) == NULL) {
		diag_set(d, DIAG_NOMEM, "out of memory");
		return NULL;
	}
	im->npartners++;
	diag_clear(&pd);
	if ((ps->sp = sla_cache_get_key(im->cache, key, &pd)) == NULL) {
		if (pd.code != DIAG_INPUT) {
			*d = pd;
			return NULL;
		}
		snprintf(ps->err, sizeof ps->err, "%s%s",
		    strncmp(pd.msg, "partner", 7) == 0 ? "" : "partner: ", pd.msg);
		return ps;
	}
	ps->found = 1;
	return ps;
}

static void partners_free(struct importer *im)
{
	for (size_t i = 0; i < im->npartners; i++)
		free(im->partners[i].key);
	free(im->partners);
	sla_cache_free(im->cache);
}

/* The field of column c as a NUL-terminated string (NULL when the column
 * is absent); *len gets its length. */
static const char *field(const struct importer *im, const struct csv_record *rec,
			 enum column c, size_t *len)
{
	int i = im->col_of[c];

	if (i < 0) {
		*len = 0;
		return NULL;
	}
	*len = rec->lens[i];
	return rec->fields[i];
}

/* Copies a text field: NULL for empty optional ones; -1 on a NUL byte or
 * no memory (the error recorded). */
static int text_field(struct importer *im, const struct csv_record *rec, enum column c,
		      char **out, int *stop)
{
	size_t len;
	const char *v = field(im, rec, c, &len);

	*out = NULL;
	if (v == NULL || len == 0)
		return 0;
	if (strlen(v) != len) {
		*stop |= add_error(im, rec->line, "%s: contains a NUL byte", import_columns[c]);
		return -1;
	}
	if ((*out = strdup(v)) == NULL) {
		*stop |= add_error(im, rec->line, "out of memory");
		return -1;
	}
	return 0;
}

/* Parses an instant column; local times are read in the partner's zone.
 * Returns 0 (STORE_NONE when empty), -1 with the error recorded. */
static int instant_field(struct importer *im, const struct csv_record *rec, enum column c,
			 const struct partner_slot *ps, int64_t *at, int *stop)
{
	size_t len;
	const char *v = field(im, rec, c, &len);
	enum civil_instant_kind kind;
	int64_t x;
	char q[128];

	*at = STORE_NONE;
	if (v == NULL)
		return 0;
	v = trim(v, &len);
	if (len == 0)
		return 0;
	if (civil_parse_instant_n(v, len, &x, &kind) < 0) {
		char tmp[128];

		snprintf(tmp, sizeof tmp, "%.*s", (int)(len < 100 ? len : 100), v);
		quote(q, sizeof q, tmp);
		*stop |= add_error(im, rec->line, "%s: bad instant '%s': expected ISO 8601 "
		    "such as 2026-12-24T15:00:00Z", import_columns[c], q);
		return -1;
	}
	if (kind == CIVIL_INSTANT_LOCAL) {
		if (ps == NULL || !ps->found)
			return -1;	/* the partner error is reported already */
		x = tz_local_to_utc(ps->sp->sched.tz, x);
	}
	if (x > im->o->now_at) {
		char iso[CIVIL_ISO_LEN];

		civil_format_utc(x, iso);
		*stop |= add_error(im, rec->line, "%s: %s is in the future",
		    import_columns[c], iso);
		return -1;
	}
	*at = x;
	return 0;
}

/* Reads one data record into a new row.  0 row added, 1 row rejected
 * (errors recorded), -1 fatal (d set). */
static int read_row(struct importer *im, const struct csv_record *rec, int *stop,
		    struct diag *d)
{
	struct row *row;
	struct store_ticket *t;
	struct partner_slot *ps = NULL;
	const char *v;
	size_t len;
	int bad = 0;
	char q[128];

	if (rec->nfields != im->ncols) {
		*stop |= add_error(im, rec->line, "%zu field%s, but the header has %zu",
		    rec->nfields, rec->nfields == 1 ? "" : "s", im->ncols);
		return 1;
	}
	if (im->nrows == im->rows_alloc) {
		size_t n = im->rows_alloc ? im->rows_alloc * 2 : 1024;
		struct row *nr = realloc(im->rows, n * sizeof *nr);

		if (nr == NULL)
			return diag_set(d, DIAG_NOMEM, "out of memory");
		im->rows = nr;
		im->rows_alloc = n;
	}
	row = &im->rows[im->nrows];
	memset(row, 0, sizeof *row);
	row->line = rec->line;
	t = &row->t;
	store_ticket_init(t);

	/* partner first: local instants are read in its zone */
	v = field(im, rec, COL_PARTNER, &len);
	v = trim(v, &len);
	if (len == 0) {
		*stop |= add_error(im, rec->line, "partner: missing");
		bad = 1;
	} else {
		char key[256];

		snprintf(key, sizeof key, "%.*s", (int)(len < 255 ? len : 255), v);
		if ((ps = partner_find(im, key, d)) == NULL)
			return -1;
		if (!ps->found) {
			*stop |= add_error(im, rec->line, "%s", ps->err);
			bad = 1;
		} else
			t->partner_id = ps->sp->partner.id;
	}

	v = field(im, rec, COL_SEVERITY, &len);
	v = trim(v, &len);
	{
		char sev[16];
		size_t i;

		for (i = 0; i < len && i < sizeof sev - 1; i++)
			sev[i] = (char)(v[i] >= 'A' && v[i] <= 'Z' ? v[i] - 'A' + 'a' : v[i]);
		sev[i] = '\0';
		if (len == 0) {
			*stop |= add_error(im, rec->line, "severity: missing");
			bad = 1;
		} else if (len >= sizeof sev || store_severity_parse(sev, &t->severity) < 0) {
			char tmp[64];

			snprintf(tmp, sizeof tmp, "%.*s", (int)(len < 60 ? len : 60), v);
			quote(q, sizeof q, tmp);
			*stop |= add_error(im, rec->line, "severity: '%s' is not one of "
			    "critical, high, medium, low", q);
			bad = 1;
		}
	}

	v = field(im, rec, COL_KEY, &len);
	if (len == 0) {
		*stop |= add_error(im, rec->line, "key: missing (rows are matched by key, so "
		    "importing the same file twice changes nothing)");
		bad = 1;
	}
	if (text_field(im, rec, COL_KEY, &t->key, stop) < 0 ||
	    text_field(im, rec, COL_SUMMARY, &t->summary, stop) < 0 ||
	    text_field(im, rec, COL_CUSTOMER, &t->customer, stop) < 0 ||
	    text_field(im, rec, COL_ASSIGNEE, &t->assignee, stop) < 0 ||
	    text_field(im, rec, COL_RESPONDED_BY, &t->responded_by, stop) < 0)
		bad = 1;
	if (!bad && t->summary == NULL) {
		*stop |= add_error(im, rec->line, "summary: must not be empty");
		bad = 1;
	}

	if (instant_field(im, rec, COL_CREATED, ps, &t->created_at, stop) < 0)
		bad = 1;
	else if (t->created_at == STORE_NONE) {
		*stop |= add_error(im, rec->line, "created: missing");
		bad = 1;
	}
	if (instant_field(im, rec, COL_FIRST_RESPONSE, ps, &t->first_response_at, stop) < 0 ||
	    instant_field(im, rec, COL_RESOLVED, ps, &t->resolved_at, stop) < 0)
		bad = 1;
	if (t->responded_by != NULL && t->first_response_at == STORE_NONE && !bad) {
		*stop |= add_error(im, rec->line, "responded_by: given without first_response");
		bad = 1;
	}

	if (!bad && ps != NULL && ps->found) {
		struct diag cd;

		diag_clear(&cd);
		if (sla_plan_ticket(ps->sp, t, NULL, 0, &cd) < 0) {
			*stop |= add_error(im, rec->line, "created: %s", cd.msg);
			bad = 1;
		}
	}
	if (bad) {
		store_ticket_release(t);
		return 1;
	}
	im->nrows++;
	return 0;
}

static int same_text(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return a == b;
	return strcmp(a, b) == 0;
}

static void diff_if(int cond, const char *name, int *n, struct buf *out)
{
	if (cond)
		buf_addf(out, "%s%s", (*n)++ ? ", " : "", name);
}

/* The fields in which the row differs from ticket `old` (an optional
 * field the row leaves empty is not compared when lenient), as
 * "severity, summary" in out; returns how many. */
static int differences(const struct store_ticket *row, const struct store_ticket *old,
		       int lenient, struct buf *out)
{
	int n = 0;

	diff_if(row->partner_id != old->partner_id, "partner", &n, out);
	diff_if(row->severity != old->severity, "severity", &n, out);
	diff_if(!same_text(row->summary, old->summary), "summary", &n, out);
	diff_if(!(lenient && row->customer == NULL) &&
	    !same_text(row->customer, old->customer), "customer", &n, out);
	diff_if(!(lenient && row->assignee == NULL) &&
	    !same_text(row->assignee, old->assignee), "assignee", &n, out);
	diff_if(row->created_at != old->created_at, "created", &n, out);
	diff_if(!(lenient && row->first_response_at == STORE_NONE) &&
	    row->first_response_at != old->first_response_at, "first_response", &n, out);
	diff_if(!(lenient && row->responded_by == NULL) &&
	    !same_text(row->responded_by, old->responded_by), "responded_by", &n, out);
	diff_if(!(lenient && row->resolved_at == STORE_NONE) &&
	    row->resolved_at != old->resolved_at, "resolved", &n, out);
	return n;
}

/* Open addressing on the keys of the rows: finds duplicates in the file. */
static uint64_t hash_key(const char *s)
{
	uint64_t h = 1469598103934665603u;

	while (*s)
		h = (h ^ (unsigned char)*s++) * 1099511628211u;
	return h;
}

static int check_duplicates(struct importer *im, int *stop, struct diag *d)
{
	size_t cap = 16;
	size_t *slot;

	while (cap < im->nrows * 2)
		cap *= 2;
	if ((slot = calloc(cap, sizeof *slot)) == NULL)
		return diag_set(d, DIAG_NOMEM, "out of memory");
	for (size_t i = 0; i < im->nrows && !*stop; i++) {
		struct row *row = &im->rows[i];
		size_t h = (size_t)hash_key(row->t.key) & (cap - 1);

		for (;; h = (h + 1) & (cap - 1)) {
			struct row *first;
			struct buf diff = BUF_INIT;
			char q[128];

			if (slot[h] == 0) {
				slot[h] = i + 1;
				break;
			}
			first = &im->rows[slot[h] - 1];
			if (strcmp(first->t.key, row->t.key) != 0)
				continue;
			if (differences(&row->t, &first->t, 0, &diff) == 0)
				row->skip = 1;
			else {
				row->skip = 2;
				quote(q, sizeof q, row->t.key);
				*stop |= add_error(im, row->line, "key '%s' is also on line %ld, "
				    "with a different %s", q, im->o->line_map != NULL &&
				    (size_t)first->line <= im->o->nline_map ?
				    im->o->line_map[first->line - 1] : first->line, buf_str(&diff));
			}
			buf_release(&diff);
			break;
		}
	}
	free(slot);
	return 0;
}

static const char *source_base(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash != NULL ? slash + 1 : path;
}

/* A row whose key is already in the database (found 1, old filled):
 * skipped when it says nothing new, else an error; import never changes
 * an existing ticket. */
static void existing_row(struct importer *im, const struct row *row,
			 const struct store_ticket *old, int *stop)
{
	struct buf diff = BUF_INIT;
	char q[128];

	if (differences(&row->t, old, 1, &diff) == 0)
		im->r->skipped++;
	else {
		quote(q, sizeof q, row->t.key);
		*stop |= add_error(im, row->line, "ticket '%s' (#%lld) already exists with a "
		    "different %s; import never changes an existing ticket", q,
		    (long long)old->id, buf_str(&diff));
	}
	buf_release(&diff);
}

/* Which rows' keys the database already holds, asked in batches where
 * the store prefers that (a server): 1 with (*present)[i] per row, 0
 * when each add checks its own key, -1 on error. */
static int keys_present(struct importer *im, unsigned char **present, struct diag *d)
{
	const char **keys;
	int rc;

	*present = NULL;
	if ((keys = calloc(im->nrows ? im->nrows : 1, sizeof *keys)) == NULL ||
	    (*present = calloc(im->nrows ? im->nrows : 1, 1)) == NULL) {
		free(keys);
		return diag_set(d, DIAG_NOMEM, "out of memory");
	}
	for (size_t i = 0; i < im->nrows; i++)
		keys[i] = im->rows[i].skip ? NULL : im->rows[i].t.key;
	rc = store_ticket_keys_present(im->s, keys, im->nrows, *present, d);
	free(keys);
	if (rc <= 0) {
		free(*present);
		*present = NULL;
	}
	return rc;
}

/* "FILE:LINE", the origin of row's audit event, appended to b. */
static void row_origin(const struct importer *im, const struct row *row, struct buf *b)
{
	buf_addf(b, "%s:%ld", source_base(im->o->source), im->o->line_map != NULL &&
	    (size_t)row->line <= im->o->nline_map ? im->o->line_map[row->line - 1] :
	    row->line);
}

/* Rows first.. added as one batch (store_ticket_add_batch) when the next
 * STORE_ADD_BATCH rows all are to be added: 1 done, 0 not (the caller
 * adds them one by one), -1 on failure. */
static int write_batch(struct importer *im, size_t first, struct buf *where, struct diag *d)
{
	struct store_ticket *t[STORE_ADD_BATCH];
	const char *origins[STORE_ADD_BATCH];
	size_t off[STORE_ADD_BATCH];
	int added;

	if (im->nrows - first < STORE_ADD_BATCH)
		return 0;
	buf_reset(where);
	for (size_t k = 0; k < STORE_ADD_BATCH; k++) {
		struct row *row = &im->rows[first + k];

		if (row->skip)
			return 0;
		t[k] = &row->t;
		off[k] = where->len;
		row_origin(im, row, where);
		buf_addc(where, '\0');
	}
	if (buf_failed(where))
		return diag_set(d, DIAG_NOMEM, "out of memory");
	for (size_t k = 0; k < STORE_ADD_BATCH; k++)
		origins[k] = where->data + off[k];
	if (store_ticket_add_batch(im->s, t, "ticket.import", origins, im->o->actor,
	    im->o->now_at, &added, d) < 0)
		return -1;
	if (!added)
		return 0;
	im->r->added += STORE_ADD_BATCH;
	for (size_t k = 0; k < STORE_ADD_BATCH; k++)
		store_ticket_release(t[k]);
	return 1;
}

/* The second pass, inside the transaction.  Each row is added straight
 * away: store_ticket_add_as refuses a key that is taken (DIAG_INPUT)
 * before it writes anything, so the key is looked up only when the add
 * is refused, not for every new ticket (most of an import).  A refused
 * row whose key is in the database is matched as before; any other
 * refusal is the row's problem.  On SQLite, rows go in batches
 * (write_batch): a batch that one row spoils is taken back whole and its
 * rows added one by one.  Where the store asks for keys in batches
 * (keys_present), a key found free is added without that check
 * (store_ticket_add_new). */
static int write_rows(struct importer *im, int *stop, struct diag *d)
{
	struct buf where = BUF_INIT;
	unsigned char *present;
	size_t single_until = 0;	/* rows before it go one by one */

	if (keys_present(im, &present, d) < 0)
		return -1;
	for (size_t i = 0; i < im->nrows && !*stop; i++) {
		struct row *row = &im->rows[i];
		struct store_ticket old;
		struct diag rd;
		int found, rc;

		if (row->skip) {
			im->r->skipped += row->skip == 1;
			continue;
		}
		/* where keys are not looked up first (SQLite), a batch at once;
		 * a batch refused goes one by one, to say which row and why */
		if (present == NULL && i >= single_until) {
			if ((rc = write_batch(im, i, &where, d)) < 0)
				goto fail;
			if (rc > 0) {
				i += STORE_ADD_BATCH - 1;
				continue;
			}
			single_until = i + STORE_ADD_BATCH;
		}
		diag_clear(&rd);
		buf_reset(&where);
		row_origin(im, row, &where);
		if ((present != NULL && !present[i] ? store_ticket_add_new :
		    store_ticket_add_as)(im->s, &row->t, "ticket.import", buf_str(&where),
		    im->o->actor, im->o->now_at, &rd) == 0) {
			im->r->added++;
			/* its strings are not needed again: SQLite's pages
			 * reuse the memory instead of faulting in more */
			store_ticket_release(&row->t);
			continue;
		}
		if (rd.code != DIAG_INPUT) {
			*d = rd;
			goto fail;
		}
		if ((found = store_ticket_find_key(im->s, row->t.key, &old, d)) < 0)
			goto fail;
		if (found) {
			existing_row(im, row, &old, stop);
			store_ticket_release(&old);
		} else
			*stop |= add_error(im, row->line, "%s", rd.msg);
	}
	buf_release(&where);
	free(present);
	return 0;
fail:
	buf_release(&where);
	free(present);
	return -1;
}

int import_csv(struct store *s, const char *data, size_t len,
	       const struct import_options *o, struct import_result *r, struct diag *d)
{
	struct importer im;
	struct csv_reader rd;
	struct csv_record rec;
	int rc, stop = 0, have_header = 0, result = -1, in_tx = 0;

	memset(&im, 0, sizeof im);
	im.s = s;
	im.o = o;
	im.r = r;
	im.max_errors = o->max_errors ? o->max_errors : IMPORT_MAX_ERRORS;
	if ((im.cache = sla_cache_new(s)) == NULL)
		return diag_set(d, DIAG_NOMEM, "out of memory");
	csv_reader_init(&rd, data, len);
	for (;;) {
		struct diag cd;

		diag_clear(&cd);
		rc = csv_read(&rd, &rec, &cd);
		if (rc == 0 || stop)
			break;
		if (rc < 0) {
			if (cd.code != DIAG_INPUT) {
				*d = cd;
				goto out;
			}
			stop |= add_error(&im, -rd.error_line, "%s", cd.msg);
			continue;
		}
		if (rec.nfields == 1 && rec.lens[0] == 0)
			continue;	/* a blank line */
		if (!have_header) {
			have_header = 1;
			if (header(&im, &rec) < 0)
				break;	/* rows cannot be read without their columns */
			continue;
		}
		r->rows++;
		if (read_row(&im, &rec, &stop, d) < 0)
			goto out;
	}
	if (!have_header && r->nerrors == 0)
		add_error(&im, 0, "no header line: the first line names the columns "
		    "(key, partner, severity, summary, created, ...)");
	if (!stop && have_header && check_duplicates(&im, &stop, d) < 0)
		goto out;
	if (!stop && have_header && im.nrows > 0) {
		if (store_batched(s, d) < 0 || store_begin(s, d) < 0)
			goto out;
		in_tx = 1;
		if (write_rows(&im, &stop, d) < 0)
			goto out;
	}
	if (r->nerrors > 0) {
		sort_errors(&im);
		diag_set(d, DIAG_INPUT, "%s%zu problem%s in %s: nothing imported",
		    r->truncated ? "at least " : "", r->nerrors, r->nerrors == 1 ? "" : "s",
		    o->source);
		goto out;
	}
	if (in_tx && !o->dry_run) {
		in_tx = 0;
		if (store_commit(s, d) < 0)
			goto out;
	}
	result = 0;
out:
	if (in_tx)
		store_rollback(s);
	if (result < 0 || o->dry_run) {
		if (result < 0)
			r->added = r->skipped = 0;
	}
	csv_reader_release(&rd);
	for (size_t i = 0; i < im.nrows; i++)
		store_ticket_release(&im.rows[i].t);
	free(im.rows);
	free(im.error_lines);
	partners_free(&im);
	return result;
}
