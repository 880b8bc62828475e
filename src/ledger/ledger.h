/*
 * ledger.h - the tamper-evident audit trail (DESIGN.md invariant 2).
 *
 * One append-only log per organisation (org 0 is the instance log: users).
 * Every core mutation calls ledger_append() inside its own transaction, so a
 * record change and its ledger entry commit or vanish together. Entries are
 * leaves of an RFC 6962 Merkle tree; an entry commits to the record's state by
 * SHA-256(salt || canonical JSON of the record), so personal data can later be
 * erased (drop record and salt) without changing any leaf.
 *
 * An entry is the canonical JSON (canon.h) of
 *   {"action","actor","commitment" (hex, or null for a delete),"kind","ref",
 *    "seq","time","version"}
 * and its leaf hash is SHA-256(0x00 || entry). When a transaction that
 * appended to an org's log commits, a checkpoint of the org's new tree size
 * is signed with the server's Ed25519 key and stored with it (see
 * ledger_append() in ledger.c for why at commit), so every committed entry
 * is covered by a signed checkpoint. The key lives beside the database as
 * <db>.key (mode 0600) and <db>.pub; the process loads it once at start with
 * ledger_key_load() and ledger_key_use().
 */
#ifndef AIMS_LEDGER_LEDGER_H
#define AIMS_LEDGER_LEDGER_H

#include <jansson.h>
#include <stdint.h>

struct buf;
struct db;
struct merkle_hash;
struct merkle_stack;
struct note_signer;
struct note_verifier;

#define LEDGER_INSTANCE_ORG	0	/* the instance log */
#define LEDGER_ALL_ORGS		(-1)	/* ledger_verify(): every log */
#define LEDGER_SALT_LEN		32
#define LEDGER_COMMIT_LEN	32
#define LEDGER_FIELD_MAX	256	/* bytes of actor, action, kind, ref */
#define LEDGER_REPORT_MAX	512
#define LEDGER_ENTRY_TYPICAL	256	/* bytes of an entry, to size buffers */
#define LEDGER_KEY_NAME		"openaims"
#define LEDGER_ORIGIN_PREFIX	"openaims/"	/* + org id: a checkpoint's origin */
#define LEDGER_ORIGIN_MAX	64
#define LEDGER_KEY_SUFFIX	".key"
#define LEDGER_PUB_SUFFIX	".pub"
#define LEDGER_KEY_FILE_MAX	1024	/* bytes of a key file */
#define LEDGER_PROOF_FORMAT	"openaims-inclusion-proof/v1"

struct ledger_event {
	int64_t		 org_id;	/* 0: instance log */
	const char	*actor;		/* "user:EMAIL", "token:NAME", "cli", "system" */
	const char	*action;	/* create, update, delete, retire, approve, ... */
	const char	*kind;		/* org, user, membership, ai-system, risk, ... */
	const char	*ref;		/* per-org reference or natural key */
	int64_t		 version;	/* record version after the change */
	const json_t	*record;	/* state after the change; NULL when deleted */
	/*
	 * Or that state's canonical form (canon_json()'s bytes), written by a
	 * caller that has it without the tree: record is then NULL.
	 */
	const char	*record_canon;
	size_t		 record_canon_len;
};

/* One stored entry, as listed; strings borrowed for the callback's duration. */
struct ledger_entry {
	int64_t		 org_id;
	int64_t		 seq;
	const char	*time;
	const char	*actor;
	const char	*action;
	const char	*kind;
	const char	*ref;
	int64_t		 version;
	const char	*commitment;	/* hex; NULL for a delete */
	const char	*entry;		/* the canonical JSON that was hashed */
};

/*
 * Loads the current state of a record exactly as it was given to
 * ledger_append() (same fields), or returns AIMS_ENOTFOUND when the record
 * does not exist, or AIMS_EUNSUPPORTED for a kind whose entries have no
 * live record to compare (events such as a sign-in): an answer per kind,
 * whatever the ref (the verifier skips the kind's other entries). Provided
 * by core so the verifier can compare live rows with their latest
 * commitment.
 */
