/*
 * record.h - the generic AIMS record engine.
 *
 * Every planning record kind (ai-systems, risks, documents, ...) is declared
 * once as a struct record_kind: its fields with their types and rules, its
 * reference prefix, and hooks for the rules that are more than a field check.
 * The engine validates, stores (one row per record, fields as canonical JSON),
 * numbers (AIS-7), versions, links (both ways), appends the ledger event in
 * the same transaction, lists with filter/sort/search/cursor, and keeps the
 * history. The API, the web pages and the CLI are generated from the same
 * declarations, so a field is declared in exactly one place.
 */
#ifndef AIMS_CORE_RECORD_H
#define AIMS_CORE_RECORD_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include "core/actor.h"
#include "core/perm.h"

struct buf;
struct db;

enum field_type {
	FIELD_STRING,		/* one line, max_len */
	FIELD_TEXT,		/* multi-line / Markdown */
	FIELD_BOOL,
	FIELD_INT,		/* min..max */
	FIELD_ENUM,		/* one of values[] */
	FIELD_ENUM_LIST,	/* array of values[] */
	FIELD_DATE,		/* YYYY-MM-DD */
	FIELD_DATETIME,		/* RFC 3339 UTC */
	FIELD_STRING_LIST,	/* array of strings */
	FIELD_REF,		/* ref of a record of kind target ("AIS-3"); same org;
				   target NULL: a record of any kind */
	FIELD_REF_LIST,		/* array of refs of kind target */
	FIELD_REQUIREMENT,	/* catalog requirement id, filtered by req_kinds */
	FIELD_REQUIREMENT_LIST,
	FIELD_USER,		/* email of a member of the org */
	FIELD_OBJECT_LIST,	/* array of objects described by subfields */
	FIELD_OBJECT,		/* one object described by subfields */
};

enum field_flags {
	FIELD_REQUIRED = 1 << 0,	/* must be present and non-empty on create */
	FIELD_READONLY = 1 << 1,	/* computed or set by workflow; refused in input */
	FIELD_SEARCH = 1 << 2,		/* included in q= full-text search */
	FIELD_FILTER = 1 << 3,		/* usable as ?field=value list filter */
	FIELD_SORT = 1 << 4,		/* usable in ?sort=field / -field */
	FIELD_LIST = 1 << 5,		/* shown as a column in list views */
	FIELD_TITLE = 1 << 6,		/* the record's display title (one per kind) */
	FIELD_MANAGER = 1 << 7,		/* only manager/admin may set it */
	FIELD_TICKED = 1 << 8,		/* BOOL: ticked on a new record's form, the
					   usual answer (unticking is a decision) */
};

struct field {
	const char		*name;		/* API name, snake_case */
	const char		*label;		/* human label for forms and tables */
	enum field_type		 type;
	int			 flags;
	const char *const	*values;	/* ENUM(_LIST): NULL-terminated */
	const char		*target;	/* REF(_LIST): kind name */
	const char		*req_kinds;	/* REQUIREMENT(_LIST): "control,clause" */
	int64_t			 min, max;	/* INT range; STRING/TEXT max length in max */
	const struct field	*subfields;	/* OBJECT_LIST: terminated by name NULL */
	const char		*help;		/* a line under the form input, in words */
	const char		*section;	/* the form section this field starts, in words
					   ("Treatment"); NULL: continues the current one */
	/*
	 * The schema migration that added the field to a kind that already had
	 * records (0: the kind had it from the start). Ledger entries written
	 * before then committed to records without it, so the verifier also
	 * accepts a record in that earlier form while the field is empty.
	 */
	int			 since;
};

struct record_kind;
struct record_query;

/*
 * A date field by which something is due. The dashboard lists the records
 * whose date falls in the coming days ("coming up") or has passed ("past
 * due") as `what` is due: "risk review", "evidence expires". The field is a
 * FIELD_DATE flagged FIELD_FILTER or FIELD_SORT, so the list is an index read.
 * Each live record's date is also a work item of the person it names
 * (core/work.h), kept by the record engine. A due date added to a kind that
 * already has records comes with a migration adding their work items, as
 * 060_work_items.sql does for the kinds of its time: `aims verify` expects them.
 */
