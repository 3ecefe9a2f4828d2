/* rowpair.h: a long run of rows rendered on two cores, written in order.
 *
 * A year's CSV holds a million records; a queue listing a hundred
 * thousand lines.  rowpair_render renders such a run a chunk at a time:
 * this thread one chunk while a helper thread renders the next into a
 * buffer of its own, then both are handed to the sink in order, so the
 * bytes come out exactly as one thread would write them.  The two
 * buffers are reused chunk after chunk: the output never sits in memory
 * whole (fresh pages cost more than the bytes they hold).
 *
 * fn(b, i, arg) appends row i to b and only reads what it shares with the
 * other thread.  sink(b, arg) takes b's bytes and resets it; it is called
 * by this thread only.  A buffer that fails (out of memory, over its cap)
 * is handed to the sink as it is: buf_failed tells.  No allocation beyond
 * the helper's buffer, no output of its own. */
#ifndef SLATRACK_ROWPAIR_H
#define SLATRACK_ROWPAIR_H

#include <stddef.h>

#include "buf.h"

typedef void rowpair_fn(struct buf *b, size_t i, const void *arg);
typedef void rowpair_sink_fn(struct buf *b, void *arg);

/* Rows 0..n-1 through own (this thread's buffer, handed to sink each
 * time it holds flush_at bytes and at the end of each chunk).  Fewer rows
 * than two chunks, or no thread to be had: all of them here. */
void rowpair_render(struct buf *own, size_t n, rowpair_fn *fn, const void *arg,
		    size_t flush_at, rowpair_sink_fn *sink, void *sink_arg);

#endif
