/* csv.h: RFC 4180 comma-separated values, read from memory and written
 * into a buf.
 *
 * The reader takes the whole text at once (an import reads its file into
 * memory) and hands back one record at a time:
 *   - fields are separated by ',' and records by CRLF or LF (a lone CR
 *     inside an unquoted field is kept as data);
 *   - a field that starts with '"' is quoted: it ends at the next '"' not
 *     doubled, and may hold commas, CR and LF; "" inside it is one '"';
 *   - a quote inside an unquoted field is kept as it is (lenient, as most
 *     spreadsheets write it); text after a closing quote other than ','
 *     or the end of the record is an error, and so is a quoted field
 *     with no closing quote;
 *   - a UTF-8 byte order mark at the very start is skipped;
 *   - a blank line is a record with one empty field (callers skip it);
 *   - the text after the last record's line break is no record.
 * Each record remembers the physical line (from 1) where it starts, so
 * messages can say FILE:LINE even when quoted fields span lines.
 *
 * Fields are returned NUL-terminated with their lengths (a field may
 * contain a NUL byte; compare strlen with the length to notice).  They
 * are borrowed from the reader and valid until the next csv_read.
 */
#ifndef SLATRACK_CSV_H
#define SLATRACK_CSV_H

#include <stddef.h>

#include "buf.h"
#include "diag.h"

struct csv_reader {
	const char *p, *end;	/* what is left to read */
	long line;		/* the physical line at p, from 1 */
	long error_line;	/* where the last malformed record started */
	char *text;		/* the current record's fields, NUL-separated */
	size_t text_len, text_alloc;
	size_t *offsets;	/* start of field i in text */
	size_t *lens;
	size_t nfields, fields_alloc;
	const char **fields;	/* pointers into text, rebuilt per record */
};

struct csv_record {
	const char *const *fields;	/* nfields NUL-terminated strings */
	const size_t *lens;
	size_t nfields;
	long line;			/* physical line where the record starts */
};

void csv_reader_init(struct csv_reader *r, const char *data, size_t len);
void csv_reader_release(struct csv_reader *r);
/* 1 with the next record in *rec, 0 at the end of the text, -1 on a
 * malformed record: DIAG_INPUT "LINE: reason" (callers prefix the file
 * name).  After an error the reader skips to the next line break, so
 * a caller collecting errors may continue. */
int csv_read(struct csv_reader *r, struct csv_record *rec, struct diag *d);

/* How a cell is written (csv_add_cell). */
enum csv_cell {
	/* The bytes as given: export, which import reads back exactly. */
	CSV_EXACT = 0,
	/* Text from outside (a summary, a key, a name) in a CSV written for
	 * people, who open it in a spreadsheet: a cell csv_is_formula calls
	 * a formula is written quoted with a leading "'" (OWASP "CSV
	 * Injection"), so "=HYPERLINK(...)" shows as text and runs nothing.
	 * Never for the program's own numbers: "-3600" stays a number. */
	CSV_PEOPLE = 1 << 0,
	/* Control and bidirectional formatting characters shown visibly,
	 * as text_add_safe does (text.h), line breaks inside a cell kept:
	 * for a terminal, and for the report, which shows outside text the
	 * same way in every format.  The formula test looks at the text as
	 * given, before this. */
	CSV_VISIBLE = 1 << 1
};

/* Whether a spreadsheet would read s as a formula: it starts with '=',
 * '+', '-', '@', TAB or CR. */
int csv_is_formula(const char *s);
/* Appends one field, quoted when it holds ',', '"', CR or LF (or starts
 * or ends with a blank, which some readers trim); `first` omits the
 * leading comma.  NULL is written as an empty field.  `how` is a set of
 * enum csv_cell. */
void csv_add_cell(struct buf *b, const char *s, int first, unsigned how);
/* csv_add_cell with CSV_EXACT. */
void csv_add_field(struct buf *b, const char *s, int first);
/* Ends a record with LF. */
void csv_end_record(struct buf *b);

#endif