typedef int (*ledger_load_fn)(json_t **out, struct db *db, int64_t org_id, const char *kind,
    const char *ref);

/* Called once per live record; a non-zero return stops the enumeration. */
typedef int (*ledger_record_fn)(void *arg, const char *kind, const char *ref);

/*
 * Calls fn for every live record of org_id that should have ledger entries
 * (every kind core writes through ledger_append()), and returns 0, an error,
 * or the first non-zero value fn returned. Provided by core so the verifier
 * finds rows that were inserted without a ledger entry.
 */
typedef int (*ledger_enum_fn)(struct db *db, int64_t org_id, ledger_record_fn fn, void *arg);

typedef int (*ledger_entry_fn)(void *arg, const struct ledger_entry *e);

/*
 * The history side of the record source, for kinds that keep every version
 * (records, evidence file revisions through them):
 *
 * load_version loads version `version` of a record exactly as it was given
 * to ledger_append() when that version was written, and copies the action
 * stored with it into action; AIMS_ENOTFOUND when no such version is
 * stored, AIMS_EUNSUPPORTED for a kind without a stored history.
 *
 * enumerate_versions calls fn for every stored version of every record of
 * the org, so a version inserted without a ledger entry is found.
 *
 * check compares, for one org, what the entries cannot commit to on their
 * own with what they do commit to: what is derived from records for lists,
 * counts, filters and search (columns, counts, indexes), and rows kept
 * beside a version (evidence file revisions); it returns AIMS_EVERIFY with
 * a message naming the first row that does not match.
 */
typedef int (*ledger_version_fn)(void *arg, const char *kind, const char *ref, int64_t version);
struct ledger_history_source {
	int	(*load_version)(json_t **out, char action[LEDGER_FIELD_MAX + 1], struct db *db,
		    int64_t org_id, const char *kind, const char *ref, int64_t version);
	int	(*enumerate_versions)(struct db *db, int64_t org_id, ledger_version_fn fn,
		    void *arg);
	int	(*check)(struct db *db, int64_t org_id);
	/*
	 * The record in the form an entry written before some of its fields
	 * existed committed to, or NULL when there is none (caller owns it).
	 * A commitment that does not open on the record is tried on this form.
	 */
	json_t	*(*earlier_form)(const char *kind, const json_t *record);
};

/* What ledger_verify() checked, and the first thing that did not verify. */
struct ledger_report {
	int64_t	orgs;		/* organisations' logs verified */
	int	instance;	/* 1 when the instance log was verified too */
	int64_t	entries;
	int64_t	checkpoints;
	int64_t	records;	/* live records compared with their latest commitment */
	int64_t	versions;	/* stored versions compared with their own entry */
	int	records_checked;	/* 0 when no record loader was given */
	char	failure[LEDGER_REPORT_MAX];	/* "" when everything verified */
};

/* ledger.c */
/*
 * Appends one entry; must be called inside a db transaction, with a signing
 * key in use (ledger_key_use()). *seq_out gets the entry's seq.
 */
int ledger_append(int64_t *seq_out, struct db *db, const struct ledger_event *ev);
/* SHA-256(salt || canonical JSON of record). */
int ledger_commitment(uint8_t out[LEDGER_COMMIT_LEN], const uint8_t salt[LEDGER_SALT_LEN],
    const json_t *record);
/* The same from the record's canonical JSON, len bytes of canon (canon_json()'s). */
void ledger_commitment_canon(uint8_t out[LEDGER_COMMIT_LEN],
    const uint8_t salt[LEDGER_SALT_LEN], const char *canon, size_t len);
/* The checkpoint origin of an org's log: "openaims/<org id>". */
void ledger_origin(char out[LEDGER_ORIGIN_MAX], int64_t org_id);
/* Lists entries newest first, at most limit (0: all). */
int ledger_list(struct db *db, int64_t org_id, int64_t limit, ledger_entry_fn fn, void *arg);
/* Organisation id of a slug, from the orgs table; AIMS_ENOTFOUND if none. */
int ledger_org_id(int64_t *out, struct db *db, const char *slug);
/*
 * Core registers, once at start, how the verifier reads live records; while
 * none is set, `aims verify` checks the logs alone and says so.
 */
