/* bigmem.c: mapped arrays that grow with mremap; see bigmem.h. */
#define _GNU_SOURCE	/* mremap */
#include "bigmem.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#ifdef MREMAP_MAYMOVE
#define BIGMEM_MAP 1
#else
#define BIGMEM_MAP 0
#endif

#if BIGMEM_MAP
#define HUGE_PAGE ((size_t)2 << 20)

static size_t page_round(size_t n)
{
	size_t page = (size_t)sysconf(_SC_PAGESIZE);

	return (n + page - 1) / page * page;
}

/* From this size on, whole huge pages: an array this big is on its way
 * to megabytes, and the small pages it started in stay small. */
#define HUGE_FROM (HUGE_PAGE / 8)

/* The bytes mapped for n. */
static size_t map_size(size_t n)
{
	return n < HUGE_FROM ? page_round(n) : (n + HUGE_PAGE - 1) / HUGE_PAGE * HUGE_PAGE;
}

/* size bytes (a multiple of HUGE_PAGE) starting on a huge page boundary:
 * the kernel gives huge pages only to aligned 2 MB pieces, and mmap and
 * mremap place a mapping on any small page. */
static void *map_aligned(size_t size)
{
	char *p = mmap(NULL, size + HUGE_PAGE, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	size_t head;

	if (p == MAP_FAILED)
		return NULL;
	head = (HUGE_PAGE - (uintptr_t)p % HUGE_PAGE) % HUGE_PAGE;
	if (head > 0)
		munmap(p, head);
	munmap(p + head + size, HUGE_PAGE - head);
	return p + head;
}
#endif

void *bigmem_resize(void *p, size_t old_size, size_t size)
{
#if BIGMEM_MAP
	size_t ns = map_size(size), os = p != NULL ? map_size(old_size) : 0;
	void *q;

	if (ns < HUGE_FROM) {
		q = p == NULL ? mmap(NULL, ns, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0) : mremap(p, os, ns, MREMAP_MAYMOVE);
		return q == MAP_FAILED ? NULL : q;
	}
	if (p != NULL && ns == os)
		return p;
	/* a new aligned place, then the old pages moved there (no copy):
	 * MREMAP_FIXED replaces the fresh mapping, leaving one.  Small pages
	 * are copied instead: moved, they would keep the first 2 MB small. */
	if ((q = map_aligned(ns)) == NULL)
		return NULL;
#ifdef MADV_HUGEPAGE
	madvise(q, ns, MADV_HUGEPAGE);	/* advice only */
#endif
	if (p != NULL && os < HUGE_FROM) {
		memcpy(q, p, old_size < size ? old_size : size);
		munmap(p, os);
	} else if (p != NULL) {
		void *r = mremap(p, os, ns, MREMAP_MAYMOVE | MREMAP_FIXED, q);

		if (r == MAP_FAILED) {
			munmap(q, ns);
			return NULL;
		}
		q = r;
	}
	return q;
#else
	(void)old_size;
	return realloc(p, size);
#endif
}

void bigmem_free(void *p, size_t size)
{
	if (p == NULL)
		return;
#if BIGMEM_MAP
	munmap(p, map_size(size));
#else
	(void)size;
	free(p);
#endif
}
