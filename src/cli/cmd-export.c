/* cmd-export.c: `slatrack export --format csv|json`: every ticket with the
 * columns import reads, so export -> import into an empty database with
 * the same partners gives the same tickets (but not their pauses and
 * excuses, which are counted on stderr).
 *
 * The text is written exactly as stored, a summary starting with '=' too:
 * export is the machine format, and import must read back the same bytes
 * (the CSVs for people, `ticket list --format csv` and the report, are
 * the ones that neutralise formulas).  Only on a terminal are control and
 * bidirectional formatting characters shown visibly instead. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "civil.h"
#include "cli/cmd.h"
#include "csv.h"
#include "import.h"
#include "json.h"
#include "store-import.h"
#include "store.h"
#include "text.h"

enum export_format { EXPORT_CSV, EXPORT_JSON };

struct export_state {
	FILE *out;
	enum export_format format;
	struct buf b;
	size_t n, keyless, excused;
	int write_failed;
	unsigned cell;		/* CSV_VISIBLE on a terminal, else CSV_EXACT */
};

static void flush_buf(struct export_state *x, int force)
{
	if (!force && x->b.len < ((size_t)1 << 16))
		return;
	if (x->b.len > 0 && fwrite(x->b.data, 1, x->b.len, x->out) != x->b.len)
		x->write_failed = 1;
	buf_reset(&x->b);
}

static const char *instant(int64_t at, char out[CIVIL_ISO_LEN])
{
	if (at == STORE_NONE)
		return NULL;
	civil_format_utc(at, out);
	return out;
}

static int export_one(const struct store_ticket *t, void *arg)
{
	struct export_state *x = arg;
	char c[CIVIL_ISO_LEN], f[CIVIL_ISO_LEN], r[CIVIL_ISO_LEN], dl[CIVIL_ISO_LEN];
	const char *v[] = {
		t->key, t->partner_key, store_severity_name(t->severity), t->summary,
		t->customer, t->assignee, instant(t->created_at, c),
		instant(t->first_response_at, f), instant(t->resolved_at, r), t->responded_by,
	};

	if (t->key == NULL)
		x->keyless++;
	if (t->excused_at != STORE_NONE)
		x->excused++;
	if (x->format == EXPORT_CSV) {
		for (size_t i = 0; i < import_ncolumns; i++)
			csv_add_cell(&x->b, v[i], i == 0, x->cell);
		csv_end_record(&x->b);
	} else {
		buf_addf(&x->b, "%s\n  {\"id\": %lld", x->n ? "," : "", (long long)t->id);
		for (size_t i = 0; i < import_ncolumns; i++) {
			buf_addf(&x->b, ", \"%s\": ", import_columns[i]);
			json_add_string(&x->b, v[i]);
		}
		if (t->target_s != STORE_NONE)
			buf_addf(&x->b, ", \"target_s\": %lld", (long long)t->target_s);
		else
			buf_adds(&x->b, ", \"target_s\": null");
		buf_adds(&x->b, ", \"deadline\": ");
		json_add_string(&x->b, instant(t->deadline_at, dl));
		buf_addc(&x->b, '}');
	}
	x->n++;
	flush_buf(x, 0);
	return x->write_failed || buf_failed(&x->b);
}

/* What the import columns cannot carry, said on stderr: the intervals a
 * ticket waited on the customer or stayed resolved before a reopening,
 * and excused breaches.  Imported again, those tickets lose them, and
 * their deadlines are computed without the pauses. */
static void lost_warning(FILE *err, size_t paused, size_t excused)
{
	if (paused == 0 && excused == 0)
		return;
	fprintf(err, "slatrack: export: ");
	if (paused > 0)
		fprintf(err, "%zu ticket%s pauses (waiting on the customer, or resolved "
		    "before a reopening)%s", paused, paused == 1 ? " has" : "s have",
		    excused > 0 ? " and " : "");
	if (excused > 0)
		fprintf(err, "%zu %s an excused breach", excused,
		    paused > 0 ? (excused == 1 ? "has" : "have") :
		    (excused == 1 ? "ticket has" : "tickets have"));
	fprintf(err, ", which the import columns do not carry: imported from this file, "
	    "%s them, and deadlines are computed without pauses; slatrack backup FILE "
	    "copies everything\n", paused + excused == 1 ? "that ticket loses" :
	    "those tickets lose");
}

