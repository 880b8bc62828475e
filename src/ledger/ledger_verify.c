/*
 * ledger_verify.c - `aims verify`: recompute every log from its entries and
 * check it against the signed checkpoints and the live records.
 *
 * One pass per log, in seq order, in O(log n) memory: each entry is rebuilt
 * from its columns and must equal the stored entry text and leaf hash; the
 * recomputed leaves stream through a Merkle stack; when the stream reaches
 * a checkpoint's size the checkpoint's signature is checked, a consistency
 * proof from the previous checkpoint is assembled from the recomputed tree
 * (merkle_collector) and checked against both signed roots, and the root
 * must equal the recomputed one. A checkpoint past the end means entries
 * were removed; entries past the last checkpoint were added without the
 * key. Then, if core registered a record source, each record's live state
 * is compared with its latest commitment, and every live record must have
 * an entry. With a history source, each entry of a record back to its last
 * delete is compared with the stored version it wrote (so history cannot
 * be rewritten, only the latest state), every stored version must have an
 * entry, and core's check compares the rows derived from the records.
 * Last, the protective triggers are compared with the ones the migrations
 * create. The first failure ends the run and is named in the report.
 *
 * Reading and checking overlap on two threads (verify_pipe): this thread
 * reads the rows and copies their columns into a batch; a checking thread
 * rebuilds each entry from its columns, compares it with the stored text,
 * hashes the leaf, compares it with the stored leaf hash and folds it into
 * the tree. (Rebuilding was first done here, beside the reads: that left
 * the reader with two thirds of the work and the other thread waiting.)
 * They meet at each checkpoint (whose check needs the tree at its size)
 * and at the end; between checkpoints fewer than VERIFY_PIPE_MIN entries
 * apart the entries are checked here, as the hand-over would cost more
 * than it saves. The database connection is
 * only ever used by this thread.
 */
#include <pthread.h>
#include <sodium.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ledger/ledger.h"
#include "ledger/merkle.h"
#include "ledger/note.h"
#include "store/db.h"
#include "util/buf.h"
#include "util/error.h"
#include "util/mem.h"

#define VERIFY_NAME_MAX		96	/* "org <slug>" */
#define VERIFY_TIME_MAX		40	/* a checkpoint's created_at, as stored */
#define VERIFY_PROGRESS_EVERY	1024	/* entries or records between progress calls */
#define VERIFY_BATCH		1024	/* entries handed to the checking thread at once */
#define VERIFY_PIPE_MIN		256	/* checkpoints closer than this: hash here */
#define VERIFY_KINDS_MAX	64	/* kinds without a stored history remembered */
#define VERIFY_NO_HISTORY	2	/* verify_version()'s *stop for such a kind */

/* ledger_verify_progress(): the calling thread's progress callback. */
/*
 * Does the commitment open on rec? A record whose kind gained fields after
 * the entry was written is also tried in the earlier form the history source
 * gives (those fields absent while empty), so an upgraded database verifies.
 */
static int
verify_opens(bool *opens, const uint8_t salt[LEDGER_SALT_LEN],
    const uint8_t want[LEDGER_COMMIT_LEN], const char *kind, const json_t *rec)
{
	const struct ledger_history_source *hist = ledger__history();
	uint8_t got[LEDGER_COMMIT_LEN];
	json_t *earlier;
	int rc;

	*opens = false;
	if ((rc = ledger_commitment(got, salt, rec)) != 0)
		return rc;
	if (sodium_memcmp(got, want, sizeof(got)) == 0) {
		*opens = true;
		return 0;
	}
	if (hist == NULL || hist->earlier_form == NULL ||
	    (earlier = hist->earlier_form(kind, rec)) == NULL)
		return 0;
	if ((rc = ledger_commitment(got, salt, earlier)) == 0)
		*opens = sodium_memcmp(got, want, sizeof(got)) == 0;
	json_decref(earlier);
	return rc;
}

static _Thread_local ledger_progress_fn verify_progress_fn;
static _Thread_local void *verify_progress_arg;

struct verify_cp {
	uint64_t		size;
	struct merkle_hash	root;
	struct buf		note;
	char			created_at[VERIFY_TIME_MAX];
};

/*
 * Entries as read, waiting to be rebuilt, compared and hashed: per entry
 * its text columns (time, actor, action, kind, ref, then the stored entry
 * text) back to back in cols, each ended by a NUL, from start[i].
 */
struct verify_batch {
	size_t		 n;
	struct buf	 cols;
	size_t		 start[VERIFY_BATCH];
	int64_t		 seq[VERIFY_BATCH];
	int64_t		 version[VERIFY_BATCH];
	bool		 deleted[VERIFY_BATCH];		/* no commitment */
	uint8_t		 commitment[VERIFY_BATCH][LEDGER_COMMIT_LEN];
	uint8_t		 leaf[VERIFY_BATCH][MERKLE_HASH_LEN];	/* as stored */
	struct buf	 text;				/* the checking thread's rebuild */
};

struct verify;

/* The checking thread and the two batches it alternates with the reader. */
struct verify_pipe {
	struct verify		*v;
	pthread_t		 thread;
	bool			 started;
	pthread_mutex_t		 lock;
	pthread_cond_t		 cond;
	struct verify_batch	 b[2];
	int			 fill;		/* the batch the reader fills */
	struct verify_batch	*todo;		/* handed over, not taken yet */
	bool			 working;	/* hashing a batch */
	bool			 stop;
	int64_t			 bad_seq;	/* first leaf that did not match; 0: none */
};

