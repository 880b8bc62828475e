/*
 * str.h - bounded parsing and small string checks shared by every layer.
 */
#ifndef AIMS_UTIL_STR_H
#define AIMS_UTIL_STR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Parses a whole decimal integer in [min, max]; AIMS_EINVALID otherwise. */
int str_to_int64(int64_t *out, const char *s, int64_t min, int64_t max);
bool str_is_slug(const char *s);	/* [a-z0-9-], 2..SLUG_MAX, no edge '-' */
bool str_is_email(const char *s);	/* plausible address, <= EMAIL_MAX */
bool str_is_utf8(const char *s, size_t len);
bool str_has_prefix(const char *s, const char *prefix);
/* Case-insensitive ASCII lowercase copy; caller frees. */
char *str_lower(const char *s);

#define SLUG_MAX	63
#define EMAIL_MAX	254

#endif
