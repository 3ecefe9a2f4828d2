/* test_buf.c: the growable string. */
#include <criterion/criterion.h>

#include "buf.h"

Test(buf, cap_sets_sticky_failure)
{
	struct buf b = BUF_INIT;

	b.cap = 16;
	buf_adds(&b, "0123456789");
	cr_expect(!buf_failed(&b));
	buf_adds(&b, "0123456789");
	cr_expect(buf_failed(&b));
	buf_adds(&b, "x");
	cr_expect(buf_failed(&b));
	cr_expect_str_eq(buf_str(&b), "0123456789");
	buf_release(&b);
	buf_addf(&b, "%d-%s", 42, "x");
	cr_expect_str_eq(buf_str(&b), "42-x");
	buf_release(&b);
}

Test(buf, addl_joins_until_null)
{
	struct buf b = BUF_INIT;

	buf_addl(&b, NULL);
	cr_expect_str_eq(buf_str(&b), "");
	buf_addl(&b, "a", "", "bc", " ", "d", NULL);
	cr_expect_str_eq(buf_str(&b), "abc d");
	cr_expect_eq(b.len, 5);
	b.cap = 8;
	buf_addl(&b, "12", "345", NULL);
	cr_expect(buf_failed(&b), "the cap holds for joined strings too");
	buf_release(&b);
	/* the cap holds where the bytes would fit in what is allocated */
	buf_adds(&b, "0123456789");
	b.cap = 4;
	buf_addc(&b, 'x');
	cr_expect(buf_failed(&b));
	cr_expect_str_eq(buf_str(&b), "0123456789");
	buf_release(&b);
}
