/*
 * web.h - the server-rendered web UI.
 *
 * Every page is a function that takes the data it shows (records as
 * jansson values, the record kind that describes them, the signed-in
 * user's context) and appends a complete HTML document to a struct buf.
 * Pages do no I/O, no SQL and hold no domain rules: the HTTP layer fetches
 * the data through core, calls the page, and sends the buffer. Everything
 * is escaped by the HTML writer (util/html.h).
 *
 * URLs of the UI (ORG = an organisation's slug); the table that serves them
 * is http/web_routes.c:
 *   /                            the first organisation of the signed-in user
 *   /o/ORG                       redirects to /o/ORG/
 *   /o/ORG/                      dashboard
 *   /o/ORG/readiness             certification readiness
 *   /o/ORG/coverage?framework=F  crosswalk coverage of another framework
 *   /o/ORG/ai-systems/REF/eu-ai-act  its EU AI Act classification, obligations
 *                                (POST: record those that follow), Annex IV
 *   /o/ORG/soa                   Statement of Applicability
 *   /o/ORG/soa/CONTROL           one SoA entry (POST)
 *   /o/ORG/soa/bulk              one decision for the selected entries (POST)
 *   /o/ORG/soa/versions          published versions, changes since one (?version=N);
 *                                POST: publish the draft
 *   /o/ORG/KIND                  list (GET), create (POST)
 *   /o/ORG/KIND/new              create form
 *   /o/ORG/KIND/REF              detail (GET), update (POST)
 *   /o/ORG/KIND/REF/edit         edit form
 *   /o/ORG/KIND/REF/workflow     workflow step (POST, field "action": a step of
 *                                the kind's struct record_workflow; WEB_NOTE_FIELD:
 *                                a reviewer's note kept with it)
 *   /o/ORG/KIND/REF/delete       delete or retire (POST)
 *   /o/ORG/KIND/REF/download     an evidence record's file
 *   /o/ORG/KIND/REF/preview      the same, inline and sandboxed (images, PDF, text)
 *   /o/ORG/KIND/REF/comments     comment on the record (POST, field WEB_COMMENT_FIELD)
 *   /o/ORG/search                search across every kind (?q=)
 *   /o/ORG/members               members; EMAIL/disable, EMAIL/enable (POST, admins)
 *   /o/ORG/my-work               the signed-in person's work (core/work.h)
 *   /o/ORG/my-work/mail          their mail choice (POST)
 *   /o/ORG/my-work/feeds         a new calendar feed (POST); ID/revoke (POST)
 *   /o/ORG/notifications         their notifications; /read marks all read (POST)
 *   /o/ORG/webhooks              webhooks (admins): add (POST); ID/enable, ID/delete (POST)
 *   /o/ORG/calendar              the certification calendar
 *   /o/ORG/pack                  the audit pack: the latest (GET), make one (POST)
 *   /o/ORG/pack/ID/download      a finished pack
 *   /sign-in                     form (GET), sign in (POST)
 *   /sign-out                    (POST)
 *   /account/password            change your own password (GET, POST)
 *   (settings, tokens, invitations, account, reset, sign-on, portfolio: web/admin.h)
 *   /static/NAME?v=HASH          compiled-in assets
 * Every POST form carries WEB_CSRF_FIELD; update forms WEB_VERSION_FIELD.
 */
#ifndef AIMS_WEB_WEB_H
#define AIMS_WEB_WEB_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/record.h"
#include "core/role.h"
#include "util/buf.h"
#include "util/tz.h"

#define WEB_STATIC_PREFIX	"/static/"
#define WEB_ASSET_CACHE_LONG	"public, max-age=31536000, immutable"
#define WEB_ASSET_CACHE_SHORT	"public, max-age=300"
#define WEB_CSRF_FIELD		"_csrf"
#define WEB_VERSION_FIELD	"_version"
#define WEB_FIELDS_FIELD	"_f"	/* names the fields a form carries (comma-separated) */
#define WEB_FILE_FIELD		"file"	/* evidence forms: the file; errors under this key */
#define WEB_CHOICES_MAX		200	/* more options than this: a text input */
#define WEB_FORM_PAIRS_MAX	2000	/* name=value pairs in one posted form */
#define WEB_FORM_NAME_MAX	128
#define WEB_LIST_ITEMS_MAX	4	/* list items drawn per cell before "+N more" */
#define WEB_NOTE_FIELD		"note"	/* a workflow step's reviewer's note */
#define WEB_COMMENT_FIELD	"body"	/* a comment's text */
#define WEB_COMMENT_MAX		10000	/* = COMMENT_BODY_MAX (core/comment.h) */

