/* ticketfmt.c: shared formatting for the front ends; see ticketfmt.h. */
#include "ticketfmt.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "buf.h"
#include "civil.h"
#include "store.h"
#include "text.h"
#include "tz.h"

void ticketfmt_label(struct buf *b, const struct store_ticket *t)
{
	buf_addf(b, "#%lld", (long long)t->id);
	if (t->key != NULL) {
		buf_addc(b, ' ');
		text_add_safe(b, t->key, 0);
	}
}

void ticketfmt_short(const struct tz *tz, int64_t at, char out[TIMEFMT_LEN])
{
	const char *abbr = tz_abbrev_at(tz, at);
	size_t n, k = strlen(abbr);

	/* hot in `ticket list`: no printf */
	civil_format_local(tz_utc_to_local(tz, at), 0, out);
	n = strlen(out);
	if (n + 1 + k >= TIMEFMT_LEN)
		k = TIMEFMT_LEN - n - 2;
	out[n] = ' ';
	memcpy(out + n + 1, abbr, k);
	out[n + 1 + k] = '\0';
}

size_t ticketfmt_i64(int64_t v, char out[24])
{
	char tmp[24];
	unsigned long long u = v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v;
	size_t n = 0, k = 0;

	do {
		tmp[n++] = (char)('0' + u % 10);
		u /= 10;
	} while (u > 0);
	if (v < 0)
		out[k++] = '-';
	while (n > 0)
		out[k++] = tmp[--n];
	out[k] = '\0';
	return k;
}

void ticketfmt_iso_local(const struct tz *tz, int64_t at, char out[TIMEFMT_LEN])
{
	char s[CIVIL_ISO_LEN], off[8];

	civil_format_local(tz_utc_to_local(tz, at), 1, s);
	s[10] = 'T';
	tz_format_offset(tz_offset_at(tz, at), off);
	snprintf(out, TIMEFMT_LEN, "%s%s", s, off);
}

void ticketfmt_work(int64_t s, char out[TIMEFMT_LEN])
{
	unsigned long long u = s < 0 ? 0ULL - (unsigned long long)s : (unsigned long long)s;
	size_t k = 0;

	/* hot in `ticket list`: no printf */
	if (s < 0)
		out[k++] = '-';
	if (u >= 3600) {
		unsigned m = (unsigned)(u / 60 % 60);

		k += ticketfmt_i64((int64_t)(u / 3600), out + k);
		out[k++] = 'h';
		out[k++] = ' ';
		out[k++] = (char)('0' + m / 10);
		out[k++] = (char)('0' + m % 10);
		out[k++] = 'm';
	} else if (u >= 60 || u == 0) {
		k += ticketfmt_i64((int64_t)(u / 60), out + k);
		out[k++] = 'm';
	} else {
		k += ticketfmt_i64((int64_t)u, out + k);
		out[k++] = 's';
	}
	out[k] = '\0';
}

void ticketfmt_overrun(int64_t s, char out[TIMEFMT_LEN])
{
	if (s <= 0)
		memcpy(out, "<1m", 4);
	else
		ticketfmt_work(s, out);
}

static size_t char_width(unsigned cp)
{
	int w;

	if (cp < 0x7f)
		return cp >= 0x20;
	w = wcwidth((wchar_t)cp);
	return w < 0 ? 1 : (size_t)w;
}

size_t ticketfmt_width(const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, w = 0;

	while (i < len) {
		unsigned cp;
		size_t n = text_utf8_len(p + i, len - i, &cp);

		if (n == 0) {
			n = 1;
			cp = 0xfffd;
		}
		w += char_width(cp);
		i += n;
	}
	return w;
}

size_t ticketfmt_fit(struct buf *b, const char *s, size_t max)
{
	static const char ellipsis[] = "\xe2\x80\xa6";	/* U+2026, one column */
	size_t start = b->len, i, w = 0, cut = 0, cutw = 0, total;
	const unsigned char *p;

	/* the common case, printable ASCII, in one copy */
	for (i = 0; s[i] >= 0x20 && s[i] < 0x7f; i++)
		;
	if (s[i] == '\0' && (max == 0 || i <= max)) {
		buf_add(b, s, i);
		return i;
	}
	text_add_safe(b, s, 0);
	if (buf_failed(b))
		return 0;
	p = (const unsigned char *)b->data + start;
	total = b->len - start;
	if (max == 0)
		return ticketfmt_width((const char *)p, total);
	for (i = 0; i < total;) {
		unsigned cp;
		size_t n = text_utf8_len(p + i, total - i, &cp), cw;

		if (n == 0) {
			n = 1;
			cp = 0xfffd;
		}
		cw = char_width(cp);
		if (w + cw > max) {
			/* too long: cut where one column is left for the ellipsis */
			b->len = start + cut;
			b->data[b->len] = '\0';
			buf_adds(b, ellipsis);
			return cutw + 1;
		}
		w += cw;
		i += n;
		if (w + 1 <= max) {
			cut = i;
			cutw = w;
		}
	}
	return w;
}
