/* test_ticketurl.c: helpdesk links: template checks, which template
 * applies, percent-encoding, and a missing link leaving the caller's
 * buffer exactly as it was (reports append links into one big buffer). */
#include <criterion/criterion.h>
#include <string.h>

#include "buf.h"
#include "config.h"
#include "ticketurl.h"

static struct config *parse(const char *text)
{
	struct diag d;
	struct config *c = config_parse(text, strlen(text), "test.conf", 0600, &d);

	cr_assert_not_null(c, "%s", d.msg);
	return c;
}

Test(ticketurl, check)
{
	cr_expect_null(ticketurl_check("https://x.example/browse/{key}"));
	cr_expect_null(ticketurl_check("http://x.example/t/{id}?p={partner}&k={key}"));
	cr_expect_null(ticketurl_check("https://x.example/static"));
	cr_expect_not_null(ticketurl_check("javascript:alert(1)//{key}"));
	cr_expect_not_null(ticketurl_check("https://x.example/{keys}"));
	cr_expect_not_null(ticketurl_check("https://x.example/{key"));
	cr_expect_not_null(ticketurl_check("https://x.example/<{key}>"));
	cr_expect_not_null(ticketurl_check("https://x.example/\x1b]8;;"));
	cr_expect_not_null(ticketurl_check("https://x.example/\xc3\xbc"));
}

Test(ticketurl, partner_wins_and_values_are_encoded)
{
	struct config *c = parse("[helpdesk]\nticket_url = https://h.example/{key}\n"
	    "[partner \"acme\"]\nticket_url = https://a.example/{partner}/{id}/{key}\n");
	struct buf b = BUF_INIT;

	cr_expect_eq(ticketurl_format(c, "other", "K 1", 7, &b), 1);
	cr_expect_str_eq(buf_str(&b), "https://h.example/K%201");
	buf_reset(&b);
	cr_expect_eq(ticketurl_format(c, "acme", "\"><script>", 12, &b), 1);
	cr_expect_str_eq(buf_str(&b), "https://a.example/acme/12/%22%3E%3Cscript%3E");
	buf_release(&b);
	config_free(c);
}

Test(ticketurl, no_link_leaves_the_buffer_alone)
{
	struct config *c = parse("[helpdesk]\nticket_url = https://h.example/{id}/{key}\n");
	struct buf b = BUF_INIT;

	buf_adds(&b, "row: ");
	cr_expect_eq(ticketurl_format(c, "acme", NULL, 3, &b), 0);
	cr_expect_str_eq(buf_str(&b), "row: ");
	cr_expect_eq(ticketurl_format(c, "acme", "", 3, &b), 0);
	cr_expect_str_eq(buf_str(&b), "row: ");
	cr_expect_eq(ticketurl_format(NULL, "acme", "K", 3, &b), 0);
	cr_expect_eq(b.len, 5);
	buf_release(&b);
	config_free(c);
}
