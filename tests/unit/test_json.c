/* test_json.c: the JSON string escaper shared by every JSON writer. */
#include <criterion/criterion.h>

#include "buf.h"
#include "json.h"

static void expect_json(const char *in, size_t max, const char *want)
{
	struct buf b = BUF_INIT;

	json_add_string_max(&b, in, max);
	cr_expect_str_eq(buf_str(&b), want, "input '%s' max %zu", in ? in : "(null)", max);
	buf_release(&b);
}

Test(json, escapes)
{
	expect_json(NULL, 0, "null");
	expect_json("", 0, "\"\"");
	expect_json("plain text", 0, "\"plain text\"");
	expect_json("say \"hi\" \\ bye", 0, "\"say \\\"hi\\\" \\\\ bye\"");
	expect_json("a\nb\rc\td", 0, "\"a\\nb\\rc\\td\"");
	expect_json("\x1b[2J\x7f", 0, "\"\\u001b[2J\\u007f\"");
	expect_json("\xc2\x9b" "x", 0, "\"\\u009bx\"");
	expect_json("line\xe2\x80\xa8sep", 0, "\"line\\u2028sep\"");
	expect_json("Fête 春节", 0, "\"Fête 春节\"");
	expect_json("bad\xff", 0, "\"bad\\ufffd\"");
}

Test(json, cut_to_a_length)
{
	expect_json("abcdef", 4, "\"abc\xe2\x80\xa6\"");
	expect_json("abc", 4, "\"abc\"");
	expect_json("abcd", 4, "\"abcd\"");
	expect_json("春节快乐", 3, "\"春节\xe2\x80\xa6\"");
}
