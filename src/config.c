/* config.c: the configuration file; see config.h.  The key table below
 * is the single source of truth: the parser validates against it and
 * `slatrack help config` prints it (like tmux's options-table.c). */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "civil.h"
#include "ticketurl.h"
#include "tz.h"

static const struct config_key config_table[] = {
	{ "me", "name", "string", NULL, "who I am in the audit trail (default: $USER)" },
	{ "me", "zone", "zone", NULL, "my timezone for showing instants (default: the system's)" },
	{ "me", "email", "email", NULL, "my address" },
	{ "staff", "email", "email", NULL, "the address reminders for this user go to" },
	{ "staff", "zone", "zone", NULL, "the user's timezone for mails and quiet hours (default: report.zone, else [me] zone, else the system's)" },
	{ "staff", "quiet", "quiet", NULL, "hold threshold reminders in this local window, e.g. 20:00-08:00" },
	{ "store", "url", "string", NULL, "the database when neither --db nor SLATRACK_DB names one: a SQLite file or a postgresql:// URL (keep its password in ~/.pgpass)" },
	{ "sla", "critical", "duration", "24h", "default target for critical tickets (or none)" },
	{ "sla", "high", "duration", "24h", "default target for high tickets (or none)" },
	{ "sla", "medium", "duration", "none", "default target for medium tickets (or none)" },
	{ "sla", "low", "duration", "none", "default target for low tickets (or none)" },
	{ "sla", "at_risk", "percent", "75", "a ticket is at risk from this share of its working time consumed" },
	{ "smtp", "url", "string", "smtp://127.0.0.1:25", "smtp://HOST[:PORT] (STARTTLS) or smtps://HOST[:PORT]" },
	{ "smtp", "from", "email", "slatrack@localhost", "the From address of every mail" },
	{ "smtp", "user", "string", NULL, "AUTH user name" },
	{ "smtp", "password", "secret", NULL, "AUTH password (the file must then be mode 0600)" },
	{ "smtp", "password_command", "string", NULL, "a command whose first output line is the password" },
	{ "smtp", "tls", "enum:required|none", "required", "STARTTLS required, or none (loopback servers need no TLS)" },
	{ "smtp", "timeout", "duration", "30s", "overall timeout of one mail (connect, TLS, AUTH and DATA)" },
	{ "smtp", "connect_timeout", "duration", "10s", "timeout of the TCP connect and TLS handshake" },
	{ "smtp", "cafile", "string", NULL, "PEM file of CA certificates to verify the server with (default: the system's)" },
	{ "remind", "thresholds", "percent-list", "50,75,90", "remind at these shares of working time consumed" },
	{ "remind", "team", "email", NULL, "where reminders for unassigned tickets go" },
	{ "remind", "max_attempts", "int", "8", "attempts before a reminder is marked failed" },
	{ "remind", "retry", "duration", "5m", "first retry delay, doubled per attempt" },
	{ "remind", "per_ticket", "enum:no|yes", "no", "one mail per ticket instead of one digest per recipient and run" },
	{ "remind", "start", "instant", NULL, "send nothing that fell due before this instant (with Z or an offset); such reminders are recorded as skipped" },
	{ "partner", "notify", "email-list", NULL, "addresses that also get every reminder and breach notice of the partner's tickets" },
	{ "partner", "notify_contact", "enum:no|yes", "no", "yes: the partner's contact (partner --contact) gets them too" },
	{ "partner", "ticket_url", "url-template", NULL, "this partner's helpdesk link, overriding [helpdesk] ticket_url" },
	{ "partner", "jira", "string", NULL, "sync jira: the value of jira.partner_field (project key, organization, field value) that means this partner (default: the partner key itself)" },
	{ "partner", "zendesk", "string", NULL, "import --map zendesk: the Organization that means this partner (default: the partner key itself)" },
	{ "helpdesk", "ticket_url", "url-template", NULL, "link to a ticket in the helpdesk, e.g. https://support.example.com/browse/{key} ({key}, {id}, {partner})" },
	{ "jira", "url", "string", NULL, "sync jira: the Jira Cloud site, e.g. https://example.atlassian.net" },
	{ "jira", "email", "email", NULL, "sync jira: the Atlassian account whose API token is used" },
	{ "jira", "token", "secret", NULL, "sync jira: its API token (the file must then be mode 0600)" },
	{ "jira", "token_command", "string", NULL, "sync jira: a command whose first output line is the API token" },
	{ "jira", "jql", "string", NULL, "sync jira: which issues to follow, e.g. project = SUP ORDER BY key" },
	{ "jira", "partner_field", "string", "project", "sync jira: where an issue's partner comes from: project (its key) or a field id such as customfield_10002 (JSM Organizations)" },
	{ "jira", "severity", "string", "Highest=critical,High=high,Medium=medium,Low=low,Lowest=low", "sync jira: priority name to severity, PRIORITY=SEVERITY,...; *=SEVERITY for any other" },
	{ "jira", "zone", "zone", "UTC", "sync jira: the Jira account's timezone (JQL reads dates in it)" },
	{ "jira", "overlap", "duration", "10m", "sync jira: an incremental sync also re-reads issues updated this long before the last one" },
	{ "jira", "timeout", "duration", "30s", "sync jira: timeout of one request (and of token_command)" },
	{ "jira", "limit", "duration", "10m", "sync jira: the longest a whole run may take" },
	{ "jira", "page_size", "int", "100", "sync jira: issues asked for per page" },
	{ "jira", "cafile", "string", NULL, "sync jira: PEM file of CA certificates to verify the server with (default: the system's)" },
	{ "report", "zone", "zone", NULL, "zone of report periods (default: the system's)" },
	{ "report", "managers", "email-list", NULL, "who gets the report and breach notices" },
	{ "webhook", "url", "string", NULL, "https:// URL to POST JSON to" },
	{ "webhook", "events", "enum-list:breach|threshold|responded|resolved", "breach", "which notices to post; follow-ups responded and resolved: both when neither is named" },
	{ "webhook", "format", "enum:generic|opsgenie", "generic", "generic JSON or Opsgenie's alert API shape" },
	{ "webhook", "authorization", "secret", NULL, "Authorization header value, e.g. GenieKey KEY (the file must then be mode 0600)" },
	{ "webhook", "timeout", "duration", "30s", "overall timeout of one POST" },
	{ "webhook", "cafile", "string", NULL, "PEM file of CA certificates to verify the server with (default: the system's)" },
	{ "webhook", "threshold_priority", "enum:P1|P2|P3|P4|P5", "P3", "Opsgenie priority of the alert at thresholds before the last" },
	{ "webhook", "last_threshold_priority", "enum:P1|P2|P3|P4|P5", "P2", "Opsgenie priority from the last of remind.thresholds" },
	{ "webhook", "breach_priority", "enum:P1|P2|P3|P4|P5", "P1", "Opsgenie priority from the breach" },
};