static int export_exec(struct ctx *ctx, int argc, char **argv, struct diag *d)
{
	static const struct option opts[] = {
		{ "format", required_argument, NULL, 'f' },
		{ "partner", required_argument, NULL, 'p' },
		{ NULL, 0, NULL, 0 }
	};
	struct export_state x;
	const char *partner = NULL;
	int64_t partner_id = 0, paused = 0;
	int c, rc;

	memset(&x, 0, sizeof x);
	buf_init(&x.b);
	x.out = ctx->out;
	/* lossless for import, but nothing raw on a terminal */
	x.cell = isatty(fileno(ctx->out)) ? CSV_VISIBLE : CSV_EXACT;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "+", opts, NULL)) != -1) {
		switch (c) {
		case 'f':
			if (strcmp(optarg, "csv") == 0)
				x.format = EXPORT_CSV;
			else if (strcmp(optarg, "json") == 0)
				x.format = EXPORT_JSON;
			else
				return diag_set(d, DIAG_USAGE, "--format: unknown format '%s' "
				    "(csv or json)", optarg);
			break;
		case 'p':
			partner = optarg;
			break;
		default:
			return diag_set(d, DIAG_USAGE, "unknown or incomplete option '%s'",
			    argv[optind - 1]);
		}
	}
	if (optind < argc)
		return diag_set(d, DIAG_USAGE, "unexpected argument '%s'", argv[optind]);
	if (partner != NULL) {
		struct store_partner p;

		store_partner_init(&p);
		if (store_partner_get(ctx->store, partner, &p, d) < 0)
			return -1;
		partner_id = p.id;
		store_partner_release(&p);
	}
	if (x.format == EXPORT_CSV) {
		for (size_t i = 0; i < import_ncolumns; i++)
			csv_add_field(&x.b, import_columns[i], i == 0);
		csv_end_record(&x.b);
	} else
		buf_addc(&x.b, '[');
	if (store_pause_ticket_count(ctx->store, partner_id, &paused, d) < 0) {
		buf_release(&x.b);
		return -1;
	}
	rc = store_ticket_each(ctx->store, partner_id, export_one, &x, d);
	if (rc == 0 && x.format == EXPORT_JSON)
		buf_adds(&x.b, x.n ? "\n]\n" : "]\n");
	if (buf_failed(&x.b)) {
		buf_release(&x.b);
		return diag_set(d, DIAG_NOMEM, "out of memory");
	}
	flush_buf(&x, 1);
	buf_release(&x.b);
	if (rc < 0)
		return -1;
	if (x.write_failed)
		return diag_set(d, DIAG_STORE, "cannot write the output");
	if (x.keyless > 0)
		fprintf(ctx->err, "slatrack: export: %zu ticket%s no key; import matches rows "
		    "by key, so give %s one (ticket edit --key) before importing this file\n",
		    x.keyless, x.keyless == 1 ? " has" : "s have", x.keyless == 1 ? "it" : "them");
	lost_warning(ctx->err, (size_t)paused, x.excused);
	return 0;
}

const struct cmd_entry cmd_export_entry = {
	.name = "export",
	.summary = "write every ticket as CSV or JSON, in the columns import reads",
	.usage = "[--format csv|json] [--partner KEY]",
	.help =
		"  --format csv    RFC 4180 with a header line (the default): key,\n"
		"                  partner, severity, summary, customer, assignee, created,\n"
		"                  first_response, resolved, responded_by\n"
		"  --format json   an array of objects with the same names plus id,\n"
		"                  target_s and deadline; absent values are null\n"
		"  --partner KEY   only that partner's tickets\n"
		"\nInstants are UTC, YYYY-MM-DDTHH:MM:SSZ.  Tickets come in id order, from\n"
		"one consistent snapshot.  The CSV imports back into a database with the\n"
		"same partners (slatrack import), text exactly as stored: a summary that\n"
		"starts with =, +, - or @ is not neutralised for spreadsheets, as\n"
		"ticket list --format csv and report --format csv do.  On a terminal,\n"
		"control characters are shown visibly (^[) instead of written raw.\n"
		"Pauses (waiting on the customer, reopenings) and excused breaches are\n"
		"not in the columns: export counts the tickets that have them on stderr,\n"
		"and slatrack backup FILE copies everything.\n",
	.flags = CMD_DB_READ,
	.exec = export_exec,
};
