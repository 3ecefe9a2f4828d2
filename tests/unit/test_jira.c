/* test_jira.c: the pure parts of `sync jira`: Jira's instants, the
 * incremental JQL, the [jira] configuration and the mapping of one page
 * of /rest/api/3/search/jql to ticket fields. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "jira.h"
#include "store.h"

static struct config *conf(const char *text)
{
	struct diag d;
	struct config *c = config_parse(text, strlen(text), "t.conf", 0600, &d);

	cr_assert_not_null(c, "%s", d.msg);
	return c;
}

static const char BASE[] =
	"[jira]\nurl = https://example.atlassian.net/\nemail = bot@example.com\n"
	"token = t\njql = project = SUP order by key\n";

Test(jira, parse_time)
{
	int64_t at;

	cr_assert_eq(jira_parse_time("2026-12-01T09:30:00.000+0100", &at), 0);
	cr_expect_eq(at, 1796113800);
	cr_assert_eq(jira_parse_time("2026-12-01T08:30:00Z", &at), 0);
	cr_expect_eq(at, 1796113800);
	cr_assert_eq(jira_parse_time("2026-12-01T03:30:00.5-05:00", &at), 0);
	cr_expect_eq(at, 1796113800);
	cr_expect_eq(jira_parse_time("2026-12-01T09:30:00.000", &at), -1);
	cr_expect_eq(jira_parse_time("01/Dec/26 9:30 AM", &at), -1);
	cr_expect_eq(jira_parse_time("2026-12-01T09:30:00+01", &at), -1);
}

Test(jira, jql_incremental_before_order_by)
{
	struct config *c = conf(BASE);
	struct jira_conf jc;
	struct diag d;
	char *q;

	cr_assert_eq(jira_conf_load(c, 0, &jc, &d), 0, "%s", d.msg);
	cr_expect_str_eq(jc.url, "https://example.atlassian.net");
	q = jira_build_jql(&jc, STORE_NONE, &d);
	cr_expect_str_eq(q, "project = SUP order by key");
	free(q);
	q = jira_build_jql(&jc, 1796113800, &d);	/* 2026-12-01T08:30:00Z */
	cr_expect_str_eq(q, "(project = SUP) AND updated >= \"2026/12/01 08:30\" order by key");
	free(q);
	free(jc.jql);
	jc.jql = strdup("ORDER BY updated");
	q = jira_build_jql(&jc, 1796113800, &d);
	cr_expect_str_eq(q, "updated >= \"2026/12/01 08:30\" ORDER BY updated");
	free(q);
	jira_conf_release(&jc);
	config_free(c);
}

Test(jira, jql_in_the_account_zone)
{
	char text[512];
	struct config *c;
	struct jira_conf jc;
	struct diag d;
	char *q;

	snprintf(text, sizeof text, "%szone = Europe/Berlin\n", BASE);
	c = conf(text);
	cr_assert_eq(jira_conf_load(c, 0, &jc, &d), 0, "%s", d.msg);
	q = jira_build_jql(&jc, 1796113800, &d);
	cr_expect_str_eq(q, "(project = SUP) AND updated >= \"2026/12/01 09:30\" order by key");
	free(q);
	jira_conf_release(&jc);
	config_free(c);
}

Test(jira, config_errors_name_the_key)
{
	struct config *c = conf("[jira]\nurl = https://x.atlassian.net\nemail = a@b.c\ntoken = t\n");
	struct jira_conf jc;
	struct diag d;

	cr_expect_eq(jira_conf_load(c, 0, &jc, &d), -1);
	cr_expect(strstr(d.msg, "jira.jql is not set in t.conf") != NULL, "%s", d.msg);
	config_free(c);
	c = conf("[jira]\nurl = https://x.atlassian.net\nemail = a@b.c\ntoken = t\njql = x\n"
	    "severity = Highest=urgent\n");
	cr_expect_eq(jira_conf_load(c, 0, &jc, &d), -1);
	cr_expect(strstr(d.msg, "t.conf:6: jira.severity: 'urgent'") != NULL, "%s", d.msg);
	config_free(c);
	c = conf("[jira]\nurl = https://x.atlassian.net\nemail = a@b.c\ntoken = t\njql = x\n"
	    "partner_field = organization\n");
	cr_expect_eq(jira_conf_load(c, 0, &jc, &d), -1);
	cr_expect(strstr(d.msg, "jira.partner_field") != NULL, "%s", d.msg);
	config_free(c);
}

