/* csv.c: RFC 4180 reader and writer; see csv.h. */
#include "csv.h"

#include <stdlib.h>
#include <string.h>

#include "text.h"

void csv_reader_init(struct csv_reader *r, const char *data, size_t len)
{
	memset(r, 0, sizeof *r);
	r->p = data;
	r->end = data + len;
	r->line = 1;
	if (len >= 3 && memcmp(data, "\xef\xbb\xbf", 3) == 0)
		r->p += 3;
}

void csv_reader_release(struct csv_reader *r)
{
	free(r->text);
	free(r->offsets);
	free(r->lens);
	free(r->fields);
	memset(r, 0, sizeof *r);
}

static int text_reserve(struct csv_reader *r, size_t more)
{
	size_t want;
	char *t;

	if (r->text_len + more <= r->text_alloc)
		return 0;
	want = r->text_alloc ? r->text_alloc : 256;
	while (want < r->text_len + more)
		want *= 2;
	if ((t = realloc(r->text, want)) == NULL)
		return -1;
	r->text = t;
	r->text_alloc = want;
	return 0;
}

static int text_add(struct csv_reader *r, const char *s, size_t n)
{
	if (n == 0)
		return 0;
	if (text_reserve(r, n) < 0)
		return -1;
	memcpy(r->text + r->text_len, s, n);
	r->text_len += n;
	return 0;
}

static int field_begin(struct csv_reader *r)
{
	if (r->nfields == r->fields_alloc) {
		size_t n = r->fields_alloc ? r->fields_alloc * 2 : 16;
		size_t *o = realloc(r->offsets, n * sizeof *o);
		size_t *l;
		const char **f;

		if (o == NULL)
			return -1;
		r->offsets = o;
		if ((l = realloc(r->lens, n * sizeof *l)) == NULL)
			return -1;
		r->lens = l;
		if ((f = realloc(r->fields, n * sizeof *f)) == NULL)
			return -1;
		r->fields = f;
		r->fields_alloc = n;
	}
	r->offsets[r->nfields] = r->text_len;
	return 0;
}

static int field_end(struct csv_reader *r)
{
	r->lens[r->nfields] = r->text_len - r->offsets[r->nfields];
	r->nfields++;
	return text_add(r, "", 1);
}

/* Skips past the next line break after an error. */
static void skip_line(struct csv_reader *r)
{
	const char *nl = memchr(r->p, '\n', (size_t)(r->end - r->p));

	if (nl == NULL)
		r->p = r->end;
	else {
		r->p = nl + 1;
		r->line++;
	}
}

enum field_end { END_FIELD, END_RECORD };

/* After a field: ',' continues the record, a line break or the end of
 * the text ends it.  Returns END_FIELD, END_RECORD or -1 (anything else). */
static int after_field(struct csv_reader *r)
{
	if (r->p >= r->end)
		return END_RECORD;
	if (*r->p == ',') {
		r->p++;
		return END_FIELD;
	}
	if (*r->p == '\n') {
		r->p++;
		r->line++;
		return END_RECORD;
	}
	if (*r->p == '\r' && (r->p + 1 == r->end || r->p[1] == '\n')) {
		r->p += r->p + 1 == r->end ? 1 : 2;
		r->line++;
		return END_RECORD;
	}
	return -1;
}

static int read_quoted(struct csv_reader *r, long start_line, struct diag *d)
{
	r->p++;		/* the opening quote */
	for (;;) {
		const char *q = memchr(r->p, '"', (size_t)(r->end - r->p));

		if (q == NULL) {
			r->p = r->end;
			r->error_line = start_line;
			return diag_set(d, DIAG_INPUT, "%ld: quoted field has no closing "
			    "quote", start_line);
		}
		for (const char *c = r->p; c < q; c++)
			if (*c == '\n')
				r->line++;
		if (text_add(r, r->p, (size_t)(q - r->p)) < 0)
			return diag_set(d, DIAG_NOMEM, "out of memory");
		r->p = q + 1;
		if (r->p < r->end && *r->p == '"') {
			if (text_add(r, "\"", 1) < 0)
				return diag_set(d, DIAG_NOMEM, "out of memory");
			r->p++;
			continue;
		}
		return 0;
	}
}

