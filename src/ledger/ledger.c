/*
 * ledger.c - appending entries, signing checkpoints at commit, listing
 * entries, and the record source core registers (see ledger.h).
 */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ledger/canon.h"
#include "ledger/ledger.h"
#include "ledger/merkle.h"
#include "ledger/note.h"
#include "ledger/sha256.h"
#include "store/db.h"
#include "util/buf.h"
#include "util/clock.h"
#include "util/error.h"
#include "util/mem.h"

static ledger_load_fn ledger_loader;
static ledger_enum_fn ledger_enumerator;
static const struct ledger_history_source *ledger_history;

void
ledger_set_record_source(ledger_load_fn load, ledger_enum_fn enumerate)
{
	ledger_loader = load;
	ledger_enumerator = enumerate;
}

void
ledger_record_source(ledger_load_fn *load, ledger_enum_fn *enumerate)
{
	*load = ledger_loader;
	*enumerate = ledger_enumerator;
}

void
ledger_set_history_source(const struct ledger_history_source *src)
{
	ledger_history = src;
}

const struct ledger_history_source *
ledger__history(void)
{
	return ledger_history;
}

void
ledger_origin(char out[LEDGER_ORIGIN_MAX], int64_t org_id)
{
	snprintf(out, LEDGER_ORIGIN_MAX, "%s%lld", LEDGER_ORIGIN_PREFIX, (long long)org_id);
}

int
ledger_commitment(uint8_t out[LEDGER_COMMIT_LEN], const uint8_t salt[LEDGER_SALT_LEN],
    const json_t *record)
{
	struct buf b = BUF_INIT;
	int rc;

	if ((rc = canon_json(&b, record)) != 0)
		goto done;
	ledger_commitment_canon(out, salt, b.data, b.len);
done:
	buf_free(&b);
	return rc;
}

void
ledger_commitment_canon(uint8_t out[LEDGER_COMMIT_LEN], const uint8_t salt[LEDGER_SALT_LEN],
    const char *canon, size_t len)
{
	/* On the SHA extensions where the CPU has them (sha256.h): once per change. */
	sha256_concat(out, salt, LEDGER_SALT_LEN, canon, len);
}

/* Appends a decimal integer (the entry's hot path avoids printf). */
static void
ledger_put_int(struct buf *out, int64_t v)
{
	char tmp[24], *p = tmp + sizeof(tmp);
	uint64_t u = v < 0 ? -(uint64_t)v : (uint64_t)v;

	do
		*--p = (char)('0' + u % 10);
	while ((u /= 10) != 0);
	if (v < 0)
		*--p = '-';
	buf_append(out, p, (size_t)(tmp + sizeof(tmp) - p));
}

void
ledger__hex(char *out, const uint8_t *in, size_t len)
{
	static const char digits[] = "0123456789abcdef";
	size_t i;

	for (i = 0; i < len; i++) {
		out[2 * i] = digits[in[i] >> 4];
		out[2 * i + 1] = digits[in[i] & 0xf];
	}
	out[2 * len] = '\0';
}

int
ledger__entry_text(struct buf *out, const struct ledger_entry *e)
{
	int rc;

	buf_grow(out, LEDGER_ENTRY_TYPICAL);
	buf_append(out, "{\"action\":", 10);
	if ((rc = canon_string(out, e->action, strlen(e->action))) != 0)
		return rc;
	buf_append(out, ",\"actor\":", 9);
	if ((rc = canon_string(out, e->actor, strlen(e->actor))) != 0)
		return rc;
	buf_append(out, ",\"commitment\":", 14);
	if (e->commitment) {
		buf_putc(out, '"');
		buf_puts(out, e->commitment);
		buf_putc(out, '"');
	} else
		buf_append(out, "null", 4);
	buf_append(out, ",\"kind\":", 8);
	if ((rc = canon_string(out, e->kind, strlen(e->kind))) != 0)
		return rc;
	buf_append(out, ",\"ref\":", 7);
	if ((rc = canon_string(out, e->ref, strlen(e->ref))) != 0)
		return rc;
	buf_append(out, ",\"seq\":", 7);
	ledger_put_int(out, e->seq);
	buf_append(out, ",\"time\":", 8);
	if ((rc = canon_string(out, e->time, strlen(e->time))) != 0)
		return rc;
	buf_append(out, ",\"version\":", 11);
	ledger_put_int(out, e->version);
	buf_putc(out, '}');
	return 0;
}

