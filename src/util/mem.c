/* mem.c - aborting allocators (see mem.h for why). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/mem.h"

static void
mem_die(size_t n)
{
	fprintf(stderr, "aims: out of memory allocating %zu bytes\n", n);
	abort();
}

void *
xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (p == NULL)
		mem_die(n);
	return p;
}

void *
xcalloc(size_t count, size_t n)
{
	void *p = calloc(count ? count : 1, n ? n : 1);

	if (p == NULL)
		mem_die(count * n);
	return p;
}

void *
xrealloc(void *old, size_t n)
{
	void *p = realloc(old, n ? n : 1);

	if (p == NULL)
		mem_die(n);
	return p;
}

char *
xstrdup(const char *s)
{
	return xstrndup(s, strlen(s));
}

char *
xstrndup(const char *s, size_t n)
{
	char *p = xmalloc(n + 1);

	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}
