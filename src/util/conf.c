/*
 * conf.c - the operator settings file beside the database (util/conf.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/buf.h"
#include "util/conf.h"
#include "util/error.h"

const char *const conf_keys[] = { "smtp_url", "mail_from", "smtp_ca_file", "site_url",
    NULL };

static int
conf_path(struct buf *b, const char *db_path)
{
	buf_printf(b, "%s" CONF_SUFFIX, db_path);
	return 0;
}

static int
conf_key_known(const char *key)
{
	const char *const *k;

	for (k = conf_keys; *k != NULL; k++)
		if (strcmp(*k, key) == 0)
			return 1;
	return 0;
}

/* The whole file (empty when there is none). */
static int
conf_read(struct buf *out, const char *path)
{
	char chunk[4096];
	ssize_t n;
	int fd;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return errno == ENOENT ? 0 : aims_error_set(AIMS_ERROR, "config", "cannot open %s: %s",
		    path, strerror(errno));
	while ((n = read(fd, chunk, sizeof(chunk))) > 0) {
		if (out->len + (size_t)n > CONF_FILE_MAX) {
			close(fd);
			return aims_error_set(AIMS_ETOOBIG, "config", "%s is over %d bytes", path,
			    CONF_FILE_MAX);
		}
		buf_append(out, chunk, (size_t)n);
	}
	close(fd);
	return n < 0 ? aims_error_set(AIMS_ERROR, "config", "cannot read %s", path) : 0;
}

int
conf_parse(char out[CONF_VALUE_MAX], const char *text, size_t len, const char *key)
{
	const char *line = text, *end = text + len, *nl, *eq;
	size_t klen = strlen(key), vlen;
	int rc = AIMS_ENOTFOUND;

	out[0] = '\0';
	while (line < end) {
		if ((nl = memchr(line, '\n', (size_t)(end - line))) == NULL)
			nl = end;
		eq = memchr(line, '=', (size_t)(nl - line));
		if (eq != NULL && (size_t)(eq - line) == klen && memcmp(line, key, klen) == 0) {
			vlen = (size_t)(nl - eq - 1);
			if (vlen >= CONF_VALUE_MAX)
				vlen = CONF_VALUE_MAX - 1;
			memcpy(out, eq + 1, vlen);
			out[vlen] = '\0';
			rc = 0;
		}
		line = nl + 1;
	}
	return rc;
}

int
conf_get(char out[CONF_VALUE_MAX], const char *db_path, const char *key)
{
	struct buf path = BUF_INIT, text = BUF_INIT;
	int rc;

	out[0] = '\0';
	conf_path(&path, db_path);
	if ((rc = conf_read(&text, buf_str(&path))) == 0 &&
	    (rc = conf_parse(out, text.data != NULL ? text.data : "", text.len, key)) != 0)
		aims_error_set(rc, "key", "%s is not set", key);
	buf_free(&path);
	buf_free(&text);
	return rc;
}

int
conf_set(const char *db_path, const char *key, const char *value)
{
	struct buf path = BUF_INIT, tmp = BUF_INIT, text = BUF_INIT, next = BUF_INIT;
	char *line, *save = NULL, *eq;
	int fd = -1, rc;

	if (!conf_key_known(key))
		return aims_error_set(AIMS_EINVALID, "key", "unknown setting '%s': smtp_url, "
		    "mail_from or smtp_ca_file", key);
	if (value != NULL && (strlen(value) >= CONF_VALUE_MAX || strpbrk(value, "\r\n") != NULL))
		return aims_error_set(AIMS_EINVALID, "value", "a value is one line of fewer than %d "
		    "bytes", CONF_VALUE_MAX);
	conf_path(&path, db_path);
	if ((rc = conf_read(&text, buf_str(&path))) != 0)
		goto done;
	for (line = text.data != NULL ? strtok_r(text.data, "\n", &save) : NULL; line != NULL;
	    line = strtok_r(NULL, "\n", &save)) {
		if ((eq = strchr(line, '=')) != NULL && (size_t)(eq - line) == strlen(key) &&
		    strncmp(line, key, strlen(key)) == 0)
			continue;
		buf_printf(&next, "%s\n", line);
	}
	if (value != NULL)
		buf_printf(&next, "%s=%s\n", key, value);
	buf_printf(&tmp, "%s.tmp", buf_str(&path));
	/* 0600 from the start: the file may hold the mail server's password. */
	if ((fd = open(buf_str(&tmp), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600)) < 0 ||
	    fchmod(fd, 0600) != 0 ||
	    write(fd, next.data ? next.data : "", next.len) != (ssize_t)next.len ||
	    fsync(fd) != 0) {
		rc = aims_error_set(AIMS_ERROR, "config", "cannot write %s: %s", buf_str(&tmp),
		    strerror(errno));
		goto done;
	}
	if (rename(buf_str(&tmp), buf_str(&path)) != 0)
		rc = aims_error_set(AIMS_ERROR, "config", "cannot replace %s: %s", buf_str(&path),
		    strerror(errno));
done:
	if (fd >= 0)
		close(fd);
	buf_free(&path);
	buf_free(&tmp);
	buf_free(&text);
	buf_free(&next);
	return rc;
}

const char *
conf_setting(char buf[CONF_VALUE_MAX], const char *db_path, const char *key, const char *env)
{
	const char *v = env != NULL ? getenv(env) : NULL;

	if (v != NULL && *v != '\0')
		return v;
	if (conf_get(buf, db_path, key) == 0 && buf[0] != '\0')
		return buf;
	return NULL;
}
