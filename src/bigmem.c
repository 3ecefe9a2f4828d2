/* bigmem.c: mapped arrays that grow with mremap; see bigmem.h. */
#define _GNU_SOURCE	/* mremap */
#include "bigmem.h"

#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#ifdef MREMAP_MAYMOVE
#define BIGMEM_MAP 1
#else
#define BIGMEM_MAP 0
#endif

#if BIGMEM_MAP
static size_t page_round(size_t n)
{
	size_t page = (size_t)sysconf(_SC_PAGESIZE);

	return (n + page - 1) / page * page;
}
#endif

void *bigmem_resize(void *p, size_t old_size, size_t size)
{
#if BIGMEM_MAP
	void *q = p == NULL ? mmap(NULL, page_round(size), PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0) :
	    mremap(p, page_round(old_size), page_round(size), MREMAP_MAYMOVE);

	if (q == MAP_FAILED)
		return NULL;
#ifdef MADV_HUGEPAGE
	madvise(q, page_round(size), MADV_HUGEPAGE);	/* all of it: one piece for mremap */
#endif
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
	munmap(p, page_round(size));
#else
	(void)size;
	free(p);
#endif
}