/* asset.c */
struct web_asset {
	const char		*name;		/* "app.css" */
	const unsigned char	*data;
	size_t			 len;
	const char		*content_type;
	char			 version[17];	/* first 8 bytes of SHA-256, hex */
};

/* The asset called name, or NULL (answer 404). Borrowed, static. */
const struct web_asset *web_asset_find(const char *name);
/* Cache-Control for a request of asset a with query ?v=version (may be NULL). */
const char *web_asset_cache_control(const struct web_asset *a, const char *version);
/* Appends "/static/NAME?v=HASH". */
void web_asset_url(struct buf *out, const char *name);

/* The context every page is drawn in. */
struct web_org {
	const char	*slug;
	const char	*name;
};

enum web_flash { WEB_FLASH_NONE, WEB_FLASH_OK, WEB_FLASH_ERROR };

enum web_action {
	WEB_ACT_CREATE,
	WEB_ACT_UPDATE,
	WEB_ACT_DELETE,		/* workflow steps are core's to judge (record_steps) */
};

struct jscan_value;
struct web_ctx;
/* The permission table's answer: may this user do act on kind k? */
typedef bool (*web_can_fn)(const struct web_ctx *ctx, enum web_action act,
    const struct record_kind *k);

struct web_ctx {
	const char			*org;		/* slug of the current organisation */
	const char			*org_name;
	const struct web_org		*orgs;		/* the user's organisations */
	size_t				 norgs;
	const char			*user;		/* signed-in user's email */
	enum role			 role;		/* in the current organisation */
	const char			*csrf;		/* token for every POST form */
	const char			*flash;		/* one-shot message, or NULL */
	enum web_flash			 flash_kind;
	const struct record_kind *const	*kinds;		/* navigation; name NULL ends */
	web_can_fn			 can;		/* NULL: nothing is writable */
	const char			*today;		/* "YYYY-MM-DD": overdue marks */
	int64_t				 unread;	/* the bell: unread notifications */
	const char			*search;	/* the header's search text, or NULL */
	const json_t			*req_titles;	/* {id: title} of requirements shown
							   ("C.3.4" with its title), or NULL */
	const struct tz			*tz;		/* times are shown in it; NULL: UTC */
	bool				 may_comment;	/* comments and reviewers' notes */
	const json_t			*scales;	/* {field: [{value, title}]}: numbers on
							   the organisation's labelled scales (the
							   kind's form_hints), or NULL */
};

bool web_can(const struct web_ctx *ctx, enum web_action act, const struct record_kind *k);

/* layout.c: the page shell. */
struct web_crumb {
	const char	*label;
	const char	*href;		/* NULL for the current page */
};

/* active: a kind name, "dashboard" or "soa": marks the navigation entry. */
void web_page_begin(struct buf *out, const struct web_ctx *ctx, const char *title,
    const char *active, const struct web_crumb *crumbs, size_t ncrumbs);
void web_page_end(struct buf *out, const struct web_ctx *ctx);
/* A minimal shell without navigation (sign-in, errors before sign-in). */
void web_page_begin_bare(struct buf *out, const char *title);
void web_page_end_bare(struct buf *out);
void web_url_org(struct buf *out, const struct web_ctx *ctx);
void web_url_kind(struct buf *out, const struct web_ctx *ctx, const char *kind);
void web_url_record(struct buf *out, const struct web_ctx *ctx, const char *kind,
    const char *ref);
void web_csrf_input(struct buf *out, const struct web_ctx *ctx);
/* An icon from icons.svg: <svg class="icon"><use href=".../icons.svg?v=#i-NAME"/></svg> */
void web_icon(struct buf *out, const char *name);

/* value.c: field values as text and HTML. */
/* An actor as people read it: "user:EMAIL" -> "EMAIL"; others as they are. Borrowed. */
const char *web_actor(const char *actor);
/* A label (a kind's plural, a crumb) escaped, with its first letter in capitals. */
void web_label(struct buf *out, const char *s);
/* "high_risk" -> "High-risk", "in_review" -> "In review"; escaped. */
void web_enum_label(struct buf *out, const char *value);
/* The same as plain text, for writers that escape themselves (svg.h). */
void web_enum_label_text(struct buf *out, const char *value);
/* A record's display title: its FIELD_TITLE value, else its ref. Borrowed. */
const char *web_record_title(const struct record_kind *k, const json_t *rec);
/* The HTML for one field's value (links for refs, lists, nested tables). */
/*
 * A moment (RFC 3339 UTC text) in the organisation's time zone with the
 * zone's abbreviation ("2026-03-01 11:00 CET"), UTC in datetime=; a date or
 * text that is not a time is shown as it is.
 */
