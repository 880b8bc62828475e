/*
 * mem.h - allocation with the daemon's OOM policy: abort.
 *
 * Every state change runs inside a database transaction, so dying on
 * out-of-memory is just a crash that loses nothing committed. The ledger
 * verifier and parsers still check sizes before arithmetic.
 */
#ifndef AIMS_UTIL_MEM_H
#define AIMS_UTIL_MEM_H

#include <stddef.h>

void *xmalloc(size_t n);
void *xcalloc(size_t count, size_t n);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);

#endif
