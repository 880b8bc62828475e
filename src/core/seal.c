/*
 * seal.c - sealing with a key kept beside the database (core/seal.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/seal.h"
#include "store/db.h"
#include "util/error.h"

#define SEAL_SUFFIX	".seal"
#define SEAL_MODE	0600

/* Reads the key of the database's seal file, making it on first use. */
static int
seal_key(unsigned char key[crypto_secretbox_KEYBYTES], struct db *db)
{
	char path[4096], *base;
	ssize_t n;
	int fd, tries;
	size_t len;

	/* Beside the ledger key: the same file on every server of a PostgreSQL store. */
	base = db_local_base(db_path(db));
	len = (size_t)snprintf(path, sizeof(path), "%s%s", base, SEAL_SUFFIX);
	free(base);
	if (len >= sizeof(path))
		return aims_error_set(AIMS_ERROR, "db", "the database path is too long");
	for (tries = 0; tries < 2; tries++) {
		if ((fd = open(path, O_RDONLY | O_CLOEXEC)) >= 0) {
			n = read(fd, key, crypto_secretbox_KEYBYTES);
			close(fd);
			if (n != crypto_secretbox_KEYBYTES)
				return aims_error_set(AIMS_ERROR, "seal", "%s is not a seal key "
				    "(%d bytes expected)", path, crypto_secretbox_KEYBYTES);
			return 0;
		}
		if (errno != ENOENT)
			break;
		/* O_EXCL: two processes starting together make one key, not two. */
		if ((fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, SEAL_MODE)) < 0) {
			if (errno == EEXIST)
				continue;
			break;
		}
		crypto_secretbox_keygen(key);
		n = write(fd, key, crypto_secretbox_KEYBYTES);
		if (n != crypto_secretbox_KEYBYTES || fsync(fd) != 0) {
			close(fd);
			unlink(path);
			return aims_error_set(AIMS_ERROR, "seal", "cannot write %s: %s", path,
			    strerror(errno));
		}
		close(fd);
		return 0;
	}
	return aims_error_set(AIMS_ERROR, "seal", "cannot open %s: %s", path, strerror(errno));
}

int
seal_bytes(struct buf *out, struct db *db, const void *p, size_t len)
{
	unsigned char key[crypto_secretbox_KEYBYTES], nonce[crypto_secretbox_NONCEBYTES];
	int rc;

	if ((rc = seal_key(key, db)) != 0)
		return rc;
	randombytes_buf(nonce, sizeof(nonce));
	buf_append(out, nonce, sizeof(nonce));
	buf_grow(out, len + crypto_secretbox_MACBYTES);
	crypto_secretbox_easy((unsigned char *)out->data + out->len, p, len, nonce, key);
	out->len += len + crypto_secretbox_MACBYTES;
	out->data[out->len] = '\0';
	sodium_memzero(key, sizeof(key));
	return 0;
}

int
seal_open(struct buf *out, struct db *db, const void *sealed, size_t len)
{
	unsigned char key[crypto_secretbox_KEYBYTES];
	const unsigned char *s = sealed;
	size_t n;
	int rc;

	if (len < crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES)
		return aims_error_set(AIMS_EVERIFY, "seal", "a sealed secret is too short");
	if ((rc = seal_key(key, db)) != 0)
		return rc;
	n = len - crypto_secretbox_NONCEBYTES - crypto_secretbox_MACBYTES;
	buf_grow(out, n + 1);
	rc = crypto_secretbox_open_easy((unsigned char *)out->data + out->len,
	    s + crypto_secretbox_NONCEBYTES, len - crypto_secretbox_NONCEBYTES, s, key);
	sodium_memzero(key, sizeof(key));
	if (rc != 0)
		return aims_error_set(AIMS_EVERIFY, "seal", "a sealed secret does not open with "
		    "the seal key beside the database");
	out->len += n;
	out->data[out->len] = '\0';
	return 0;
}
