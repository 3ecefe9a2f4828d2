/* text.c: sanitising untrusted text; see text.h. */
#include "text.h"

#include <stdio.h>
#include <string.h>

#include "buf.h"

size_t text_utf8_len(const unsigned char *s, size_t avail, unsigned *cp)
{
	unsigned c = s[0], v;
	size_t n;

	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	if (c >= 0xc2 && c <= 0xdf) {
		n = 2;
		v = c & 0x1f;
	} else if (c >= 0xe0 && c <= 0xef) {
		n = 3;
		v = c & 0x0f;
	} else if (c >= 0xf0 && c <= 0xf4) {
		n = 4;
		v = c & 0x07;
	} else
		return 0;
	if (avail < n)
		return 0;
	for (size_t i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		v = (v << 6) | (s[i] & 0x3f);
	}
	if ((n == 3 && v < 0x800) || (n == 4 && (v < 0x10000 || v > 0x10ffff)) ||
	    (v >= 0xd800 && v <= 0xdfff))
		return 0;
	*cp = v;
	return n;
}

int text_is_bidi_control(unsigned cp)
{
	return (cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069) ||
	    cp == 0x200e || cp == 0x200f || cp == 0x061c;
}

size_t text_plain_span(const char *s, size_t len)
{
	size_t n = 0;

	while (n < len && (unsigned char)s[n] >= 0x20 && (unsigned char)s[n] < 0x7f)
		n++;
	return n;
}

void text_add_safe_n(struct buf *b, const char *s, size_t len, unsigned flags)
{
	const unsigned char *p = (const unsigned char *)s, *end = p + len;

	while (p < end) {
		size_t run = text_plain_span((const char *)p, (size_t)(end - p));
		unsigned cp;
		size_t n;

		if (run > 0) {		/* the common case, copied whole */
			buf_add(b, p, run);
			p += run;
			continue;
		}
		n = text_utf8_len(p, (size_t)(end - p), &cp);

		if (n == 0) {
			buf_adds(b, "\xef\xbf\xbd");	/* U+FFFD */
			p++;
			continue;
		}
		if (cp == '\n' || cp == '\t' || cp == '\r') {
			if (cp == '\n' && (flags & TEXT_KEEP_NEWLINES))
				buf_addc(b, '\n');
			else if (cp != '\r' || !(flags & TEXT_KEEP_NEWLINES))
				buf_addc(b, ' ');
		} else if (cp < 0x20 || cp == 0x7f) {
			buf_addc(b, '^');
			buf_addc(b, cp == 0x7f ? '?' : (char)(cp + '@'));
		} else if ((cp >= 0x80 && cp <= 0x9f) || text_is_bidi_control(cp)) {
			buf_addf(b, "<U+%04X>", cp);
		} else
			buf_add(b, p, n);
		p += n;
	}
}

void text_add_safe(struct buf *b, const char *s, unsigned flags)
{
	text_add_safe_n(b, s, strlen(s), flags);
}
