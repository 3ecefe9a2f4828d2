/* test_config.c: the configuration file: defaults, sections, errors
 * naming FILE:LINE, the secret-permission rule. */
#include <criterion/criterion.h>
#include <string.h>

#include "config.h"

static struct config *parse(const char *text, unsigned mode, struct diag *d)
{
	return config_parse(text, strlen(text), "test.conf", mode, d);
}

Test(config, defaults_without_a_file)
{
	struct diag d;
	struct config *c = config_load("/nonexistent/slatrack/config", 0, &d);

	cr_assert_not_null(c, "%s", d.msg);
	cr_expect_str_eq(config_get(c, "remind", NULL, "thresholds"), "50,75,90");
	cr_expect_eq(config_get_duration(c, "sla", NULL, "critical"), 86400);
	cr_expect_eq(config_get_duration(c, "sla", NULL, "medium"), -1);
	cr_expect_eq(config_get_int(c, "sla", NULL, "at_risk"), 75);
	cr_expect_null(config_get(c, "me", NULL, "name"));
	cr_expect_str_eq(config_get(c, "smtp", NULL, "tls"), "required");
	config_free(c);
	cr_expect_null(config_load("/nonexistent/slatrack/config", 1, &d));
}

Test(config, sections_and_staff)
{
	static const char text[] =
		"# who I am\n"
		"[me]\n name = alice \n zone = Europe/Dublin\nemail = alice@example.com\n\n"
		"[staff \"bob\"]\nemail = bob@example.com\nzone = Asia/Kolkata\nquiet = 20:00-08:00\n"
		"[staff \"carol\"]\nemail = carol@example.com\n"
		"[remind]\nthresholds = 60, 90\nteam = support@example.com\n"
		"[webhook \"opsgenie\"]\nurl = https://api.example.com/v2/alerts\nevents = breach\n"
		"format = opsgenie\n";
	struct diag d;
	struct config *c = parse(text, 0644, &d);
	const char *subs[4];

	cr_assert_not_null(c, "%s", d.msg);
	cr_expect_str_eq(config_get(c, "me", NULL, "name"), "alice");
	cr_expect_str_eq(config_get(c, "staff", "bob", "zone"), "Asia/Kolkata");
	cr_expect_null(config_get(c, "staff", "carol", "zone"));	/* remind falls back */
	cr_expect_str_eq(config_get(c, "remind", NULL, "thresholds"), "60, 90");
	cr_expect_eq(config_line(c, "staff", "bob", "quiet"), 10);
	cr_expect_eq(config_subsections(c, "staff", subs, 4), 2);
	cr_expect_str_eq(subs[0], "bob");
	cr_expect_str_eq(subs[1], "carol");
	cr_expect_eq(config_subsections(c, "webhook", subs, 4), 1);
	config_free(c);
}

Test(config, remind_start_is_an_instant_with_an_offset)
{
	struct diag d;
	struct config *c = parse("[remind]\nstart = 2026-03-03T08:00:00+01:00\n", 0644, &d);

	cr_assert_not_null(c, "%s", d.msg);
	cr_expect_str_eq(config_get(c, "remind", NULL, "start"), "2026-03-03T08:00:00+01:00");
	config_free(c);
	cr_assert_not_null(c = parse("[remind]\nstart = 2026-03-03T07:00:00Z\n", 0644, &d),
	    "%s", d.msg);
	config_free(c);
}

Test(config, partner_sections)
{
	static const char text[] =
		"[partner \"acme\"]\nnotify = a@example.com, b@example.com\nnotify_contact = yes\n";
	struct diag d;
	struct config *c = parse(text, 0644, &d);
	const char *names[4];

	cr_assert_not_null(c, "%s", d.msg);
	cr_expect_str_eq(config_get(c, "partner", "acme", "notify"), "a@example.com, b@example.com");
	cr_expect_str_eq(config_get(c, "partner", "acme", "notify_contact"), "yes");
	cr_expect_str_eq(config_get(c, "partner", "globex", "notify_contact"), "no");
	cr_expect_null(config_get(c, "partner", "globex", "notify"));
	cr_expect_eq(config_subsections(c, "partner", names, 4), 1);
	config_free(c);
	cr_expect_null(parse("[partner]\nnotify = a@example.com\n", 0644, &d));
	cr_expect_null(parse("[partner \"acme\"]\nnotify = nobody\n", 0644, &d));
	cr_expect(strstr(d.msg, "test.conf:2") != NULL, "%s", d.msg);
	cr_expect_null(parse("[partner \"acme\"]\nnotify_contact = maybe\n", 0644, &d));
}

Test(config, errors_name_the_line)
{
	static const struct { const char *text, *want; } rows[] = {
		{ "[me]\nname = a\n[nope]\n", "test.conf:3: unknown section [nope]" },
		{ "[me]\nnick = a\n", "test.conf:2: unknown key 'nick' in [me]" },
		{ "name = a\n", "test.conf:1: 'name' is outside any [section]" },
		{ "[me]\nzone = Mars/Base\n", "test.conf:2: me.zone: unknown timezone ('Mars/Base')" },
		{ "[sla]\ncritical = 24x\n", "test.conf:2: sla.critical: expected a duration" },
		{ "[remind]\nthresholds = 90,50\n", "test.conf:2: remind.thresholds: expected ascending" },
		{ "[remind]\nstart = 2026-03-03T07:00\n", "test.conf:2: remind.start: expected an instant with Z or an offset" },
		{ "[remind]\nstart = now\n", "test.conf:2: remind.start: expected an instant with Z or an offset" },
		{ "[staff]\nemail = a@b\n", "test.conf:1: section [staff] needs a name" },
		{ "[smtp]\ntls = maybe\n", "test.conf:2: smtp.tls: not one of the allowed values" },
		{ "[me]\nemail = not-an-address\n", "test.conf:2: me.email: expected an e-mail address" },
		{ "[me\n", "test.conf:1: bad section header" },
		{ "[me]\njust words\n", "test.conf:2: expected 'key = value'" },
	};

	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		struct diag d;

		cr_expect_null(parse(rows[i].text, 0600, &d), "row %zu accepted", i);
		cr_expect_eq(d.code, DIAG_INPUT);
		cr_expect(strncmp(d.msg, rows[i].want, strlen(rows[i].want)) == 0,
		    "row %zu: got '%s', want '%s...'", i, d.msg, rows[i].want);
	}
}

Test(config, password_needs_a_private_file)
{
	static const char text[] = "[smtp]\nuser = sla\npassword = hunter2\n";
	struct diag d;
	struct config *c;

	cr_expect_null(parse(text, 0644, &d));
	cr_expect(strstr(d.msg, "0644") != NULL, "%s", d.msg);
	cr_expect(strstr(d.msg, "test.conf") != NULL, "%s", d.msg);
	cr_expect(strstr(d.msg, "hunter2") == NULL, "the password leaked: %s", d.msg);
	cr_expect_null(parse(text, 0640, &d));
	c = parse(text, 0600, &d);
	cr_assert_not_null(c, "%s", d.msg);
	cr_expect_str_eq(config_get(c, "smtp", NULL, "password"), "hunter2");
	config_free(c);
	/* a password_command is no secret in itself */
	c = parse("[smtp]\npassword_command = pass show smtp\n", 0644, &d);
	cr_expect_not_null(c, "%s", d.msg);
	config_free(c);
}
