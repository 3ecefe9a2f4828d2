/* test_csv.c: the RFC 4180 reader (quoting, line breaks, BOM, line
 * numbers, errors) and the writer (quoting only when needed, round trip). */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "csv.h"

/* Reads all of text; each record becomes "LINE:f1|f2|...\n" in out. */
static int read_all(const char *text, size_t len, struct buf *out, struct diag *d)
{
	struct csv_reader r;
	struct csv_record rec;
	int rc;

	csv_reader_init(&r, text, len);
	while ((rc = csv_read(&r, &rec, d)) == 1) {
		buf_addf(out, "%ld:", rec.line);
		for (size_t i = 0; i < rec.nfields; i++) {
			if (i > 0)
				buf_addc(out, '|');
			buf_add(out, rec.fields[i], rec.lens[i]);
		}
		buf_addc(out, '\n');
	}
	csv_reader_release(&r);
	return rc;
}

static const struct {
	const char *name, *in, *want;
} cases[] = {
	{ "plain LF", "a,b,c\n1,2,3\n", "1:a|b|c\n2:1|2|3\n" },
	{ "CRLF", "a,b\r\n1,2\r\n", "1:a|b\n2:1|2\n" },
	{ "no final line break", "a,b\n1,2", "1:a|b\n2:1|2\n" },
	{ "final CR only", "a,b\r", "1:a|b\n" },
	{ "empty fields", ",,\n", "1:||\n" },
	{ "blank line is one empty field", "a\n\nb\n", "1:a\n2:\n3:b\n" },
	{ "quoted comma", "\"a,b\",c\n", "1:a,b|c\n" },
	{ "doubled quote", "\"say \"\"hi\"\"\",x\n", "1:say \"hi\"|x\n" },
	{ "only a doubled quote", "\"\"\"\"\n", "1:\"\n" },
	{ "empty quoted", "\"\",x\n", "1:|x\n" },
	{ "embedded LF moves the line", "\"l1\nl2\",x\ny,z\n", "1:l1\nl2|x\n3:y|z\n" },
	{ "embedded CRLF kept", "\"l1\r\nl2\"\r\nnext\r\n", "1:l1\r\nl2\n3:next\n" },
	{ "quoted last field, no break", "a,\"b\"", "1:a|b\n" },
	{ "lone CR inside unquoted is data", "a\rb,c\n", "1:a\rb|c\n" },
	{ "quote inside unquoted kept", "5\" screen,x\n", "1:5\" screen|x\n" },
	{ "UTF-8 BOM skipped", "\xef\xbb\xbfkey,x\n", "1:key|x\n" },
	{ "BOM only at start", "a\n\xef\xbb\xbf" "b\n", "1:a\n2:\xef\xbb\xbf" "b\n" },
	{ "UTF-8 text", "Grüße,日本\n", "1:Grüße|日本\n" },
	{ "trailing comma", "a,\n", "1:a|\n" },
	{ "empty input", "", "" },
};

Test(csv, reads_rfc4180)
{
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct buf out = BUF_INIT;
		struct diag d;

		diag_clear(&d);
		cr_expect_eq(read_all(cases[i].in, strlen(cases[i].in), &out, &d), 0,
		    "%s: %s", cases[i].name, d.msg);
		cr_expect_str_eq(buf_str(&out), cases[i].want, "%s", cases[i].name);
		buf_release(&out);
	}
}

Test(csv, nul_byte_is_kept_with_its_length)
{
	static const char in[] = "a\0b,c\n";
	struct csv_reader r;
	struct csv_record rec;
	struct diag d;

	csv_reader_init(&r, in, sizeof in - 1);
	cr_assert_eq(csv_read(&r, &rec, &d), 1);
	cr_expect_eq(rec.lens[0], 3);
	cr_expect_eq(strlen(rec.fields[0]), 1);
	csv_reader_release(&r);
}

Test(csv, unterminated_quote_names_the_start_line)
{
	static const char in[] = "a,b\nx,\"never\nclosed\n";
	struct buf out = BUF_INIT;
	struct diag d;

	diag_clear(&d);
	cr_expect_eq(read_all(in, strlen(in), &out, &d), -1);
	cr_expect_eq(d.code, DIAG_INPUT);
	cr_expect_str_eq(d.msg, "2: quoted field has no closing quote");
	buf_release(&out);
}