Test(jira, page_mapping)
{
	char text[1024];
	struct config *c;
	struct jira_conf jc;
	struct jira_page pg;
	struct diag d;
	const char body[] =
		"{\"issues\":[{\"id\":\"1\",\"key\":\"SUP-1\",\"fields\":{"
		"\"summary\":\"Down\",\"created\":\"2026-12-01T09:30:00.000+0100\","
		"\"updated\":\"2026-12-01T11:00:00.000+0100\",\"priority\":{\"name\":\"P2\"},"
		"\"assignee\":{\"displayName\":\"Bob B\",\"emailAddress\":\"BOB@example.com\"},"
		"\"reporter\":{\"accountId\":\"c1\"},"
		"\"customfield_10002\":[{\"id\":\"5\",\"name\":\"Acme Ltd\"}],"
		"\"resolutiondate\":\"2026-12-02T10:00:00.000+0000\","
		"\"comment\":{\"comments\":[{\"author\":{\"accountId\":\"c1\"},"
		"\"created\":\"2026-12-01T09:31:00.000+0100\"},"
		"{\"author\":{\"accountId\":\"a1\",\"displayName\":\"Ann\"},"
		"\"created\":\"2026-12-01T09:45:00.000+0100\",\"jsdPublic\":true}],"
		"\"total\":2,\"startAt\":0}}},"
		"{\"id\":\"2\",\"key\":\"SUP-2\",\"fields\":{\"summary\":\"x\","
		"\"created\":\"2026-12-01T09:30:00.000+0100\",\"priority\":{\"name\":\"Weird\"},"
		"\"customfield_10002\":[{\"name\":\"Other\"}],"
		"\"comment\":{\"comments\":[],\"total\":3,\"startAt\":0}}}],"
		"\"nextPageToken\":\"abc\",\"isLast\":false}";

	snprintf(text, sizeof text, "%spartner_field = customfield_10002\n"
	    "severity = P1=critical,P2=high\n[partner \"acme\"]\njira = Acme Ltd\n"
	    "[staff \"bob\"]\nemail = bob@example.com\n", BASE);
	c = conf(text);
	cr_assert_eq(jira_conf_load(c, 0, &jc, &d), 0, "%s", d.msg);
	cr_assert_eq(jira_parse_page(&jc, body, strlen(body), &pg, &d), 0, "%s", d.msg);
	cr_assert_eq(pg.n, 2);
	cr_expect_str_eq(pg.next_token, "abc");
	cr_expect_eq(pg.is_last, 0);
	cr_expect_null(pg.issues[0].error, "%s", pg.issues[0].error);
	cr_expect_str_eq(pg.issues[0].v[JF_PARTNER], "acme");
	cr_expect_str_eq(pg.issues[0].v[JF_SEVERITY], "high");
	cr_expect_str_eq(pg.issues[0].v[JF_ASSIGNEE], "bob");
	cr_expect_str_eq(pg.issues[0].v[JF_CREATED], "2026-12-01T08:30:00Z");
	cr_expect_str_eq(pg.issues[0].v[JF_FIRST_RESPONSE], "2026-12-01T08:45:00Z");
	cr_expect_str_eq(pg.issues[0].v[JF_RESPONDED_BY], "Ann");
	cr_expect_str_eq(pg.issues[0].v[JF_RESOLVED], "2026-12-02T10:00:00Z");
	cr_expect_eq(pg.issues[0].comments_partial, 0);
	cr_assert_not_null(pg.issues[1].error);
	cr_expect(strstr(pg.issues[1].error, "priority 'Weird' is not in jira.severity") != NULL);
	cr_expect_str_eq(pg.issues[1].v[JF_PARTNER], "Other");	/* a partner key, checked later */
	cr_expect_eq(pg.issues[1].comments_partial, 1);
	jira_page_release(&pg);
	jira_conf_release(&jc);
	config_free(c);
}

Test(jira, malformed_pages)
{
	struct config *c = conf(BASE);
	struct jira_conf jc;
	struct jira_page pg;
	struct diag d;

	cr_assert_eq(jira_conf_load(c, 0, &jc, &d), 0, "%s", d.msg);
	cr_expect_eq(jira_parse_page(&jc, "{\"issues\": [", 12, &pg, &d), -1);
	cr_expect(strstr(d.msg, "malformed JSON") != NULL, "%s", d.msg);
	cr_expect_eq(jira_parse_page(&jc, "{\"total\": 1}", 12, &pg, &d), -1);
	cr_expect(strstr(d.msg, "no \"issues\" array") != NULL, "%s", d.msg);
	cr_expect_eq(jira_parse_page(&jc, "{\"issues\":[],\"isLast\":false}", 28, &pg, &d), -1);
	cr_expect(strstr(d.msg, "no nextPageToken") != NULL, "%s", d.msg);
	jira_conf_release(&jc);
	config_free(c);
}
