/* cores.h: how many cores this process may run on.
 *
 * The long commands hand work to a second thread (scanpipe.h, rowpair.h,
 * auditjob.h): on two cores that halves the wait, on one it only adds the
 * hand-overs.  They ask first.  `taskset -c 0 slatrack ...` runs any
 * command on one core, one thread doing everything, the same bytes out. */
#ifndef SLATRACK_CORES_H
#define SLATRACK_CORES_H

/* The CPUs in this thread's affinity mask (what taskset and cgroup
 * cpusets allow), at least 1. */
int cores_usable(void);

#endif
