/* dynlib.c: dlopen at first use; see dynlib.h. */
#include "dynlib.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

static pthread_mutex_t dynlib_lock = PTHREAD_MUTEX_INITIALIZER;

/* Returns 1 or -1 for lib->state. */
static int dynlib_load(struct dynlib *lib)
{
	void *h = dlopen(lib->soname, RTLD_NOW | RTLD_LOCAL);
	size_t i;

	if (h == NULL) {
		snprintf(lib->error, sizeof lib->error, "%s", dlerror());
		return -1;
	}
	for (i = 0; i < lib->n; i++) {
		if ((lib->fns[i] = dlsym(h, lib->names[i])) == NULL) {
			snprintf(lib->error, sizeof lib->error, "%s has no symbol '%s'",
			    lib->soname, lib->names[i]);
			return -1;
		}
	}
	return 1;
}

int dynlib_open(struct dynlib *lib)
{
	int state = atomic_load_explicit(&lib->state, memory_order_acquire);

	if (state == 0) {
		pthread_mutex_lock(&dynlib_lock);
		if ((state = atomic_load_explicit(&lib->state, memory_order_relaxed)) == 0) {
			state = dynlib_load(lib);
			atomic_store_explicit(&lib->state, state, memory_order_release);
		}
		pthread_mutex_unlock(&dynlib_lock);
	}
	return state > 0 ? 0 : -1;
}

int dynlib_need(struct dynlib *lib, struct diag *d)
{
	if (dynlib_open(lib) == 0)
		return 0;
	return diag_set(d, DIAG_NET, "cannot load %s (%s); install the %s package",
	    lib->soname, lib->error, lib->package);
}

void dynlib_require(struct dynlib *lib)
{
	if (dynlib_open(lib) == 0)
		return;
	fprintf(stderr, "slatrack: cannot load %s: %s\n", lib->soname, lib->error);
	abort();
}
