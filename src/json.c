/* json.c: JSON string literals; see json.h. */
#include "json.h"

#include <string.h>

#include "buf.h"
#include "text.h"

static int json_plain(unsigned char c)
{
	return c >= 0x20 && c < 0x7f && c != '"' && c != '\\';
}

void json_add_string_max(struct buf *b, const char *s, size_t max_chars)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t len, i = 0, chars = 0;

	if (s == NULL) {
		buf_adds(b, "null");
		return;
	}
	len = strlen(s);
	buf_addc(b, '"');
	while (i < len) {
		unsigned cp;
		size_t n, run = 0;

		/* runs of plain printable ASCII are copied at once */
		while (i + run < len && json_plain(p[i + run]) &&
		    (max_chars == 0 || chars + run + 1 < max_chars))
			run++;
		if (run > 0) {
			buf_add(b, p + i, run);
			i += run;
			chars += run;
			continue;
		}
		n = text_utf8_len(p + i, len - i, &cp);
		if (max_chars > 0 && chars + 1 >= max_chars && i + (n ? n : 1) < len) {
			buf_adds(b, "\xe2\x80\xa6");	/* U+2026 */
			break;
		}
		chars++;
		if (n == 0) {
			buf_adds(b, "\\ufffd");
			i++;
			continue;
		}
		if (cp == '"' || cp == '\\') {
			buf_addc(b, '\\');
			buf_addc(b, (char)cp);
		} else if (cp == '\n')
			buf_adds(b, "\\n");
		else if (cp == '\r')
			buf_adds(b, "\\r");
		else if (cp == '\t')
			buf_adds(b, "\\t");
		else if (cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp <= 0x9f) ||
		    cp == 0x2028 || cp == 0x2029 || text_is_bidi_control(cp))
			buf_addf(b, "\\u%04x", cp);
		else
			buf_add(b, p + i, n);
		i += n;
	}
	buf_addc(b, '"');
}

void json_add_string(struct buf *b, const char *s)
{
	json_add_string_max(b, s, 0);
}