void ledger_set_record_source(ledger_load_fn load, ledger_enum_fn enumerate);
void ledger_record_source(ledger_load_fn *load, ledger_enum_fn *enumerate);
/*
 * Core registers, once at start, how the verifier reads stored versions
 * (borrowed; NULL: none). ledger_verify() checks every version against its
 * own entry whenever it is given a record loader and one is set.
 */
void ledger_set_history_source(const struct ledger_history_source *src);

/* ledger_key.c */
struct ledger_key;	/* an Ed25519 signing key in sodium_malloc'd memory */
/* Creates <db_path>.key (0600) and <db_path>.pub; AIMS_EEXISTS if a key exists. */
int ledger_key_create(const char *db_path);
/* The same files for key k (a benchmark's fixed key, so its checkpoints verify). */
int ledger_key_store(const char *db_path, const struct ledger_key *k);
/*
 * Gives the store to_db the signing key of from_db (both files), so the
 * checkpoints copied from one verify in the other; AIMS_ECONFLICT if to_db
 * has another key already.
 */
int ledger_key_copy(const char *to_db, const char *from_db);
/* Loads <db_path>.key; refuses a key file that others can read. */
int ledger_key_load(struct ledger_key **out, const char *db_path);
/* A key from a fixed seed (tests, benchmarks). */
int ledger_key_from_seed(struct ledger_key **out, const char *name,
    const uint8_t seed[32]);
void ledger_key_free(struct ledger_key *key);	/* zeroes it */
/* Makes key the process-wide signing key (borrowed; NULL: none). Call at start. */
void ledger_key_use(const struct ledger_key *key);
/* The public half of a key. */
void ledger_key_public(struct note_verifier *out, const struct ledger_key *key);
/* Reads a public key file (<db>.pub or one given by the user). */
int ledger_pubkey_load(struct note_verifier *out, const char *path);
/* Reads <db_path>.pub. */
int ledger_pubkey_load_db(struct note_verifier *out, const char *db_path);

/* ledger_verify.c */
/*
 * Verifies the log of org_id (or every log: LEDGER_ALL_ORGS) against the
 * public key: each entry against its columns and leaf hash, seq without
 * gaps, every checkpoint's signature, each checkpoint consistent with the
 * one before and with the recomputed tree, every entry covered by a
 * checkpoint; then, when load is given, every record's live state against
 * its latest commitment, and when enumerate is given, that every live
 * record has entries. With a history source (ledger_set_history_source())
 * and load given, every stored version is checked against the entry that
 * wrote it, every stored version must have one, and the source's check
 * runs per org. Last, the database's triggers are compared with the ones
 * the migrations create. Returns 0 when all verified, AIMS_EVERIFY with
 * out->failure (and the error message) naming the first thing that did
 * not, or another code when it could not check.
 */
int ledger_verify(struct ledger_report *out, struct db *db, int64_t org_id,
    const struct note_verifier *key, ledger_load_fn load, ledger_enum_fn enumerate);
/*
 * Progress of ledger_verify() on the calling thread: fn gets the entries
 * and records checked so far every thousand or so; a non-zero return stops
 * the verification, which returns that code. NULL: none.
 */
typedef int (*ledger_progress_fn)(void *arg, int64_t entries, int64_t records);
void ledger_verify_progress(ledger_progress_fn fn, void *arg);
/* Entries in org_id's log (its size). */
int ledger_size(int64_t *out, struct db *db, int64_t org_id);
/*
 * Where org_id's log stands: its size and a digest of its head (the tree's
 * frontier). Every change of a record appends to its organisation's log in
 * the change's own transaction, so two reads that find the same mark saw
 * the same records (http/list_cache.c keeps answers on it). An organisation
 * with no log yet has size 0.
 */