/*
 * Steps to org_id's head row (size, frontier): DB_ROW, DB_DONE or an
 * error; *st (NULL when it could not be prepared) goes to db_done().
 */
static int
ledger_head_row(struct db_stmt **st, struct db *db, int64_t org_id)
{
	int rc;

	*st = NULL;
	if ((rc = db_prepare(st, db,
	    "SELECT size, frontier FROM ledger_heads WHERE org_id = ?")) != 0)
		return rc;
	db_bind_int64(*st, 1, org_id);
	return db_step(*st);
}

/* Reads an org's head into s; an org without entries has an empty tree. */
int
ledger__head_load(struct merkle_stack *s, struct db *db, int64_t org_id)
{
	struct db_stmt *st;
	const void *blob;
	size_t len;
	int rc;

	merkle_stack_init(s);
	if ((rc = ledger_head_row(&st, db, org_id)) == DB_ROW) {
		blob = db_column_blob(st, 1, &len);
		rc = merkle_stack_load(s, (uint64_t)db_column_int64(st, 0), blob, len);
	}
	db_done(st);
	return rc < 0 ? rc : 0;
}

static int
ledger_field_ok(const char *s, const char *field)
{
	size_t n;

	if (s == NULL || (n = strlen(s)) == 0)
		return aims_error_set(AIMS_EINVALID, field, "ledger entry needs a %s", field);
	if (n > LEDGER_FIELD_MAX)
		return aims_error_set(AIMS_ETOOBIG, field, "ledger entry %s is longer than %d bytes",
		    field, LEDGER_FIELD_MAX);
	return 0;
}

static int
ledger_event_ok(const struct ledger_event *ev)
{
	int rc;

	if ((rc = ledger_field_ok(ev->actor, "actor")) != 0 ||
	    (rc = ledger_field_ok(ev->action, "action")) != 0 ||
	    (rc = ledger_field_ok(ev->kind, "kind")) != 0 ||
	    (rc = ledger_field_ok(ev->ref, "ref")) != 0)
		return rc;
	if (ev->org_id < 0)
		return aims_error_set(AIMS_EINVALID, "org_id", "ledger org id must not be negative");
	if (ev->version < 0)
		return aims_error_set(AIMS_EINVALID, "version", "record version must not be negative");
	return 0;
}

/*
 * The commit hook: signs a checkpoint of the org's tree as the transaction
 * leaves it.
 *
 * Why at commit and not at every append: the checkpoints then name exactly
 * the states of the log that ever existed on disk - one per committed
 * transaction - so every committed entry is covered by a signature the
 * moment it is visible, and a transaction that appends many entries (an
 * import) signs once. A signature costs about as much to check as hashing a
 * few hundred entries, so a checkpoint per append would dominate the cost
 * of `aims verify` for bulk writes without covering anything more.
 */