struct record_due {
	const char		*field;
	const char		*what;
	/*
	 * The obligation ends when the record reaches one of the kind's done
	 * states (an objective achieved, an audit reported). false: it stands
	 * whatever the state (an approved document still has its next review).
	 */
	bool			 until_done;
	/* The FIELD_USER field naming who does it; NULL: the record's owner. */
	const char		*who;
	/*
	 * Held before each external audit (an internal audit, a management
	 * review): the certification calendar lists it under the next one.
	 */
	bool			 calendar;
};

/*
 * A deadline the record counts down to, to the second: a read-only
 * FIELD_DATETIME the kind computes (an incident's report_due), met when the
 * FIELD_DATETIME `met_by` (reported_at) is set at or before it. The record
 * page shows the time left or how late it is; readiness counts the records
 * that missed it (record_deadline_state()).
 */
struct record_deadline {
	const char		*field;		/* "report_due" */
	const char		*met_by;	/* "reported_at" */
	const char		*to;		/* a field saying to whom, or NULL */
	const char		*what;		/* "Report", in words */
};

enum record_deadline_state {
	RECORD_DEADLINE_NONE,		/* nothing is due */
	RECORD_DEADLINE_OPEN,		/* due, not met, time left */
	RECORD_DEADLINE_MET,		/* met at or before it */
	RECORD_DEADLINE_LATE,		/* met after it */
	RECORD_DEADLINE_MISSED,		/* not met, and past it */
};

/* How the dashboard draws a counted dimension. */
enum record_chart {
	RECORD_CHART_NONE,	/* counted for a summary of its own (the SoA card) */
	RECORD_CHART_BARS,	/* one bar per value, linked to the list filtered by field[0] */
	RECORD_CHART_HEATMAP,	/* a likelihood x impact grid of "L:I" cells */
};

#define RECORD_COUNT_VALUE_MAX	128	/* a counted value, with its terminator */

/*
 * A figure the dashboard counts for a kind besides its status: how many live
 * records have each value of a dimension. Core keeps the counts current as
 * records change, in the same transaction. The value is the field's value
 * (fields[1] NULL), the two fields' values joined by ':' (a heat-map cell,
 * "3:4"), or what value() makes of the record; no value (a field empty, or
 * value() returning false) means the record is not counted in it.
 */
struct record_count {
	const char		*dim;		/* "category", "inherent" */
	const char		*label;		/* "AI systems by EU AI Act category" */
	const char		*fields[2];
	enum record_chart	 chart;
	bool (*value)(char out[RECORD_COUNT_VALUE_MAX], const json_t *record);
};

/* An extra navigation entry listed before the kind: its list filtered. */
struct record_nav_view {
	const char		*label;		/* "AI policy" */
	const char		*clause;	/* "5.2" */
	const char		*filter;	/* a FIELD_FILTER field: "is_ai_policy" */
	const char		*value;		/* "true" */
};

/*
 * Hooks run inside the write transaction. validate() sees the merged new
 * state (and the old one on update, else NULL) and may fill computed fields
 * into `next`; it returns 0 or an AIMS_E* code with aims_error_set() naming
 * the field. It runs after the workflow has settled the new state and
 * before the step taken is judged (struct record_workflow).
 */
struct record_hooks {
	int (*validate)(struct db *db, int64_t org_id, const struct actor *actor,
	    const json_t *old, json_t *next);
	/*
	 * On create only, once the new record has its reference and before it
	 * is stored: what the record's creation causes in other records (an
	 * audit finding raises its nonconformity, which names the finding); it
	 * may fill computed fields into data. NULL: none.
	 */
	int (*created)(struct db *db, int64_t org_id, const struct actor *actor,
	    const char *ref, json_t *data);
	/*
	 * What a form shows beside the fields, in the organisation's own terms:
	 * {scales: {NAME: [{value, title}]} for INT fields it labels, and
	 * scores: [{label, after, from: [NAME, NAME], grid}]: the score the
	 * validate hook will compute, grid[a-1][b-1] = {score, level} for the
	 * values a and b of the two fields, shown after the field `after`.
	 * NAME is the field as a form names it ("impact",
	 * "treatment.residual_impact"). Caller owns *out. NULL: none.
	 */
	int (*form_hints)(json_t **out, struct db *db, int64_t org_id);
};

