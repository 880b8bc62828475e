/*
 * record_private.h - functions shared between the files of the record engine
 * (record*.c) and the kind declarations (kind_*.c). Not for other modules:
 * they use record.h.
 */
#ifndef AIMS_CORE_RECORD_PRIVATE_H
#define AIMS_CORE_RECORD_PRIVATE_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/record.h"

struct buf;
struct db;
struct db_stmt;

#define RECORD_STRING_MAX	500		/* FIELD_STRING default max length */
#define RECORD_TEXT_MAX		200000		/* FIELD_TEXT default max length */
#define RECORD_ITEMS_MAX	1000		/* elements in any list field */
#define RECORD_REF_MAX		64		/* length of a reference */
#define RECORD_PATH_MAX		160		/* "impacts[12].area" */

/* One row of the records table. */
struct record_row {
	int64_t		 id, num, version;
	char		*ref, *title, *status, *owner;
	char		*created_at, *updated_at, *created_by, *updated_by;
	json_t		*data;		/* declared fields only */
	bool		 retired;
	int64_t		 created_by_id;	/* user who proposed it; 0: the system */
	int64_t		 in_force;	/* approved version in force during a revision; 0: none */
};

/* record_field.c: input checks and normalisation */
int record__check_input(json_t **norm, struct db *db, int64_t org_id,
    const struct actor *actor, const struct record_kind *k, const json_t *input);
int record__check_value(json_t **norm, struct db *db, int64_t org_id, const struct field *f,
    const char *path, const json_t *v);
int record__check_required(const struct record_kind *k, const json_t *data);
bool record__is_empty(const json_t *v);
const char *record__enum_list(char *out, size_t outlen, const char *const *values);

/* record_store.c: rows, versions, links, search and filter indexes */
struct db_stmt;
#define RECORD_ROW_COLUMNS "id, num, ref, version, title, status, owner, data, created_at, " \
	"updated_at, created_by, updated_by, retired, created_by_id, in_force"
/* Reads a row from a statement whose first columns are RECORD_ROW_COLUMNS. */
int record__row_read(struct record_row *out, struct db_stmt *st);
/* The search scope of an org, kind and retirement: "s12_aisystems_", "s12_aisystems_r_". */
#define RECORD_SCOPE_MAX	64
void record__search_scope(char *out, size_t outlen, int64_t org_id, const char *kind,
    bool retired);
/*
 * record_words.c: the length in bytes (1 to 4) of the character at p (not
 * NUL); *word says whether it belongs to a word or separates words, as the
 * search index's tokenizer sees it.
 */
size_t record__word_char(bool *word, const unsigned char *p);
/*
 * record_search.c: the newest live records of k matching q (words as the
 * header search's, the last a prefix), from their stored search text, at
 * most per_kind appended to items and *more when there are more. *settled
 * false (items left empty) when the newest records do not settle it and
 * the search index must be asked.
 */
int record__search_recent(bool *settled, json_t *items, bool *more, struct db *db,
    int64_t org_id, const struct record_kind *k, const char *q, int per_kind);
/* "title", "status" or "owner" when f is kept in that column, else NULL. */
const char *record__field_column(const struct record_kind *k, const struct field *f);
/*
 * Is f a reference (ref, catalog id, or a list of them) filtered through
 * record_links rather than record_fields? Its values are links already, so
 * they are kept once; a sortable one keeps its record_fields rows, which
 * hold the sort order.
 */
bool record__field_linked(const struct field *f);
/*
 * The to_kind a link from f to ref carries (the target kind, "requirement"
 * for catalog ids), or NULL when ref names no kind.
 */
const char *record__link_target(const struct field *f, const char *ref);
int record__row_load(struct record_row *out, struct db *db, int64_t org_id,
    const struct record_kind *k, const char *ref);
void record__row_free(struct record_row *r);
json_t *record__row_json(const struct record_kind *k, const struct record_row *r);
/*
 * Appends canon_json() of record__row_json(k, r), the bytes its ledger
 * commitment hashes, written from the row without the tree, and sets
 * *written. For a kind not in record_kinds[], or whose names are not all
 * distinct, or too many, it appends nothing and leaves *written false:
 * canonicalise the tree then.
 */
int record__row_canon(bool *written, struct buf *out, const struct record_kind *k,
    const struct record_row *r);
/*
 * The record's view: record__row_json() as text, the bytes a read answers
 * and a list splices (migration 073). Kept in records.view with the
 * kind's shape (record__view_shape()); a stored view of another shape is
 * not used. The caller frees the text.
 */
