/* text.h: making untrusted text (ticket summaries, calendar names)
 * safe for a terminal.
 *
 * text_add_safe copies UTF-8 text into a buf so that no byte reaching a
 * terminal can act as a control: C0 controls and DEL become caret
 * notation (ESC -> "^[", BEL -> "^G", DEL -> "^?"), C1 controls
 * (U+0080..U+009F) become "<U+009B>" style, and invalid UTF-8 becomes
 * U+FFFD.  Tabs and newlines are shown as spaces unless TEXT_KEEP_NEWLINES.
 */
#ifndef SLATRACK_TEXT_H
#define SLATRACK_TEXT_H

#include <stddef.h>

struct buf;

enum text_flags {
	TEXT_KEEP_NEWLINES = 1 << 0
};

void text_add_safe(struct buf *b, const char *s, unsigned flags);
void text_add_safe_n(struct buf *b, const char *s, size_t len, unsigned flags);
/* How many bytes at the start of s are printable ASCII (0x20..0x7e):
 * text that passes through unchanged and is one column per byte. */
size_t text_plain_span(const char *s, size_t len);
/* Length of the valid UTF-8 sequence at s (1..4), 0 if invalid. */
size_t text_utf8_len(const unsigned char *s, size_t avail, unsigned *cp);

#endif
