/* cores.c: see cores.h. */
#define _GNU_SOURCE	/* sched_getaffinity, CPU_COUNT */
#include "cores.h"

#include <sched.h>
#include <unistd.h>

int cores_usable(void)
{
	cpu_set_t set;
	long n;

	if (sched_getaffinity(0, sizeof set, &set) == 0 && CPU_COUNT(&set) > 0)
		return CPU_COUNT(&set);
	n = sysconf(_SC_NPROCESSORS_ONLN);
	return n > 1 ? (int)(n < 1024 ? n : 1024) : 1;
}
