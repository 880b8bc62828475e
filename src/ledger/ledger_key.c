/*
 * ledger_key.c - the server's Ed25519 checkpoint key: created beside the
 * database at `aims init`, loaded into sodium_malloc'd memory, and the one
 * key the process signs with (see ledger.h).
 *
 * Files: <db>.key holds the signer key in the Go note format (a secret,
 * mode 0600, never overwritten); <db>.pub holds the public verifier key.
 */
#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ledger/ledger.h"
#include "ledger/note.h"
#include "store/db.h"
#include "util/buf.h"
#include "util/error.h"
#include "util/mem.h"

#define LEDGER_KEY_MODE		0600
#define LEDGER_PUB_MODE		0644
#define LEDGER_TMP_SUFFIX	".tmp.XXXXXX"

struct ledger_key {
	struct note_signer	s;
};

/* Set once at start, read by every thread afterwards. */
static const struct ledger_key *ledger_key_current;

/* Prefixes the current error message with a file name; returns rc. */
static int
ledger_key_error(int rc, const char *path)
{
	char msg[AIMS_ERROR_MSG_MAX];

	snprintf(msg, sizeof(msg), "%s", aims_error_message());
	return aims_error_set(rc, "key", "%s: %s", path, msg);
}

/* The key files sit beside the store: the SQLite file, or the PostgreSQL store's data dir. */
static char *
ledger_key_path(const char *db_path, const char *suffix)
{
	char *base = db_local_base(db_path);
	size_t n = strlen(base), m = strlen(suffix);
	char *p = xmalloc(n + m + 1);

	memcpy(p, base, n);
	memcpy(p + n, suffix, m + 1);
	free(base);
	return p;
}

/* fsync()s the directory holding path, so a rename or link is durable. */
static int
ledger_sync_dir(const char *path)
{
	const char *slash = strrchr(path, '/');
	char *dir = slash ? xstrndup(path, slash == path ? 1 : (size_t)(slash - path)) :
	    xstrdup(".");
	int fd, rc = 0;

	if ((fd = open(dir, O_RDONLY | O_DIRECTORY)) < 0 || fsync(fd) != 0)
		rc = aims_error_set(AIMS_ERROR, NULL, "cannot sync directory %s: %s", dir,
		    strerror(errno));
	if (fd >= 0)
		close(fd);
	free(dir);
	return rc;
}

/*
 * Writes a file atomically: temp file, fsync, then link (no_clobber: fails
 * if path exists) or rename, then fsync of the directory.
 */
static int
ledger_file_write(const char *path, const char *data, size_t len, mode_t mode, int no_clobber)
{
	char *tmp = ledger_key_path(path, LEDGER_TMP_SUFFIX);
	size_t off = 0;
	ssize_t w;
	int fd, rc = AIMS_ERROR, linked = 0;

	if ((fd = mkstemp(tmp)) < 0) {
		aims_error_set(AIMS_ERROR, NULL, "cannot create %s: %s", tmp, strerror(errno));
		free(tmp);
		return AIMS_ERROR;
	}
	if (fchmod(fd, mode) != 0)
		goto fail;
	while (off < len) {
		if ((w = write(fd, data + off, len - off)) < 0) {
			if (errno == EINTR)
				continue;
			goto fail;
		}
		off += (size_t)w;
	}
	if (fsync(fd) != 0 || close(fd) != 0) {
		fd = -1;
		goto fail;
	}
	fd = -1;
	if (no_clobber) {
		if (link(tmp, path) != 0) {
			if (errno == EEXIST)
				rc = aims_error_set(AIMS_EEXISTS, NULL, "%s already exists", path);
			goto fail;
		}
		linked = 1;
		unlink(tmp);
	} else if (rename(tmp, path) != 0)
		goto fail;
	free(tmp);
	return ledger_sync_dir(path);
fail:
	if (rc == AIMS_ERROR)
		aims_error_set(AIMS_ERROR, NULL, "cannot write %s: %s", path, strerror(errno));
	if (fd >= 0)
		close(fd);
	if (!linked)
		unlink(tmp);
	free(tmp);
	return rc;
}

/* Reads a small file into a sodium_malloc'd, NUL-terminated buffer. */
static int
ledger_file_read(char **out, size_t *len, const char *path, int secret)
{
	struct stat sb;
	char *p = NULL;
	ssize_t r;
	size_t n = 0;
	int fd, rc = 0;

	*out = NULL;
	if ((fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)) < 0)
		return aims_error_set(errno == ENOENT ? AIMS_ENOTFOUND : AIMS_ERROR, NULL,
		    "cannot open %s: %s%s", path, strerror(errno), errno == ENOENT ?
		    " (the database's ledger key is made by 'aims init')" : "");
	if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode)) {
		rc = aims_error_set(AIMS_ERROR, NULL, "%s is not a regular file", path);
		goto done;
	}
	if (secret && (sb.st_mode & 077)) {
		rc = aims_error_set(AIMS_EFORBIDDEN, NULL, "key file %s can be read by other "
		    "users (mode %04o): run 'chmod 600 %s'", path, (unsigned)(sb.st_mode & 0777),
		    path);
		goto done;
	}
	if (sb.st_size > LEDGER_KEY_FILE_MAX) {
		rc = aims_error_set(AIMS_ETOOBIG, NULL, "%s is too large for a key file", path);
		goto done;
	}
	if ((p = sodium_malloc(LEDGER_KEY_FILE_MAX + 1)) == NULL)
		abort();
	while (n < LEDGER_KEY_FILE_MAX && (r = read(fd, p + n, LEDGER_KEY_FILE_MAX - n)) != 0) {
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			rc = aims_error_set(AIMS_ERROR, NULL, "cannot read %s: %s", path,
			    strerror(errno));
			goto done;
		}
		n += (size_t)r;
	}
	p[n] = '\0';
	*out = p;
	*len = n;
	p = NULL;