/*
 * The workflow of a kind: its states (values of one enum field), the steps
 * between them and who may take each. Pages, API and CLI all read this;
 * record_steps() lists the steps with the reason when one may not be taken,
 * and the record engine enforces the same judgement on every change of the
 * state field, whatever the credential (session, API token, command line).
 */
enum record_signoff {
	RECORD_SIGNOFF_NONE,
	RECORD_SIGNOFF_NOT_AUTHOR,	/* not anyone who changed its content since it
					   was last approved (or created) */
	RECORD_SIGNOFF_NOT_PROPOSER,	/* not whoever proposed (created) the record */
};

struct record_step {
	const char		*action;	/* "approve": what the pages post */
	const char		*label;		/* the button, in words: "Approve" */
	const char		*from;		/* state it starts from; NULL: any other */
	const char		*to;		/* state it sets */
	enum perm_action	 perm;		/* on the kind's perm_kind: PERM_WRITE or
						   PERM_APPROVE (a sign-off) */
	bool			 owner_may;	/* the record's owner may take it too */
	enum record_signoff	 signoff;	/* compared by user id; a sign-off
						   (perm PERM_APPROVE) needs a person */
	const char		*needs;		/* a field that must be set first */
	const char		*needs_why;	/* in words, when it is not */
	const char		*confirm;	/* question the pages ask first, or NULL */
};

struct record_workflow {
	const char		*field;		/* the state field: "status" */
	const char		*initial;	/* state of a new record */
	const struct record_step *steps;	/* terminated by action NULL */
	const char		*approved;	/* its version is in force; NULL: none */
	const char		*revert;	/* state a revision of it starts in */
	const char		*final;		/* nothing changes once here; NULL: none */
	const char *const	*free_fields;	/* change without starting a revision */
	const char		*signed_by;	/* field naming who signed off ("approved_by") */
	const char		*signed_at;	/* and when */
	bool			 open;		/* other state changes need no step (risks) */
};

/* A view of one record besides its page, at .../{kind}/{ref}/{path}: "checklist". */
struct record_view {
	const char		*path;
	const char		*label;		/* the link, in words: "Checklist" */
	/* The view changes records (an import): linked only for those who may write the kind. */
	bool			 writes;
};

/*
 * Items a kind's listing shows after its own records, which are not records
 * of it and cannot be changed through it: the tasks that follow other
 * records' due dates (core/work.h). Listed only when the query asks for
 * them (record_query.with_extra), so what copies or exports the records
 * never meets them; each record of the listing then carries "generated":
 * false and each extra item "generated": true.
 */
struct record_list_extra {
	/*
	 * Appends to items at most limit (0..RECORD_LIST_MAX) items matching
	 * q's filters and search, in the order of q's sort where they have
	 * that key, from cursor (NULL: the first); *next: the cursor of the
	 * rest (caller frees), NULL when none is left; *total (may be NULL):
	 * all matches. A filter on a field the items lack matches none.
	 */
	int (*list)(json_t *items, char **next, int64_t *total, struct db *db,
	    int64_t org_id, const struct record_kind *k, const struct record_query *q,
	    const char *cursor, int limit);
	/*
	 * Is ref one of the items? 0 when not; AIMS_ECONFLICT with a message
	 * naming what it follows and how it is done when it is (the record
	 * engine answers so to a change of it instead of "not found").
	 */
	int (*refuse)(struct db *db, int64_t org_id, const struct record_kind *k,
	    const char *ref);
	/* The JSON Schema of an item, for the OpenAPI document. Caller owns it. */
	json_t *(*schema)(void);
};

