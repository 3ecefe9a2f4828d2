/* sysinfo.c: environment and system zone lookups for the front ends. */
#include "cli/sysinfo.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <pwd.h>
#include <sys/stat.h>
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

const char *sysinfo_user_name(void)
{
	static const char *const vars[] = { "SLATRACK_USER", "USER", "LOGNAME" };
	struct passwd *pw;

	for (size_t i = 0; i < sizeof vars / sizeof vars[0]; i++) {
		const char *v = getenv(vars[i]);

		if (v != NULL && *v != '\0')
			return v;
	}
	pw = getpwuid(getuid());
	return pw != NULL && pw->pw_name != NULL ? pw->pw_name : "unknown";
}

int sysinfo_make_parent_dirs(const char *path)
{
	char dir[PATH_MAX];
	char *slash;

	if (snprintf(dir, sizeof dir, "%s", path) >= (int)sizeof dir)
		return -1;
	if ((slash = strrchr(dir, '/')) == NULL || slash == dir)
		return 0;
	*slash = '\0';
	for (char *p = dir + 1; *p != '\0'; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(dir, 0700) < 0 && errno != EEXIST)
			return -1;
		*p = '/';
	}
	if (mkdir(dir, 0700) < 0 && errno != EEXIST)
		return -1;
	return 0;
}
