/* config.h: the configuration file (slatrack.conf(5),
 * man/slatrack.conf.5).
 *
 *   # comment
 *   [me]
 *   name = alice
 *   [staff "bob"]
 *   email = bob@example.com
 *
 * Every key is declared in one table (config.c) with its type, default
 * and documentation; an unknown section or key, or a value of the wrong
 * type, is an error naming FILE:LINE.  A missing file is not an error:
 * every key has a default.  A file holding a secret (smtp password) must
 * not be readable by group or others.  Loaded once, then read-only.
 */
#ifndef SLATRACK_CONFIG_H
#define SLATRACK_CONFIG_H

#include <stddef.h>
#include <stdint.h>

#include "diag.h"

struct config;

/* Loads path; a missing file gives the defaults (unless must_exist). */
struct config *config_load(const char *path, int must_exist, struct diag *d);
/* Parses text as if read from `name` (mode: the file's permission bits,
 * checked when a secret is present). */
struct config *config_parse(const char *text, size_t len, const char *name,
			    unsigned mode, struct diag *d);
void config_free(struct config *c);			/* NULL-safe */
const char *config_source(const struct config *c);	/* the file name */

/* The value of section.key (sub = the quoted name of [staff "bob"], or
 * NULL), else its default; NULL when neither.  Borrowed. */
const char *config_get(const struct config *c, const char *section, const char *sub,
		       const char *key);
/* The same, parsed: durations ("24h", "none" -> -1), integers, lists. */
int64_t config_get_duration(const struct config *c, const char *section, const char *sub,
			    const char *key);
int64_t config_get_int(const struct config *c, const char *section, const char *sub,
		       const char *key);
/* The names of every [section "NAME"] of one kind, in file order: up to
 * max of them into out (borrowed); returns how many there are. */
size_t config_subsections(const struct config *c, const char *section,
			  const char **out, size_t max);
/* The line where section.key was set, 0 for a default (for messages). */
int config_line(const struct config *c, const char *section, const char *sub,
		const char *key);

/* The documented table, for `slatrack help config` and the man page. */
struct config_key {
	const char *section;	/* "staff" stands for [staff "NAME"] */
	const char *key;
	const char *type;	/* "string", "zone", "email", "duration", "int",
				   "percent-list", "email-list", "hours", "enum:a|b" */
	const char *def;	/* NULL: no default */
	const char *doc;
};
const struct config_key *config_keys(size_t *n);

#endif