static int
ledger_checkpoint_write(struct db *db, int64_t org_id)
{
	const struct note_signer *signer = ledger__signer();
	char origin[LEDGER_ORIGIN_MAX], now[CLOCK_RFC3339_LEN];
	struct buf text = BUF_INIT, note = BUF_INIT;
	struct merkle_stack s;
	struct merkle_hash root;
	struct db_stmt *st = NULL;
	int rc;

	if (signer == NULL) {
		rc = aims_error_set(AIMS_ERROR, NULL, "no ledger signing key is loaded");
		goto done;
	}
	if ((rc = ledger__head_load(&s, db, org_id)) != 0)
		goto done;
	merkle_stack_root(&root, &s);
	ledger_origin(origin, org_id);
	note_checkpoint_text(&text, origin, s.size, &root);
	if ((rc = note_sign(&note, text.data, text.len, signer)) != 0)
		goto done;
	clock_format(now, clock_now());
	if ((rc = db_prepare(&st, db, "INSERT INTO ledger_checkpoints "
	    "(org_id, size, root, note, created_at) VALUES (?, ?, ?, ?, ?)")) != 0)
		goto done;
	db_bind_int64(st, 1, org_id);
	db_bind_int64(st, 2, (int64_t)s.size);
	db_bind_blob(st, 3, root.h, MERKLE_HASH_LEN);
	db_bind_textn(st, 4, note.data, note.len);
	db_bind_text(st, 5, now);
	rc = db_step(st);
	rc = rc == DB_DONE ? 0 : rc < 0 ? rc : AIMS_ERROR;
done:
	db_done(st);
	buf_free(&text);
	buf_free(&note);
	return rc;
}