struct record_kind {
	const char		*name;		/* API path segment: "ai-systems" */
	const char		*singular;	/* "AI system" */
	const char		*plural;	/* "AI systems" */
	const char		*prefix;	/* reference prefix: "AIS" */
	const char		*clause;	/* where it sits in the standard: "8.2" */
	const char		*section;	/* navigation group: "Planning" */
	bool			 singleton;	/* one per org (scope, risk-criteria) */
	bool			 retain;	/* DELETE retires instead of erasing */
	const char		*perm_kind;	/* permission table kind */
	const struct field	*fields;	/* terminated by name NULL */
	struct record_hooks	 hooks;
	const char		*default_sort;	/* NULL: "-updated_at" */
	const char		*ref_field;	/* the ref is this field's value (soa: control) */
	bool			 fixed;		/* rows made by record_org_init(): no create/delete */
	bool			 files;		/* keeps file revisions (core/evidence.h) */
	const struct record_workflow *workflow;	/* NULL: no states to move through */

	/*
	 * What the pages, the dashboard and the CLI show of the kind. The
	 * navigation lists the kinds in record_kinds[] order under their
	 * `section` headings.
	 */
	const char		*nav_label;	/* NULL: plural */
	char			 nav_key;	/* "g" then this key opens the list; 0: none */
	const struct record_nav_view *nav_view;	/* NULL: none */
	const char *const	*done;		/* statuses that count as finished, NULL-
						   terminated; NULL: no done/total figure */
	const struct record_due	*due;		/* field NULL ends; NULL: none */
	const struct record_count *counts;	/* terminated by dim NULL; NULL: none */
	/* Its FIELD_REQUIREMENT_LIST naming what its records are evidence of
	   (counted per control on the SoA page); NULL: none. */
	const char		*evidence_for;
	/* Views of a record the pages link to from its page; path NULL ends; NULL: none. */
	const struct record_view *views;
	const struct record_deadline *deadline;	/* NULL: none */
	/*
	 * Dates of external events the certification calendar and the feeds
	 * show (a Stage 2 audit), FIELD_DATE flagged FIELD_FILTER or FIELD_SORT;
	 * the dashboard counts the days to the next. field NULL ends; NULL: none.
	 */
	const struct record_due	*events;
	/* Its records are tasks made by hand: My work lists them as they are. */
	bool			 task;
	const struct record_list_extra *list_extra;	/* NULL: none */
};

/* The kinds, in navigation order; terminated by name NULL. */
extern const struct record_kind *const record_kinds[];
const struct record_kind *record_kind_find(const char *name);
/* The kind whose references look like ref ("RISK-4", "SCOPE", "A.6.2.6"); NULL: none. */
const struct record_kind *record_kind_of_ref(const char *ref);
const struct field *record_field_find(const struct record_kind *k, const char *name);
/* record_label.c: an allowed value as people read it ("in_review" -> "In review"), as text. */
void record_enum_label(struct buf *out, const char *value);
/* The field flagged FIELD_TITLE, or NULL. */
const struct field *record_title_field(const struct record_kind *k);
/* Does status count as finished for k (its `done` list)? */
bool record_kind_is_done(const struct record_kind *k, const char *status);
/* The label the navigation shows: nav_label, else plural. */
const char *record_kind_nav_label(const struct record_kind *k);
/* The kind whose nav_key is key, or NULL. */
const struct record_kind *record_kind_by_nav_key(char key);
/* The kind flagged files (file revisions, core/evidence.h), or NULL. */
const struct record_kind *record_kind_with_files(void);
/* The first kind declaring evidence_for (what the SoA page links to), or NULL. */
const struct record_kind *record_kind_with_evidence(void);
/*
 * Checks a kind's declaration for what the rest of the application relies
 * on (a title field, due and counted fields that exist with the right type,
 * done states among the status values, a navigation section..., and its
 * workflow: record_workflow_check()). 0 or AIMS_EINVALID with a message
 * naming the kind and the member.
 */
