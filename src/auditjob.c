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

/* One part of the chain (store_audit_part): AUDITJOB_PART events, or
 * the whole chain when it is verified on the caller's connection. */
struct auditjob_part {
	int64_t from_id, upto_id;
	int done;			/* verified (else a worker failed first) */
	struct store_audit_part p;
};

/* A thread taking the next part not yet taken, on a read-only
 * connection of its own, until none is left. */
struct auditjob_worker {
	struct auditjob *j;
	pthread_t thread;
	struct diag d;			/* DIAG_OK unless it failed */
};

#define AUDITJOB_WORKERS_MAX 4

struct auditjob {
	char *path;		/* where the threads open the store */
	struct store_audit_end end;	/* where the caller's snapshot ends */
	struct auditjob_part *part;
	size_t nparts;
	size_t next;		/* the next part to take (atomic) */
	struct auditjob_worker worker[AUDITJOB_WORKERS_MAX];
	size_t nworkers;
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

/* Parts are taken in turn, not split among the threads beforehand: a
 * thread the scheduler gives less time to takes fewer, and the two end
 * within a part of each other. */
static void *worker_run(void *arg)
{
	struct auditjob_worker *w = arg;
	struct auditjob *j = w->j;
	struct store *s;
	size_t k;

	yield_to_the_report();
	if ((s = store_open_reader(j->path, &w->d)) == NULL)
		return NULL;
	while ((k = __atomic_fetch_add(&j->next, 1, __ATOMIC_RELAXED)) < j->nparts) {
		struct auditjob_part *x = &j->part[k];

		if (store_audit_verify_part(s, x->from_id, x->upto_id, &x->p, &w->d) < 0)
			break;
		x->done = 1;
	}
	store_close(s);
	return NULL;
}

/* The chain cut into parts: of AUDITJOB_PART events each when threads
 * verify it, else one. */
static int cut_parts(struct auditjob *j, int threads)
{
	int64_t last = j->end.last_id;
	int64_t size = threads && last >= AUDITJOB_SPLIT_FROM ? AUDITJOB_PART : last;

	j->nparts = last > 0 ? (size_t)((last + size - 1) / size) : 1;
	if ((j->part = calloc(j->nparts, sizeof *j->part)) == NULL)
		return -1;
	for (size_t i = 0; i < j->nparts; i++) {
		j->part[i].from_id = (int64_t)i * size + 1;
		j->part[i].upto_id = i + 1 < j->nparts ? (int64_t)(i + 1) * size : last;
	}
	return 0;
}

/* The workers started; 0 when not one thread could be had. */
static size_t start_workers(struct auditjob *j)
{
	size_t want = cores_usable();

	if (want > AUDITJOB_WORKERS_MAX)
		want = AUDITJOB_WORKERS_MAX;
	if (want > j->nparts)
		want = j->nparts;
	for (size_t i = 0; i < want; i++) {
		struct auditjob_worker *w = &j->worker[j->nworkers];

		w->j = j;
		diag_clear(&w->d);
		if (pthread_create(&w->thread, NULL, worker_run, w) != 0)
			break;
		j->nworkers++;
	}
	return j->nworkers;
}

static void auditjob_free(struct auditjob *j)
{
	free(j->part);
	free(j->path);
	free(j);
}

struct auditjob *auditjob_start(struct store *s, struct diag *d)
{
	struct auditjob *j = calloc(1, sizeof *j);
	int threads;

	if (j == NULL) {
		diag_set(d, DIAG_NOMEM, "out of memory");
		return NULL;
	}
	if (store_audit_end(s, &j->end, d) < 0) {
		free(j);
		return NULL;
	}
	threads = j->end.last_id > 0 && cores_usable() > 1 && store_reopenable(s) &&
	    (j->path = strdup(store_open_spec(s))) != NULL;
	if (cut_parts(j, threads) < 0) {
		auditjob_free(j);
		diag_set(d, DIAG_NOMEM, "out of memory");
		return NULL;
	}
	if (threads && start_workers(j) > 0)
		return j;
	/* no thread to be had: the whole chain now, on the caller's connection */
	for (size_t i = 0; i < j->nparts; i++) {
		struct auditjob_part *x = &j->part[i];

		if (store_audit_verify_part(s, x->from_id, x->upto_id, &x->p, d) < 0) {
			auditjob_free(j);
			return NULL;
		}
		x->done = 1;
	}
	return j;
}

/* Why a part was left unverified: the first worker's failure. */
static void worker_failure(const struct auditjob *j, struct diag *d)
{
	for (size_t i = 0; i < j->nworkers; i++)
		if (j->worker[i].d.code != DIAG_OK) {
			*d = j->worker[i].d;
			return;
		}
	diag_set(d, DIAG_STORE, "the audit trail was not verified");
}

int auditjob_finish(struct auditjob *j, struct store_audit_result *r, struct diag *d)
{
	int rc = 0;

	memset(r, 0, sizeof *r);
	for (size_t i = 0; i < j->nworkers; i++)
		pthread_join(j->worker[i].thread, NULL);
	for (size_t i = 0; i < j->nparts && rc == 0; i++) {
		if (!j->part[i].done) {
			worker_failure(j, d);
			rc = -1;
		} else
			store_audit_join(r, &j->part[i].p);
	}
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
	auditjob_free(j);
	return rc;
}
