/* jira.c: Jira Service Management -> tickets; see jira.h.
 *
 * Three pieces: the configuration ([jira] and the partner and staff
 * mappings), the parsing of Jira's answers into mapped issues (jansson),
 * and the run: pages fetched through http-json.c, each written in one
 * transaction with a three-way comparison per field.
 */
#include "jira.h"

#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <jansson.h>

#include "buf.h"
#include "civil.h"
#include "config.h"
#include "fetch.h"
#include "http-json.h"
#include "secret.h"
#include "sla.h"
#include "store-import.h"
#include "store-sync.h"
#include "store.h"
#include "tz.h"

const char *const jira_field_names[JF_COUNT] = {
	"partner", "severity", "summary", "assignee", "created", "first_response",
	"responded_by", "resolved",
};

/* ---- configuration ---------------------------------------------------------- */

static int dup_to(char **dst, const char *v)
{
	*dst = NULL;
	if (v == NULL)
		return 0;
	return (*dst = strdup(v)) != NULL ? 0 : -1;
}

static void wipe_free(char *s)
{
	if (s != NULL) {
		volatile char *p = s;

		while (*p != '\0')
			*p++ = '\0';
		free(s);
	}
}

void jira_conf_release(struct jira_conf *jc)
{
	free(jc->url);
	free(jc->email);
	wipe_free(jc->token);
	free(jc->jql);
	free(jc->partner_field);
	free(jc->cafile);
	free(jc->zone);
	for (size_t i = 0; i < jc->nsev; i++)
		free(jc->sev[i].name);
	memset(jc, 0, sizeof *jc);
}

static int missing_key(const struct config *cfg, const char *key, const char *why,
		       struct diag *d)
{
	return diag_set(d, DIAG_INPUT, "jira.%s is not set in %s: %s", key,
	    config_source(cfg), why);
}

/* "Highest=critical, High=high, *=medium" into jc->sev. */
static int parse_severity_table(const struct config *cfg, const char *v,
				struct jira_conf *jc, struct diag *d)
{
	const char *p = v;
	int line = config_line(cfg, "jira", NULL, "severity");

	jc->sev_default = -1;
	while (*p != '\0') {
		size_t l = strcspn(p, ",");
		const char *eq = memchr(p, '=', l);
		char name[128], sev[32];
		size_t nl, sl;
		const char *a = p, *b;
		int s;

		if (eq == NULL)
			goto bad;
		while (a < eq && (*a == ' ' || *a == '\t'))
			a++;
		nl = (size_t)(eq - a);
		while (nl > 0 && (a[nl - 1] == ' ' || a[nl - 1] == '\t'))
			nl--;
		b = eq + 1;
		while (b < p + l && (*b == ' ' || *b == '\t'))
			b++;
		sl = (size_t)(p + l - b);
		while (sl > 0 && (b[sl - 1] == ' ' || b[sl - 1] == '\t'))
			sl--;
		if (nl == 0 || nl >= sizeof name || sl == 0 || sl >= sizeof sev)
			goto bad;
		memcpy(name, a, nl);
		name[nl] = '\0';
		memcpy(sev, b, sl);
		sev[sl] = '\0';
		if (store_severity_parse(sev, &s) < 0)
			return diag_set(d, DIAG_INPUT, "%s:%d: jira.severity: '%s' is not one of "
			    "critical, high, medium, low", config_source(cfg), line, sev);
		if (strcmp(name, "*") == 0)
			jc->sev_default = s;
		else {
			if (jc->nsev == JIRA_MAX_SEVMAP)
				return diag_set(d, DIAG_INPUT, "%s:%d: jira.severity: more than %d "
				    "priorities", config_source(cfg), line, JIRA_MAX_SEVMAP);
			if ((jc->sev[jc->nsev].name = strdup(name)) == NULL)
				return diag_set(d, DIAG_NOMEM, "out of memory");
			jc->sev[jc->nsev++].severity = s;
		}
		p += l;
		if (*p == ',')
			p++;
	}
	return 0;
bad:
	return diag_set(d, DIAG_INPUT, "%s:%d: jira.severity: expected PRIORITY=SEVERITY, "
	    "... such as Highest=critical,High=high,*=medium", config_source(cfg), line);
}

int jira_conf_load(const struct config *cfg, int load_secret, struct jira_conf *jc,
		   struct diag *d)
{
	const char *url = config_get(cfg, "jira", NULL, "url");
	const char *jql = config_get(cfg, "jira", NULL, "jql");
	const char *email = config_get(cfg, "jira", NULL, "email");
	const char *token = config_get(cfg, "jira", NULL, "token");
	const char *tcmd = config_get(cfg, "jira", NULL, "token_command");
	const char *pf = config_get(cfg, "jira", NULL, "partner_field");
	struct diag ud;
	int64_t v;
	size_t ul;

