/*
 * buf.h - a growable byte buffer, always NUL-terminated.
 *
 * Used to build responses, SQL-free text output and canonical JSON.
 * A zeroed struct buf is an empty buffer; buf_free() releases it.
 */
#ifndef AIMS_UTIL_BUF_H
#define AIMS_UTIL_BUF_H

#include <stddef.h>

struct buf {
	char	*data;
	size_t	 len;
	size_t	 cap;
};

#define BUF_INIT { NULL, 0, 0 }

void buf_grow(struct buf *b, size_t extra);
void buf_append(struct buf *b, const void *data, size_t len);
void buf_puts(struct buf *b, const char *s);
void buf_putc(struct buf *b, char c);
void buf_printf(struct buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Appends v in decimal, as printf's "%lld" writes it, without printf's cost. */
void buf_put_int(struct buf *b, long long v);
void buf_reset(struct buf *b);
/* Hands the data to the caller (who frees it); the buffer becomes empty. */
char *buf_detach(struct buf *b);
void buf_free(struct buf *b);
/* Returns the contents as a string; never NULL. Borrowed. */
const char *buf_str(const struct buf *b);

#endif