#define RECORD_VIEW_FLAGS	(JSON_COMPACT | JSON_PRESERVE_ORDER)
char *record__view_text(const struct record_kind *k, const struct record_row *r);
/* The stored text of a record's data (records.data, record_versions.data); caller frees. */
char *record__data_text(const json_t *data);
int64_t record__view_shape(const struct record_kind *k);
/*
 * Appends to out the view of the row st is on (selecting
 * RECORD_VIEW_COLUMNS): the stored text when it has the kind's shape, else
 * built from the row's data. *version (may be NULL): the row's version.
 */
#define RECORD_VIEW_COLUMNS RECORD_ROW_COLUMNS ", view, view_shape"
#define RECORD_VIEW_COL		15	/* view's column in RECORD_VIEW_COLUMNS */
int record__row_view(struct buf *out, int64_t *version, struct db_stmt *st,
    const struct record_kind *k);
/*
 * Is the view of a row with this data also the answer's text, the bytes
 * canon_compact() writes of record__row_json()? Yes unless an object is
 * nested in the data: the view sorts its keys (the stored form) where the
 * answer keeps the order the caller gave them.
 */
bool record__view_answers(const json_t *data);
/*
 * Inserts r. *answer (answer may be NULL): the view just stored when it is
 * also the text of the answer, canon_compact() of record__row_json(k, r)
 * (no object nested in the data), else NULL; the caller frees it.
 */
int record__row_insert(struct record_row *r, struct db *db, int64_t org_id,
    const struct record_kind *k, char **answer);
/* Writes r over the row whose state was old (the indexes need both); *answer as above. */
int record__row_update(struct db *db, int64_t org_id, const struct record_kind *k,
    const struct record_row *old, const struct record_row *r, char **answer);
/* dst becomes a copy of src (data shared); free with record__row_free(). */
void record__row_copy(struct record_row *dst, const struct record_row *src);
int record__row_erase(struct db *db, int64_t org_id, const struct record_kind *k,
    const struct record_row *r);
/* actor_id: the user behind the change (0: the system), for history and sign-off. */
int record__version_add(struct db *db, int64_t org_id, const struct record_kind *k,
    const struct record_row *r, const char *action, int64_t actor_id);
/*
 * record_counts.c: takes r (delta -1) out of or puts it (+1) into the
 * dashboard counts of its status and declared dimensions; retired rows and
 * NULL count for nothing.
 */
int record__counts_add(struct db *db, int64_t org_id, const struct record_kind *k,
    const struct record_row *r, int delta);
/* record_counts.c: the kind's next reference number, and its live records moved by delta. */
int record__next_num(int64_t *out, struct db *db, int64_t org_id, const char *kind);
int record__count_add(struct db *db, int64_t org_id, const char *kind, int delta);
/*
 * work.c: brings the work items of a record (core/work.h) from old (NULL:
 * none) to r (NULL: erased), in the caller's transaction.
 */
int record__work_sync(struct db *db, int64_t org_id, const struct record_kind *k,
    const struct record_row *old, const struct record_row *r);
/*
 * notify.c: what the change of a record from old (NULL: created) to r
 * (NULL: erased) tells whom (core/notify.h), in the caller's transaction.
 */
int record__notify(struct db *db, int64_t org_id, const struct actor *actor,
    const struct record_kind *k, const char *action, const struct record_row *old,
    const struct record_row *r);
/*
 * A bulk import (record_import.c) between the two: each person assigned
 * records is told once, at the end, with how many (tell false: the import
 * is not kept, nobody is told). Webhooks still get one event a record.
 */
void record__notify_batch_begin(void);
int record__notify_batch_end(struct db *db, int64_t org_id, const struct actor *actor,
    const struct record_kind *k, bool tell);
int record__exists(struct db *db, int64_t org_id, const char *kind, const char *ref);
/* Copies title, status and owner columns out of r->data (ref when no title). */
void record__row_columns(struct record_row *r, const struct record_kind *k);
/*
 * The record_fields and record_links rows r should have, as keys added to
 * the sets fields and links (objects used as sets), written nowhere: what
 * verify compares the stored indexes with. The keys are those of
 * record__fields_key() and record__links_key().
 */
int record__derived_collect(json_t *fields, json_t *links, int64_t org_id,
    const struct record_kind *k, const struct record_row *r);
struct buf;
void record__fields_key(struct buf *b, const char *kind, const char *field, int live,
    const char *value_type, const char *value, const char *updated_at, int64_t num);
void record__links_key(struct buf *b, const char *from_kind, const char *from_ref,
    const char *field, const char *to_kind, const char *to_ref, int live,
    const char *updated_at, int64_t num);
/*
 * The records_fts body of r: every searchable word prefixed with its scope;
 * legacy: the words as split before migration 126 (record_words.c).
 */
void record__search_text(struct buf *b, int64_t org_id, const struct record_kind *k,
    const struct record_row *r, bool legacy);

