/* test_dynlib.c: loading a library at first use (dynlib.h) with real
 * files: libm found and its symbols resolved, a missing library and a
 * missing symbol each a DIAG_NET naming what to install, once and for all. */
#include <criterion/criterion.h>
#include <string.h>

#include "dynlib.h"

static const char *const libm_names[] = { "cos", "sqrt" };

Test(dynlib, resolves_every_symbol_of_a_real_library)
{
	void *fns[2] = { NULL, NULL };
	struct dynlib lib = { "libm.so.6", "libc6", libm_names, fns, 2, 0, "" };
	struct diag d;
	double (*real_sqrt)(double);

	diag_clear(&d);
	cr_assert_eq(dynlib_need(&lib, &d), 0, "%s", lib.error);
	cr_assert_not_null(fns[0]);
	real_sqrt = (double (*)(double))fns[1];
	cr_expect(real_sqrt(81.0) == 9.0);
	cr_expect_eq(dynlib_open(&lib), 0, "a second call is the first's answer");
}

Test(dynlib, a_missing_library_names_the_package)
{
	void *fns[2];
	struct dynlib lib = { "libslatrack-absent.so.9", "libslatrack-absent9", libm_names,
			      fns, 2, 0, "" };
	struct diag d;

	diag_clear(&d);
	cr_assert_eq(dynlib_need(&lib, &d), -1);
	cr_expect_eq(d.code, DIAG_NET);
	cr_expect(strstr(d.msg, "cannot load libslatrack-absent.so.9 (") == d.msg, "%s", d.msg);
	cr_expect(strstr(d.msg, "install the libslatrack-absent9 package") != NULL, "%s", d.msg);
	cr_expect_eq(dynlib_open(&lib), -1, "the failure is remembered");
}

Test(dynlib, a_missing_symbol_fails_the_whole_library)
{
	static const char *const names[] = { "cos", "slatrack_no_such_function" };
	void *fns[2];
	struct dynlib lib = { "libm.so.6", "libc6", names, fns, 2, 0, "" };
	struct diag d;

	diag_clear(&d);
	cr_assert_eq(dynlib_need(&lib, &d), -1);
	cr_expect(strstr(d.msg, "has no symbol 'slatrack_no_such_function'") != NULL, "%s", d.msg);
}
