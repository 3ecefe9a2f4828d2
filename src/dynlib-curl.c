/* dynlib-curl.c: the libcurl functions slatrack calls, under their own
 * names, forwarded to libcurl loaded at first use (see dynlib.h).  To call
 * a libcurl function not listed here, add it to CURL_FUNCS. */
#define CURL_DISABLE_TYPECHECK	/* its macros would rename the definitions */
#include "dynlib.h"

#include <stdarg.h>

#include <curl/curl.h>

/* X(return type, name, parameters, arguments) */
#define CURL_FUNCS(X) \
	X(CURL *, curl_easy_init, (void), ()) \
	X(CURLcode, curl_easy_perform, (CURL *h), (h)) \
	X(const char *, curl_easy_strerror, (CURLcode c), (c)) \
	X(struct curl_slist *, curl_slist_append, (struct curl_slist *l, const char *s), (l, s)) \
	X(CURLU *, curl_url, (void), ()) \
	X(CURLUcode, curl_url_get, (CURLU *u, CURLUPart what, char **part, unsigned int flags), \
	    (u, what, part, flags)) \
	X(CURLUcode, curl_url_set, (CURLU *u, CURLUPart what, const char *part, unsigned int flags), \
	    (u, what, part, flags))
#define CURL_VOID_FUNCS(X) \
	X(void, curl_easy_cleanup, (CURL *h), (h)) \
	X(void, curl_easy_reset, (CURL *h), (h)) \
	X(void, curl_free, (void *p), (p)) \
	X(void, curl_slist_free_all, (struct curl_slist *l), (l)) \
	X(void, curl_url_cleanup, (CURLU *u), (u))
#define CURL_VARIADIC(X) \
	X(CURLcode, curl_easy_setopt, (CURL *h, CURLoption option, ...), ()) \
	X(CURLcode, curl_easy_getinfo, (CURL *h, CURLINFO info, ...), ())

enum {
	CURL_FUNCS(DYNLIB_INDEX) CURL_VOID_FUNCS(DYNLIB_INDEX) CURL_VARIADIC(DYNLIB_INDEX)
	dl_curl_count
};
static const char *const curl_names[] = {
	CURL_FUNCS(DYNLIB_NAME) CURL_VOID_FUNCS(DYNLIB_NAME) CURL_VARIADIC(DYNLIB_NAME)
};
static void *curl_fns[dl_curl_count];
static struct dynlib curl_lib = {
	"libcurl.so.4", "libcurl4", curl_names, curl_fns, dl_curl_count, 0, ""
};

int dynlib_curl_need(struct diag *d)
{
	return dynlib_need(&curl_lib, d);
}

#define DYNLIB_THIS(name) DYNLIB_RESOLVED(curl_lib, curl_fns, name)
CURL_FUNCS(DYNLIB_FORWARD)
CURL_VOID_FUNCS(DYNLIB_FORWARD_VOID)

/* An option's number says the type of its argument (curl.h, CURLOPTTYPE_*):
 * a va_list cannot be passed on, so the one argument is read and passed. */
CURLcode curl_easy_setopt(CURL *h, CURLoption option, ...)
{
	CURLcode (*real)(CURL *, CURLoption, ...) = DYNLIB_THIS(curl_easy_setopt);
	CURLcode rc;
	va_list ap;

	va_start(ap, option);
	if (option < CURLOPTTYPE_OBJECTPOINT)
		rc = real(h, option, va_arg(ap, long));
	else if (option < CURLOPTTYPE_FUNCTIONPOINT)
		rc = real(h, option, va_arg(ap, void *));
	else if (option < CURLOPTTYPE_OFF_T)
		rc = real(h, option, va_arg(ap, void (*)(void)));
	else if (option < CURLOPTTYPE_BLOB)
		rc = real(h, option, va_arg(ap, curl_off_t));
	else
		rc = real(h, option, va_arg(ap, void *));
	va_end(ap);
	return rc;
}

/* Every info is written through a pointer. */
CURLcode curl_easy_getinfo(CURL *h, CURLINFO info, ...)
{
	CURLcode (*real)(CURL *, CURLINFO, ...) = DYNLIB_THIS(curl_easy_getinfo);
	CURLcode rc;
	va_list ap;

	va_start(ap, info);
	rc = real(h, info, va_arg(ap, void *));
	va_end(ap);
	return rc;
}
