/* json.h: JSON string literals, the one escaper every JSON writer uses
 * (ticket/partner lists, export, the report, webhooks, audit values). */
#ifndef SLATRACK_JSON_H
#define SLATRACK_JSON_H

#include <stddef.h>

struct buf;

/* Appends s as a quoted JSON string: '"' and '\\' escaped, control
 * characters, DEL, C1 controls, U+2028/U+2029 and the bidirectional
 * formatting characters of text.h as \uXXXX (the same string to a
 * parser, inert on a terminal), invalid UTF-8 as \ufffd; NULL appends
 * the literal null. */
void json_add_string(struct buf *b, const char *s);
/* The same, cut to at most max_chars characters with a trailing U+2026
 * when longer (0: no limit). */
void json_add_string_max(struct buf *b, const char *s, size_t max_chars);

#endif