static int
ledger_entry_insert(struct db *db, const struct ledger_entry *e, const uint8_t *salt,
    const uint8_t *commitment, const struct buf *text, const struct merkle_hash *leaf)
{
	struct db_stmt *st;
	int rc;

	if ((rc = db_prepare(&st, db, "INSERT INTO ledger_entries (org_id, seq, time, actor, "
	    "action, kind, ref, version, salt, commitment, entry, leaf_hash) "
	    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) != 0)
		return rc;
	db_bind_int64(st, 1, e->org_id);
	db_bind_int64(st, 2, e->seq);
	db_bind_text(st, 3, e->time);
	db_bind_text(st, 4, e->actor);
	db_bind_text(st, 5, e->action);
	db_bind_text(st, 6, e->kind);
	db_bind_text(st, 7, e->ref);
	db_bind_int64(st, 8, e->version);
	if (salt) {
		db_bind_blob(st, 9, salt, LEDGER_SALT_LEN);
		db_bind_blob(st, 10, commitment, LEDGER_COMMIT_LEN);
	} else {
		db_bind_null(st, 9);
		db_bind_null(st, 10);
	}
	db_bind_textn(st, 11, text->data, text->len);
	db_bind_blob(st, 12, leaf->h, MERKLE_HASH_LEN);
	rc = db_step(st);
	db_done(st);
	return rc == DB_DONE ? 0 : rc < 0 ? rc : AIMS_ERROR;
}

static int
ledger_head_store(struct db *db, int64_t org_id, const struct merkle_stack *s)
{
	struct db_stmt *st;
	int rc;

	if ((rc = db_prepare(&st, db, "INSERT INTO ledger_heads (org_id, size, frontier) "
	    "VALUES (?, ?, ?) ON CONFLICT (org_id) DO UPDATE SET size = excluded.size, "
	    "frontier = excluded.frontier")) != 0)
		return rc;
	db_bind_int64(st, 1, org_id);
	db_bind_int64(st, 2, (int64_t)s->size);
	db_bind_blob(st, 3, s->node, (size_t)s->depth * MERKLE_HASH_LEN);
	rc = db_step(st);
	db_done(st);
	return rc == DB_DONE ? 0 : rc < 0 ? rc : AIMS_ERROR;
}

/*
 * The heads a transaction appends to, kept in memory and stored once (see
 * db_deferred()): an import of 10,000 records would otherwise read and
 * write its organisation's head 10,000 times, and PostgreSQL keeps every
 * version written until the commit. A head in here was read under its
 * organisation's lock, which the transaction holds to its end.
 */
struct ledger_heads {
	size_t			 n, cap;
	struct ledger_head {
		int64_t			org_id;
		struct merkle_stack	s;
	}			*v;
};

static int
ledger_heads_flush(struct db *db, void *state)
{
	struct ledger_heads *h = state;
	size_t i;
	int rc = 0;

	for (i = 0; i < h->n && rc == 0; i++)
		rc = ledger_head_store(db, h->v[i].org_id, &h->v[i].s);
	return rc;
}

static void
ledger_heads_drop(void *state)
{
	struct ledger_heads *h = state;

	free(h->v);
	free(h);
}

static const char *const ledger_heads_tables[] = { "ledger_heads", NULL };
/* For a group's savepoints (db.h): the heads as they were when one began. */
static void *
ledger_heads_copy(const void *state)
{
	const struct ledger_heads *h = state;
	struct ledger_heads *d = xcalloc(1, sizeof(*d));

	d->n = d->cap = h->n;
	if (h->n > 0) {
		d->v = xcalloc(h->n, sizeof(*d->v));
		memcpy(d->v, h->v, h->n * sizeof(*d->v));
	}
	return d;
}

static const struct db_deferred ledger_heads_deferred = {
	ledger_heads_tables, ledger_heads_flush, ledger_heads_drop, ledger_heads_copy
};

/* The org's head as this transaction left it, NULL if it has not appended to it yet. */
static struct merkle_stack *
ledger_heads_find(struct ledger_heads *h, int64_t org_id)
{
	size_t i;

	for (i = 0; h != NULL && i < h->n; i++)
		if (h->v[i].org_id == org_id)
			return &h->v[i].s;
	return NULL;
}

static void
ledger_heads_put(void **slot, int64_t org_id, const struct merkle_stack *s)
{
	struct ledger_heads *h = *slot;
	struct merkle_stack *have;

	if ((have = ledger_heads_find(h, org_id)) != NULL) {
		*have = *s;
		return;
	}
	if (h == NULL)
		*slot = h = xcalloc(1, sizeof(*h));
	if (h->n == h->cap) {
		h->cap = h->cap ? h->cap * 2 : 4;
		h->v = xrealloc(h->v, h->cap * sizeof(*h->v));
	}
	h->v[h->n].org_id = org_id;
	h->v[h->n].s = *s;
	h->n++;
}

int
ledger_append(int64_t *seq_out, struct db *db, const struct ledger_event *ev)
{
	uint8_t salt[LEDGER_SALT_LEN], commitment[LEDGER_COMMIT_LEN];
	char hex[2 * LEDGER_COMMIT_LEN + 1], now[CLOCK_RFC3339_LEN];
	struct ledger_entry e;
	struct merkle_stack s, *kept;
	struct merkle_hash leaf;
	struct buf text = BUF_INIT;
	int rc;

	*seq_out = 0;
	if (ledger__signer() == NULL) {
		rc = aims_error_set(AIMS_ERROR, NULL, "no ledger signing key is loaded: "
		    "the database's key file (<db>%s, made by 'aims init') must be loaded "
		    "before anything is changed", LEDGER_KEY_SUFFIX);
		goto done;
	}
	if (!db_in_transaction(db)) {
		rc = aims_error_set(AIMS_ERROR, NULL, "ledger_append() outside a transaction");
		goto done;
	}
	/*
	 * The head is read and written under the organisation's lock, so two
	 * servers on one PostgreSQL store never append the same seq: the log
	 * cannot fork (SQLite has one writer already). A head this transaction
	 * keeps was read under that lock, still held.
	 */
	if ((rc = ledger_event_ok(ev)) != 0)
		goto done;
	if ((kept = ledger_heads_find(*db_deferred(db, &ledger_heads_deferred),
	    ev->org_id)) != NULL)
		s = *kept;
	else if ((rc = db_lock_org(db, ev->org_id)) != 0 ||
	    (rc = ledger__head_load(&s, db, ev->org_id)) != 0)
		goto done;
	clock_format(now, clock_now());
	e = (struct ledger_entry){ .org_id = ev->org_id, .seq = (int64_t)s.size + 1,
	    .time = now, .actor = ev->actor, .action = ev->action, .kind = ev->kind,
	    .ref = ev->ref, .version = ev->version, .commitment = NULL };
	if (ev->record || ev->record_canon) {
		randombytes_buf(salt, sizeof(salt));
		if (ev->record_canon)
			ledger_commitment_canon(commitment, salt, ev->record_canon,
			    ev->record_canon_len);
		else if ((rc = ledger_commitment(commitment, salt, ev->record)) != 0)
			goto done;
		ledger__hex(hex, commitment, sizeof(commitment));
		e.commitment = hex;
	}
	if ((rc = ledger__entry_text(&text, &e)) != 0)
		goto done;
	merkle_hash_leaf(&leaf, text.data, text.len);
	merkle_stack_push(&s, &leaf);
	if ((rc = ledger_entry_insert(db, &e, e.commitment ? salt : NULL, commitment, &text,
	    &leaf)) != 0 || (rc = db_on_commit(db, ledger_checkpoint_write, ev->org_id)) != 0)
		goto done;
	/* Looked up again: reading a head wrote the ones kept (db_deferred()). */
	ledger_heads_put(db_deferred(db, &ledger_heads_deferred), ev->org_id, &s);
	*seq_out = e.seq;
done:
	sodium_memzero(salt, sizeof(salt));
	buf_free(&text);
	return rc;
}

int
ledger_list(struct db *db, int64_t org_id, int64_t limit, ledger_entry_fn fn, void *arg)
{
	char hex[2 * LEDGER_COMMIT_LEN + 1];
	struct ledger_entry e;
	struct db_stmt *st;
	const void *blob;
	size_t len;
	int rc;

	if ((rc = db_prepare(&st, db, "SELECT seq, time, actor, action, kind, ref, version, "
	    "commitment, entry FROM ledger_entries WHERE org_id = ? ORDER BY seq DESC "
	    "LIMIT ?")) != 0)
		return rc;
	db_bind_int64(st, 1, org_id);
	db_bind_int64(st, 2, limit > 0 ? limit : INT64_MAX);
	while ((rc = db_step(st)) == DB_ROW) {
		e = (struct ledger_entry){ .org_id = org_id, .seq = db_column_int64(st, 0),
		    .time = db_column_text(st, 1), .actor = db_column_text(st, 2),
		    .action = db_column_text(st, 3), .kind = db_column_text(st, 4),
		    .ref = db_column_text(st, 5), .version = db_column_int64(st, 6),
		    .entry = db_column_text(st, 8) };
		blob = db_column_blob(st, 7, &len);
		if (blob && len == LEDGER_COMMIT_LEN) {
			ledger__hex(hex, blob, len);
			e.commitment = hex;
		}
		if ((rc = fn(arg, &e)) != 0)
			break;
	}
	db_done(st);
	return rc < 0 ? rc : rc == DB_DONE ? 0 : rc;
}

int
ledger_org_id(int64_t *out, struct db *db, const char *slug)
{
	int rc = db_query_int64_text(out, db, "SELECT id FROM orgs WHERE slug = ?", slug);

	if (rc == AIMS_ENOTFOUND)
		aims_error_set(rc, "org", "no organisation '%s'", slug);
	return rc;
}

int
ledger_size(int64_t *out, struct db *db, int64_t org_id)
{
	struct db_stmt *st;
	int rc;

	*out = 0;
	if ((rc = db_prepare(&st, db, "SELECT size FROM ledger_heads WHERE org_id = ?")) != 0)
		return rc;
	db_bind_int64(st, 1, org_id);
	if ((rc = db_step(st)) == DB_ROW)
		*out = db_column_int64(st, 0);
	db_done(st);
	return rc < 0 ? rc : 0;
}

int
ledger_head_mark(struct ledger_mark *out, struct db *db, int64_t org_id)
{
	struct db_stmt *st;
	const void *blob;
	size_t len;
	int rc;

	memset(out, 0, sizeof(*out));
	if ((rc = ledger_head_row(&st, db, org_id)) == DB_ROW) {
		out->size = db_column_int64(st, 0);
		blob = db_column_blob(st, 1, &len);
		crypto_generichash(out->digest, sizeof(out->digest), blob, len, NULL, 0);
	}
	db_done(st);
	return rc < 0 ? rc : 0;
}