void web_time(struct buf *out, const struct web_ctx *ctx, const char *rfc3339);
/* The same for a Unix time. */
void web_time_t(struct buf *out, const struct web_ctx *ctx, time_t t);
void web_value(struct buf *out, const struct web_ctx *ctx, const struct field *f,
    const json_t *v);
/* The same, short enough for a table cell (text cut, lists capped). */
void web_value_brief(struct buf *out, const struct web_ctx *ctx, const struct field *f,
    const json_t *v);
bool web_value_empty(const json_t *v);

/* page_list.c */
#define WEB_LIST_LIMIT_PARAM	"limit"
/* Rows per page offered: up to BUDGET_LIGHT_LIMIT, beyond which a page is a heavy read. */
#define WEB_LIST_LIMITS		{ 25, 50, 100 }
#define WEB_LIST_LIMIT_DEFAULT	50
#define WEB_LIST_BACK_PARAM	"back"	/* cursors of the pages before this one */
#define WEB_LIST_BACK_SEP	'.'	/* never in a cursor (URL-safe base64) */
#define WEB_LIST_BACK_MAX	3000	/* bytes of that chain kept in a URL */
struct web_list {
	/*
	 * The page's records: record_list_text()'s array (jscan_open()), read
	 * in place (util/jscan.h), each record checked as it is reached.
	 */
	const struct jscan_value *items;
	int64_t			 total;		/* records matching the query */
	int64_t			 offset;	/* index of items[0] (for "41-60 of N") */
	const char		*next_cursor;	/* NULL on the last page */
	const struct record_query *query;	/* q, sort, filters, cursor as asked */
	const json_t		*choices;	/* options for filters, see web_page_form */
	const json_t		*overdue;	/* past their declared due date, oldest first:
						   [{ref, title, what, date}]; NULL: not shown */
	const json_t		*channel;	/* concerns: the public channel ({open}), or NULL */
	bool			 channel_can;	/* the caller may open or close it */
	const char		*back;		/* WEB_LIST_BACK_PARAM as asked, or NULL */
};
void web_page_list(struct buf *out, const struct web_ctx *ctx, const struct record_kind *k,
    const struct web_list *list);

/* page_record.c */
struct web_record_view {
	const json_t	*record;	/* the record (ref, version, fields...) */
	const json_t	*links;		/* [{kind, ref, title, field, direction "out"|"in"}] */
	/*
	 * record_history_text()'s array, read in place (util/jscan.h):
	 * [{time, actor, by, action, version, status, changes[], record}],
	 * newest first; the first history_max of them are shown.
	 */
	const struct jscan_value *history;
	size_t		 history_max;
	const json_t	*steps;		/* record_steps() for the signed-in person */
	const json_t	*in_force;	/* during a revision, the approved version in force */
	const json_t	*files;		/* evidence: its file revisions, oldest first:
					   [{revision, sha256, size, media_type, filename,
					   stored_at, stored_by}] */
	/*
	 * AI systems, objectives and metrics: the charts of their metrics
	 * over range_days, [{metric (the record), series (metric_series()),
	 * target (an objective's, or null)}]; NULL: no monitoring section.
	 */
	const json_t	*charts;
	int		 range_days;
	const json_t	*acks;		/* a document that asks to be acknowledged:
					   ack_status() (core/acknowledge.h); else NULL */
	const json_t	*lifecycle;	/* an AI system: its life-cycle records
					   (kind lifecycle-records); else NULL */
	const json_t	*comments;	/* comment_list(): [{id, author, body, mentions,
					   step, version, created_at}]; NULL: none kept */
	const char	*preview_text;	/* the latest file's first bytes, when it is
					   text (WEB_PREVIEW_TEXT); else NULL */
	bool		 preview_cut;	/* the file is longer than preview_text */
};

/*
 * Evidence files shown in the record page: images and PDF documents framed
 * from .../preview (served sandboxed, see http/web_evidence.c), text shown
 * escaped in the page itself, its first WEB_PREVIEW_TEXT_MAX bytes.
 * Anything else (HTML and SVG never reach the allow-list) is downloaded.
 */