	memset(jc, 0, sizeof *jc);
	jc->cfg = cfg;
	jc->sev_default = -1;
	if (url == NULL || *url == '\0')
		return missing_key(cfg, "url", "the Jira site to read, such as "
		    "https://example.atlassian.net", d);
	if (jql == NULL || *jql == '\0')
		return missing_key(cfg, "jql", "which issues to follow, such as "
		    "project = SUP", d);
	if (email == NULL || *email == '\0')
		return missing_key(cfg, "email", "the Atlassian account the API token "
		    "belongs to", d);
	if ((token == NULL || *token == '\0') && (tcmd == NULL || *tcmd == '\0'))
		return missing_key(cfg, "token", "the account's API token (or "
		    "jira.token_command)", d);
	if (pf == NULL || (strcmp(pf, "project") != 0 && strncmp(pf, "customfield_", 12) != 0))
		return diag_set(d, DIAG_INPUT, "%s:%d: jira.partner_field: expected project or "
		    "a field id such as customfield_10002", config_source(cfg),
		    config_line(cfg, "jira", NULL, "partner_field"));
	if (fetch_check_url(url, &ud) < 0) {
		if (ud.code != DIAG_INPUT) {	/* no libcurl, no memory: not jira.url's */
			*d = ud;
			return -1;
		}
		return diag_set(d, DIAG_INPUT, "%s:%d: jira.url: %s", config_source(cfg),
		    config_line(cfg, "jira", NULL, "url"), ud.msg);
	}
	ul = strlen(url);
	while (ul > 0 && url[ul - 1] == '/')
		ul--;
	if ((jc->url = strndup(url, ul)) == NULL || dup_to(&jc->jql, jql) < 0 ||
	    dup_to(&jc->email, email) < 0 || dup_to(&jc->partner_field, pf) < 0 ||
	    dup_to(&jc->cafile, config_get(cfg, "jira", NULL, "cafile")) < 0 ||
	    dup_to(&jc->zone, config_get(cfg, "jira", NULL, "zone")) < 0) {
		jira_conf_release(jc);
		return diag_set(d, DIAG_NOMEM, "out of memory");
	}
	if (parse_severity_table(cfg, config_get(cfg, "jira", NULL, "severity"), jc, d) < 0) {
		jira_conf_release(jc);
		return -1;
	}
	jc->overlap_s = (v = config_get_duration(cfg, "jira", NULL, "overlap")) >= 0 ? v : 600;
	jc->timeout_s = (v = config_get_duration(cfg, "jira", NULL, "timeout")) > 0 ? v : 30;
	jc->limit_s = (v = config_get_duration(cfg, "jira", NULL, "limit")) > 0 ? v : 600;
	v = config_get_int(cfg, "jira", NULL, "page_size");
	jc->page_size = v >= 1 && v <= 5000 ? (int)v : 100;
	if (!load_secret)
		return 0;
	if (token != NULL && *token != '\0') {
		if (dup_to(&jc->token, token) < 0) {
			jira_conf_release(jc);
			return diag_set(d, DIAG_NOMEM, "out of memory");
		}
	} else if (secret_from_command(tcmd, "jira.token_command", config_line(cfg, "jira",
	    NULL, "token_command"), "jira.timeout", (long)jc->timeout_s, &jc->token, d) < 0) {
		jira_conf_release(jc);
		return -1;
	}
	return 0;
}

/* ---- mapping ------------------------------------------------------------------ */

void jira_issue_release(struct jira_issue *ji)
{
	free(ji->key);
	free(ji->updated);
	free(ji->partner_value);
	free(ji->reporter);
	for (int f = 0; f < JF_COUNT; f++)
		free(ji->v[f]);
	free(ji->error);
	memset(ji, 0, sizeof *ji);
}

void jira_page_release(struct jira_page *pg)
{
	for (size_t i = 0; i < pg->n; i++)
		jira_issue_release(&pg->issues[i]);
	free(pg->issues);
	free(pg->next_token);
	memset(pg, 0, sizeof *pg);
}

int jira_parse_time(const char *s, int64_t *at)
{
	char norm[40];
	size_t n = 0;
	const char *p = s;
	enum civil_instant_kind kind;

	/* YYYY-MM-DDTHH:MM:SS, then an optional fraction, then Z or +HHMM
	 * or +HH:MM */
	if (strlen(s) < 19 || strlen(s) > 35)
		return -1;
	memcpy(norm, p, 19);
	n = 19;
	p += 19;
	if (*p == '.') {
		p++;
		while (*p >= '0' && *p <= '9')
			p++;
	}
	if (*p == 'Z' && p[1] == '\0')
		norm[n++] = 'Z';
	else if ((*p == '+' || *p == '-') && strlen(p) == 5) {
		norm[n++] = *p;
		memcpy(norm + n, p + 1, 2);
		n += 2;
		norm[n++] = ':';
		memcpy(norm + n, p + 3, 2);
		n += 2;
	} else if ((*p == '+' || *p == '-') && strlen(p) == 6 && p[3] == ':') {
		memcpy(norm + n, p, 6);
		n += 6;
	} else
		return -1;
	norm[n] = '\0';
	if (civil_parse_instant(norm, at, &kind) < 0 || kind != CIVIL_INSTANT_UTC)
		return -1;
	return 0;
}

static const char *jstr(json_t *o, const char *key)
{
	json_t *v = json_is_object(o) ? json_object_get(o, key) : NULL;

	return json_is_string(v) ? json_string_value(v) : NULL;
}

static int set_text(struct jira_issue *ji, int f, const char *v)
{
	free(ji->v[f]);
	ji->v[f] = strdup(v != NULL ? v : "");
	return ji->v[f] != NULL ? 0 : -1;
}

static int set_instant(struct jira_issue *ji, int f, int64_t at)
{
	char iso[CIVIL_ISO_LEN];

	civil_format_utc(at, iso);
	return set_text(ji, f, iso);
}