int record_kind_check(const struct record_kind *k);
/*
 * Where record stands against k's deadline at now: *due and *met (0 when
 * unset) are its times. RECORD_DEADLINE_NONE for a kind without one.
 */
enum record_deadline_state record_deadline_state(const struct record_kind *k,
    const json_t *record, time_t now, time_t *due, time_t *met);
/* "string", "enum-list", "ref"... as the declaration lists a field's type. */
const char *record_field_type_name(enum field_type t);
/* The declaration as JSON, as `aims record kinds --format json` lists it. */
json_t *record_kind_describe(const struct record_kind *k);

/*
 * A stored record as JSON: "ref", every declared field (null when empty),
 * "version", "created_at", "updated_at", "created_by", "updated_by" (actor
 * names) and "retired". Caller owns *out (json_decref). This is also the
 * record given to ledger_append().
 *
 * Errors (aims_error_field() names the field): AIMS_EINVALID bad input;
 * AIMS_EFORBIDDEN a rule about who may do it (approve, accept, manager-only
 * fields); AIMS_ECONFLICT a rule about the current state (workflow steps,
 * exclusions, retired records, deleting what others refer to);
 * AIMS_ENOTFOUND no such record in this org; AIMS_ESTALE version mismatch;
 * AIMS_EEXISTS the singleton exists already.
 * Singleton kinds (scope, risk-criteria) take ref NULL (or their prefix).
 * Workflow steps are updates of the kind's state field ("status"), judged
 * as record_steps() describes: approving (documents, scope, risk criteria,
 * impact assessments) and accepting a risk record approved_by/approved_at
 * or accepted_by/accepted_at from the actor (a user's email). Changing the
 * content of an approved record starts a revision: "in_force_version"
 * names the approved version that stays in force until the revision is
 * approved (readiness reads that version: query.h).
 */
int record_create(json_t **out, struct db *db, int64_t org_id, const struct actor *actor,
    const struct record_kind *k, const json_t *input);
int record_get(json_t **out, struct db *db, int64_t org_id, const struct record_kind *k,
    const char *ref);
/*
 * record_get() as the JSON text of the record (appended to out), spliced
 * from the record's stored view without parsing it; *version: its version.
 */
struct buf;
int record_get_text(struct buf *out, int64_t *version, struct db *db, int64_t org_id,
    const struct record_kind *k, const char *ref);
/* if_version 0: no check; otherwise AIMS_ESTALE when it differs. */
int record_update(json_t **out, struct db *db, int64_t org_id, const struct actor *actor,
    const struct record_kind *k, const char *ref, int64_t if_version, const json_t *patch);
int record_delete(struct db *db, int64_t org_id, const struct actor *actor,
    const struct record_kind *k, const char *ref, int64_t if_version);
/*
 * record_create() and record_update() handing out the answer's text too:
 * *text (caller frees) is what canon_compact() writes of the record, taken
 * from the view just stored, when the view is those very bytes (no object
 * is nested in the data, whose keys the view sorts); *out then holds only
 * the record's ref and version (its Location and ETag). Else *text is NULL,
 * as for an update that changed nothing, and *out is the whole record:
 * write *out then.
 */
int record_create_text(json_t **out, char **text, struct db *db, int64_t org_id,
    const struct actor *actor, const struct record_kind *k, const json_t *input);
int record_update_text(json_t **out, char **text, struct db *db, int64_t org_id,
    const struct actor *actor, const struct record_kind *k, const char *ref,
    int64_t if_version, const json_t *patch);

/*
 * The workflow steps that apply to the record in its current state, in the
 * order declared: [{action, label, from, to, allowed, reason, confirm}]
 * where reason says in words why actor may not take it (null when allowed),
 * naming people by their names. Empty for a kind without a workflow or a
 * retired record. Caller owns *out.
 */
int record_steps(json_t **out, struct db *db, int64_t org_id, const struct actor *actor,
    const struct record_kind *k, const char *ref);
/* Takes the step `action` (a change of the state field); errors as record_update(). */
int record_step_take(json_t **out, struct db *db, int64_t org_id, const struct actor *actor,
    const struct record_kind *k, const char *ref, int64_t if_version, const char *action);
