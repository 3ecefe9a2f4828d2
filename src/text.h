/* text.h: making untrusted text (ticket summaries, calendar names)
 * safe for a terminal.
 *
 * text_add_safe copies UTF-8 text into a buf so that no byte reaching a
 * terminal can act as a control: C0 controls and DEL become caret
 * notation (ESC -> "^[", BEL -> "^G", DEL -> "^?"), C1 controls
 * (U+0080..U+009F) become "<U+009B>" style, and invalid UTF-8 becomes
 * U+FFFD.  Tabs and newlines are shown as spaces unless TEXT_KEEP_NEWLINES.
 *
 * Bidirectional formatting characters become "<U+202E>" style too: the
 * embeddings and overrides U+202A..U+202E, the isolates U+2066..U+2069
 * and the marks U+200E, U+200F and U+061C.  Invisible, they would let a
 * summary reorder what is shown after it (a key, a deadline, the rest
 * of the line: "Trojan Source", CVE-2021-42574); shown by name, they
 * change nothing and the engineer sees that they are there.  Right-to-
 * left letters themselves (Hebrew, Arabic) are kept.
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
/* Whether cp is one of the bidirectional formatting characters above. */
int text_is_bidi_control(unsigned cp);
/* How many bytes at the start of s are printable ASCII (0x20..0x7e):
 * text that passes through unchanged and is one column per byte. */
size_t text_plain_span(const char *s, size_t len);
/* Length of the valid UTF-8 sequence at s (1..4), 0 if invalid. */
size_t text_utf8_len(const unsigned char *s, size_t avail, unsigned *cp);

#endif