done:
	if (p)
		sodium_free(p);
	close(fd);
	return rc;
}

int
ledger_key_store(const char *db_path, const struct ledger_key *k)
{
	char *kpath = ledger_key_path(db_path, LEDGER_KEY_SUFFIX);
	char *ppath = ledger_key_path(db_path, LEDGER_PUB_SUFFIX);
	struct buf b = BUF_INIT;
	int rc;

	note_signer_format(&b, &k->s);
	buf_putc(&b, '\n');
	rc = ledger_file_write(kpath, b.data, b.len, LEDGER_KEY_MODE, 1);
	sodium_memzero(b.data, b.len);
	if (rc == AIMS_EEXISTS)
		aims_error_set(rc, "db", "a ledger key already exists at %s: it is never replaced",
		    kpath);
	if (rc != 0)
		goto done;
	buf_reset(&b);
	note_verifier_format(&b, &k->s.v);
	buf_putc(&b, '\n');
	rc = ledger_file_write(ppath, b.data, b.len, LEDGER_PUB_MODE, 0);
done:
	buf_free(&b);
	free(kpath);
	free(ppath);
	return rc;
}

int
ledger_key_create(const char *db_path)
{
	struct ledger_key *k = NULL;
	uint8_t seed[NOTE_SEED_LEN];
	int rc;

	randombytes_buf(seed, sizeof(seed));
	rc = ledger_key_from_seed(&k, LEDGER_KEY_NAME, seed);
	sodium_memzero(seed, sizeof(seed));
	if (rc == 0)
		rc = ledger_key_store(db_path, k);
	ledger_key_free(k);
	return rc;
}

int
ledger_key_copy(const char *to_db, const char *from_db)
{
	static const char *const suffixes[] = { LEDGER_KEY_SUFFIX, LEDGER_PUB_SUFFIX };
	char *from = NULL, *to = NULL, *a = NULL, *b = NULL;
	size_t i, alen = 0, blen = 0;
	int rc = 0;

	for (i = 0; i < 2 && rc == 0; i++) {
		int secret = i == 0;

		from = ledger_key_path(from_db, suffixes[i]);
		to = ledger_key_path(to_db, suffixes[i]);
		if ((rc = ledger_file_read(&a, &alen, from, secret)) != 0)
			goto next;
		if (ledger_file_read(&b, &blen, to, secret) == 0) {
			/* The target signs with a key already: only the same one will do. */
			if (alen != blen || sodium_memcmp(a, b, alen) != 0)
				rc = aims_error_set(AIMS_ECONFLICT, "to", "%s holds another ledger "
				    "key: the checkpoints copied would not verify there", to);
		} else
			rc = ledger_file_write(to, a, alen, secret ? LEDGER_KEY_MODE :
			    LEDGER_PUB_MODE, 1);
next:
		if (a)
			sodium_free(a);	/* ledger_file_read()'s memory, zeroed */
		if (b)
			sodium_free(b);
		a = b = NULL;
		free(from);
		free(to);
	}
	return rc;
}

int
ledger_key_from_seed(struct ledger_key **out, const char *name, const uint8_t seed[32])
{
	struct ledger_key *k;
	int rc;

	*out = NULL;
	if ((k = sodium_malloc(sizeof(*k))) == NULL)
		abort();
	if ((rc = note_signer_init(&k->s, name, seed)) != 0) {
		sodium_free(k);
		return rc;
	}
	*out = k;
	return 0;
}

int
ledger_key_load(struct ledger_key **out, const char *db_path)
{
	char *path = ledger_key_path(db_path, LEDGER_KEY_SUFFIX), *text = NULL;
	struct ledger_key *k = NULL;
	size_t len;
	int rc;

	*out = NULL;
	if ((rc = ledger_file_read(&text, &len, path, 1)) != 0)
		goto done;
	if ((k = sodium_malloc(sizeof(*k))) == NULL)
		abort();
	if ((rc = note_signer_parse(&k->s, text, len)) != 0) {
		ledger_key_error(rc, path);
		goto done;
	}
	*out = k;
	k = NULL;
done:
	if (text)
		sodium_free(text);	/* zeroes it */
	if (k)
		sodium_free(k);
	free(path);
	return rc;
}

void
ledger_key_free(struct ledger_key *key)
{
	if (key == NULL)
		return;
	if (ledger_key_current == key)
		ledger_key_current = NULL;
	sodium_free(key);	/* zeroes the memory */
}

void
ledger_key_use(const struct ledger_key *key)
{
	ledger_key_current = key;
}

void
ledger_key_public(struct note_verifier *out, const struct ledger_key *key)
{
	*out = key->s.v;
}

const struct note_signer *
ledger__signer(void)
{
	return ledger_key_current ? &ledger_key_current->s : NULL;
}

int
ledger_pubkey_load(struct note_verifier *out, const char *path)
{
	char *text = NULL;
	size_t len;
	int rc;

	if ((rc = ledger_file_read(&text, &len, path, 0)) != 0)
		return rc;
	if ((rc = note_verifier_parse(out, text, len)) != 0)
		ledger_key_error(rc, path);
	sodium_free(text);
	return rc;
}

int
ledger_pubkey_load_db(struct note_verifier *out, const char *db_path)
{
	char *path = ledger_key_path(db_path, LEDGER_PUB_SUFFIX);
	int rc = ledger_pubkey_load(out, path);

	free(path);
	return rc;
}
