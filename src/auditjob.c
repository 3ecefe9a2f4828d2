/* auditjob.c: see auditjob.h. */
#include "auditjob.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cores.h"

struct auditjob {
	char *path;		/* NULL: already verified at start */
	struct store_audit_end end;	/* where the caller's snapshot ends */
	pthread_t thread;
	int rc;			/* the thread's answer */
	struct store_audit_result r;
	struct diag d;
};

static void *auditjob_run(void *arg)
{
	struct auditjob *j = arg;
	struct store *s = store_open_reader(j->path, &j->d);

	if (s == NULL) {
		j->rc = -1;
		return NULL;
	}
	j->rc = store_audit_verify_upto(s, j->end.last_id, &j->r, &j->d);
	store_close(s);
	return NULL;
}

struct auditjob *auditjob_start(struct store *s, struct diag *d)
{
	struct auditjob *j = calloc(1, sizeof *j);

	if (j == NULL) {
		diag_set(d, DIAG_NOMEM, "out of memory");
		return NULL;
	}
	diag_clear(&j->d);
	if (store_audit_end(s, &j->end, d) < 0) {
		free(j);
		return NULL;
	}
	if (j->end.last_id > 0 && cores_usable() > 1 && store_reopenable(s) &&
	    (j->path = strdup(store_open_spec(s))) != NULL) {
		if (pthread_create(&j->thread, NULL, auditjob_run, j) == 0)
			return j;
		free(j->path);
		j->path = NULL;
	}
	/* no second core to be had: the answer now, on this connection */
	if ((j->rc = store_audit_verify_upto(s, j->end.last_id, &j->r, d)) < 0) {
		free(j);
		return NULL;
	}
	return j;
}

int auditjob_finish(struct auditjob *j, struct store_audit_result *r, struct diag *d)
{
	int rc;

	if (j->path != NULL) {
		pthread_join(j->thread, NULL);
		free(j->path);
		if (j->rc < 0)
			*d = j->d;
		/* the verified chain must end where the snapshot's does */
		else if (j->r.bad_id == 0 && strcmp(j->r.head_hash, j->end.last_hash) != 0) {
			j->r.bad_id = j->end.last_id;
			snprintf(j->r.problem, sizeof j->r.problem, "it changed or went missing "
			    "while the report was being made");
		}
	}
	/* events deleted at the end leave a valid chain: the snapshot's
	 * witnesses of how far it went tell */
	if (j->rc == 0)
		store_audit_check_end(&j->end, &j->r);
	rc = j->rc;
	*r = j->r;
	free(j);
	return rc;
}
