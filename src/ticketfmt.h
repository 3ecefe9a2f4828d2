/* ticketfmt.h: how tickets, instants and working durations look in the
 * front ends (the ticket, recompute, doctor and audit commands and the
 * TUI).  Pure formatting into caller buffers: no terminal I/O.
 * Everything customer- or user-supplied goes through text_add_safe
 * (text.h) first. */
#ifndef SLATRACK_TICKETFMT_H
#define SLATRACK_TICKETFMT_H

#include <stddef.h>
#include <stdint.h>

#include "timefmt.h"

struct buf;
struct store_ticket;
struct tz;

/* "#12" or "#12 ACME-1" (the key sanitised). */
void ticketfmt_label(struct buf *b, const struct store_ticket *t);
/* "2026-01-12 12:00 CET" in zone tz. */
void ticketfmt_short(const struct tz *tz, int64_t at, char out[TIMEFMT_LEN]);
/* The decimal digits of v into out; returns their number. */
size_t ticketfmt_i64(int64_t v, char out[24]);
/* "2026-01-12T12:00:00+01:00" in zone tz. */
void ticketfmt_iso_local(const struct tz *tz, int64_t at, char out[TIMEFMT_LEN]);
/* Working time in hours and minutes ("18h 00m", "45m", "-2h 00m", "30s"):
 * days are ambiguous when working days are not 24 hours long. */
void ticketfmt_work(int64_t s, char out[TIMEFMT_LEN]);
/* Working time past a deadline, without the sign: ticketfmt_work, except
 * that none at all reads "<1m" (a deadline that passed outside working
 * time: breached, yet no working time over it; never "0m" or "0s"). */
void ticketfmt_overrun(int64_t s, char out[TIMEFMT_LEN]);
/* Display columns of valid, sanitised UTF-8 text (wcwidth; 1 for
 * characters the locale does not know). */
size_t ticketfmt_width(const char *s, size_t len);
/* Appends s sanitised, cut to at most max display columns with an
 * ellipsis when it is longer (max 0 = no limit); returns the columns
 * appended. */
size_t ticketfmt_fit(struct buf *b, const char *s, size_t max);

#endif
