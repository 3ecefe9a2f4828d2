/* sysinfo.c: environment and system zone lookups for the front ends. */
#include "cli/sysinfo.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int plausible_zone(const char *s)
{
	if (*s == '\0' || *s == '/' || strstr(s, "..") != NULL)
		return 0;
	return strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
	    "0123456789/_+-") == strlen(s);
}

const char *sysinfo_zone_name(void)
{
	static char name[PATH_MAX];
	const char *tz = getenv("TZ");
	char link[PATH_MAX];
	ssize_t n;
	FILE *f;

	if (tz != NULL) {
		if (*tz == ':')
			tz++;
		if (plausible_zone(tz))
			return tz;
	}
	if ((n = readlink("/etc/localtime", link, sizeof link - 1)) > 0) {
		const char *p;

		link[n] = '\0';
		if ((p = strstr(link, "zoneinfo/")) != NULL && plausible_zone(p + 9)) {
			snprintf(name, sizeof name, "%s", p + 9);
			return name;
		}
	}
	if ((f = fopen("/etc/timezone", "r")) != NULL) {
		if (fgets(name, sizeof name, f) != NULL) {
			name[strcspn(name, "\r\n")] = '\0';
			if (plausible_zone(name)) {
				fclose(f);
				return name;
			}
		}
		fclose(f);
	}
	return "UTC";
}

void sysinfo_default_path(char *out, size_t size, const char *env_var,
			  const char *xdg_var, const char *home_sub, const char *file)
{
	const char *v = getenv(env_var), *home;

	if (v != NULL && *v != '\0') {
		snprintf(out, size, "%s", v);
		return;
	}
	if ((v = getenv(xdg_var)) != NULL && *v == '/') {
		snprintf(out, size, "%s/slatrack/%s", v, file);
		return;
	}
	home = getenv("HOME");
	if (home == NULL || *home == '\0')
		home = ".";
	snprintf(out, size, "%s/%s/slatrack/%s", home, home_sub, file);
}
