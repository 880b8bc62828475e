/*
 * tz.c - time zones from the tz database's TZif files (RFC 8536), for
 * showing times in an organisation's zone; see tz.h for why not the C
 * library's localtime_r().
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util/error.h"
#include "util/mem.h"
#include "util/tz.h"

#define TZ_HEADER_LEN	44
#define TZ_CACHE_MAX	1024		/* zones kept; the database has about 600 */
#define TZ_OFFSET_MAX	(26 * 3600)	/* RFC 8536: |utoff| below a day and change */

struct tz_type {
	int32_t		offset;
	uint8_t		abbr;		/* index into chars */
};

struct tz {
	char		 name[TZ_NAME_MAX + 1];
	size_t		 ntimes, ntypes, nchars;
	int64_t		*times;		/* ascending */
	uint8_t		*index;		/* type of each transition */
	struct tz_type	*types;
	char		*chars;
	struct tz	*next;		/* the cache */
};

static const struct tz tz_utc = { .name = "UTC" };
static pthread_mutex_t tz_lock = PTHREAD_MUTEX_INITIALIZER;
static struct tz *tz_cache;
static size_t tz_ncache;

bool
tz_name_ok(const char *name)
{
	const char *p;

	if (name == NULL || *name == '\0' || strlen(name) > TZ_NAME_MAX || *name == '/' ||
	    strstr(name, "..") != NULL || strstr(name, "//") != NULL)
		return false;
	for (p = name; *p != '\0'; p++)
		if (!((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
		    (*p >= '0' && *p <= '9') || *p == '/' || *p == '_' || *p == '-' || *p == '+'))
			return false;
	return p[-1] != '/';
}

static uint32_t
tz_u32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static int64_t
tz_i64(const unsigned char *p)
{
	return (int64_t)((uint64_t)tz_u32(p) << 32 | tz_u32(p + 4));
}

struct tz_counts {
	size_t	isut, isstd, leap, time, type, chars;
};

static int
tz_header(struct tz_counts *c, const unsigned char *p, size_t len)
{
	if (len < TZ_HEADER_LEN || memcmp(p, "TZif", 4) != 0)
		return aims_error_set(AIMS_EINVALID, "timezone", "not a TZif file");
	c->isut = tz_u32(p + 20);
	c->isstd = tz_u32(p + 24);
	c->leap = tz_u32(p + 28);
	c->time = tz_u32(p + 32);
	c->type = tz_u32(p + 36);
	c->chars = tz_u32(p + 40);
	/* Bounded before any size is computed from them. */
	if (c->type == 0 || c->type > 256 || c->chars == 0 || c->chars > 256 ||
	    c->time > TZ_FILE_MAX || c->leap > TZ_FILE_MAX || c->isut > c->type ||
	    c->isstd > c->type)
		return aims_error_set(AIMS_EINVALID, "timezone", "a TZif header out of range");
	return 0;
}

/* Bytes of a data block whose times take tsize bytes (4: version 1, 8: later). */
static size_t
tz_block_len(const struct tz_counts *c, size_t tsize)
{
	return c->time * tsize + c->time + c->type * 6 + c->chars + c->leap * (tsize + 4) +
	    c->isstd + c->isut;
}

int
tz_parse(struct tz **out, const unsigned char *data, size_t len)
{
	struct tz_counts c;
	const unsigned char *p;
	size_t tsize = 4, i, need;
	struct tz *z;
	int rc;

	*out = NULL;
	if ((rc = tz_header(&c, data, len)) != 0)
		return rc;
	need = TZ_HEADER_LEN + tz_block_len(&c, 4);
	if (need > len)
		return aims_error_set(AIMS_EINVALID, "timezone", "a TZif file cut short");
	/* Version 2 and later: the 64-bit block that follows replaces the first. */
	if (data[4] >= '2') {
		data += need;
		len -= need;
		if ((rc = tz_header(&c, data, len)) != 0)
			return rc;
		tsize = 8;
		if (TZ_HEADER_LEN + tz_block_len(&c, 8) > len)
			return aims_error_set(AIMS_EINVALID, "timezone", "a TZif file cut short");
	}
	z = xcalloc(1, sizeof(*z));
	z->ntimes = c.time;
	z->ntypes = c.type;
	z->nchars = c.chars;
	z->times = xcalloc(c.time + 1, sizeof(*z->times));
	z->index = xcalloc(c.time + 1, 1);
	z->types = xcalloc(c.type, sizeof(*z->types));
	z->chars = xcalloc(c.chars + 1, 1);
	p = data + TZ_HEADER_LEN;
	for (i = 0; i < c.time; i++, p += tsize) {
		z->times[i] = tsize == 8 ? tz_i64(p) : (int64_t)(int32_t)tz_u32(p);
		if (i > 0 && z->times[i] <= z->times[i - 1])
			goto bad;
	}
	for (i = 0; i < c.time; i++, p++) {
		if ((z->index[i] = *p) >= c.type)
			goto bad;
	}
	for (i = 0; i < c.type; i++, p += 6) {
		z->types[i].offset = (int32_t)tz_u32(p);
		z->types[i].abbr = p[5];
		if (z->types[i].offset < -TZ_OFFSET_MAX || z->types[i].offset > TZ_OFFSET_MAX ||
		    p[4] > 1 || p[5] >= c.chars)
			goto bad;
	}
	memcpy(z->chars, p, c.chars);
	*out = z;
	return 0;
bad:
	tz_free(z);
	return aims_error_set(AIMS_EINVALID, "timezone", "a TZif file with bad data");
}

void
tz_free(struct tz *z)
{
	if (z == NULL || z == &tz_utc)
		return;
	free(z->times);
	free(z->index);
	free(z->types);
	free(z->chars);
	free(z);
}

static int
tz_read(struct tz **out, const char *name)
{
	char path[sizeof(TZ_DIR) + TZ_NAME_MAX + 2];
	unsigned char *data = NULL;
	size_t len = 0;
	ssize_t n;
	int fd, rc;

	snprintf(path, sizeof(path), "%s/%s", TZ_DIR, name);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return aims_error_set(AIMS_EINVALID, "timezone", "there is no time zone '%s' "
		    "(a name such as Europe/Paris or America/New_York)", name);
	data = xmalloc(TZ_FILE_MAX);
	while (len < TZ_FILE_MAX && (n = read(fd, data + len, TZ_FILE_MAX - len)) > 0)
		len += (size_t)n;
	close(fd);
	rc = tz_parse(out, data, len);
	free(data);
	if (rc != 0)
		return aims_error_set(AIMS_EINVALID, "timezone", "there is no time zone '%s'", name);
	snprintf((*out)->name, sizeof((*out)->name), "%s", name);
	return 0;
}

int
tz_load(const struct tz **out, const char *name)
{
	struct tz *z;
	int rc = 0;

	*out = &tz_utc;
	if (name == NULL || *name == '\0' || strcmp(name, "UTC") == 0)
		return 0;
	if (!tz_name_ok(name))
		return aims_error_set(AIMS_EINVALID, "timezone", "'%s' is not a time zone name "
		    "(such as Europe/Paris)", name);
	pthread_mutex_lock(&tz_lock);
	for (z = tz_cache; z != NULL; z = z->next)
		if (strcmp(z->name, name) == 0)
			break;
	if (z == NULL && tz_ncache >= TZ_CACHE_MAX)
		rc = aims_error_set(AIMS_ETOOBIG, "timezone", "too many time zones in use");
	else if (z == NULL && (rc = tz_read(&z, name)) == 0) {
		z->next = tz_cache;
		tz_cache = z;
		tz_ncache++;
	}
	pthread_mutex_unlock(&tz_lock);
	if (rc == 0)
		*out = z;
	return rc;
}

long
tz_offset(const struct tz *z, time_t t, char abbr[TZ_ABBR_MAX])
{
	const struct tz_type *ty;
	size_t lo = 0, hi, mid;

	if (z == NULL || z->ntypes == 0) {
		if (abbr != NULL)
			snprintf(abbr, TZ_ABBR_MAX, "UTC");
		return 0;
	}
	/* The last transition at or before t; before the first, type 0 (RFC 8536 3.2). */
	hi = z->ntimes;
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (z->times[mid] <= (int64_t)t)
			lo = mid + 1;
		else
			hi = mid;
	}
	ty = &z->types[lo == 0 ? 0 : z->index[lo - 1]];
	if (abbr != NULL)
		snprintf(abbr, TZ_ABBR_MAX, "%.*s", (int)(z->nchars - ty->abbr),
		    z->chars + ty->abbr);
	return ty->offset;
}

const char *
tz_name(const struct tz *z)
{
	return z != NULL ? z->name : "UTC";
}
