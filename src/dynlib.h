/* dynlib.h: shared libraries loaded at first use instead of at start-up.
 *
 * Most commands never send mail, call a web API or reach PostgreSQL, yet
 * linking libcurl and libpq makes every run load them and the thirty-odd
 * libraries they pull in (TLS, Kerberos, LDAP, HTTP/2...): they made a
 * `slatrack --version` take 24 ms instead of 9, paid again by every
 * `ticket list` a person waits for.  So the binary links neither;
 * dynlib-curl.c and dynlib-pq.c define the functions slatrack calls under
 * the libraries' own names, and each forwards to the real one, found with
 * dlopen() the first time any is called.
 *
 * A module that uses one of them asks dynlib_curl_need() or
 * dynlib_pq_need() before its first call, so a machine without the
 * library gets a clear error instead of a crash.  A forwarder reached
 * without that check aborts with the loader's message (a bug, not a
 * user error). */
#ifndef SLATRACK_DYNLIB_H
#define SLATRACK_DYNLIB_H

#include <stdatomic.h>
#include <stddef.h>

#include "diag.h"

struct dynlib {
	const char *soname;		/* e.g. "libcurl.so.4" */
	const char *package;		/* the Debian package that ships it */
	const char *const *names;	/* symbols, in the order of fns */
	void **fns;			/* filled by dynlib_open */
	size_t n;
	atomic_int state;		/* 0 not tried, 1 loaded, -1 failed */
	char error[256];		/* why the load failed */
};

/* Loads lib and resolves every symbol, once per process (thread-safe;
 * after the first call, one atomic load).  Returns 0, or -1 with
 * lib->error saying why. */
int dynlib_open(struct dynlib *lib);

/* dynlib_open, turning a failure into DIAG_NET on d naming the package
 * to install. */
int dynlib_need(struct dynlib *lib, struct diag *d);

/* Resolves lib or aborts the process with the loader's message: for the
 * forwarders, whose callers have already asked dynlib_need. */
void dynlib_require(struct dynlib *lib);

/* For the forwarding files (dynlib-curl.c, dynlib-pq.c), over an X-macro
 * list of X(return type, name, parameters, arguments): the index of each
 * function in the table (dl_NAME), its name, and its definition, which
 * calls DYNLIB_THIS(name), the real function as the file defines it
 * (DYNLIB_RESOLVED of its struct dynlib and table). */
#define DYNLIB_INDEX(ret, name, params, args) dl_##name,
#define DYNLIB_NAME(ret, name, params, args) #name,
#define DYNLIB_FORWARD(ret, name, params, args) \
	ret name params { return DYNLIB_THIS(name) args; }
#define DYNLIB_FORWARD_VOID(ret, name, params, args) \
	ret name params { DYNLIB_THIS(name) args; }
#define DYNLIB_RESOLVED(lib, fns, name) \
	(dynlib_require(&(lib)), (__typeof__(&name))(fns)[dl_##name])

/* Before the first libcurl (or libpq) call of a code path. */
int dynlib_curl_need(struct diag *d);
int dynlib_pq_need(struct diag *d);

#endif