/* record_query.c */
/*
 * The record_get() form of a stored version, as it was given to the ledger:
 * st selects record_versions' version, action, status, at, actor, data,
 * retired, in_force first; cur is the record's row (ref, created_at,
 * created_by). NULL when the stored data is not JSON.
 */
json_t *record__version_json(const struct record_kind *k, const struct record_row *cur,
    struct db_stmt *st);
/*
 * The reference a read names: *ref, or the singleton's own when none is
 * given; AIMS_EINVALID when there is neither.
 */
int record__ref_resolve(const char **ref, const struct record_kind *k);
/*
 * *st on the row of the record ref of kind k, sql reading records
 * "WHERE org_id = ? AND kind = ? AND ref = ?"; the caller finishes *st.
 * AIMS_ENOTFOUND, *st finished, when there is no such record.
 */
int record__select_ref(struct db_stmt **st, struct db *db, const char *sql, int64_t org_id,
    const struct record_kind *k, const char *ref);
/*
 * Every version of the record numbered num, oldest first, in the columns
 * record__version_json() reads, then by: the display name of the person
 * behind the version (NULL for the system). The caller steps and finishes *st.
 */
int record__versions_select(struct db_stmt **st, struct db *db, int64_t org_id,
    const struct record_kind *k, int64_t num);
/*
 * *st on the row of one version of the record numbered num (ref names it
 * in the error), in the columns record__version_json() reads; the caller
 * finishes *st. AIMS_ENOTFOUND, *st finished, when there is no such version.
 */
int record__version_select(struct db_stmt **st, struct db *db, int64_t org_id,
    const struct record_kind *k, const char *ref, int64_t num, int64_t version);

/* record.c: the actor's identity, the kind of a ref, internal mutations */
int record__actor_email(char **out, struct db *db, const struct actor *actor);
/* How approved_by / accepted_by name the actor: a user's email, else actor->name. */
int record__actor_label(char **out, struct db *db, const struct actor *actor);
/* Creation by the system (record_org_init): fields trusted, readonly ones allowed. */
int record__create_system(json_t **out, struct db *db, int64_t org_id,
    const struct actor *actor, const struct record_kind *k, const json_t *fields);
/*
 * Writes new field values computed by the system (readonly fields included)
 * as a new version: used by evidence file revisions. fields: object of values.
 */
int record__update_system(json_t **out, struct db *db, int64_t org_id,
    const struct actor *actor, const struct record_kind *k, const char *ref,
    int64_t if_version, const char *action, const json_t *fields);
/* The fields-only data of another record of the org (borrowed into *out; decref). */
int record__load_data(json_t **out, struct db *db, int64_t org_id, const char *kind,
    const char *ref);

/* Convenience accessors over a fields object. */
const char *record__str(const json_t *data, const char *name);	/* NULL if absent */
int64_t record__int(const json_t *data, const char *name, int64_t dflt);

/*
 * record_workflow.c: the engine's side of struct record_workflow. Before the
 * kind's hooks, record__workflow_resolve() settles the new state (a new
 * record starts in the initial state; changing approved content starts a
 * revision); after them, record__workflow_judge() checks the step taken and
 * signs it off. old and r are NULL on create; r is the row before the change.
 */
int record__workflow_resolve(const struct record_kind *k, const json_t *old, json_t *next);
int record__workflow_judge(struct db *db, int64_t org_id, const struct actor *actor,
    const struct record_kind *k, const struct record_row *r, json_t *next);
/* True when a field outside the free ones differs between old and next. */
bool record__workflow_content_changed(const struct record_workflow *w, const json_t *old,
    const json_t *next);
/* The action of the step from old's state to next's ("approve"), or NULL: none taken. */
const char *record__workflow_action(const struct record_kind *k, const json_t *old,
    const json_t *next);
/* A user's display name (their e-mail if they have none; "someone" if gone). */
int record__user_name(char **out, struct db *db, int64_t user_id);

/*
 * record_workflow.c: the review-and-approve workflow several kinds share
 * (documents, audit programmes, life-cycle records): draft -> in_review ->
 * approved by a manager who did not write it, revised back to draft, retired.
 * A kind uses both with its own record_workflow (its free fields).
 */
extern const char *const record_review_states[];
extern const struct record_step record_review_steps[];

/* The kinds other files of the engine use by name (all: record_kinds.c). */
extern const struct record_kind record_kind_risk_criteria;
extern const struct record_kind record_kind_soa;
extern const struct record_kind record_kind_evidence;

/* kind_soa.c / kind_risk.c: the cross-rule between exclusions and treatments */
int soa__control_excluded(bool *excluded, struct db *db, int64_t org_id, const char *control);

#endif