Test(csv, text_after_closing_quote_is_an_error_and_reading_goes_on)
{
	static const char in[] = "a,b\n\"x\"y,z\nc,d\n";
	struct csv_reader r;
	struct csv_record rec;
	struct diag d;

	csv_reader_init(&r, in, strlen(in));
	cr_assert_eq(csv_read(&r, &rec, &d), 1);
	cr_assert_eq(csv_read(&r, &rec, &d), -1);
	cr_expect(strncmp(d.msg, "2: unexpected text after the closing quote", 42) == 0, "%s", d.msg);
	cr_assert_eq(csv_read(&r, &rec, &d), 1);
	cr_expect_eq(rec.line, 3);
	cr_expect_str_eq(rec.fields[0], "c");
	cr_expect_eq(csv_read(&r, &rec, &d), 0);
	csv_reader_release(&r);
}

Test(csv, many_fields_and_long_fields)
{
	struct buf in = BUF_INIT, out = BUF_INIT;
	struct csv_reader r;
	struct csv_record rec;
	struct diag d;

	for (int i = 0; i < 1000; i++)
		buf_addf(&in, "%sf%d", i ? "," : "", i);
	buf_addc(&in, '\n');
	buf_addc(&in, '"');
	for (int i = 0; i < 100000; i++)
		buf_addc(&in, (char)('a' + i % 26));
	buf_adds(&in, "\"\n");
	csv_reader_init(&r, buf_str(&in), in.len);
	cr_assert_eq(csv_read(&r, &rec, &d), 1);
	cr_expect_eq(rec.nfields, 1000);
	cr_expect_str_eq(rec.fields[999], "f999");
	cr_assert_eq(csv_read(&r, &rec, &d), 1);
	cr_expect_eq(rec.lens[0], 100000);
	cr_expect_eq(csv_read(&r, &rec, &d), 0);
	csv_reader_release(&r);
	buf_release(&in);
	buf_release(&out);
}

Test(csv, writer_quotes_only_when_needed)
{
	struct buf b = BUF_INIT;

	csv_add_field(&b, "plain", 1);
	csv_add_field(&b, "a,b", 0);
	csv_add_field(&b, "say \"hi\"", 0);
	csv_add_field(&b, "two\nlines", 0);
	csv_add_field(&b, NULL, 0);
	csv_add_field(&b, " padded", 0);
	csv_add_field(&b, "", 0);
	csv_end_record(&b);
	cr_expect_str_eq(buf_str(&b),
	    "plain,\"a,b\",\"say \"\"hi\"\"\",\"two\nlines\",,\" padded\",\n");
	buf_release(&b);
}

Test(csv, writer_output_reads_back_the_same)
{
	static const char *const fields[] = {
		"", ",", "\"", "\"\"", "a\r\nb", "\n", " x ", "Grüße \"quoted\", with, commas",
		"tab\there", "\xef\xbb\xbf" "bom-like", "last",
	};
	size_t n = sizeof fields / sizeof fields[0];
	struct buf b = BUF_INIT;
	struct csv_reader r;
	struct csv_record rec;
	struct diag d;

	for (size_t i = 0; i < n; i++)
		csv_add_field(&b, fields[i], i == 0);
	csv_end_record(&b);
	csv_add_field(&b, "second", 1);
	csv_end_record(&b);
	csv_reader_init(&r, buf_str(&b), b.len);
	cr_assert_eq(csv_read(&r, &rec, &d), 1, "%s", d.msg);
	cr_assert_eq(rec.nfields, n);
	for (size_t i = 0; i < n; i++)
		cr_expect_str_eq(rec.fields[i], fields[i], "field %zu", i);
	cr_assert_eq(csv_read(&r, &rec, &d), 1);
	cr_expect_eq(rec.line, 4);	/* two line breaks inside record 1 */
	cr_expect_str_eq(rec.fields[0], "second");
	csv_reader_release(&r);
	buf_release(&b);
}

/* One cell written with `how`, without the leading comma. */
static const char *cell(struct buf *b, const char *s, unsigned how)
{
	buf_reset(b);
	csv_add_cell(b, s, 1, how);
	return buf_str(b);
}

/* OWASP "CSV Injection": in a CSV for people, text from outside that a
 * spreadsheet would read as a formula gets a leading "'" and quotes. */
