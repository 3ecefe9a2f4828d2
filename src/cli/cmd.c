/* cmd.c: the command table, lookup and help text. */
#include "cli/cmd.h"

#include <string.h>

#include "civil.h"
#include "tz.h"

static const struct cmd_entry *const cmd_table[] = {
	&cmd_init_entry,
	&cmd_deadline_entry,
	&cmd_calendar_entry,
	&cmd_partner_entry,
	&cmd_ticket_entry, &cmd_recompute_entry, &cmd_doctor_entry, &cmd_audit_entry,
	&cmd_import_entry,
	&cmd_export_entry,
	&cmd_backup_entry,
	&cmd_restore_entry,
	&cmd_migrate_entry,
	&cmd_report_entry,
	&cmd_remind_entry,
	&cmd_sync_entry,
	&cmd_help_entry,
	&cmd_version_entry,
};

#define NCMDS (sizeof cmd_table / sizeof cmd_table[0])

const struct cmd_entry *cmd_find(const char *name)
{
	for (size_t i = 0; i < NCMDS; i++)
		if (strcmp(cmd_table[i]->name, name) == 0)
			return cmd_table[i];
	return NULL;
}

void cmd_print_list(FILE *f)
{
	fputs("commands:\n", f);
	for (size_t i = 0; i < NCMDS; i++)
		fprintf(f, "  %-10s %s\n", cmd_table[i]->name, cmd_table[i]->summary);
	fputs("\nRun 'slatrack help COMMAND' for a command's options; "
	    "man slatrack for the whole story.\n", f);
}

void cmd_print_usage(FILE *f, const struct cmd_entry *e)
{
	const char *p = e->usage;

	if (*p == '\0') {
		fprintf(f, "usage: slatrack %s\n", e->name);
		return;
	}
	/* several usage lines, each after "usage: slatrack NAME " */
	for (int first = 1; *p != '\0'; first = 0) {
		size_t len = strcspn(p, "\n");

		fprintf(f, "%s slatrack %s %.*s\n", first ? "usage:" : "      ",
		    e->name, (int)len, p);
		p += len;
		if (*p == '\n')
			p++;
	}
}

void cmd_print_help(FILE *f, const struct cmd_entry *e)
{
	cmd_print_usage(f, e);
	fprintf(f, "\n%s.\n", e->summary);
	if (e->help != NULL && *e->help != '\0')
		fprintf(f, "\n%s", e->help);
}

int cmd_parse_instant(const char *opt, const char *s, const struct tz *tz,
		      int64_t *at, struct diag *d)
{
	enum civil_instant_kind kind;
	int64_t v;

	if (civil_parse_instant(s, &v, &kind) < 0)
		return diag_set(d, DIAG_USAGE, "%s: bad instant '%s': expected ISO 8601 "
		    "such as 2026-12-24T15:00:00Z or 2026-12-24T16:00:00+01:00", opt, s);
	if (kind == CIVIL_INSTANT_LOCAL) {
		if (tz == NULL)
			return diag_set(d, DIAG_USAGE, "%s: instant '%s' needs a zone: "
			    "add Z or an offset such as +01:00", opt, s);
		v = tz_local_to_utc(tz, v);
	}
	*at = v;
	return 0;
}