enum web_preview { WEB_PREVIEW_NONE, WEB_PREVIEW_IMAGE, WEB_PREVIEW_PDF, WEB_PREVIEW_TEXT };
#define WEB_PREVIEW_TEXT_MAX	65536
enum web_preview web_preview_of(const char *media_type);

/* The ranges a record page's charts offer, in days (?range=N). */
#define WEB_CHART_RANGES	{ 1, 7, 30, 90, 365 }
#define WEB_CHART_RANGE_DEFAULT	30
#define WEB_CHART_POINTS	400	/* points a page's chart is given at most */
void web_page_record(struct buf *out, const struct web_ctx *ctx, const struct record_kind *k,
    const struct web_record_view *v);

/*
 * page_form.c: create (ref NULL) and edit forms.
 * values: field values to show (the record, or what was posted).
 * errors: {field: message} shown next to each field ("" key: form-wide).
 * newer: on a stale edit, the record as it is now (its version goes into
 *   the form so that saving again is deliberate); NULL otherwise.
 * choices: options for pickers: {"KIND": [{ref, title}], "users": [{email,
 *   name}], "requirements:KINDS": [{id, title}]} where KINDS is the field's
 *   req_kinds. A missing or oversized list falls back to a text input.
 *   WEB_CHOICES_HINTS: the kind's form_hints (core/record.h): labelled
 *   scales for number fields, and scores shown as they change.
 */
#define WEB_CHOICES_HINTS	"hints"
struct web_form_view {
	const char	*ref;
	int64_t		 version;
	const json_t	*values;
	const json_t	*errors;
	const json_t	*newer;
	const json_t	*choices;
};
void web_page_form(struct buf *out, const struct web_ctx *ctx, const struct record_kind *k,
    const struct web_form_view *v);

/* form.c: posted forms (application/x-www-form-urlencoded) to JSON. */
struct web_form {
	size_t	 n;
	char	**names;
	char	**values;
};
/* Parses a urlencoded body; AIMS_EINVALID on bad encoding or too many pairs. */
int web_form_parse(struct web_form *out, const char *body, size_t len);
void web_form_add(struct web_form *f, const char *name, const char *value);
const char *web_form_get(const struct web_form *f, const char *name);	/* first; borrowed */
void web_form_free(struct web_form *f);
/*
 * Converts the fields named by WEB_FIELDS_FIELD into a JSON object for
 * record_create() (create: empty fields left out) or record_update()
 * (empty fields become null). Values that do not convert (a number that
 * is not one) are kept as text in *values and explained in *errors.
 * Returns 0, or AIMS_EINVALID when *errors is not empty. Caller owns both.
 */
int web_form_to_json(json_t **values, json_t **errors, const struct record_kind *k,
    const struct web_form *f, bool create);

/*
 * workflow.c: the workflow as core describes it. steps is record_steps()'s
 * answer for the signed-in person; url the record's page. Steps they may
 * take are buttons posting "action" to url/workflow; the others are shown
 * disabled with the reason to those who may change the record.
 */
void web_workflow_actions(struct buf *out, const struct web_ctx *ctx, const struct record_kind *k,
    const json_t *rec, const json_t *steps, const char *url);
/* On a revision: which approved version is in force (in_force: it, or NULL). */
void web_workflow_in_force(struct buf *out, const struct web_ctx *ctx, const struct record_kind *k,
    const json_t *rec, const json_t *in_force);
/* On the edit form of an approved record: saving content starts a revision. */
void web_workflow_edit_note(struct buf *out, const struct record_kind *k, const json_t *values);

/*
 * page_soa.c: the Statement of Applicability, editable in place by whoever
 * may update `kind`. Entries, one per Annex A control in catalog order:
 * [{control, title, summary, area, area_title, applicable (true|false|null),
 *   justification, status, owner, measures [refs], evidence_count, version}]
 * filter: NULL/"all", "undecided", "not_implemented", "no_evidence".
 * errors: {control: {field: message}} for rows that failed to save.
 * A row's form posts WEB_FIELDS_FIELD, the fields, and "filter" (to return to).
 */
struct web_soa_view {
	const struct record_kind *kind;	/* describes an entry's fields */
	const json_t	*entries;
	const char	*filter;
	const char	*edit;		/* control whose row is open as a form, or NULL */
	const json_t	*errors;	/* rows with errors are open as forms too */
	const json_t	*choices;	/* "users" and "measures" as for forms */
	const json_t	*versions;	/* soa_versions(): the published versions, newest
					   first; NULL: not shown */
	bool		 can_publish;	/* may publish (approve) the draft */
	bool		 can_create_measure;	/* the row offers "New measure" */
};
#define WEB_SOA_NOTE_MAX	2000	/* = SOA_NOTE_MAX (core/soa.h) */
/*
 * The SoA's published versions and what changed in the draft since one:
 * versions as above, diff soa_diff()'s answer against version `base`.
 */