/* The step of k called action, or NULL. */
const struct record_step *record_step_find(const struct record_kind *k, const char *action);
/*
 * Checks k's workflow declaration (none is fine): its state field is an enum
 * holding every state it names, steps have labels and unique actions, a
 * sign-off is an approval recorded in read-only fields, an approved state is
 * reached by a sign-off, free fields exist. 0, or AIMS_EINVALID with a
 * message naming the kind and what is wrong.
 */
int record_workflow_check(const struct record_kind *k);

struct record_query {
	int		 limit;		/* 1..RECORD_LIST_MAX */
	const char	*cursor;	/* opaque, from a previous page */
	const char	*sort;		/* "field" or "-field"; NULL: -updated_at */
	const char	*q;		/* search text over FIELD_SEARCH fields */
	const char	*filter_names[16];
	const char	*filter_values[16];
	int		 nfilters;
	bool		 include_retired;
	/* Also the kind's extra items (record_kind.list_extra), after its records. */
	bool		 with_extra;
};

#define RECORD_LIST_MAX		500
#define RECORD_LIST_DEFAULT	50

/*
 * *items: JSON array of records (caller owns); *next_cursor: caller frees,
 * NULL on the last page; *total (may be NULL): records matching, all pages.
 * Filters: fields flagged FIELD_FILTER, value as text ("true", "12",
 * "AIS-3"); list fields match when they contain the value. Sort: "ref",
 * "title", "created_at", "updated_at" or a FIELD_SORT field.
 */
int record_list(json_t **items, char **next_cursor, int64_t *total, struct db *db,
    int64_t org_id, const struct record_kind *k, const struct record_query *q);
/*
 * record_list() as text: appends the JSON array of the page's records to
 * items, spliced from their stored views (no record is parsed); the same
 * bytes json_dumps() gives for record_list()'s array with
 * JSON_COMPACT | JSON_PRESERVE_ORDER. On error items is as it was.
 */
int record_list_text(struct buf *items, char **next_cursor, int64_t *total, struct db *db,
    int64_t org_id, const struct record_kind *k, const struct record_query *q);

#define RECORD_SEARCH_KINDS_MAX	64	/* kinds one search covers */

/*
 * The search across kinds (the web header's): for each of the nkinds kinds,
 * its newest live records matching q (words as a list's q=, the last one a
 * prefix), at most per_kind of them and whether there are more (never a
 * count): *out [{kind, more, items: [{ref, title}]}] for the kinds with a
 * match, in the order given (caller owns). One statement with a limit per
 * kind; titles are the stored column, no record is read whole. Nothing to
 * search for (no word in q): an empty array.
 */
int record_search(json_t **out, struct db *db, int64_t org_id,
    const struct record_kind *const *kinds, size_t nkinds, const char *q, int per_kind);

/*
 * Writes again the search words of the records migration 126 listed
 * (indexed before words were split as the index's tokenizer splits them),
 * 500 to a transaction, and takes each off the list: *done, how many. The
 * server runs it when it starts, before it serves.
 */
int record_search_reindex(int64_t *done, struct db *db);

/*
 * Records linking to or from this one: [{kind, ref, title, field, direction}]
 * both ways; direction "out" (this record names it in `field`) or "in" (it
 * names this record in `field`). Catalog requirements have kind "requirement".
 */
int record_links(json_t **out, struct db *db, int64_t org_id, const struct record_kind *k,
    const char *ref);

/*
 * The stored versions, newest first: [{version, action, status, time, actor,
 * by, fields, changes, record}] where by is the display name of the person
 * who made it (null for the system), fields names the declared fields
 * changed by that version, changes gives each of them as {field, label,
 * from, to} (values as they were and became; null when empty), and record
 * is the whole record as it was. status non-NULL keeps only versions in
 * that status (documents: "approved" lists the immutable approved versions).
 */
int record_history(json_t **out, struct db *db, int64_t org_id, const struct record_kind *k,
    const char *ref, const char *status);