Test(csv, cells_for_people_never_start_a_formula)
{
	struct buf b = BUF_INIT;

	cr_expect_str_eq(cell(&b, "=HYPERLINK(\"http://x.test\",\"go\")", CSV_PEOPLE),
	    "\"'=HYPERLINK(\"\"http://x.test\"\",\"\"go\"\")\"");
	cr_expect_str_eq(cell(&b, "+1", CSV_PEOPLE), "\"'+1\"");
	cr_expect_str_eq(cell(&b, "-2+3", CSV_PEOPLE), "\"'-2+3\"");
	cr_expect_str_eq(cell(&b, "@SUM(A1:A9)", CSV_PEOPLE), "\"'@SUM(A1:A9)\"");
	cr_expect_str_eq(cell(&b, "\t=1+1", CSV_PEOPLE), "\"'\t=1+1\"");
	cr_expect_str_eq(cell(&b, "\r=1+1", CSV_PEOPLE), "\"'\r=1+1\"");
	/* only the first character counts; the rest is text as usual */
	cr_expect_str_eq(cell(&b, "a=b-c", CSV_PEOPLE), "a=b-c");
	cr_expect_str_eq(cell(&b, "say \"=1\"", CSV_PEOPLE), "\"say \"\"=1\"\"\"");
	cr_expect_str_eq(cell(&b, "", CSV_PEOPLE), "");
	/* exact cells (export, the program's own numbers) stay as they are */
	cr_expect_str_eq(cell(&b, "=1+1", CSV_EXACT), "=1+1");
	cr_expect_str_eq(cell(&b, "-3600", CSV_EXACT), "-3600");
	cr_expect(csv_is_formula("=x") && csv_is_formula("+") && csv_is_formula("-1") &&
	    csv_is_formula("@a") && csv_is_formula("\tx") && csv_is_formula("\rx"));
	cr_expect(!csv_is_formula("x=") && !csv_is_formula("") && !csv_is_formula(NULL) &&
	    !csv_is_formula(" =1") && !csv_is_formula("'=1"));
	buf_release(&b);
}

/* Visible cells (a terminal, the report): controls and bidi formatting
 * shown by name, line breaks kept; the formula test sees the text as
 * given, so a leading TAB still counts although it is shown as a blank. */
Test(csv, visible_cells_hold_no_raw_control)
{
	struct buf b = BUF_INIT;

	cr_expect_str_eq(cell(&b, "a\x1b]0;t\a", CSV_VISIBLE), "a^[]0;t^G");
	cr_expect_str_eq(cell(&b, "x\xe2\x80\xaey", CSV_VISIBLE), "x<U+202E>y");
	cr_expect_str_eq(cell(&b, "one\r\ntwo", CSV_VISIBLE), "\"one\ntwo\"");
	cr_expect_str_eq(cell(&b, "\t=1", CSV_VISIBLE | CSV_PEOPLE), "\"' =1\"");
	cr_expect_str_eq(cell(&b, "=\x1b[2J", CSV_VISIBLE | CSV_PEOPLE), "\"'=^[[2J\"");
	/* exact: the bytes as stored, quoted where RFC 4180 needs it */
	cr_expect_str_eq(cell(&b, "a\x1b" "b", CSV_EXACT), "a\x1b" "b");
	buf_release(&b);
}

/* Export writes exact cells: a formula-like text reads back the same. */
Test(csv, exact_cells_read_back_byte_for_byte)
{
	static const char *const fields[] = {
		"=HYPERLINK(\"http://x.test\",\"go\")", "+1", "-2+3", "@SUM(A1)", "\t=tab",
		"\r=cr", "\x1b[31mred\a", "\xe2\x80\xae" "rlo", "'=already quoted",
	};
	size_t n = sizeof fields / sizeof fields[0];
	struct buf b = BUF_INIT;
	struct csv_reader r;
	struct csv_record rec;
	struct diag d;

	for (size_t i = 0; i < n; i++)
		csv_add_cell(&b, fields[i], i == 0, CSV_EXACT);
	csv_end_record(&b);
	csv_reader_init(&r, buf_str(&b), b.len);
	cr_assert_eq(csv_read(&r, &rec, &d), 1, "%s", d.msg);
	cr_assert_eq(rec.nfields, n);
	for (size_t i = 0; i < n; i++)
		cr_expect_str_eq(rec.fields[i], fields[i], "field %zu", i);
	csv_reader_release(&r);
	buf_release(&b);
}
