/* diag.c: failure values; see diag.h. */
#include "diag.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void diag_clear(struct diag *d)
{
	d->code = DIAG_OK;
	d->msg[0] = '\0';
}

int diag_set(struct diag *d, enum diag_code code, const char *fmt, ...)
{
	va_list ap;

	if (d == NULL)
		return -1;
	d->code = code;
	va_start(ap, fmt);
	vsnprintf(d->msg, sizeof d->msg, fmt, ap);
	va_end(ap);
	return -1;
}

void diag_prefix(struct diag *d, const char *fmt, ...)
{
	char prefix[DIAG_MSG_LEN];
	size_t n, old;
	va_list ap;

	if (d == NULL)
		return;
	va_start(ap, fmt);
	vsnprintf(prefix, sizeof prefix, fmt, ap);
	va_end(ap);
	n = strlen(prefix);
	if (n + 3 >= sizeof d->msg)
		return;
	old = strlen(d->msg);
	if (old > sizeof d->msg - n - 3)
		old = sizeof d->msg - n - 3;
	memmove(d->msg + n + 2, d->msg, old);
	d->msg[n + 2 + old] = '\0';
	memcpy(d->msg, prefix, n);
	d->msg[n] = ':';
	d->msg[n + 1] = ' ';
}

int diag_exit_status(enum diag_code code)
{
	switch (code) {
	case DIAG_OK:
		return 0;
	case DIAG_FINDING:
		return 1;
	case DIAG_USAGE:
		return 2;
	case DIAG_INPUT:
		return 3;
	case DIAG_STORE:
	case DIAG_NET:
	case DIAG_NOMEM:
		break;
	}
	return 4;
}