#define LEDGER_MARK_LEN	32
struct ledger_mark {
	int64_t		size;
	uint8_t		digest[LEDGER_MARK_LEN];
};
int ledger_head_mark(struct ledger_mark *out, struct db *db, int64_t org_id);

/*
 * Checks one stored version of a record, in the form it was given to
 * ledger_append(), against the newest entry of (kind, ref) at that version:
 * 0 when it matches (or the entry's salt was erased), AIMS_EVERIFY naming
 * the record and version when it differs or no entry wrote it. For a read
 * that must not serve what the log does not commit to (a download).
 */
int ledger_check_version(struct db *db, int64_t org_id, const char *kind, const char *ref,
    int64_t version, const json_t *record);

/* ledger_proof.c */
/*
 * Builds the offline inclusion proof of entry seq of org_id's log against
 * its latest checkpoint: {format, org, origin, seq, entry, leaf_index,
 * tree_size, root, audit_path[], checkpoint, public_key}; hashes in base64.
 * The proof is checked against key before it is returned.
 */
int ledger_proof(json_t **out, struct db *db, int64_t org_id, int64_t seq,
    const struct note_verifier *key);
/*
 * Checks a proof offline: the checkpoint is signed by the embedded public
 * key (which must equal pin when pin is given), and the entry's leaf leads
 * to the checkpoint's root through the audit path. On success summary (if
 * not NULL) gets a one-line description.
 */
int ledger_proof_verify(char summary[LEDGER_REPORT_MAX], const json_t *proof,
    const struct note_verifier *pin);

/* ledger_pack.c: what an audit pack (src/io/pack.c) reads from a log. */
#define LEDGER_TREE_MAX		(1ULL << 26)	/* entries a pack's tree is built from in memory */
struct ledger_tree;	/* the leaf hashes of a log prefix and the levels above them */
int ledger_tree_load(struct ledger_tree **out, struct db *db, int64_t org_id, uint64_t size);
void ledger_tree_free(struct ledger_tree *t);
int ledger_tree_root(struct merkle_hash *out, const struct ledger_tree *t, uint64_t size);
/* The audit path of leaf index in the tree of size leaves, leaf to root. */
int ledger_tree_path(struct merkle_hash *out, size_t *n, const struct ledger_tree *t,
    uint64_t index, uint64_t size);
/* The RFC 9162 consistency proof from old_size to new_size. */
int ledger_tree_consistency(struct merkle_hash *out, size_t *n, const struct ledger_tree *t,
    uint64_t old_size, uint64_t new_size);
/*
 * The newest entry that wrote version `version` of (kind, ref): its seq, its
 * text and its salt (*has_salt 0 when erased). AIMS_EVERIFY when none did.
 */
int ledger_version_entry(int64_t *seq, struct buf *entry, uint8_t salt[LEDGER_SALT_LEN],
    int *has_salt, struct db *db, int64_t org_id, const char *kind, const char *ref,
    int64_t version);
/*
 * The form of record that opens commitment (hex) with salt: the record, or
 * the earlier form of its kind (the history source's earlier_form: fields
 * the kind gained later left out while empty). *out gets it and canon its
 * canonical JSON, the exact bytes committed to. AIMS_EVERIFY when neither.
 */
int ledger_opening_form(json_t **out, struct buf *canon, const char *kind,
    const json_t *record, const uint8_t salt[LEDGER_SALT_LEN], const char *commitment);
/* The latest checkpoint (at_least 0) or the first covering entry at_least. */
int ledger_checkpoint_find(uint64_t *size, struct buf *note, struct db *db, int64_t org_id,
    uint64_t at_least);

/* Internal to src/ledger, shared between its files. */
int ledger__entry_text(struct buf *out, const struct ledger_entry *e);	/* ledger.c */
void ledger__hex(char *out, const uint8_t *in, size_t len);	/* out: 2 * len + 1 */
int ledger__head_load(struct merkle_stack *s, struct db *db, int64_t org_id);
const struct note_signer *ledger__signer(void);	/* ledger_key.c: key in use or NULL */
const struct ledger_history_source *ledger__history(void);	/* ledger.c */

#endif