/* One stored version exactly as it was; AIMS_ENOTFOUND when there is none. */
int record_version_get(json_t **out, struct db *db, int64_t org_id,
    const struct record_kind *k, const char *ref, int64_t version);
/*
 * record_history() and record_version_get() as text, appended to out: the
 * bytes json_dumps() gives for their trees (JSON_COMPACT |
 * JSON_PRESERVE_ORDER), written from the versions' stored text
 * (record_history.c).
 */
int record_history_text(struct buf *out, struct db *db, int64_t org_id,
    const struct record_kind *k, const char *ref, const char *status);
int record_version_get_text(struct buf *out, struct db *db, int64_t org_id,
    const struct record_kind *k, const char *ref, int64_t version);

/*
 * Creates what every organisation has from the start: the 38 Statement of
 * Applicability entries (one per Annex A control in the catalog, which is
 * loaded from the compiled-in files if the database has none yet) and the
 * default 5 x 5 risk criteria. org_create() calls it in its transaction.
 */
int record_org_init(struct db *db, int64_t org_id, const struct actor *actor);

/*
 * Ledger support (ledger.h): record_load_for_ledger() is a ledger_load_fn
 * (kind is the record kind name, e.g. "risks"); record_enumerate() calls fn
 * for every stored record of the org (retired ones included) and stops at
 * the first non-zero return, which it returns.
 */
int record_load_for_ledger(json_t **out, struct db *db, int64_t org_id, const char *kind,
    const char *ref);
/*
 * The record (as record_load_for_ledger() gives it) in the form a ledger entry
 * written before some of its kind's fields existed committed to: without the
 * fields declared with `since` while they are empty. NULL when that form is
 * the record itself (no such field, or none empty). Caller owns the result.
 */
json_t *record_earlier_form(const char *kind, const json_t *record);
typedef int (*record_visit_fn)(void *arg, const char *kind, const char *ref);
int record_enumerate(struct db *db, int64_t org_id, record_visit_fn fn, void *arg);
/*
 * record_verify.c, the history side (struct ledger_history_source): a
 * stored version as it was ledgered, with its action (action: at least
 * 257 bytes, LEDGER_FIELD_MAX + 1); every stored version of the org; and
 * the check of what is derived from the records (columns, counts, evidence
 * file revisions against the versions that recorded them), which returns
 * AIMS_EVERIFY naming the first row that does not match.
 */
int record_load_version_for_ledger(json_t **out, char *action, struct db *db, int64_t org_id,
    const char *kind, const char *ref, int64_t version);
typedef int (*record_version_fn)(void *arg, const char *kind, const char *ref,
    int64_t version);
int record_enumerate_versions(struct db *db, int64_t org_id, record_version_fn fn, void *arg);
int record_verify_derived(struct db *db, int64_t org_id);
/*
 * One evidence file revision against the evidence version that recorded it
 * and that version against its ledger entry (before a download serves it):
 * 0, AIMS_EVERIFY naming what differs, or AIMS_ENOTFOUND.
 */
int record_verify_revision(struct db *db, int64_t org_id, const char *ref, int64_t revision);

/*
 * Bulk creation, all or nothing, in one transaction: one record per element
 * of rows (a JSON array of objects). On any bad row nothing is kept, the
 * result is AIMS_EINVALID and *errors lists every bad row as
 * [{row, field, message}] with row = row_base + index. With
 * RECORD_IMPORT_CHECK every row is validated and nothing is kept even when
 * all are good. progress (may be NULL) is called as rows are processed.
 * *refs (may be NULL) receives the created references.
 */
typedef void (*record_progress_fn)(void *arg, size_t done, size_t total);
#define RECORD_IMPORT_MAX_ERRORS	1000
#define RECORD_IMPORT_CHECK		(1 << 0)
int record_import(json_t **errors, json_t **refs, struct db *db, int64_t org_id,
    const struct actor *actor, const struct record_kind *k, const json_t *rows, int row_base,
    int flags, record_progress_fn progress, void *arg);

#endif
