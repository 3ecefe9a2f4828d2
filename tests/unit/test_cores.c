/* test_cores.c: cores_usable counts the CPUs this thread may run on, as
 * taskset and cpusets set them. */
#define _GNU_SOURCE
#include <criterion/criterion.h>
#include <sched.h>

#include "cores.h"

Test(cores, the_affinity_mask_decides)
{
	cpu_set_t all, one;
	int first = -1;

	cr_assert_eq(sched_getaffinity(0, sizeof all, &all), 0);
	cr_expect_eq(cores_usable(), CPU_COUNT(&all));
	for (int i = 0; i < CPU_SETSIZE && first < 0; i++)
		if (CPU_ISSET(i, &all))
			first = i;
	CPU_ZERO(&one);
	CPU_SET(first, &one);
	cr_assert_eq(sched_setaffinity(0, sizeof one, &one), 0);
	cr_expect_eq(cores_usable(), 1, "one core allowed");
	cr_assert_eq(sched_setaffinity(0, sizeof all, &all), 0);
	cr_expect_eq(cores_usable(), CPU_COUNT(&all), "all of them again");
}