static void read_unquoted(struct csv_reader *r, struct diag *d, int *failed)
{
	const char *s = r->p;

	while (r->p < r->end && *r->p != ',' && *r->p != '\n' &&
	    !(*r->p == '\r' && (r->p + 1 == r->end || r->p[1] == '\n')))
		r->p++;
	if (text_add(r, s, (size_t)(r->p - s)) < 0)
		*failed = diag_set(d, DIAG_NOMEM, "out of memory");
}

int csv_read(struct csv_reader *r, struct csv_record *rec, struct diag *d)
{
	long start_line = r->line;
	int end;

	r->text_len = 0;
	r->nfields = 0;
	if (r->p >= r->end)
		return 0;
	do {
		int failed = 0;

		if (field_begin(r) < 0)
			return diag_set(d, DIAG_NOMEM, "out of memory");
		if (r->p < r->end && *r->p == '"') {
			if (read_quoted(r, start_line, d) < 0)
				return -1;
		} else
			read_unquoted(r, d, &failed);
		if (failed || field_end(r) < 0)
			return diag_set(d, DIAG_NOMEM, "out of memory");
		if ((end = after_field(r)) < 0) {
			long at = r->line;

			skip_line(r);
			r->error_line = at;
			return diag_set(d, DIAG_INPUT, "%ld: unexpected text after the closing "
			    "quote of field %zu (a quote inside a quoted field is written \"\")",
			    at, r->nfields);
		}
	} while (end == END_FIELD);
	for (size_t i = 0; i < r->nfields; i++)
		r->fields[i] = r->text + r->offsets[i];
	rec->fields = r->fields;
	rec->lens = r->lens;
	rec->nfields = r->nfields;
	rec->line = start_line;
	return 1;
}

int csv_is_formula(const char *s)
{
	return s != NULL && s[0] != '\0' && strchr("=+-@\t\r", s[0]) != NULL;
}

static int needs_quotes(const char *s, size_t n)
{
	return strpbrk(s, ",\"\r\n") != NULL ||
	    (n > 0 && (s[0] == ' ' || s[0] == '\t' || s[n - 1] == ' ' || s[n - 1] == '\t'));
}

/* '"' prefix s '"', with every quote in s doubled. */
static void add_quoted(struct buf *b, const char *prefix, const char *s)
{
	buf_addc(b, '"');
	buf_adds(b, prefix);
	for (const char *q; (q = strchr(s, '"')) != NULL; s = q + 1) {
		buf_add(b, s, (size_t)(q - s) + 1);
		buf_addc(b, '"');
	}
	buf_adds(b, s);
	buf_addc(b, '"');
}

void csv_add_cell(struct buf *b, const char *s, int first, unsigned how)
{
	struct buf shown = BUF_INIT;
	int formula;
	size_t n;

	if (!first)
		buf_addc(b, ',');
	if (s == NULL)
		return;
	formula = (how & CSV_PEOPLE) && csv_is_formula(s);	/* before TAB, CR change */
	if (how & CSV_VISIBLE) {
		text_add_safe(&shown, s, TEXT_KEEP_NEWLINES);
		if (buf_failed(&shown))
			b->failed = 1;
		s = buf_str(&shown);
	}
	n = strlen(s);
	if (formula)
		add_quoted(b, "'", s);
	else if (needs_quotes(s, n))
		add_quoted(b, "", s);
	else
		buf_add(b, s, n);
	buf_release(&shown);
}

void csv_add_field(struct buf *b, const char *s, int first)
{
	csv_add_cell(b, s, first, CSV_EXACT);
}

void csv_end_record(struct buf *b)
{
	buf_addc(b, '\n');
}