#define NKEYS (sizeof config_table / sizeof config_table[0])

struct config_entry {
	char *section, *sub, *key, *value;
	int line;
};

struct config {
	char *source;
	struct config_entry *v;
	size_t n;
};

const struct config_key *config_keys(size_t *n)
{
	*n = NKEYS;
	return config_table;
}

static const struct config_key *find_key(const char *section, const char *key)
{
	for (size_t i = 0; i < NKEYS; i++)
		if (strcmp(config_table[i].section, section) == 0 &&
		    strcmp(config_table[i].key, key) == 0)
			return &config_table[i];
	return NULL;
}

static int known_section(const char *section)
{
	for (size_t i = 0; i < NKEYS; i++)
		if (strcmp(config_table[i].section, section) == 0)
			return 1;
	return 0;
}

static int named_section(const char *section)
{
	return strcmp(section, "staff") == 0 || strcmp(section, "webhook") == 0 ||
	    strcmp(section, "partner") == 0;
}

void config_free(struct config *c)
{
	if (c == NULL)
		return;
	for (size_t i = 0; i < c->n; i++) {
		free(c->v[i].section);
		free(c->v[i].sub);
		free(c->v[i].key);
		free(c->v[i].value);
	}
	free(c->v);
	free(c->source);
	free(c);
}

const char *config_source(const struct config *c)
{
	return c->source;
}

static char *trim(char *s)
{
	char *e;

	while (*s == ' ' || *s == '\t')
		s++;
	e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r'))
		*--e = '\0';
	return s;
}

static int in_list(const char *list, const char *word, size_t len)
{
	const char *p = list;

	while (*p != '\0') {
		size_t l = strcspn(p, "|");

		if (l == len && strncmp(p, word, len) == 0)
			return 1;
		p += l;
		if (*p == '|')
			p++;
	}
	return 0;
}