static int issue_error(struct jira_issue *ji, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static int issue_error(struct jira_issue *ji, const char *fmt, ...)
{
	char msg[400];
	va_list ap;

	if (ji->error != NULL)
		return 0;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	ji->error = strdup(msg);
	return ji->error != NULL ? 0 : -1;
}

/* A custom field's value as text: a string, a number, an option's
 * value/name, or the first element of an array of those. */
static const char *field_text(json_t *v, char *tmp, size_t size)
{
	if (json_is_array(v))
		v = json_array_get(v, 0);
	if (json_is_string(v))
		return json_string_value(v);
	if (json_is_integer(v)) {
		snprintf(tmp, size, "%lld", (long long)json_integer_value(v));
		return tmp;
	}
	if (json_is_object(v)) {
		const char *s = jstr(v, "value");

		if (s == NULL)
			s = jstr(v, "name");
		if (s == NULL)
			s = jstr(v, "key");
		return s;
	}
	return NULL;
}

/* The partner key for value: [partner "KEY"] jira = VALUE, else the
 * value itself (checked against the database when written). */
static const char *partner_for(const struct config *cfg, const char *value)
{
	const char *subs[256];
	size_t n = config_subsections(cfg, "partner", subs, 256);

	for (size_t i = 0; i < n && i < 256; i++) {
		const char *j = config_get(cfg, "partner", subs[i], "jira");

		if (j != NULL && strcasecmp(j, value) == 0)
			return subs[i];
	}
	return value;
}

/* The staff NAME whose email is addr, else NULL. */
static const char *staff_for(const struct config *cfg, const char *addr)
{
	const char *subs[256];
	size_t n = config_subsections(cfg, "staff", subs, 256);

	for (size_t i = 0; addr != NULL && i < n && i < 256; i++) {
		const char *e = config_get(cfg, "staff", subs[i], "email");

		if (e != NULL && strcasecmp(e, addr) == 0)
			return subs[i];
	}
	return NULL;
}

/* A comment that counts as the first response: public, by an agent
 * (not the reporter, not a JSM customer). */
static int is_agent_reply(const struct jira_issue *ji, json_t *c)
{
	json_t *pub = json_object_get(c, "jsdPublic");
	json_t *author = json_object_get(c, "author");
	const char *id = jstr(author, "accountId"), *type = jstr(author, "accountType");

	if (json_is_false(pub))
		return 0;
	if (type != NULL && strcmp(type, "customer") == 0)
		return 0;
	return !(id != NULL && ji->reporter != NULL && strcmp(id, ji->reporter) == 0);
}

/* Looks at comments (a JSON array) for an earlier first response. */
static int scan_comments(struct jira_issue *ji, json_t *comments)
{
	size_t i;
	json_t *c;

	json_array_foreach(comments, i, c) {
		const char *when = jstr(c, "created");
		int64_t at, cur;
		enum civil_instant_kind kind;

		if (!json_is_object(c) || !is_agent_reply(ji, c))
			continue;
		if (when == NULL || jira_parse_time(when, &at) < 0) {
			if (issue_error(ji, "comment %zu: bad created '%.40s'", i + 1,
			    when != NULL ? when : "") < 0)
				return -1;
			continue;
		}
		if (ji->v[JF_FIRST_RESPONSE] != NULL && *ji->v[JF_FIRST_RESPONSE] != '\0' &&
		    civil_parse_instant(ji->v[JF_FIRST_RESPONSE], &cur, &kind) == 0 && cur <= at)
			continue;
		if (set_instant(ji, JF_FIRST_RESPONSE, at) < 0 ||
		    set_text(ji, JF_RESPONDED_BY, jstr(json_object_get(c, "author"),
		    "displayName")) < 0)
			return -1;
	}
	return 0;
}

static int map_severity(const struct jira_conf *jc, const char *prio)
{
	for (size_t i = 0; prio != NULL && i < jc->nsev; i++)
		if (strcasecmp(jc->sev[i].name, prio) == 0)
			return jc->sev[i].severity;
	return jc->sev_default;
}

/* One element of "issues" into ji; -1 only when out of memory. */
static int map_issue(const struct jira_conf *jc, json_t *is, struct jira_issue *ji)
{
	json_t *f = json_object_get(is, "fields");
	const char *key = jstr(is, "key"), *s;
	json_t *cm;
	int64_t at;
	int sev;
	char tmp[64];

	for (int i = 0; i < JF_COUNT; i++)
		if (set_text(ji, i, "") < 0)
			return -1;
	if (dup_to(&ji->key, key) < 0 || dup_to(&ji->updated, jstr(f, "updated")) < 0 ||
	    dup_to(&ji->reporter, jstr(json_object_get(f, "reporter"), "accountId")) < 0)
		return -1;
	if (key == NULL || *key == '\0' || !json_is_object(f))
		return issue_error(ji, "an issue without key or fields");
	if (ji->updated == NULL && (ji->updated = strdup("")) == NULL)
		return -1;

	/* partner */
	if (strcmp(jc->partner_field, "project") == 0)
		s = jstr(json_object_get(f, "project"), "key");
	else
		s = field_text(json_object_get(f, jc->partner_field), tmp, sizeof tmp);
	if (s == NULL || *s == '\0') {
		if (issue_error(ji, "no %s value to find the partner by (jira.partner_field)",
		    jc->partner_field) < 0)
			return -1;
	} else if (dup_to(&ji->partner_value, s) < 0 ||
	    set_text(ji, JF_PARTNER, partner_for(jc->cfg, s)) < 0)
		return -1;

	/* severity */
	s = jstr(json_object_get(f, "priority"), "name");
	if ((sev = map_severity(jc, s)) < 0) {
		if (issue_error(ji, "priority '%s' is not in jira.severity (add %s=SEVERITY, "
		    "or *=SEVERITY for any other)", s != NULL ? s : "(none)",
		    s != NULL ? s : "NAME") < 0)
			return -1;
	} else if (set_text(ji, JF_SEVERITY, store_severity_name(sev)) < 0)
		return -1;

	if ((s = jstr(f, "summary")) == NULL || *s == '\0') {
		if (issue_error(ji, "no summary") < 0)
			return -1;
	} else if (set_text(ji, JF_SUMMARY, s) < 0)
		return -1;

	if (json_is_object(json_object_get(f, "assignee"))) {
		json_t *a = json_object_get(f, "assignee");
		const char *who = staff_for(jc->cfg, jstr(a, "emailAddress"));

		if (who == NULL)
			who = jstr(a, "displayName");
		if (who != NULL && set_text(ji, JF_ASSIGNEE, who) < 0)
			return -1;
	}

	if ((s = jstr(f, "created")) == NULL || jira_parse_time(s, &at) < 0) {
		if (issue_error(ji, "bad or missing created '%.40s'", s != NULL ? s : "") < 0)
			return -1;
	} else if (set_instant(ji, JF_CREATED, at) < 0)
		return -1;

	if ((s = jstr(f, "resolutiondate")) != NULL) {
		if (jira_parse_time(s, &at) < 0) {
			if (issue_error(ji, "bad resolutiondate '%.40s'", s) < 0)
				return -1;
		} else if (set_instant(ji, JF_RESOLVED, at) < 0)
			return -1;
	}

	cm = json_object_get(f, "comment");
	if (json_is_object(cm)) {
		json_t *list = json_object_get(cm, "comments");
		json_t *total = json_object_get(cm, "total");
		json_t *start = json_object_get(cm, "startAt");
		size_t n = json_is_array(list) ? json_array_size(list) : 0;

		if (scan_comments(ji, list) < 0)
			return -1;
		ji->comments_seen = (int)n + (json_is_integer(start) ?
		    (int)json_integer_value(start) : 0);
		ji->comments_partial = *ji->v[JF_FIRST_RESPONSE] == '\0' &&
		    json_is_integer(total) && json_integer_value(total) > ji->comments_seen;
	}
	return 0;
}

static int parse_json(const char *body, size_t len, const char *what, json_t **root,
		      struct diag *d)
{
	json_error_t je;

	if ((*root = json_loadb(body, len, JSON_REJECT_DUPLICATES, &je)) == NULL)
		return diag_set(d, DIAG_NET, "%s: malformed JSON at line %d column %d: %s",
		    what, je.line, je.column, je.text);
	if (!json_is_object(*root)) {
		json_decref(*root);
		return diag_set(d, DIAG_NET, "%s: expected a JSON object", what);
	}
	return 0;
}

int jira_parse_page(const struct jira_conf *jc, const char *body, size_t len,
		    struct jira_page *pg, struct diag *d)
{
	json_t *root, *issues, *last, *is;
	const char *tok;
	size_t i;

	memset(pg, 0, sizeof *pg);
	if (parse_json(body, len, "search/jql answer", &root, d) < 0)
		return -1;
	issues = json_object_get(root, "issues");
	last = json_object_get(root, "isLast");
	tok = jstr(root, "nextPageToken");
	if (!json_is_array(issues)) {
		json_decref(root);
		return diag_set(d, DIAG_NET, "search/jql answer: no \"issues\" array");
	}
	pg->is_last = json_is_true(last) || (last == NULL && tok == NULL);
	if (!pg->is_last && tok == NULL) {
		json_decref(root);
		return diag_set(d, DIAG_NET, "search/jql answer: isLast is false but there is "
		    "no nextPageToken");
	}
	if ((tok != NULL && !pg->is_last && (pg->next_token = strdup(tok)) == NULL) ||
	    (json_array_size(issues) > 0 &&
	    (pg->issues = calloc(json_array_size(issues), sizeof *pg->issues)) == NULL))
		goto nomem;
	json_array_foreach(issues, i, is) {
		if (!json_is_object(is)) {
			jira_page_release(pg);
			json_decref(root);
			return diag_set(d, DIAG_NET, "search/jql answer: issue %zu is not an "
			    "object", i + 1);
		}
		pg->n++;
		if (map_issue(jc, is, &pg->issues[i]) < 0)
			goto nomem;
	}
	json_decref(root);
	return 0;
nomem:
	jira_page_release(pg);
	json_decref(root);
	return diag_set(d, DIAG_NOMEM, "out of memory");
}

int jira_parse_comments(const struct jira_conf *jc, const char *body, size_t len,
			struct jira_issue *ji, int *total, struct diag *d)
{
	json_t *root, *list, *t;

	(void)jc;
	if (parse_json(body, len, "comment answer", &root, d) < 0)
		return -1;
	list = json_object_get(root, "comments");
	t = json_object_get(root, "total");
	if (!json_is_array(list) || !json_is_integer(t)) {
		json_decref(root);
		return diag_set(d, DIAG_NET, "comment answer: no \"comments\" array or total");
	}
	*total = (int)json_integer_value(t);
	if (scan_comments(ji, list) < 0) {
		json_decref(root);
		return diag_set(d, DIAG_NOMEM, "out of memory");
	}
	ji->comments_seen += (int)json_array_size(list);
	if (json_array_size(list) == 0)
		ji->comments_seen = *total;	/* nothing more will come */
	json_decref(root);
	return 0;
}

/* ---- JQL ------------------------------------------------------------------------ */

char *jira_build_jql(const struct jira_conf *jc, int64_t since, struct diag *d)
{
	struct buf b = BUF_INIT;
	const char *q = jc->jql, *order = NULL;
	char *r;

	if (since == STORE_NONE) {
		if ((r = strdup(q)) == NULL)
			diag_set(d, DIAG_NOMEM, "out of memory");
		return r;
	}
	/* the condition goes before an ORDER BY clause */
	for (const char *p = q; *p != '\0'; p++)
		if (strncasecmp(p, "order by", 8) == 0 && (p == q || p[-1] == ' ' ||
		    p[-1] == ')'))
			order = p;
	{
		struct tz *z = tz_load(jc->zone != NULL ? jc->zone : "UTC", d);
		int64_t local;
		char iso[CIVIL_ISO_LEN];
		size_t condlen = order != NULL ? (size_t)(order - q) : strlen(q);

		if (z == NULL)
			return NULL;
		local = tz_utc_to_local(z, since);
		tz_free(z);
		civil_format_local(local, 0, iso);	/* 2026-12-04T11:55 */
		while (condlen > 0 && q[condlen - 1] == ' ')
			condlen--;
		if (condlen > 0)
			buf_addf(&b, "(%.*s) AND ", (int)condlen, q);
		buf_addf(&b, "updated >= \"%.4s/%.2s/%.2s %.5s\"", iso, iso + 5, iso + 8,
		    iso + 11);
		if (order != NULL)
			buf_addf(&b, " %s", order);
	}
	if ((r = buf_detach(&b)) == NULL)
		diag_set(d, DIAG_NOMEM, "out of memory");
	return r;
}

/* ---- the run -------------------------------------------------------------------- */

struct runner {
	struct store *s;
	const struct jira_conf *jc;
	const struct jira_run *run;
	struct jira_result *r;
	struct http_client *http;
	struct sla_cache *cache;
	int64_t deadline_ms;
	struct buf line;
};

static int64_t mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void sleep_ms(int64_t ms)
{
	struct timespec ts = { (time_t)(ms / 1000), (long)(ms % 1000) * 1000000L };

	while (ms > 0 && nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

static void note(struct runner *rn, int problem, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void note(struct runner *rn, int problem, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	if (rn->run->note != NULL)
		rn->run->note(rn->run->arg, problem, msg);
}

/* What Jira said went wrong: its first errorMessages entry, else the
 * start of the body, printable ASCII only. */
static void error_text(const struct http_answer *a, char *out, size_t size)
{
	json_t *root = json_loadb(a->body, a->len, 0, NULL);
	json_t *msgs = json_is_object(root) ? json_object_get(root, "errorMessages") : NULL;
	const char *m = json_is_array(msgs) && json_is_string(json_array_get(msgs, 0)) ?
	    json_string_value(json_array_get(msgs, 0)) : a->body;
	size_t n = 0;

	for (const char *p = m; *p != '\0' && n + 1 < size && n < 160; p++)
		out[n++] = *p >= 0x20 && *p < 0x7f ? *p : ' ';
	out[n] = '\0';
	json_decref(root);
}

/* One request with the answers Jira documents: 200 is handed back; 429
 * (and 503) wait for Retry-After, at most JIRA_MAX_WAIT_S each and
 * JIRA_MAX_RETRIES times, within jira.limit; another 5xx is tried
 * twice more after 1 and 2 s; the rest is an error. */
static int request(struct runner *rn, const char *method, const char *url,
		   const char *body, struct http_answer *a, struct diag *d)
{
	int waits = 0, fails = 0;
	char why[200];

	for (;;) {
		if (mono_ms() > rn->deadline_ms)
			return diag_set(d, DIAG_NET, "jira: stopped after jira.limit (%lld s); "
			    "the pages written so far stay, the next run goes on",
			    (long long)rn->jc->limit_s);
		if (http_json_request(rn->http, method, url, body, a, d) < 0)
			return -1;
		rn->r->requests++;
		if (a->status == 200)
			return 0;
		if (a->status == 429 || a->status == 503) {
			long w = a->retry_after_s >= 0 ? a->retry_after_s : 1L << waits;

			if (waits >= JIRA_MAX_RETRIES || w > JIRA_MAX_WAIT_S ||
			    mono_ms() + w * 1000 > rn->deadline_ms) {
				long st = a->status;

				http_answer_release(a);
				return diag_set(d, DIAG_NET, "%s: HTTP %ld: Jira asks to wait %ld s "
				    "(Retry-After) after %d waits: gave up%s, run again later", url,
				    st, w, waits, mono_ms() + w * 1000 > rn->deadline_ms ?
				    " (it would run past jira.limit)" : "");
			}
			http_answer_release(a);
			waits++;
			rn->r->waits++;
			sleep_ms(w * 1000);
			continue;
		}
		if (a->status >= 500 && fails < 2) {
			http_answer_release(a);
			sleep_ms(1000L << fails);
			fails++;
			continue;
		}
		error_text(a, why, sizeof why);
		if (a->status == 401 || a->status == 403) {
			long st = a->status;

			http_answer_release(a);
			return diag_set(d, DIAG_INPUT, "%s: HTTP %ld: Jira refused the account: "
			    "check jira.email and jira.token (or jira.token_command) in %s, and "
			    "that the account may browse the projects of jira.jql", url, st,
			    config_source(rn->jc->cfg));
		}
		{
			long st = a->status;

			http_answer_release(a);
			if (st == 410)
				return diag_set(d, DIAG_NET, "%s: HTTP 410 Gone: Jira removed this "
				    "API endpoint", url);
			if (st == 400)
				return diag_set(d, DIAG_INPUT, "%s: HTTP 400: %s (check jira.jql in "
				    "%s)", url, why, config_source(rn->jc->cfg));
			return diag_set(d, DIAG_NET, "%s: HTTP %ld%s%s", url, st,
			    *why ? ": " : "", why);
		}
	}
}

static char *search_body(const struct jira_conf *jc, const char *jql, const char *token)
{
	json_t *req = json_object(), *fields = json_array();
	const char *names[] = {
		"summary", "created", "updated", "priority", "assignee", "reporter",
		"project", "resolutiondate", "comment",
	};
	char *r = NULL;
	json_t *q = json_string(jql);

	if (req == NULL || fields == NULL || q == NULL)
		goto out;
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		json_array_append_new(fields, json_string(names[i]));
	if (strcmp(jc->partner_field, "project") != 0)
		json_array_append_new(fields, json_string(jc->partner_field));
	json_object_set_new(req, "jql", q);
	q = NULL;
	json_object_set(req, "fields", fields);
	json_object_set_new(req, "maxResults", json_integer(jc->page_size));
	if (token != NULL)
		json_object_set_new(req, "nextPageToken", json_string(token));
	r = json_dumps(req, JSON_COMPACT);
out:
	json_decref(q);
	json_decref(fields);
	json_decref(req);
	return r;
}

/* The rest of an issue's comments, while no first response is found. */
static int more_comments(struct runner *rn, struct jira_issue *ji, struct diag *d)
{
	struct buf url = BUF_INIT;
	int total = ji->comments_seen + 1, rc = 0;

	while (*ji->v[JF_FIRST_RESPONSE] == '\0' && ji->comments_seen < total) {
		struct http_answer a;

		buf_reset(&url);
		buf_addf(&url, "%s/rest/api/3/issue/", rn->jc->url);
		http_url_escape(&url, ji->key);
		buf_addf(&url, "/comment?startAt=%d&maxResults=100&orderBy=created",
		    ji->comments_seen);
		if (buf_failed(&url)) {
			rc = diag_set(d, DIAG_NOMEM, "out of memory");
			break;
		}
		if (request(rn, "GET", buf_str(&url), NULL, &a, d) < 0) {
			rc = -1;
			break;
		}
		rc = jira_parse_comments(rn->jc, a.body, a.len, ji, &total, d);
		http_answer_release(&a);
		if (rc < 0) {
			diag_prefix(d, "%s", ji->key);
			break;
		}
	}
	buf_release(&url);
	return rc;
}

/* ---- three-way comparison ------------------------------------------------------ */

static int same(const char *a, const char *b)
{
	return strcmp(a != NULL ? a : "", b != NULL ? b : "") == 0;
}

/* "field=value" lines, value with \ and newlines escaped. */
static char *base_format(char *const v[JF_COUNT])
{
	struct buf b = BUF_INIT;

	for (int f = 0; f < JF_COUNT; f++) {
		buf_addf(&b, "%s=", jira_field_names[f]);
		for (const char *p = v[f] != NULL ? v[f] : ""; *p != '\0'; p++)
			if (*p == '\\')
				buf_adds(&b, "\\\\");
			else if (*p == '\n')
				buf_adds(&b, "\\n");
			else
				buf_addc(&b, *p);
		buf_addc(&b, '\n');
	}
	return buf_detach(&b);
}

static int base_parse(const char *text, char *v[JF_COUNT])
{
	const char *p = text;

	for (int f = 0; f < JF_COUNT; f++)
		v[f] = NULL;
	while (*p != '\0') {
		size_t l = strcspn(p, "\n");
		const char *eq = memchr(p, '=', l);

		for (int f = 0; eq != NULL && f < JF_COUNT; f++) {
			struct buf b = BUF_INIT;

			if (strlen(jira_field_names[f]) != (size_t)(eq - p) ||
			    strncmp(jira_field_names[f], p, (size_t)(eq - p)) != 0)
				continue;
			for (const char *q = eq + 1; q < p + l; q++)
				if (*q == '\\' && q + 1 < p + l) {
					q++;
					buf_addc(&b, *q == 'n' ? '\n' : *q);
				} else
					buf_addc(&b, *q);
			free(v[f]);
			if ((v[f] = buf_detach(&b)) == NULL)
				return -1;
		}
		p += l;
		if (*p == '\n')
			p++;
	}
	return 0;
}

static void strings_free(char *v[JF_COUNT])
{
	for (int f = 0; f < JF_COUNT; f++) {
		free(v[f]);
		v[f] = NULL;
	}
}

/* The ticket's values in the form of jira_issue.v. */
static int ticket_values(const struct store_ticket *t, char *v[JF_COUNT])
{
	char iso[CIVIL_ISO_LEN];
	const int64_t at[3] = { t->created_at, t->first_response_at, t->resolved_at };
	const int fi[3] = { JF_CREATED, JF_FIRST_RESPONSE, JF_RESOLVED };
	int fail = 0;

	fail |= dup_to(&v[JF_PARTNER], t->partner_key != NULL ? t->partner_key : "");
	fail |= dup_to(&v[JF_SEVERITY], store_severity_name(t->severity));
	fail |= dup_to(&v[JF_SUMMARY], t->summary != NULL ? t->summary : "");
	fail |= dup_to(&v[JF_ASSIGNEE], t->assignee != NULL ? t->assignee : "");
	fail |= dup_to(&v[JF_RESPONDED_BY], t->responded_by != NULL ? t->responded_by : "");
	for (int i = 0; i < 3; i++) {
		iso[0] = '\0';
		if (at[i] != STORE_NONE)
			civil_format_utc(at[i], iso);
		fail |= dup_to(&v[fi[i]], iso);
	}
	return fail ? -1 : 0;
}

static int64_t instant_of(const char *v)
{
	int64_t at;
	enum civil_instant_kind kind;

	if (v == NULL || *v == '\0' || civil_parse_instant(v, &at, &kind) < 0)
		return STORE_NONE;
	return at;
}

static char *text_or_null(const char *v, int *fail)
{
	char *r;

	if (v == NULL || *v == '\0')
		return NULL;
	if ((r = strdup(v)) == NULL)
		*fail = 1;
	return r;
}

/* t = old (a copy) with the values v; the deadline planned again when
 * partner, severity or created differ from old's (or old is new). */
static int ticket_from_values(const struct store_ticket *old, char *const v[JF_COUNT],
			      const struct sla_partner *sp, struct store_ticket *t,
			      struct diag *d)
{
	int fail = 0, sev;

	*t = *old;
	t->key = text_or_null(old->key, &fail);
	t->partner_key = NULL;
	t->customer = text_or_null(old->customer, &fail);
	t->summary = text_or_null(v[JF_SUMMARY], &fail);
	t->assignee = text_or_null(v[JF_ASSIGNEE], &fail);
	t->responded_by = text_or_null(v[JF_RESPONDED_BY], &fail);
	if (fail) {
		store_ticket_release(t);
		return diag_set(d, DIAG_NOMEM, "out of memory");
	}
	if (store_severity_parse(v[JF_SEVERITY], &sev) == 0)
		t->severity = sev;
	t->partner_id = sp->partner.id;
	t->created_at = instant_of(v[JF_CREATED]);
	t->first_response_at = instant_of(v[JF_FIRST_RESPONSE]);
	t->resolved_at = instant_of(v[JF_RESOLVED]);
	if (old->id == 0 || t->partner_id != old->partner_id || t->severity != old->severity ||
	    t->created_at != old->created_at) {
		if (sla_plan_ticket(sp, t, NULL, 0, d) < 0) {
			store_ticket_release(t);
			return -1;
		}
	}
	return 0;
}

static const char *shown(const char *v)
{
	return v != NULL && *v != '\0' ? v : "-";
}

/* Writes one mapped issue inside the page's transaction. */
static int process(struct runner *rn, struct jira_issue *ji, struct diag *d)
{
	const struct sla_partner *sp;
	struct store_ticket old, t;
	char *local[JF_COUNT] = { 0 }, *base[JF_COUNT] = { 0 }, *next[JF_COUNT] = { 0 };
	char *bupdated = NULL, *btext = NULL, *newbase = NULL;
	int64_t bticket = 0;
	int found, hasbase, rc = -1, nchanged = 0;
	struct diag pd;
	struct buf *ln = &rn->line;

	rn->r->issues++;
	if (ji->error != NULL) {
		note(rn, 1, "%s: skipped: %s", ji->key ? ji->key : "?", ji->error);
		rn->r->unmapped++;
		return 0;
	}
	diag_clear(&pd);
	if ((sp = sla_cache_get_key(rn->cache, ji->v[JF_PARTNER], &pd)) == NULL) {
		if (pd.code != DIAG_INPUT) {
			*d = pd;
			return -1;
		}
		note(rn, 1, "%s: skipped: no partner '%s' for %s '%s' (add jira = %s to the "
		    "[partner \"KEY\"] section of %s)", ji->key, ji->v[JF_PARTNER],
		    rn->jc->partner_field, ji->partner_value, ji->partner_value,
		    config_source(rn->jc->cfg));
		rn->r->unmapped++;
		return 0;
	}
	store_ticket_init(&old);
	store_ticket_init(&t);
	if ((found = store_ticket_find_key(rn->s, ji->key, &old, d)) < 0 ||
	    (hasbase = store_sync_issue_get(rn->s, "jira", ji->key, &bticket, &bupdated,
	    &btext, d)) < 0)
		goto out;
	if (hasbase && (!found || bticket != old.id))
		hasbase = 0;
	if (hasbase && base_parse(btext, base) < 0)
		goto nomem;
	if (!found) {
		old.key = strdup(ji->key);
		if (old.key == NULL)
			goto nomem;
		for (int f = 0; f < JF_COUNT; f++)
			next[f] = ji->v[f];
	} else {
		if (ticket_values(&old, local) < 0)
			goto nomem;
		buf_reset(ln);
		for (int f = 0; f < JF_COUNT; f++) {
			const char *L = local[f], *R = ji->v[f];

			next[f] = local[f];
			if (same(L, R))
				continue;
			if (hasbase ? same(L, base[f]) : *L == '\0')
				next[f] = ji->v[f];		/* Jira changed it */
			else if (hasbase && same(R, base[f]))
				continue;			/* edited here only */
			else
				buf_addf(ln, "%s%s %s in slatrack, %s in Jira%s%s%s",
				    ln->len ? "; " : "", jira_field_names[f], shown(L), shown(R),
				    hasbase ? " (was " : "", hasbase ? shown(base[f]) : "",
				    hasbase ? ")" : "");
		}
		if (ln->len > 0) {
			note(rn, 1, "%s: conflict: %s; ticket #%lld left alone (make both say the "
			    "same to go on)", ji->key, buf_str(ln), (long long)old.id);
			rn->r->conflicts++;
			rc = 0;
			goto out;
		}
	}
	if ((newbase = base_format(ji->v)) == NULL)
		goto nomem;
	for (int f = 0; found && f < JF_COUNT; f++)
		nchanged += !same(local[f], next[f]);
	if (found && nchanged == 0) {
		rn->r->unchanged++;
		if (!(hasbase && same(btext, newbase) && same(bupdated, ji->updated)) &&
		    store_sync_issue_put(rn->s, "jira", ji->key, old.id, ji->updated, newbase,
		    d) < 0)
			goto out;
		rc = 0;
		goto out;
	}
	diag_clear(&pd);
	if (ticket_from_values(&old, next, sp, &t, &pd) < 0) {
		if (pd.code != DIAG_INPUT) {
			*d = pd;
			goto out;
		}
		note(rn, 1, "%s: skipped: %s", ji->key, pd.msg);
		rn->r->unmapped++;
		rc = 0;
		goto out;
	}
	if (!found) {
		char origin[300];

		snprintf(origin, sizeof origin, "jira %s", ji->key);
		if (store_ticket_add_as(rn->s, &t, "ticket.sync", origin, JIRA_ACTOR,
		    rn->run->now_at, &pd) < 0)
			goto rejected;
		note(rn, 0, "%s: added (partner %s, %s, created %s%s%s%s%s)", ji->key,
		    next[JF_PARTNER], next[JF_SEVERITY], next[JF_CREATED],
		    *next[JF_FIRST_RESPONSE] ? ", responded " : "", next[JF_FIRST_RESPONSE],
		    *next[JF_RESOLVED] ? ", resolved " : "", next[JF_RESOLVED]);
		rn->r->added++;
	} else {
		if (store_ticket_update(rn->s, &old, &t, "ticket.sync", JIRA_ACTOR,
		    rn->run->now_at, &pd) < 0)
			goto rejected;
		buf_reset(ln);
		for (int f = 0; f < JF_COUNT; f++)
			if (!same(local[f], next[f]))
				buf_addf(ln, "%s%s %s -> %s", ln->len ? ", " : "",
				    jira_field_names[f], shown(local[f]), shown(next[f]));
		note(rn, 0, "%s: %s", ji->key, buf_str(ln));
		rn->r->updated++;
	}
	if (store_sync_issue_put(rn->s, "jira", ji->key, t.id, ji->updated, newbase, d) < 0)
		goto out;
	rc = 0;
	goto out;
rejected:
	if (pd.code != DIAG_INPUT) {
		*d = pd;
		goto out;
	}
	note(rn, 1, "%s: skipped: %s", ji->key, pd.msg);
	rn->r->unmapped++;
	rc = 0;
	goto out;
nomem:
	diag_set(d, DIAG_NOMEM, "out of memory");
out:
	strings_free(local);
	strings_free(base);
	free(bupdated);
	free(btext);
	free(newbase);
	store_ticket_release(&old);
	store_ticket_release(&t);
	return rc;
}

static int write_page(struct runner *rn, struct jira_page *pg, struct diag *d)
{
	if (store_begin(rn->s, d) < 0)
		return -1;
	for (size_t i = 0; i < pg->n; i++)
		if (process(rn, &pg->issues[i], d) < 0) {
			store_rollback(rn->s);
			return -1;
		}
	if (rn->run->dry_run) {
		store_rollback(rn->s);
		return 0;
	}
	return store_commit(rn->s, d);
}

/* The next page is fetched on a thread of its own while the current one
 * is written (its commit waits for the disk, the request for Jira): the
 * thread alone uses the HTTP client until it is joined. */
struct prefetch {
	struct runner *rn;
	const char *url;
	char *body;
	struct http_answer a;
	struct diag d;
	int rc, started;
	pthread_t thread;
};

static void *prefetch_run(void *arg)
{
	struct prefetch *p = arg;

	p->rc = request(p->rn, "POST", p->url, p->body, &p->a, &p->d);
	return NULL;
}

static int prefetch_start(struct prefetch *p, struct runner *rn, const char *url,
			  const char *jql, const char *token, struct diag *d)
{
	memset(p, 0, sizeof *p);
	p->rn = rn;
	p->url = url;
	if ((p->body = search_body(rn->jc, jql, token)) == NULL)
		return diag_set(d, DIAG_INPUT, "jira.jql: cannot be sent (not valid UTF-8?)");
	diag_clear(&p->d);
	if (pthread_create(&p->thread, NULL, prefetch_run, p) == 0)
		p->started = 1;
	else
		prefetch_run(p);	/* no thread: fetch it now */
	return 0;
}

/* Waits for the page; 0 with p->a filled, or -1 with d. */
static int prefetch_join(struct prefetch *p, struct diag *d)
{
	if (p->started)
		pthread_join(p->thread, NULL);
	p->started = 0;
	free(p->body);
	p->body = NULL;
	if (p->rc < 0) {
		*d = p->d;
		return -1;
	}
	return 0;
}

int jira_sync(struct store *s, const struct jira_conf *jc, const struct jira_run *run,
	      struct jira_result *r, struct diag *d)
{
	struct runner rn;
	struct prefetch pf;
	struct buf url = BUF_INIT;
	char *jql = NULL, *token = NULL;
	int64_t last;
	int rc = -1, pending = 0;

	memset(r, 0, sizeof *r);
	memset(&rn, 0, sizeof rn);
	memset(&pf, 0, sizeof pf);
	rn.s = s;
	rn.jc = jc;
	rn.run = run;
	rn.r = r;
	buf_init(&rn.line);
	rn.deadline_ms = mono_ms() + jc->limit_s * 1000;
	if (store_sync_last(s, "jira", &last, d) < 0)
		return -1;
	if (run->full)
		last = STORE_NONE;
	r->incremental = last != STORE_NONE;
	if ((jql = jira_build_jql(jc, last == STORE_NONE ? STORE_NONE : last - jc->overlap_s,
	    d)) == NULL)
		return -1;
	if ((rn.cache = sla_cache_new(s)) == NULL) {
		free(jql);
		return diag_set(d, DIAG_NOMEM, "out of memory");
	}
	if ((rn.http = http_client_new(jc->email, jc->token, jc->cafile, (long)jc->timeout_s,
	    d)) == NULL)
		goto out;
	buf_addf(&url, "%s/rest/api/3/search/jql", jc->url);
	if (buf_failed(&url)) {
		diag_set(d, DIAG_NOMEM, "out of memory");
		goto out;
	}
	if (prefetch_start(&pf, &rn, buf_str(&url), jql, NULL, d) < 0)
		goto out;
	pending = 1;
	for (;;) {
		struct jira_page pg;
		int wrc;

		pending = 0;
		if (prefetch_join(&pf, d) < 0)
			goto out;
		wrc = jira_parse_page(jc, pf.a.body, pf.a.len, &pg, d);
		http_answer_release(&pf.a);
		if (wrc < 0) {
			diag_prefix(d, "%s", buf_str(&url));
			goto out;
		}
		r->pages++;
		for (size_t i = 0; i < pg.n; i++)
			if (pg.issues[i].error == NULL && pg.issues[i].comments_partial &&
			    more_comments(&rn, &pg.issues[i], d) < 0) {
				jira_page_release(&pg);
				goto out;
			}
		if (!pg.is_last) {
			if (token != NULL && strcmp(token, pg.next_token) == 0) {
				jira_page_release(&pg);
				diag_set(d, DIAG_NET, "%s: Jira gave the same nextPageToken twice",
				    buf_str(&url));
				goto out;
			}
			free(token);
			token = pg.next_token;
			pg.next_token = NULL;
			if (prefetch_start(&pf, &rn, buf_str(&url), jql, token, d) < 0) {
				jira_page_release(&pg);
				goto out;
			}
			pending = 1;
		}
		wrc = write_page(&rn, &pg, d);
		if (wrc < 0 || pg.is_last) {
			jira_page_release(&pg);
			if (wrc < 0)
				goto out;
			break;
		}
		jira_page_release(&pg);
	}
	if (!run->dry_run && r->conflicts == 0 && r->unmapped == 0) {
		if (store_begin(s, d) < 0)
			goto out;
		if (store_sync_set_last(s, "jira", run->now_at, d) < 0) {
			store_rollback(s);
			goto out;
		}
		if (store_commit(s, d) < 0)
			goto out;
	}
	rc = 0;
out:
	if (pending) {
		struct diag ignored;

		if (prefetch_join(&pf, &ignored) == 0)
			http_answer_release(&pf.a);
	}
	if (rc < 0 && d->code == DIAG_OK)
		diag_set(d, DIAG_NET, "jira: sync failed");
	free(jql);
	free(token);
	buf_release(&url);
	buf_release(&rn.line);
	http_client_free(rn.http);
	sla_cache_free(rn.cache);
	return rc;
}