void web_page_soa_versions(struct buf *out, const struct web_ctx *ctx, const json_t *versions,
    const json_t *diff, bool can_publish);
void web_page_soa(struct buf *out, const struct web_ctx *ctx, const struct web_soa_view *v);

/*
 * page_dashboard.c: d is {
 *   areas: [{section, kind, label, count, done, total}],
 *   soa: {controls, decided, applicable, implemented},
 *   risk: {likelihood_labels [], impact_labels [], band_labels [],
 *          bands [[..]], inherent [[..]], residual [[..]]}   rows: likelihood 1..n
 *   ai_by_category: [{value, count}], ai_by_stage: [{value, count}],
 *   upcoming: [{kind, ref, title, what, date}], overdue: [same],
 *   activity: [{time, actor, action, kind, ref, title}]
 * } Any member may be missing.
 */
void web_page_dashboard(struct buf *out, const struct web_ctx *ctx, const json_t *d);
/* page_readiness.c: a readiness status as a tag (colour, symbol and word). */
void web_status_tag(struct buf *out, const char *status);
/*
 * The AI roles form: roles {declared, derived, effective} (core/org.h),
 * error a message to show, or NULL.
 */
void web_page_ai_roles(struct buf *out, const struct web_ctx *ctx, const json_t *roles,
    const char *error);

/*
 * page_audit.c: the auditor's workspace. items: audit_list_mine()'s
 * answer. The checklist shows audit's rows, each its own form posting
 * notes, sampled (references separated by commas) and conclusion to
 * .../checklist/REQ; editable only for the audit team while the report is
 * not issued (why_readonly says otherwise why not). titles: {id: title}
 * of the requirements; errors: {requirement: message} of rows not saved,
 * shown with what was typed (typed: {requirement: row}).
 */
struct web_audit_view {
	const json_t	*audit;
	const json_t	*titles;
	const json_t	*errors;
	const json_t	*typed;
	bool		 editable;
	bool		 can_find;	/* may record findings: a link per row */
	const char	*why_readonly;
	const json_t	*findings;	/* the audit's findings (records), or NULL */
};
void web_page_my_audits(struct buf *out, const struct web_ctx *ctx, const json_t *items);
void web_page_audit_checklist(struct buf *out, const struct web_ctx *ctx,
    const struct web_audit_view *v);
/* The report of audit_report() in the page shell (printable). */
void web_page_audit_report(struct buf *out, const struct web_ctx *ctx, const json_t *report);
/* The coverage of audit_programme_coverage(). */
void web_page_audit_coverage(struct buf *out, const struct web_ctx *ctx, const json_t *cov);

/* page_readiness.c: the answer of readiness_evaluate(); filter "gaps", a status or NULL. */
void web_page_readiness(struct buf *out, const struct web_ctx *ctx, const json_t *r,
    const char *filter);

/* page_coverage.c: the answer of coverage_evaluate() (engine/coverage.h). */
void web_page_coverage(struct buf *out, const struct web_ctx *ctx, const json_t *res);

/* page_euact.c: the EU AI Act page of one AI system (core/euact.h). */
struct web_euact_view {
	const char	*ref;
	const json_t	*ai;		/* the AI system */
	const json_t	*due;		/* euact_obligations_due(), or NULL with due_error */
	const char	*due_error;	/* why nothing follows yet (not classified) */
	const json_t	*recorded;	/* {"ARTICLE ROLE": {ref, status}} of its obligations */
	const json_t	*annex_iv;	/* euact_annex_iv(), or NULL with annex_iv_why */
	const char	*annex_iv_why;
	bool		 annex_viii_ok;
	bool		 can_create;	/* may record obligations */
};
void web_page_euact(struct buf *out, const struct web_ctx *ctx, const struct web_euact_view *v);

/* page_pack.c: the audit pack page (a form and the latest pack, see http/pack_job.h). */
struct web_pack_view {
	const json_t	*job;		/* the latest pack, or NULL */
	const char	*error;		/* why the posted form started nothing, or NULL */
	const char	*error_field;	/* "since", "requirements" or NULL */
	const char	*since, *requirements;	/* the values to show in the form */
};
void web_page_pack(struct buf *out, const struct web_ctx *ctx, const struct web_pack_view *v);

