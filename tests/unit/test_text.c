/* test_text.c: untrusted text never reaches a terminal raw. */
#include <criterion/criterion.h>

#include "buf.h"
#include "text.h"

static void expect_safe(const char *in, unsigned flags, const char *want)
{
	struct buf b = BUF_INIT;

	text_add_safe(&b, in, flags);
	cr_expect_str_eq(buf_str(&b), want, "input %s", in);
	buf_release(&b);
}

Test(text, controls_are_inert)
{
	expect_safe("\x1b]0;pwned\a\x1b[2J", 0, "^[]0;pwned^G^[[2J");
	expect_safe("a\x7f" "b", 0, "a^?b");
	expect_safe("line1\r\nline2\tx", 0, "line1  line2 x");
	expect_safe("line1\r\nline2", TEXT_KEEP_NEWLINES, "line1\nline2");
	expect_safe("\xc2\x9b" "31m", 0, "<U+009B>31m");	/* C1 CSI */
}

Test(text, utf8_kept_and_invalid_replaced)
{
	expect_safe("Fête nationale 春节 🎉", 0, "Fête nationale 春节 🎉");
	expect_safe("bad\xff\xfe", 0, "bad\xef\xbf\xbd\xef\xbf\xbd");
	expect_safe("\xe6\x98", 0, "\xef\xbf\xbd\xef\xbf\xbd");		/* truncated */
	expect_safe("\xc0\xaf", 0, "\xef\xbf\xbd\xef\xbf\xbd");		/* overlong */
	expect_safe("\xed\xa0\x80", 0, "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd"); /* surrogate */
}

Test(text, plain_span_stops_at_anything_to_sanitise)
{
	cr_expect_eq(text_plain_span("abc def~", 8), 8);
	cr_expect_eq(text_plain_span("abc", 2), 2);		/* no further than len */
	cr_expect_eq(text_plain_span("ab\x1b[2J", 6), 2);
	cr_expect_eq(text_plain_span("ab\x7f", 3), 2);
	cr_expect_eq(text_plain_span("ab\tc", 4), 2);
	cr_expect_eq(text_plain_span("F\xc3\xaate", 5), 1);	/* UTF-8 is not plain */
	cr_expect_eq(text_plain_span("", 0), 0);
	/* the fast path and the slow one agree around a control */
	expect_safe("plain then \x1b then plain", 0, "plain then ^[ then plain");
	expect_safe("\x01", 0, "^A");
}

/* "Trojan Source": a right-to-left override in a summary would reorder
 * the rest of the line on a terminal that implements bidi; every
 * embedding, override, isolate and mark is shown by name instead. */
Test(text, bidi_controls_are_shown_by_name)
{
	expect_safe("pay \xe2\x80\xae" "gnp.exe", 0, "pay <U+202E>gnp.exe");	/* RLO */
	expect_safe("\xe2\x80\xaa\xe2\x80\xab\xe2\x80\xac\xe2\x80\xad", 0,
	    "<U+202A><U+202B><U+202C><U+202D>");
	expect_safe("\xe2\x81\xa6\xe2\x81\xa7\xe2\x81\xa8\xe2\x81\xa9", 0,
	    "<U+2066><U+2067><U+2068><U+2069>");			/* isolates */
	expect_safe("\xe2\x80\x8e\xe2\x80\x8f\xd8\x9c", 0, "<U+200E><U+200F><U+061C>");
	/* right-to-left letters themselves, and their neighbours, are kept */
	expect_safe("שלום مرحبا \xe2\x80\xa9\xe2\x80\x8d", 0,
	    "שלום مرحبا \xe2\x80\xa9\xe2\x80\x8d");		/* U+2029, ZWJ */
	cr_expect(text_is_bidi_control(0x202e));
	cr_expect(!text_is_bidi_control(0x2029));
	cr_expect(!text_is_bidi_control(0x2065));
	cr_expect(!text_is_bidi_control(0x206a));
	cr_expect(!text_is_bidi_control(0x05d0));	/* aleph */
}