static int valid_clock_window(const char *v)
{
	char a[8], b[8];
	int32_t x, y;
	const char *dash = strchr(v, '-');

	if (dash == NULL || dash - v >= (long)sizeof a || strlen(dash + 1) >= sizeof b)
		return 0;
	memcpy(a, v, (size_t)(dash - v));
	a[dash - v] = '\0';
	snprintf(b, sizeof b, "%s", dash + 1);
	return civil_parse_clock(a, &x) == 0 && civil_parse_clock(b, &y) == 0 && x != y;
}

static int valid_email(const char *v)
{
	const char *at = strchr(v, '@');

	return at != NULL && at != v && at[1] != '\0' && strpbrk(v, " \t\r\n<>,;\"") == NULL;
}

/* Checks value against the key's type; returns NULL or what is wrong. */
static const char *check_value(const struct config_key *k, const char *v)
{
	const char *t = k->type;
	int64_t n;

	if (strpbrk(v, "\r\n") != NULL)
		return "line breaks are not allowed";
	if (strcmp(t, "string") == 0 || strcmp(t, "secret") == 0)
		return NULL;
	if (strcmp(t, "email") == 0)
		return valid_email(v) ? NULL : "expected an e-mail address";
	if (strcmp(t, "email-list") == 0) {
		char tmp[1024], *p = tmp;

		if (strlen(v) >= sizeof tmp)
			return "list too long";
		snprintf(tmp, sizeof tmp, "%s", v);
		while (p != NULL) {
			char *comma = strchr(p, ',');

			if (comma != NULL)
				*comma = '\0';
			if (!valid_email(trim(p)))
				return "expected comma-separated e-mail addresses";
			p = comma != NULL ? comma + 1 : NULL;
		}
		return NULL;
	}
	if (strcmp(t, "zone") == 0) {
		struct diag d;
		struct tz *z = tz_load(v, &d);

		tz_free(z);
		return z != NULL ? NULL : "unknown timezone";
	}
	if (strcmp(t, "duration") == 0)
		return strcmp(v, "none") == 0 || civil_parse_duration(v, &n) == 0 ? NULL :
		    "expected a duration such as 24h, 90m, 1h30m, or none";
	if (strcmp(t, "int") == 0)
		return civil_parse_i64(v, 0, 1000000, &n) == 0 ? NULL : "expected a number";
	if (strcmp(t, "percent") == 0)
		return civil_parse_i64(v, 1, 100, &n) == 0 ? NULL : "expected a percentage 1-100";
	if (strcmp(t, "percent-list") == 0) {
		const char *p = v;
		int64_t last = 0;

		while (*p != '\0') {
			char num[8];
			size_t l = strcspn(p, ",");

			if (l == 0 || l >= sizeof num)
				return "expected ascending percentages such as 50,75,90";
			memcpy(num, p, l);
			num[l] = '\0';
			if (civil_parse_i64(trim(num), 1, 99, &n) < 0 || n <= last)
				return "expected ascending percentages such as 50,75,90";
			last = n;
			p += l;
			if (*p == ',')
				p++;
		}
		return last > 0 ? NULL : "expected ascending percentages such as 50,75,90";
	}
	if (strcmp(t, "url-template") == 0)
		return ticketurl_check(v);
	if (strcmp(t, "quiet") == 0)
		return valid_clock_window(v) ? NULL : "expected HH:MM-HH:MM";
	if (strcmp(t, "instant") == 0) {
		enum civil_instant_kind kind;

		return civil_parse_instant(v, &n, &kind) == 0 && kind == CIVIL_INSTANT_UTC ? NULL :
		    "expected an instant with Z or an offset, such as 2026-12-24T15:00:00Z";
	}
	if (strncmp(t, "enum:", 5) == 0)
		return in_list(t + 5, v, strlen(v)) ? NULL : "not one of the allowed values";
	if (strncmp(t, "enum-list:", 10) == 0) {
		const char *p = v;

		while (*p != '\0') {
			size_t l = strcspn(p, ",");

			if (!in_list(t + 10, p, l))
				return "not a list of the allowed values";
			p += l;
			if (*p == ',')
				p++;
		}
		return NULL;
	}
	return NULL;
}

