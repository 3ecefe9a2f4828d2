/* bigmem.h: big arrays that grow without a copy.
 *
 * A listing or a queue of 100,000 tickets is tens of megabytes first
 * touched while the rows are read, and every page of it is a page fault,
 * which in a virtual machine costs more than the work done on the page.
 * So these arrays are mapped: they grow with mremap (realloc copies a
 * heap block, touching twice the memory) and ask for transparent huge
 * pages where the system gives them on request (one fault per 2 MB
 * instead of 512; advice only).  From 256 KB on an array is mapped in
 * whole huge pages on a 2 MB boundary, the only place the kernel puts
 * them, and moved (mremap MREMAP_FIXED) to a new boundary as it grows.
 * Without mremap, plain realloc.
 */
#ifndef SLATRACK_BIGMEM_H
#define SLATRACK_BIGMEM_H

#include <stddef.h>

/* size bytes, or old_size bytes at p grown to size (p NULL: new); NULL
 * when out of memory (p untouched).  Contents are kept, new bytes are
 * zero where mapped. */
void *bigmem_resize(void *p, size_t old_size, size_t size);
/* Releases what bigmem_resize gave, size being its last size; NULL-safe. */
void bigmem_free(void *p, size_t size);

#endif