struct verify {
	struct ledger_report		*rep;
	struct db			*db;
	const struct note_verifier	*key;
	int64_t				 org_id;
	char				 name[VERIFY_NAME_MAX];	/* "org demo" */
	char				 origin[LEDGER_ORIGIN_MAX];
	struct merkle_stack		 st;
	struct db_stmt			*cps;	/* checkpoints in size order */
	int				 have_cp;
	struct verify_cp		 cp;	/* the next checkpoint to reach */
	uint64_t			 prev_size;
	struct merkle_hash		 prev_root;
	struct merkle_range		 ranges[MERKLE_PROOF_MAX];
	struct merkle_hash		 proof[MERKLE_PROOF_MAX];
	size_t				 nproof;
	struct merkle_collector		 col;
	ledger_load_fn			 load;
	const struct ledger_history_source *hist;	/* NULL: latest states only */
	uint64_t			 seen;	/* entries rebuilt (the tree may lag) */
	bool				 piped;	/* this stretch hashes on the pipe */
	struct verify_pipe		*pipe;
	char				 nohist[VERIFY_KINDS_MAX][LEDGER_FIELD_MAX + 1];
	size_t				 nnohist;
};

static int
verify_fail(struct verify *v, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

void
ledger_verify_progress(ledger_progress_fn fn, void *arg)
{
	verify_progress_fn = fn;
	verify_progress_arg = arg;
}

/* Tells the progress callback, every VERIFY_PROGRESS_EVERY items; its non-zero stops. */
static int
verify_tick(struct verify *v)
{
	if (verify_progress_fn == NULL ||
	    (v->rep->entries + v->rep->records) % VERIFY_PROGRESS_EVERY != 0)
		return 0;
	return verify_progress_fn(verify_progress_arg, v->rep->entries, v->rep->records);
}

static int
verify_fail(struct verify *v, const char *fmt, ...)
{
	char *f = v->rep->failure;
	size_t n;
	va_list ap;

	snprintf(f, sizeof(v->rep->failure), "%s: ", v->name);
	n = strlen(f);
	va_start(ap, fmt);
	vsnprintf(f + n, sizeof(v->rep->failure) - n, fmt, ap);
	va_end(ap);
	return aims_error_set(AIMS_EVERIFY, NULL, "%s", v->rep->failure);
}

static int
verify_org_name(struct verify *v)
{
	struct db_stmt *st;
	int rc;

	if (v->org_id == LEDGER_INSTANCE_ORG) {
		snprintf(v->name, sizeof(v->name), "instance log");
		return 0;
	}
	snprintf(v->name, sizeof(v->name), "org #%lld", (long long)v->org_id);
	if ((rc = db_prepare(&st, v->db, "SELECT slug FROM orgs WHERE id = ?")) != 0)
		return rc;
	db_bind_int64(st, 1, v->org_id);
	if ((rc = db_step(st)) == DB_ROW)
		snprintf(v->name, sizeof(v->name), "org %s", db_column_text(st, 0));
	db_done(st);
	return rc < 0 ? rc : 0;
}

/* Steps to the next checkpoint and prepares its consistency proof. */
static int
verify_cp_next(struct verify *v)
{
	const void *root;
	size_t len;
	int rc;

	v->have_cp = 0;
	if ((rc = db_step(v->cps)) < 0)
		return rc;
	if (rc == DB_DONE)
		return 0;
	v->cp.size = (uint64_t)db_column_int64(v->cps, 0);
	root = db_column_blob(v->cps, 1, &len);
	if (root == NULL || len != MERKLE_HASH_LEN)
		return verify_fail(v, "checkpoint at size %llu has no valid root hash",
		    (unsigned long long)v->cp.size);
	memcpy(v->cp.root.h, root, MERKLE_HASH_LEN);
	buf_reset(&v->cp.note);
	buf_puts(&v->cp.note, db_column_text(v->cps, 2));
	snprintf(v->cp.created_at, sizeof(v->cp.created_at), "%s", db_column_text(v->cps, 3));
	if (v->cp.size <= v->st.size)
		return verify_fail(v, "checkpoint at size %llu is out of order",
		    (unsigned long long)v->cp.size);
	v->have_cp = 1;
	v->nproof = 0;
	if (v->prev_size > 0) {
		if ((rc = merkle_consistency_ranges(v->ranges, &v->nproof, v->prev_size,
		    v->cp.size)) != 0)
			return rc;
		merkle_collector_init(&v->col, v->ranges, v->nproof, v->proof);
		merkle_collector_take(&v->col, &v->st);
	}
	return 0;
}

/* The stream has reached the checkpoint's size: check it. */
static int
verify_cp_check(struct verify *v)
{
	char origin[NOTE_ORIGIN_MAX + 1], msg[AIMS_ERROR_MSG_MAX];
	struct merkle_hash root, noted;
	uint64_t size;
	size_t tlen;
	int rc;

	if ((rc = note_verify(&tlen, v->cp.note.data, v->cp.note.len, v->key)) != 0) {
		snprintf(msg, sizeof(msg), "%s", aims_error_message());
		return verify_fail(v, "checkpoint at size %llu (%s) does not verify: %s",
		    (unsigned long long)v->cp.size, v->cp.created_at, msg);
	}
	if (note_checkpoint_parse(origin, &size, &noted, v->cp.note.data, tlen) != 0 ||
	    strcmp(origin, v->origin) != 0 || size != v->cp.size ||
	    memcmp(noted.h, v->cp.root.h, MERKLE_HASH_LEN) != 0)
		return verify_fail(v, "checkpoint at size %llu (%s) does not match its signed note "
		    "(origin %s expected)", (unsigned long long)v->cp.size, v->cp.created_at,
		    v->origin);
	if (v->prev_size > 0) {
		merkle_collector_take(&v->col, &v->st);
		if ((rc = merkle_collector_done(&v->col)) != 0)
			return rc;
		if (merkle_verify_consistency(v->prev_size, v->cp.size, &v->prev_root,
		    &v->cp.root, v->proof, v->nproof) != 0)
			return verify_fail(v, "checkpoint at size %llu (%s) is not consistent with "
			    "the checkpoint at size %llu (or entries %llu..%llu were changed)",
			    (unsigned long long)v->cp.size, v->cp.created_at,
			    (unsigned long long)v->prev_size, (unsigned long long)v->prev_size + 1,
			    (unsigned long long)v->cp.size);
	}
	merkle_stack_root(&root, &v->st);
	if (sodium_memcmp(root.h, v->cp.root.h, MERKLE_HASH_LEN) != 0)
		return verify_fail(v, "checkpoint at size %llu (%s) does not match entries 1..%llu",
		    (unsigned long long)v->cp.size, v->cp.created_at,
		    (unsigned long long)v->cp.size);
	v->rep->checkpoints++;
	v->prev_size = v->cp.size;
	v->prev_root = v->cp.root;
	return verify_cp_next(v);
}

/* Hashes one entry's leaf, compares it with the stored one, folds it into the tree. */
static bool
verify_leaf(struct verify *v, const void *text, size_t len, const uint8_t stored[MERKLE_HASH_LEN])
{
	struct merkle_hash leaf;

	merkle_hash_leaf(&leaf, text, len);
	if (memcmp(stored, leaf.h, MERKLE_HASH_LEN) != 0)
		return false;
	if (v->have_cp && v->prev_size > 0)
		merkle_collector_push(&v->col, &v->st, &leaf);
	else
		merkle_stack_push(&v->st, &leaf);
	return true;
}

/*
 * Rebuilds e into text, compares it with the stored entry text and its leaf
 * with the stored leaf hash, and folds the leaf into the tree.
 */
static bool
verify_rebuilt(struct verify *v, struct buf *text, const struct ledger_entry *e,
    const char *stored, size_t stored_len, const uint8_t stored_leaf[MERKLE_HASH_LEN])
{
	buf_reset(text);
	if (ledger__entry_text(text, e) != 0 || stored_len != text->len ||
	    memcmp(stored, text->data, text->len) != 0)
		return false;
	return verify_leaf(v, text->data, text->len, stored_leaf);
}

/* The next NUL-ended column of a batch entry. */
static const char *
verify_col(const char **p, size_t *len)
{
	const char *s = *p;

	*len = strlen(s);
	*p = s + *len + 1;
	return s;
}

/* Checks entry i of b on the checking thread. */
static bool
verify_batch_entry(struct verify *v, struct verify_batch *b, size_t i)
{
	char hex[2 * LEDGER_COMMIT_LEN + 1];
	struct ledger_entry e = { .org_id = v->org_id, .seq = b->seq[i], .version = b->version[i] };
	const char *p = b->cols.data + b->start[i], *stored;
	size_t len;

	e.time = verify_col(&p, &len);
	e.actor = verify_col(&p, &len);
	e.action = verify_col(&p, &len);
	e.kind = verify_col(&p, &len);
	e.ref = verify_col(&p, &len);
	stored = verify_col(&p, &len);
	if (!b->deleted[i]) {
		ledger__hex(hex, b->commitment[i], LEDGER_COMMIT_LEN);
		e.commitment = hex;
	}
	return verify_rebuilt(v, &b->text, &e, stored, len, b->leaf[i]);
}

static void *
verify_pipe_main(void *arg)
{
	struct verify_pipe *p = arg;
	struct verify_batch *b;
	size_t i;

	pthread_mutex_lock(&p->lock);
	for (;;) {
		while (p->todo == NULL && !p->stop)
			pthread_cond_wait(&p->cond, &p->lock);
		if (p->todo == NULL)
			break;
		b = p->todo;
		p->todo = NULL;
		p->working = true;
		pthread_mutex_unlock(&p->lock);
		/* After a mismatch nothing more is folded: the run ends there. */
		for (i = 0; i < b->n && p->bad_seq == 0; i++)
			if (!verify_batch_entry(p->v, b, i))
				p->bad_seq = b->seq[i];
		pthread_mutex_lock(&p->lock);
		b->n = 0;
		buf_reset(&b->cols);
		p->working = false;
		pthread_cond_broadcast(&p->cond);
	}
	pthread_mutex_unlock(&p->lock);
	return NULL;
}

/* Hands the batch being filled to the checking thread; fills the other one next. */
static int
verify_pipe_submit(struct verify_pipe *p)
{
	struct verify_batch *b = &p->b[p->fill];

	if (b->n == 0)
		return 0;
	if (!p->started) {
		if (pthread_create(&p->thread, NULL, verify_pipe_main, p) != 0)
			return aims_error_set(AIMS_ERROR, NULL, "cannot start the checking thread");
		p->started = true;
	}
	pthread_mutex_lock(&p->lock);
	while (p->todo != NULL || p->working)
		pthread_cond_wait(&p->cond, &p->lock);
	p->todo = b;
	p->fill = 1 - p->fill;
	pthread_cond_broadcast(&p->cond);
	pthread_mutex_unlock(&p->lock);
	return 0;
}

/*
 * Waits until every entry handed over is hashed and folded: the tree is
 * then this thread's again. A leaf that did not match is named here, with
 * the entry read again for its name.
 */
static int
verify_pipe_sync(struct verify *v)
{
	struct verify_pipe *p = v->pipe;
	struct db_stmt *st;
	int64_t bad;
	int rc;

	if ((rc = verify_pipe_submit(p)) != 0)
		return rc;
	pthread_mutex_lock(&p->lock);
	while (p->todo != NULL || p->working)
		pthread_cond_wait(&p->cond, &p->lock);
	bad = p->bad_seq;
	pthread_mutex_unlock(&p->lock);
	if (bad == 0)
		return 0;
	/* Counted as read: the entries before the mismatch are the ones that verified. */
	v->rep->entries = (int64_t)bad - 1;
	if ((rc = db_prepare(&st, v->db, "SELECT kind, ref, action FROM ledger_entries "
	    "WHERE org_id = ? AND seq = ?")) != 0)
		return rc;
	db_bind_int64(st, 1, v->org_id);
	db_bind_int64(st, 2, bad);
	if ((rc = db_step(st)) == DB_ROW)
		rc = verify_fail(v, "entry %lld (%s %s %s) does not match its leaf hash",
		    (long long)bad, db_column_text(st, 0), db_column_text(st, 1),
		    db_column_text(st, 2));
	else
		rc = verify_fail(v, "entry %lld does not match its leaf hash", (long long)bad);
	db_done(st);
	return rc;
}

/* Hashes here or on the pipe until the next checkpoint (called at each stretch's start). */
static void
verify_stretch(struct verify *v)
{
	v->piped = !v->have_cp || v->cp.size - v->seen >= VERIFY_PIPE_MIN;
}

/* Copies a text column, NUL included, to the end of cols. */
static void
verify_put_col(struct buf *cols, const char *s)
{
	buf_append(cols, s, strlen(s) + 1);
}

/*
 * Checks an entry's row: on the pipe its columns go to the checking thread
 * (verify_batch_entry); otherwise it is rebuilt and hashed here.
 */
static int
verify_entry(struct verify *v, struct db_stmt *st, struct buf *text)
{
	char hex[2 * LEDGER_COMMIT_LEN + 1];
	struct ledger_entry e;
	struct verify_batch *b;
	const void *blob, *stored_leaf;
	const char *stored;
	size_t len, leaflen;
	int rc;

	e = (struct ledger_entry){ .org_id = v->org_id, .seq = db_column_int64(st, 0),
	    .time = db_column_text(st, 1), .actor = db_column_text(st, 2),
	    .action = db_column_text(st, 3), .kind = db_column_text(st, 4),
	    .ref = db_column_text(st, 5), .version = db_column_int64(st, 6) };
	if (e.seq != (int64_t)v->seen + 1)
		return verify_fail(v, "entry %llu is missing (the next entry is %lld)",
		    (unsigned long long)v->seen + 1, (long long)e.seq);
	blob = db_column_blob(st, 7, &len);
	if ((blob || len) && (blob == NULL || len != LEDGER_COMMIT_LEN))
		goto mismatch;
	if (!e.time || !e.actor || !e.action || !e.kind || !e.ref)
		goto mismatch;
	stored = db_column_text(st, 8);
	stored_leaf = db_column_blob(st, 9, &leaflen);
	if (stored == NULL || stored_leaf == NULL || leaflen != MERKLE_HASH_LEN)
		goto mismatch;
	if (v->piped) {
		b = &v->pipe->b[v->pipe->fill];
		b->start[b->n] = b->cols.len;
		verify_put_col(&b->cols, e.time);
		verify_put_col(&b->cols, e.actor);
		verify_put_col(&b->cols, e.action);
		verify_put_col(&b->cols, e.kind);
		verify_put_col(&b->cols, e.ref);
		verify_put_col(&b->cols, stored);
		b->seq[b->n] = e.seq;
		b->version[b->n] = e.version;
		if (!(b->deleted[b->n] = blob == NULL))
			memcpy(b->commitment[b->n], blob, LEDGER_COMMIT_LEN);
		memcpy(b->leaf[b->n++], stored_leaf, MERKLE_HASH_LEN);
		if (b->n == VERIFY_BATCH && (rc = verify_pipe_submit(v->pipe)) != 0)
			return rc;
	} else {
		if (blob != NULL) {
			ledger__hex(hex, blob, LEDGER_COMMIT_LEN);
			e.commitment = hex;
		}
		if (!verify_rebuilt(v, text, &e, stored, strlen(stored), stored_leaf))
			goto mismatch;
	}
	v->seen++;
	v->rep->entries++;
	return verify_tick(v);
mismatch:
	return verify_fail(v, "entry %lld (%s %s %s) does not match its leaf hash",
	    (long long)e.seq, e.kind ? e.kind : "?", e.ref ? e.ref : "?",
	    e.action ? e.action : "?");
}

/* The stored head must describe the recomputed tree, or appends go astray. */
static int
verify_head(struct verify *v)
{
	struct merkle_stack head;
	int rc;

	rc = ledger__head_load(&head, v->db, v->org_id);
	if (rc == AIMS_EVERIFY || (rc == 0 && (head.size != v->st.size ||
	    memcmp(head.node, v->st.node, (size_t)head.depth * MERKLE_HASH_LEN) != 0)))
		return verify_fail(v, "the log head does not match its %llu entries",
		    (unsigned long long)v->st.size);
	return rc;
}

static void
verify_pipe_free(struct verify_pipe *p)
{
	if (p->started) {
		pthread_mutex_lock(&p->lock);
		p->stop = true;
		pthread_cond_broadcast(&p->cond);
		pthread_mutex_unlock(&p->lock);
		pthread_join(p->thread, NULL);
	}
	pthread_mutex_destroy(&p->lock);
	pthread_cond_destroy(&p->cond);
	buf_free(&p->b[0].cols);
	buf_free(&p->b[1].cols);
	buf_free(&p->b[0].text);
	buf_free(&p->b[1].text);
	free(p);
}

static int
verify_log(struct verify *v)
{
	struct db_stmt *st = NULL;
	struct buf text = BUF_INIT;
	int rc, xrc;

	merkle_stack_init(&v->st);
	v->seen = 0;
	v->pipe = xcalloc(1, sizeof(*v->pipe));
	v->pipe->v = v;
	pthread_mutex_init(&v->pipe->lock, NULL);
	pthread_cond_init(&v->pipe->cond, NULL);
	if ((rc = db_prepare(&v->cps, v->db, "SELECT size, root, note, created_at "
	    "FROM ledger_checkpoints WHERE org_id = ? ORDER BY size")) != 0)
		goto done;
	db_bind_int64(v->cps, 1, v->org_id);
	if ((rc = verify_cp_next(v)) != 0)
		goto done;
	verify_stretch(v);
	if ((rc = db_prepare(&st, v->db, "SELECT seq, time, actor, action, kind, ref, version, "
	    "commitment, entry, leaf_hash FROM ledger_entries WHERE org_id = ? ORDER BY seq")) != 0)
		goto done;
	db_bind_int64(st, 1, v->org_id);
	while ((rc = db_step(st)) == DB_ROW) {
		if ((rc = verify_entry(v, st, &text)) != 0) {
			/* An earlier entry whose leaf did not match is the first finding. */
			if (v->piped && rc == AIMS_EVERIFY && (xrc = verify_pipe_sync(v)) != 0)
				rc = xrc;
			goto done;
		}
		if (v->have_cp && v->cp.size == v->seen) {
			/* The checkpoint needs the tree at its size. */
			if ((v->piped && (rc = verify_pipe_sync(v)) != 0) ||
			    (rc = verify_cp_check(v)) != 0)
				goto done;
			verify_stretch(v);
		}
	}
	if (rc < 0)
		goto done;
	if (v->piped && (rc = verify_pipe_sync(v)) != 0)
		goto done;
	rc = 0;
	if (v->have_cp)
		rc = verify_fail(v, "checkpoint at size %llu (%s) is beyond the end of the log "
		    "(%llu entries): entries were removed", (unsigned long long)v->cp.size,
		    v->cp.created_at, (unsigned long long)v->st.size);
	else if (v->st.size > v->prev_size)
		rc = verify_fail(v, "entries %llu..%llu are not covered by a signed checkpoint",
		    (unsigned long long)v->prev_size + 1, (unsigned long long)v->st.size);
	else
		rc = verify_head(v);
done:
	db_done(st);
	db_done(v->cps);
	v->cps = NULL;
	verify_pipe_free(v->pipe);
	v->pipe = NULL;
	buf_free(&text);
	return rc;
}

/*
 * Compares one record's live state with its latest entry. *event: the kind
 * has no live records (events), so none of its entries is read here.
 */
static int
verify_record(struct verify *v, const char *kind, const char *ref, int64_t seq, bool *event)
{
	uint8_t salt[LEDGER_SALT_LEN], want[LEDGER_COMMIT_LEN];
	bool opens = false;
	char msg[AIMS_ERROR_MSG_MAX];
	struct db_stmt *st;
	const void *p;
	json_t *rec = NULL;
	size_t slen = 0, clen = 0;
	int rc, xrc, deleted;

	/* An event, not a record: its entry needs no read. */
	if ((*event = (rc = v->load(&rec, v->db, v->org_id, kind, ref)) == AIMS_EUNSUPPORTED))
		return 0;
	if (rc != 0 && rc != AIMS_ENOTFOUND && rc != AIMS_ERROR)
		return rc;
	if ((xrc = db_prepare(&st, v->db, "SELECT salt, commitment FROM ledger_entries "
	    "WHERE org_id = ? AND seq = ?")) != 0) {
		json_decref(rec);
		return xrc;
	}
	db_bind_int64(st, 1, v->org_id);
	db_bind_int64(st, 2, seq);
	if ((xrc = db_step(st)) != DB_ROW) {
		db_done(st);
		json_decref(rec);
		return xrc < 0 ? xrc : aims_error_set(AIMS_ERROR, NULL, "entry %lld vanished",
		    (long long)seq);
	}
	if ((p = db_column_blob(st, 0, &slen)) != NULL && slen == sizeof(salt))
		memcpy(salt, p, sizeof(salt));
	if ((p = db_column_blob(st, 1, &clen)) != NULL && clen == sizeof(want))
		memcpy(want, p, sizeof(want));
	deleted = db_column_is_null(st, 1);
	db_done(st);
	if (rc == AIMS_ENOTFOUND) {
		if (deleted)
			return 0;
		return verify_fail(v, "record %s (%s) was deleted without a ledger entry "
		    "(its latest entry %lld does not delete it)", ref, kind, (long long)seq);
	}
	if (rc == AIMS_ERROR) {
		/* A row the loader cannot read (data that is not JSON) was not written by aims. */
		snprintf(msg, sizeof(msg), "%s", aims_error_message());
		return verify_fail(v, "record %s (%s) cannot be read: %s", ref, kind, msg);
	}
	if (rc != 0)
		return rc;
	v->rep->records++;
	if (deleted)
		rc = verify_fail(v, "record %s (%s) exists but its latest ledger entry (%lld) "
		    "deletes it", ref, kind, (long long)seq);
	else if (slen != sizeof(salt) || clen != sizeof(want))
		rc = verify_fail(v, "record %s (%s) exists but the salt of its latest ledger entry "
		    "(%lld) was erased", ref, kind, (long long)seq);
	else if ((rc = verify_opens(&opens, salt, want, kind, rec)) == 0 && !opens)
		rc = verify_fail(v, "record %s (%s) differs from its latest ledger commitment "
		    "(entry %lld)", ref, kind, (long long)seq);
	sodium_memzero(salt, sizeof(salt));
	json_decref(rec);
	return rc != 0 ? rc : verify_tick(v);
}

/*
 * Compares the stored version that entry seq of a record wrote with the
 * entry's commitment. *stop is set at a delete (older entries belong to an
 * erased generation of the record, whose versions went with it), and to
 * VERIFY_NO_HISTORY for a kind without a stored history.
 */
static int
verify_version(struct verify *v, const char *kind, const char *ref, int64_t seq, int *stop)
{
	uint8_t salt[LEDGER_SALT_LEN], want[LEDGER_COMMIT_LEN];
	bool opens = false;
	char action[LEDGER_FIELD_MAX + 1], wrote[LEDGER_FIELD_MAX + 1];
	struct db_stmt *st;
	const void *p;
	json_t *rec = NULL;
	size_t slen = 0, clen = 0;
	int64_t version;
	int rc;

	if ((rc = db_prepare(&st, v->db, "SELECT version, action, salt, commitment "
	    "FROM ledger_entries WHERE org_id = ? AND seq = ?")) != 0)
		return rc;
	db_bind_int64(st, 1, v->org_id);
	db_bind_int64(st, 2, seq);
	if ((rc = db_step(st)) != DB_ROW) {
		db_done(st);
		return rc < 0 ? rc : aims_error_set(AIMS_ERROR, NULL, "entry %lld vanished",
		    (long long)seq);
	}
	version = db_column_int64(st, 0);
	snprintf(wrote, sizeof(wrote), "%s", db_column_text(st, 1));
	if ((p = db_column_blob(st, 2, &slen)) != NULL && slen == sizeof(salt))
		memcpy(salt, p, sizeof(salt));
	if ((p = db_column_blob(st, 3, &clen)) != NULL && clen == sizeof(want))
		memcpy(want, p, sizeof(want));
	*stop = db_column_is_null(st, 3);
	db_done(st);
	if (*stop || slen != sizeof(salt))
		return 0;	/* a delete, or personal data erased with its salt */
	action[0] = '\0';
	rc = v->hist->load_version(&rec, action, v->db, v->org_id, kind, ref, version);
	if (rc == AIMS_EUNSUPPORTED) {
		*stop = VERIFY_NO_HISTORY;
		rc = 0;
	} else if (rc == AIMS_ENOTFOUND)
		rc = verify_fail(v, "record %s (%s) version %lld is missing from its stored "
		    "history (ledger entry %lld wrote it)", ref, kind, (long long)version,
		    (long long)seq);
	else if (rc == 0 && (rc = verify_opens(&opens, salt, want, kind, rec)) == 0) {
		if (!opens)
			rc = verify_fail(v, "record %s (%s) version %lld differs from ledger entry "
			    "%lld, which wrote it: its stored history was changed", ref, kind,
			    (long long)version, (long long)seq);
		else if (strcmp(action, wrote) != 0)
			rc = verify_fail(v, "record %s (%s) version %lld is stored as '%s', but "
			    "ledger entry %lld wrote it as '%s'", ref, kind, (long long)version,
			    action, (long long)seq, wrote);
		else
			v->rep->versions++;
	}
	sodium_memzero(salt, sizeof(salt));
	json_decref(rec);
	return rc;
}

/*
 * Kinds the history source has no stored history for: their entries are
 * not read again for versions. With stop VERIFY_NO_HISTORY, notes kind;
 * returns whether kind is one of them.
 */
static bool
verify_no_history(struct verify *v, const char *kind, int stop)
{
	size_t i;

	for (i = 0; i < v->nnohist; i++)
		if (strcmp(v->nohist[i], kind) == 0)
			return true;
	if (stop != VERIFY_NO_HISTORY || v->nnohist == VERIFY_KINDS_MAX ||
	    strlen(kind) > LEDGER_FIELD_MAX)
		return false;
	memcpy(v->nohist[v->nnohist++], kind, strlen(kind) + 1);
	return true;
}

/*
 * Every (kind, ref), newest entry first (the index scanned backwards): the
 * latest against the live record, then, with a history source, each entry
 * back to the last delete against the version it wrote.
 */
static int
verify_records(struct verify *v)
{
	struct db_stmt *st;
	char *kind = NULL, *ref = NULL;
	const char *k, *r;
	bool event, nohist;
	int rc, stop = 1;

	if ((rc = db_prepare(&st, v->db, "SELECT kind, ref, seq FROM ledger_entries "
	    "WHERE org_id = ? ORDER BY kind DESC, ref DESC, seq DESC")) != 0)
		return rc;
	db_bind_int64(st, 1, v->org_id);
	while ((rc = db_step(st)) == DB_ROW) {
		k = db_column_text(st, 0);
		r = db_column_text(st, 1);
		if (kind && strcmp(kind, k) == 0 && strcmp(ref, r) == 0) {
			if (!stop && (rc = verify_version(v, kind, ref, db_column_int64(st, 2),
			    &stop)) != 0)
				break;
			verify_no_history(v, kind, stop);
			continue;
		}
		free(kind);
		free(ref);
		kind = xstrdup(k);
		ref = xstrdup(r);
		stop = v->hist == NULL || verify_no_history(v, kind, 0);
		if ((rc = verify_record(v, kind, ref, db_column_int64(st, 2), &event)) != 0 ||
		    (!stop && (rc = verify_version(v, kind, ref, db_column_int64(st, 2),
		    &stop)) != 0))
			break;
		nohist = verify_no_history(v, kind, stop) || v->hist == NULL;
		if (event && nohist) {
			/*
			 * Events without a stored history: nothing of this kind is
			 * checked here (the loader answers per kind), so the scan
			 * goes on from the next kind down instead of reading them.
			 */
			db_done(st);
			if ((rc = db_prepare(&st, v->db, "SELECT kind, ref, seq FROM ledger_entries "
			    "WHERE org_id = ? AND kind < ? ORDER BY kind DESC, ref DESC, seq DESC")) != 0) {
				st = NULL;
				break;
			}
			db_bind_int64(st, 1, v->org_id);
			db_bind_text(st, 2, kind);
		}
	}
	if (st != NULL)
		db_done(st);
	free(kind);
	free(ref);
	return rc < 0 ? rc : rc == DB_DONE ? 0 : rc;
}

/* Version enumerator callback: a stored version must have the entry that wrote it. */
static int
verify_version_written(void *arg, const char *kind, const char *ref, int64_t version)
{
	struct verify *v = arg;
	struct db_stmt *st;
	int rc;

	/*
	 * Without statistics SQLite would walk the org's whole log backwards
	 * by seq for each version (the version column is in no index).
	 */
	if ((rc = db_prepare(&st, v->db, "SELECT commitment IS NOT NULL FROM ledger_entries "
	    "INDEXED BY ledger_entries_record WHERE org_id = ? AND kind = ? AND ref = ? "
	    "AND version = ? ORDER BY seq DESC LIMIT 1")) != 0)
		return rc;
	db_bind_int64(st, 1, v->org_id);
	db_bind_text(st, 2, kind);
	db_bind_text(st, 3, ref);
	db_bind_int64(st, 4, version);
	rc = db_step(st);
	if (rc == DB_DONE || (rc == DB_ROW && db_column_int64(st, 0) == 0)) {
		db_done(st);
		return verify_fail(v, "record %s (%s) version %lld has no ledger entry: it was "
		    "written around aims", ref, kind, (long long)version);
	}
	db_done(st);
	return rc < 0 ? rc : 0;
}

/* The history source's own check of one org, named under the org. */
static int
verify_derived(struct verify *v)
{
	char msg[AIMS_ERROR_MSG_MAX];
	int rc;

	if ((rc = v->hist->enumerate_versions(v->db, v->org_id, verify_version_written, v)) != 0)
		return rc;
	if ((rc = v->hist->check(v->db, v->org_id)) == AIMS_EVERIFY) {
		snprintf(msg, sizeof(msg), "%s", aims_error_message());
		return verify_fail(v, "%s", msg);
	}
	return rc;
}

/* Enumerator callback: a live record must have a ledger entry. */
static int
verify_live(void *arg, const char *kind, const char *ref)
{
	struct verify *v = arg;
	struct db_stmt *st;
	int rc;

	if ((rc = db_prepare(&st, v->db, "SELECT seq FROM ledger_entries WHERE org_id = ? "
	    "AND kind = ? AND ref = ? ORDER BY seq DESC LIMIT 1")) != 0)
		return rc;
	db_bind_int64(st, 1, v->org_id);
	db_bind_text(st, 2, kind);
	db_bind_text(st, 3, ref);
	rc = db_step(st);
	db_done(st);
	if (rc == DB_DONE)
		return verify_fail(v, "record %s (%s) has no ledger entry: it was written "
		    "around aims", ref, kind);
	return rc < 0 ? rc : 0;
}

static int
verify_one(struct verify *v, ledger_enum_fn enumerate)
{
	int rc;

	if ((rc = verify_org_name(v)) != 0)
		return rc;
	ledger_origin(v->origin, v->org_id);
	v->prev_size = 0;
	v->have_cp = 0;
	if ((rc = verify_log(v)) != 0)
		return rc;
	if (v->load && (rc = verify_records(v)) != 0)
		return rc;
	if (enumerate && (rc = enumerate(v->db, v->org_id, verify_live, v)) != 0)
		return rc;
	if (v->hist && (rc = verify_derived(v)) != 0)
		return rc;
	if (v->org_id == LEDGER_INSTANCE_ORG)
		v->rep->instance = 1;
	else
		v->rep->orgs++;
	return 0;
}

static void
verify_ids_add(int64_t **ids, size_t *n, size_t *cap, int64_t id)
{
	if (*n == *cap) {
		*cap = *cap ? *cap * 2 : 16;
		*ids = xrealloc(*ids, *cap * sizeof(**ids));
	}
	(*ids)[(*n)++] = id;
}

static int
verify_id_cmp(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return x < y ? -1 : x > y;
}

/*
 * Every org with a row in orgs, a head, a checkpoint or an entry (the
 * instance log only if it has one of those). Entries are visited with one
 * index seek per distinct org, not a scan.
 */
static int
verify_org_ids(int64_t **out, size_t *n, struct db *db)
{
	struct db_stmt *st;
	size_t cap = 0, i, j;
	int64_t last = -1;
	int rc, found;

	*out = NULL;
	*n = 0;
	if ((rc = db_prepare(&st, db, "SELECT id FROM orgs UNION SELECT org_id FROM ledger_heads "
	    "UNION SELECT org_id FROM ledger_checkpoints")) != 0)
		return rc;
	while ((rc = db_step(st)) == DB_ROW)
		verify_ids_add(out, n, &cap, db_column_int64(st, 0));
	db_done(st);
	if (rc < 0)
		return rc;
	for (;;) {
		if ((rc = db_prepare(&st, db, "SELECT min(org_id) FROM ledger_entries "
		    "WHERE org_id > ?")) != 0)
			return rc;
		db_bind_int64(st, 1, last);
		rc = db_step(st);
		found = rc == DB_ROW && !db_column_is_null(st, 0);
		if (found)
			last = db_column_int64(st, 0);
		db_done(st);
		if (rc < 0)
			return rc;
		if (!found)
			break;
		verify_ids_add(out, n, &cap, last);
	}
	qsort(*out, *n, sizeof(**out), verify_id_cmp);
	for (i = j = 0; i < *n; i++)
		if (j == 0 || (*out)[j - 1] != (*out)[i])
			(*out)[j++] = (*out)[i];
	*n = j;
	return 0;
}

int
ledger_verify(struct ledger_report *out, struct db *db, int64_t org_id,
    const struct note_verifier *key, ledger_load_fn load, ledger_enum_fn enumerate)
{
	struct verify v = { .rep = out, .db = db, .key = key, .load = load };
	int64_t *ids = NULL;
	size_t n = 0, i;
	int rc;

	memset(out, 0, sizeof(*out));
	out->records_checked = load != NULL;
	if (load != NULL)
		v.hist = ledger__history();
	if (org_id != LEDGER_ALL_ORGS) {
		v.org_id = org_id;
		rc = verify_one(&v, enumerate);
		goto done;
	}
	if ((rc = verify_org_ids(&ids, &n, db)) != 0)
		goto done;
	for (i = 0; i < n && rc == 0; i++) {
		v.org_id = ids[i];
		rc = verify_one(&v, enumerate);
	}
done:
	/*
	 * Without its triggers a table is append-only in name only. Checked
	 * last, so that a change made while they were gone is named first.
	 */
	if (rc == 0 && (rc = db_schema_check_triggers(db)) == AIMS_EVERIFY) {
		snprintf(out->failure, sizeof(out->failure), "database: %s", aims_error_message());
		aims_error_set(rc, NULL, "%s", out->failure);
	}
	buf_free(&v.cp.note);
	free(ids);
	return rc;
}

int
ledger_check_version(struct db *db, int64_t org_id, const char *kind, const char *ref,
    int64_t version, const json_t *record)
{
	uint8_t salt[LEDGER_SALT_LEN], want[LEDGER_COMMIT_LEN];
	bool opens = false;
	struct db_stmt *st = NULL;
	const void *p;
	size_t slen = 0, clen = 0;
	int64_t seq = 0;
	int rc;

	/* The record index, as in verify_version_written(). */
	if ((rc = db_prepare(&st, db, "SELECT seq, salt, commitment FROM ledger_entries "
	    "INDEXED BY ledger_entries_record WHERE org_id = ? AND kind = ? AND ref = ? "
	    "AND version = ? ORDER BY seq DESC LIMIT 1")) != 0)
		return rc;
	db_bind_int64(st, 1, org_id);
	db_bind_text(st, 2, kind);
	db_bind_text(st, 3, ref);
	db_bind_int64(st, 4, version);
	if ((rc = db_step(st)) == DB_ROW) {
		seq = db_column_int64(st, 0);
		if ((p = db_column_blob(st, 1, &slen)) != NULL && slen == sizeof(salt))
			memcpy(salt, p, sizeof(salt));
		if ((p = db_column_blob(st, 2, &clen)) != NULL && clen == sizeof(want))
			memcpy(want, p, sizeof(want));
	}
	db_done(st);
	if (rc < 0)
		return rc;
	if (rc == DB_DONE || clen != sizeof(want))
		rc = aims_error_set(AIMS_EVERIFY, NULL, "%s %s version %lld has no ledger entry",
		    kind, ref, (long long)version);
	else if (slen != sizeof(salt))
		rc = 0;		/* personal data erased with its salt */
	else if ((rc = verify_opens(&opens, salt, want, kind, record)) == 0 && !opens)
		rc = aims_error_set(AIMS_EVERIFY, NULL, "%s %s version %lld differs from ledger "
		    "entry %lld, which wrote it", kind, ref, (long long)version, (long long)seq);
	sodium_memzero(salt, sizeof(salt));
	return rc;
}