static int add_entry(struct config *c, const char *section, const char *sub,
		     const char *key, const char *value, int line)
{
	struct config_entry *v = realloc(c->v, (c->n + 1) * sizeof *v), *e;

	if (v == NULL)
		return -1;
	c->v = v;
	e = &v[c->n];
	memset(e, 0, sizeof *e);
	e->line = line;
	if ((e->section = strdup(section)) == NULL || (sub && (e->sub = strdup(sub)) == NULL) ||
	    (e->key = strdup(key)) == NULL || (e->value = strdup(value)) == NULL) {
		free(e->section);
		free(e->sub);
		free(e->key);
		free(e->value);
		return -1;
	}
	c->n++;
	return 0;
}

/* "[name]" or "[name "sub"]" into section/sub; 0 or -1. */
static int parse_header(char *s, char *section, size_t ssize, char *sub, size_t subsize)
{
	char *end = strrchr(s, ']'), *q;

	if (end == NULL || trim(end + 1)[0] != '\0')
		return -1;
	*end = '\0';
	s = trim(s + 1);
	sub[0] = '\0';
	if ((q = strchr(s, '"')) != NULL) {
		char *q2 = strrchr(s, '"');

		if (q2 == q || q2[1] != '\0' || (size_t)(q2 - q - 1) >= subsize || q2 == q + 1)
			return -1;
		memcpy(sub, q + 1, (size_t)(q2 - q - 1));
		sub[q2 - q - 1] = '\0';
		*q = '\0';
		s = trim(s);
	}
	if (*s == '\0' || strlen(s) >= ssize || strpbrk(s, " \t") != NULL)
		return -1;
	snprintf(section, ssize, "%s", s);
	return 0;
}

struct config *config_parse(const char *text, size_t len, const char *name,
			    unsigned mode, struct diag *d)
{
	struct config *c = calloc(1, sizeof *c);
	char section[64] = "", sub[128] = "";
	const char *p = text, *end = text + len;
	int lineno = 0, secret_line = 0;

	if (c == NULL || (c->source = strdup(name)) == NULL) {
		config_free(c);
		diag_set(d, DIAG_NOMEM, "out of memory");
		return NULL;
	}
	if (len >= 3 && memcmp(p, "\xef\xbb\xbf", 3) == 0)
		p += 3;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t l = nl ? (size_t)(nl - p) : (size_t)(end - p);
		char line[1024], *s, *eq, *key, *val;
		const struct config_key *k;
		const char *why;

		lineno++;
		if (l >= sizeof line) {
			diag_set(d, DIAG_INPUT, "%s:%d: line too long", name, lineno);
			goto fail;
		}
		memcpy(line, p, l);
		line[l] = '\0';
		p += l + (nl != NULL);
		if (memchr(line, '\0', l) != NULL) {
			diag_set(d, DIAG_INPUT, "%s:%d: NUL byte in the file", name, lineno);
			goto fail;
		}
		s = trim(line);
		if (*s == '\0' || *s == '#' || *s == ';')
			continue;
		if (*s == '[') {
			if (parse_header(s, section, sizeof section, sub, sizeof sub) < 0) {
				diag_set(d, DIAG_INPUT, "%s:%d: bad section header (expected [name] "
				    "or [name \"sub\"])", name, lineno);
				goto fail;
			}
			if (!known_section(section)) {
				diag_set(d, DIAG_INPUT, "%s:%d: unknown section [%s]", name, lineno,
				    section);
				goto fail;
			}
			if (named_section(section) != (sub[0] != '\0')) {
				diag_set(d, DIAG_INPUT, named_section(section) ?
				    "%s:%d: section [%s] needs a name: [%s \"NAME\"]" :
				    "%s:%d: section [%s] takes no name", name, lineno, section, section);
				goto fail;
			}
			continue;
		}
		if ((eq = strchr(s, '=')) == NULL) {
			diag_set(d, DIAG_INPUT, "%s:%d: expected 'key = value'", name, lineno);
			goto fail;
		}
		*eq = '\0';
		key = trim(s);
		val = trim(eq + 1);
		if (section[0] == '\0') {
			diag_set(d, DIAG_INPUT, "%s:%d: '%s' is outside any [section]", name,
			    lineno, key);
			goto fail;
		}
		if ((k = find_key(section, key)) == NULL) {
			diag_set(d, DIAG_INPUT, "%s:%d: unknown key '%s' in [%s]", name, lineno,
			    key, section);
			goto fail;
		}
		if ((why = check_value(k, val)) != NULL) {
			/* never echo a secret */
			diag_set(d, DIAG_INPUT, "%s:%d: %s.%s: %s%s%s%s", name, lineno, section, key,
			    why, strcmp(k->type, "secret") ? " ('" : "",
			    strcmp(k->type, "secret") ? val : "", strcmp(k->type, "secret") ? "')" : "");
			goto fail;
		}
		if (strcmp(k->type, "secret") == 0 && *val != '\0')
			secret_line = lineno;
		if (add_entry(c, section, sub[0] ? sub : NULL, key, val, lineno) < 0) {
			diag_set(d, DIAG_NOMEM, "out of memory");
			goto fail;
		}
	}
	if (secret_line && (mode & 077) != 0) {
		diag_set(d, DIAG_INPUT, "%s: holds a password (line %d) but its mode %04o lets "
		    "group or others read it: run chmod 600 %s", name, secret_line, mode & 07777,
		    name);
		goto fail;
	}
	return c;