/*
 * page_work.c: "My work" and the certification calendar (core/work.h).
 * settings: {mail, feeds: [{id, scope, created_at}], new_url (once, or absent)}.
 */
void web_page_my_work(struct buf *out, const struct web_ctx *ctx, const json_t *work,
    const json_t *settings);
/*
 * The organisation's webhooks (core/webhook.h), each with "deliveries" (the
 * latest attempts); created: a webhook just made, with its secret, or NULL.
 */
void web_page_webhooks(struct buf *out, const struct web_ctx *ctx, const json_t *hooks,
    const json_t *created);
/* The person's notifications (core/notify.h notify_list). */
void web_page_notifications(struct buf *out, const struct web_ctx *ctx, const json_t *list);
void web_page_calendar(struct buf *out, const struct web_ctx *ctx, const json_t *calendar);
/* page_bom.c: an AI system's import page (ML-BOM, red-team runs). */
struct web_bom_view {
	const json_t	*ai_system;	/* the record */
	const json_t	*summary;	/* what the last upload made (with "format"), or NULL */
	const char	*error;		/* why it was refused, or NULL */
	const char	*format;	/* the format chosen, to keep in the form */
};
void web_page_bom_import(struct buf *out, const struct web_ctx *ctx,
    const struct web_bom_view *v);
/*
 * page_search.c: the header's search over every kind the person may read.
 * results: [{kind (name), more (bool), items: [{ref, title}, at most WEB_SEARCH_PER_KIND]}]
 * for the kinds with a match, in navigation order; q the text searched
 * (NULL or empty: nothing searched yet).
 */
#define WEB_SEARCH_Q_MAX	200
#define WEB_SEARCH_PER_KIND	5
void web_page_search(struct buf *out, const struct web_ctx *ctx, const char *q,
    const json_t *results);

/* page_competence.c: the competence gap view (core/competence.h) as a page. */
void web_page_competence_gaps(struct buf *out, const struct web_ctx *ctx, const json_t *view);
/* page_members.c: web_page_members(), see web/admin.h. */

/* page_auth.c */
struct web_sign_in {
	const char	*email;		/* kept after a failed attempt */
	const char	*error;		/* "Wrong email or password." or NULL */
	int		 retry_after;	/* > 0: throttled for this many seconds */
	const char	*csrf;		/* pre-session token, or NULL */
	const char	*next;		/* where to go after signing in (a local path) */
	const char	*notice;	/* "You are signed out." or NULL */
};
void web_page_sign_in(struct buf *out, const struct web_sign_in *s);
/* page_concern.c: the public concern channel's pages (core/concern.h). */
struct web_concern {
	const char	*org;		/* slug */
	const char	*org_name;
	const char	*csrf;		/* the form's token (a cookie's double) */
	const char	*text;		/* kept after a refused attempt */
	const char	*error;		/* why it was refused, or NULL */
	const char	*key;		/* the report key, shown once */
	int		 text_min, text_max;
};
void web_page_concern_form(struct buf *out, const struct web_concern *v);
void web_page_concern_sent(struct buf *out, const struct web_concern *v);
void web_page_concern_lookup(struct buf *out, const struct web_concern *v);
/* report: concern_read()'s answer. */
/* report: concern_read()'s; its times shown in zone (NULL: UTC). */
void web_page_concern_read(struct buf *out, const json_t *report, const struct tz *zone);
#define WEB_PASSWORD_PATH	"/account/password"
struct web_password {
	const char	*email;		/* who is signed in */
	const char	*csrf;		/* the session's form token */
	const char	*error;		/* why the last attempt failed, or NULL */
	const char	*field;		/* the field at fault, or NULL */
	bool		 changed;	/* the password was just changed */
	int		 min_length;
};
void web_page_password(struct buf *out, const struct web_password *p);
/*
 * Is next a page of this site to go to after signing in? Only a path: one
 * "/" not followed by "/" or "\\" (a browser reads "//host" and "/\\host"
 * as another site), so no scheme and no host, and no control character
 * (a browser drops tabs and newlines, so "/\t/host" is "//host" to it).
 */
bool web_next_is_local(const char *next);
/* 403/404/409/500... with a message; ctx NULL before sign-in. */
void web_page_error(struct buf *out, const struct web_ctx *ctx, int status,
    const char *message);

#endif
