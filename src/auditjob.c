/* auditjob.c: see auditjob.h. */
#define _GNU_SOURCE	/* gettid */
#include "auditjob.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "cores.h"

/* From this many events the chain is verified in two parts at once:
 * the second core is shared with the report's own work, and two parts
 * let the verification take whatever either core has left. */
#define AUDITJOB_SPLIT_FROM 65536

/* One part of the chain (store_audit_part), on a thread of its own
 * with its own read-only connection, or on the caller's at start. */
struct auditjob_part {
	struct auditjob *j;
	int64_t from_id, upto_id;
	pthread_t thread;
	int threaded;
	int rc;
	struct store_audit_part p;
	struct diag d;
};

struct auditjob {
	char *path;		/* where the threads open the store */
	struct store_audit_end end;	/* where the caller's snapshot ends */
	struct auditjob_part part[2];
	size_t nparts;
};

/* The verification is wanted only when the report ends, while the
 * report's own work is serial: at the lowest priority the parts take
 * what that work leaves of both cores, instead of a share of its own.
 * (On Linux a nice value is a thread's; elsewhere this may be the
 * process's, which only makes the whole report polite.) */
static void yield_to_the_report(void)
{
	(void)setpriority(PRIO_PROCESS, (id_t)gettid(), 19);
}

static void *part_run(void *arg)
{
	struct auditjob_part *x = arg;
	struct store *s;

	yield_to_the_report();
	if ((s = store_open_reader(x->j->path, &x->d)) == NULL) {
		x->rc = -1;
		return NULL;
	}
	x->rc = store_audit_verify_part(s, x->from_id, x->upto_id, &x->p, &x->d);
	store_close(s);
	return NULL;
}

/* Part x on a thread, or (no thread to be had) now on s. */
static void part_start(struct auditjob_part *x, struct store *s, int threads)
{
	diag_clear(&x->d);
	if (threads && pthread_create(&x->thread, NULL, part_run, x) == 0) {
		x->threaded = 1;
		return;
	}
	x->rc = store_audit_verify_part(s, x->from_id, x->upto_id, &x->p, &x->d);
}

struct auditjob *auditjob_start(struct store *s, struct diag *d)
{
	struct auditjob *j = calloc(1, sizeof *j);
	int threads;
	int64_t last;

	if (j == NULL) {
		diag_set(d, DIAG_NOMEM, "out of memory");
		return NULL;
	}
	if (store_audit_end(s, &j->end, d) < 0) {
		free(j);
		return NULL;
	}
	last = j->end.last_id;
	threads = last > 0 && cores_usable() > 1 && store_reopenable(s) &&
	    (j->path = strdup(store_open_spec(s))) != NULL;
	j->nparts = threads && last >= AUDITJOB_SPLIT_FROM ? 2 : 1;
	for (size_t i = 0; i < j->nparts; i++) {
		j->part[i].j = j;
		j->part[i].from_id = i == 0 ? 1 : last / 2 + 1;
		j->part[i].upto_id = j->nparts == 2 && i == 0 ? last / 2 : last;
		part_start(&j->part[i], s, threads);
	}
	return j;
}

int auditjob_finish(struct auditjob *j, struct store_audit_result *r, struct diag *d)
{
	int rc = 0;

	memset(r, 0, sizeof *r);
	for (size_t i = 0; i < j->nparts; i++) {
		struct auditjob_part *x = &j->part[i];

		if (x->threaded)
			pthread_join(x->thread, NULL);
		if (x->rc < 0 && rc == 0) {
			*d = x->d;
			rc = -1;
		}
		if (rc == 0)
			store_audit_join(r, &x->p);
	}
	free(j->path);
	/* the verified chain must end where the snapshot's does (the parts
	 * read on connections of their own); events deleted at the end
	 * leave a valid chain: the snapshot's witnesses of how far it went
	 * tell */
	if (rc == 0 && r->bad_id == 0 && strcmp(r->head_hash, j->end.last_hash) != 0) {
		r->bad_id = j->end.last_id;
		snprintf(r->problem, sizeof r->problem, "it changed or went missing "
		    "while the report was being made");
	}
	if (rc == 0)
		store_audit_check_end(&j->end, r);
	free(j);
	return rc;
}