fail:
	config_free(c);
	return NULL;
}

struct config *config_load(const char *path, int must_exist, struct diag *d)
{
	struct stat st;
	FILE *f;
	char *text = NULL;
	size_t len = 0, cap = 0;
	struct config *c;

	if ((f = fopen(path, "r")) == NULL) {
		if (errno == ENOENT && !must_exist)
			return config_parse("", 0, path, 0600, d);
		diag_set(d, DIAG_INPUT, "cannot read config '%s': %s", path, strerror(errno));
		return NULL;
	}
	if (fstat(fileno(f), &st) < 0 || !S_ISREG(st.st_mode)) {
		fclose(f);
		diag_set(d, DIAG_INPUT, "config '%s' is not a regular file", path);
		return NULL;
	}
	for (;;) {
		size_t n;

		if (len + 4096 > cap) {
			char *t = realloc(text, cap = cap ? cap * 2 : 8192);

			if (t == NULL || cap > (1u << 20)) {
				free(t ? t : text);
				fclose(f);
				diag_set(d, DIAG_INPUT, "config '%s' is too large", path);
				return NULL;
			}
			text = t;
		}
		if ((n = fread(text + len, 1, cap - len, f)) == 0)
			break;
		len += n;
	}
	fclose(f);
	c = config_parse(text ? text : "", len, path, (unsigned)st.st_mode, d);
	free(text);
	return c;
}

static const struct config_entry *lookup(const struct config *c, const char *section,
					 const char *sub, const char *key)
{
	const struct config_entry *found = NULL;

	for (size_t i = 0; c != NULL && i < c->n; i++) {
		const struct config_entry *e = &c->v[i];

		if (strcmp(e->section, section) == 0 && strcmp(e->key, key) == 0 &&
		    ((sub == NULL && e->sub == NULL) ||
		    (sub != NULL && e->sub != NULL && strcmp(sub, e->sub) == 0)))
			found = e;	/* the last setting wins */
	}
	return found;
}

const char *config_get(const struct config *c, const char *section, const char *sub,
		       const char *key)
{
	const struct config_entry *e = lookup(c, section, sub, key);
	const struct config_key *k;

	if (e != NULL)
		return e->value;
	k = find_key(section, key);
	return k != NULL ? k->def : NULL;
}

int config_line(const struct config *c, const char *section, const char *sub,
		const char *key)
{
	const struct config_entry *e = lookup(c, section, sub, key);

	return e != NULL ? e->line : 0;
}

int64_t config_get_duration(const struct config *c, const char *section, const char *sub,
			    const char *key)
{
	const char *v = config_get(c, section, sub, key);
	int64_t s;

	if (v == NULL || strcmp(v, "none") == 0 || civil_parse_duration(v, &s) < 0)
		return -1;
	return s;
}

int64_t config_get_int(const struct config *c, const char *section, const char *sub,
		       const char *key)
{
	const char *v = config_get(c, section, sub, key);
	int64_t n;

	if (v == NULL || civil_parse_i64(v, INT64_MIN, INT64_MAX, &n) < 0)
		return -1;
	return n;
}

size_t config_subsections(const struct config *c, const char *section,
			  const char **out, size_t max)
{
	size_t n = 0;

	for (size_t i = 0; c != NULL && i < c->n; i++) {
		int seen = 0;

		if (c->v[i].sub == NULL || strcmp(c->v[i].section, section) != 0)
			continue;
		for (size_t j = 0; j < n && j < max; j++)
			seen |= strcmp(out[j], c->v[i].sub) == 0;
		if (seen)
			continue;
		if (n < max)
			out[n] = c->v[i].sub;
		n++;
	}
	return n;
}
