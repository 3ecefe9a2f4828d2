/* sysinfo.h: facts about the machine the CLI runs on (environment, the
 * system's zone name).  Front-end only: the core never reads them. */
#ifndef SLATRACK_SYSINFO_H
#define SLATRACK_SYSINFO_H

/* $TZ (an IANA name, leading ':' allowed), else the target of
 * /etc/localtime below zoneinfo/, else /etc/timezone, else "UTC".
 * Borrowed static storage. */
const char *sysinfo_zone_name(void);
#include <stddef.h>

/* $ENV_VAR, else $XDG_VAR/slatrack/FILE, else $HOME/HOME_SUB/slatrack/FILE,
 * written into out. */
void sysinfo_default_path(char *out, size_t size, const char *env_var,
			  const char *xdg_var, const char *home_sub, const char *file);

/* $SLATRACK_USER, else $USER, else $LOGNAME, else the passwd name, else
 * "unknown". */
const char *sysinfo_user_name(void);
/* mkdir -p of the directory holding path (mode 0700 for new ones). */
int sysinfo_make_parent_dirs(const char *path);

#endif
