/* bench.c: engine benchmarks for `make bench` (figures, never asserts).
 *
 *   bench deadline CALDIR   ns per deadline, 1,000,000 random creation
 *                           instants in 2020-2030 across ten partners
 *   bench load CALDIR       ms to load and compile each shipped calendar
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "cal.h"
#include "civil.h"
#include "schedule.h"

struct partner {
	const char *zone, *calendar, *workdays, *hours;
};

static const struct partner partners[] = {
	{ "America/New_York", "US.ics", "mon-fri", NULL },
	{ "Europe/London", "GB-ENG.ics", "mon-fri", NULL },
	{ "Europe/Berlin", "DE.ics", "mon-fri", "09:00-17:00" },
	{ "Europe/Paris", "FR.ics", "mon-fri", NULL },
	{ "Asia/Kolkata", "IN.ics", "mon-fri", "09:30-18:30" },
	{ "Australia/Sydney", "AU-NSW.ics", "mon-fri", NULL },
	{ "America/Sao_Paulo", "BR.ics", "mon-fri", NULL },
	{ "Asia/Tokyo", "JP.ics", "mon-fri", "09:00-12:00,13:00-18:00" },
	{ "Asia/Jerusalem", "IL.ics", "sun-thu", NULL },
	{ "Asia/Shanghai", "CN.ics", "mon-fri", NULL },
};
#define NPARTNERS (sizeof partners / sizeof partners[0])

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int open_partner(struct schedule *s, const struct partner *p, const char *dir,
			char *path, size_t pathlen)
{
	struct schedule_spec spec;
	struct diag d;

	schedule_spec_init(&spec);
	spec.zone = p->zone;
	snprintf(path, pathlen, "%s/%s", dir, p->calendar);
	spec.calendars[0].path = path;
	spec.ncalendars = 1;
	if (cal_parse_weekdays(p->workdays, &spec.weekdays, &d) < 0 ||
	    (p->hours && cal_parse_hours(p->hours, spec.windows, &spec.nwindows, &d) < 0) ||
	    schedule_open(s, &spec, NULL, &d) < 0) {
		fprintf(stderr, "bench: %s: %s\n", p->calendar, d.msg);
		return -1;
	}
	return 0;
}

static long peak_kb(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_maxrss;
}

static int bench_deadline(const char *dir)
{
	enum { N = 1000000 };
	struct schedule s[NPARTNERS];
	char paths[NPARTNERS][512];
	int64_t *created = malloc(N * sizeof *created), sum = 0;
	int64_t lo = civil_days_from_ymd(2020, 1, 1) * 86400;
	int64_t hi = civil_days_from_ymd(2030, 12, 31) * 86400;
	uint64_t seed = 12345;
	double t0, t1;
	struct diag d;

	if (created == NULL)
		return 1;
	for (size_t i = 0; i < NPARTNERS; i++)
		if (open_partner(&s[i], &partners[i], dir, paths[i], sizeof paths[i]) < 0)
			return 1;
	for (int i = 0; i < N; i++) {
		seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
		created[i] = lo + (int64_t)((seed >> 11) % (uint64_t)(hi - lo));
	}
	t0 = now_s();
	for (int i = 0; i < N; i++) {
		int64_t dl;

		if (cal_deadline(s[i % NPARTNERS].cal, created[i], 86400, &dl, &d) < 0) {
			fprintf(stderr, "bench: %s\n", d.msg);
			return 1;
		}
		sum += dl;
	}
	t1 = now_s();
	printf("deadline: %.1f ns per deadline (%d random instants 2020-2030, %zu partners,"
	    " target <= 150 ns) [checksum %lld]\n", (t1 - t0) * 1e9 / N, N, NPARTNERS,
	    (long long)(sum % 1000003));
	for (size_t i = 0; i < NPARTNERS; i++) {
		printf("  %-18s %-11s %7zu working intervals\n", partners[i].zone,
		    partners[i].calendar, cal_interval_count(s[i].cal));
		schedule_close(&s[i]);
	}
	printf("deadline: peak memory %.1f MB\n", (double)peak_kb() / 1024.0);
	free(created);
	return 0;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* The median of RUNS loads, so another process on the machine does not
 * decide the figure. */
static int bench_load(const char *dir)
{
	enum { RUNS = 21 };
	double worst = 0;

	for (size_t i = 0; i < NPARTNERS; i++) {
		char path[512];
		double ms[RUNS];

		for (int r = 0; r < RUNS; r++) {
			struct schedule s;
			double t0 = now_s();

			if (open_partner(&s, &partners[i], dir, path, sizeof path) < 0)
				return 1;
			ms[r] = (now_s() - t0) * 1e3;
			schedule_close(&s);
		}
		qsort(ms, RUNS, sizeof ms[0], cmp_double);
		if (ms[RUNS / 2] > worst)
			worst = ms[RUNS / 2];
		printf("load+compile: %-11s %6.2f ms median, %6.2f ms best (zone %s%s%s)\n",
		    partners[i].calendar, ms[RUNS / 2], ms[0], partners[i].zone,
		    partners[i].hours ? ", hours " : "", partners[i].hours ? partners[i].hours : "");
	}
	printf("load+compile: worst median %.2f ms per calendar (target <= 5 ms; zone,"
	    " .ics parse, recurrences to 2100, working-time table 1970-2100)\n", worst);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 3 && strcmp(argv[1], "deadline") == 0)
		return bench_deadline(argv[2]);
	if (argc == 3 && strcmp(argv[1], "load") == 0)
		return bench_load(argv[2]);
	fprintf(stderr, "usage: bench deadline|load CALDIR\n");
	return 2;
}
