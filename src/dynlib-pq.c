/* dynlib-pq.c: the libpq functions slatrack calls, under their own names,
 * forwarded to libpq loaded at first use (see dynlib.h).  To call a libpq
 * function not listed here, add it to PQ_FUNCS. */
#include "dynlib.h"

#include <libpq-fe.h>

/* X(return type, name, parameters, arguments) */
#define PQ_FUNCS(X) \
	X(PGconn *, PQconnectdb, (const char *conninfo), (conninfo)) \
	X(ConnStatusType, PQstatus, (const PGconn *c), (c)) \
	X(PGTransactionStatusType, PQtransactionStatus, (const PGconn *c), (c)) \
	X(char *, PQerrorMessage, (const PGconn *c), (c)) \
	X(int, PQsocket, (const PGconn *c), (c)) \
	X(PGresult *, PQexec, (PGconn *c, const char *q), (c, q)) \
	X(PGresult *, PQexecParams, (PGconn *c, const char *q, int n, const Oid *types, \
	    const char *const *values, const int *lengths, const int *formats, int rformat), \
	    (c, q, n, types, values, lengths, formats, rformat)) \
	X(PGresult *, PQprepare, (PGconn *c, const char *name, const char *q, int n, \
	    const Oid *types), (c, name, q, n, types)) \
	X(int, PQsendQueryParams, (PGconn *c, const char *q, int n, const Oid *types, \
	    const char *const *values, const int *lengths, const int *formats, int rformat), \
	    (c, q, n, types, values, lengths, formats, rformat)) \
	X(int, PQsendQueryPrepared, (PGconn *c, const char *name, int n, \
	    const char *const *values, const int *lengths, const int *formats, int rformat), \
	    (c, name, n, values, lengths, formats, rformat)) \
	X(int, PQsetSingleRowMode, (PGconn *c), (c)) \
	X(PGresult *, PQgetResult, (PGconn *c), (c)) \
	X(int, PQconsumeInput, (PGconn *c), (c)) \
	X(int, PQenterPipelineMode, (PGconn *c), (c)) \
	X(int, PQexitPipelineMode, (PGconn *c), (c)) \
	X(int, PQpipelineSync, (PGconn *c), (c)) \
	X(PGnotify *, PQnotifies, (PGconn *c), (c)) \
	X(ExecStatusType, PQresultStatus, (const PGresult *r), (r)) \
	X(char *, PQresultErrorMessage, (const PGresult *r), (r)) \
	X(char *, PQresultErrorField, (const PGresult *r, int code), (r, code)) \
	X(int, PQntuples, (const PGresult *r), (r)) \
	X(int, PQnfields, (const PGresult *r), (r)) \
	X(char *, PQfname, (const PGresult *r, int f), (r, f)) \
	X(Oid, PQftype, (const PGresult *r, int f), (r, f)) \
	X(char *, PQcmdStatus, (PGresult *r), (r)) \
	X(char *, PQcmdTuples, (PGresult *r), (r)) \
	X(char *, PQgetvalue, (const PGresult *r, int t, int f), (r, t, f)) \
	X(int, PQgetlength, (const PGresult *r, int t, int f), (r, t, f)) \
	X(int, PQgetisnull, (const PGresult *r, int t, int f), (r, t, f)) \
	X(unsigned char *, PQunescapeBytea, (const unsigned char *s, size_t *len), (s, len))
#define PQ_VOID_FUNCS(X) \
	X(void, PQfinish, (PGconn *c), (c)) \
	X(void, PQclear, (PGresult *r), (r)) \
	X(void, PQfreemem, (void *p), (p))

enum { PQ_FUNCS(DYNLIB_INDEX) PQ_VOID_FUNCS(DYNLIB_INDEX) dl_pq_count };
static const char *const pq_names[] = { PQ_FUNCS(DYNLIB_NAME) PQ_VOID_FUNCS(DYNLIB_NAME) };
static void *pq_fns[dl_pq_count];
static struct dynlib pq_lib = {
	"libpq.so.5", "libpq5", pq_names, pq_fns, dl_pq_count, 0, ""
};

int dynlib_pq_need(struct diag *d)
{
	return dynlib_need(&pq_lib, d);
}

#define DYNLIB_THIS(name) DYNLIB_RESOLVED(pq_lib, pq_fns, name)
PQ_FUNCS(DYNLIB_FORWARD)
PQ_VOID_FUNCS(DYNLIB_FORWARD_VOID)
