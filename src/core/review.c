/*
 * review.c - compiles the inputs of a management review (9.3.2) from the
 * records (review.h). Every input reads its kinds by name through the
 * record engine, so the kinds other parts of the application add (audits,
 * audit findings, metrics, objectives, incidents) are read as soon as they
 * are declared, and named as not kept until then.
 */
#include <stdlib.h>
#include <string.h>

#include "core/member.h"
#include "core/record.h"
#include "core/review.h"
#include "util/error.h"

#define REVIEW_DAY_LEN	10	/* "YYYY-MM-DD" */
#define REVIEW_NOTE_MAX	160	/* an item's note, composed here */

const struct review_input_name review_input_names[] = {
	{ "previous_actions", "9.3.2 a)",
	  "Status of actions from previous management reviews" },
	{ "context_changes", "9.3.2 b), c)",
	  "Changes in external and internal issues and in interested parties' needs" },
	{ "nonconformities", "9.3.2 d) 1)", "Nonconformities and corrective actions" },
	{ "monitoring", "9.3.2 d) 2)", "Monitoring and measurement results" },
	{ "audits", "9.3.2 d) 3)", "Audit results" },
	{ "objectives", "9.3.2 d)", "Achievement of the AI objectives" },
	{ "risks", "9.3.2 d)", "Risk register and status of risk treatment" },
	{ "incidents", "9.3.2 d)", "Incidents" },
	{ "improvements", "9.3.2 e)", "Opportunities for continual improvement" },
	{ "resources", "9.3.2", "Adequacy of resources" },
	{ NULL, NULL, NULL },
};

struct review_ctx {
	struct db	*db;
	int64_t		 org_id;
	const char	*self;		/* the review being held (left out); may be NULL */
	const char	*held_on;	/* YYYY-MM-DD */
	char		 since[REVIEW_DAY_LEN + 1];	/* "" for the first review */
};

typedef int (*review_visit_fn)(struct review_ctx *c, json_t *m, const struct record_kind *k,
    const json_t *rec);

static const char *
review_str(const json_t *o, const char *name)
{
	return json_string_value(json_object_get(o, name));
}

static bool
review_eq(const char *a, const char *b)
{
	return a && b && strcmp(a, b) == 0;
}

/* The day of a date or timestamp compared with a day: <0, 0, >0 (NULL sorts first). */
static int
review_daycmp(const char *a, const char *day)
{
	if (a == NULL)
		return -1;
	if (day == NULL || *day == '\0')
		return 1;
	return strncmp(a, day, REVIEW_DAY_LEN);
}

static void
review_count(json_t *m, const char *what, json_int_t delta)
{
	json_t *counts = json_object_get(m, "counts"), *c;
	size_t i;

	json_array_foreach(counts, i, c)
		if (review_eq(review_str(c, "what"), what)) {
			json_object_set_new(c, "count", json_integer(json_integer_value(
			    json_object_get(c, "count")) + delta));
			return;
		}
	json_array_append_new(counts, json_pack("{s:s, s:I}", "what", what, "count", delta));
}

static void
review_more(json_t *m)
{
	json_object_set_new(m, "more", json_integer(json_integer_value(json_object_get(m,
	    "more")) + 1));
}

/*
 * Lists a record in the input, up to REVIEW_INPUT_ITEMS_MAX; the rest are
 * counted in `more`. An urgent one (an overdue action) goes before the others
 * and is never the one left out while others are listed.
 */
static void
review_item_at(json_t *m, bool urgent, const char *kind, const char *ref, const char *title,
    const char *status, const char *owner, const char *date, const char *note)
{
	json_t *items = json_object_get(m, "items"), *it;
	size_t n = json_integer_value(json_object_get(m, "urgent"));

	json_object_set_new(m, "total", json_integer(json_integer_value(json_object_get(m,
	    "total")) + 1));
	if (json_array_size(items) >= REVIEW_INPUT_ITEMS_MAX &&
	    (!urgent || n >= REVIEW_INPUT_ITEMS_MAX)) {
		review_more(m);
		return;
	}
	it = json_pack("{s:s, s:s, s:s?, s:s?, s:s?, s:s?, s:s?}", "kind", kind, "ref", ref,
	    "title", title, "status", status, "owner", owner, "date", date, "note", note);
	if (!urgent) {
		json_array_append_new(items, it);
		return;
	}
	json_array_insert_new(items, n, it);
	json_object_set_new(m, "urgent", json_integer((json_int_t)n + 1));
	if (json_array_size(items) > REVIEW_INPUT_ITEMS_MAX) {
		json_array_remove(items, json_array_size(items) - 1);
		review_more(m);
	}
}

static void
review_item(json_t *m, const char *kind, const char *ref, const char *title,
    const char *status, const char *owner, const char *date, const char *note)
{
	review_item_at(m, false, kind, ref, title, status, owner, date, note);
}

static const char *
review_title(const struct record_kind *k, const json_t *rec)
{
	const struct field *t = record_title_field(k);
	const char *s = t ? review_str(rec, t->name) : NULL;

	return s ? s : review_str(rec, "ref");
}

/* A record of any kind as an item: its title, status and owner as declared. */
static void
review_item_record(json_t *m, const struct record_kind *k, const json_t *rec,
    const char *date, const char *note)
{
	review_item(m, k->name, review_str(rec, "ref"), review_title(k, rec),
	    review_str(rec, "status"), review_str(rec, "owner"), date, note);
}

/*
 * Calls fn for every live record of `kind`, page by page. A kind not
 * declared is named in the input's not_kept; a declared one in its kinds.
 */
static int
review_each(struct review_ctx *c, json_t *m, const char *kind, review_visit_fn fn)
{
	const struct record_kind *k = record_kind_find(kind);
	struct record_query q;
	json_t *items = NULL, *rec;
	char *cursor = NULL, *next = NULL;
	size_t i;
	int rc = 0;

	if (k == NULL) {
		json_array_append_new(json_object_get(m, "not_kept"), json_string(kind));
		return 0;
	}
	json_array_append_new(json_object_get(m, "kinds"), json_string(kind));
	do {
		memset(&q, 0, sizeof(q));
		q.limit = RECORD_LIST_MAX;
		q.sort = "ref";
		q.cursor = cursor;
		if ((rc = record_list(&items, &next, NULL, c->db, c->org_id, k, &q)) != 0)
			break;
		json_array_foreach(items, i, rec)
			if ((rc = fn(c, m, k, rec)) != 0)
				break;
		json_decref(items);
		items = NULL;
		free(cursor);
		cursor = next;
		next = NULL;
	} while (rc == 0 && cursor != NULL);
	free(cursor);
	return rc;
}

/* Any record of the kind, as it is. */
static int
review_visit_any(struct review_ctx *c, json_t *m, const struct record_kind *k,
    const json_t *rec)
{
	const char *status = review_str(rec, "status");

	(void)c;
	review_count(m, status ? status : "recorded", 1);
	review_item_record(m, k, rec, NULL, NULL);
	return 0;
}

/* An earlier held review (not this one, not after it). */
static bool
review_is_earlier(const struct review_ctx *c, const json_t *rec)
{
	const char *status = review_str(rec, "status");

	return !review_eq(review_str(rec, "ref"), c->self) &&
	    (review_eq(status, "held") || review_eq(status, "approved")) &&
	    review_str(rec, "held_on") != NULL &&
	    review_daycmp(review_str(rec, "held_on"), c->held_on) <= 0;
}

static int
review_visit_since(struct review_ctx *c, json_t *m, const struct record_kind *k,
    const json_t *rec)
{
	const char *held = review_str(rec, "held_on");

	(void)m;
	(void)k;
	if (review_is_earlier(c, rec) && review_daycmp(held, c->since) > 0)
		snprintf(c->since, sizeof(c->since), "%.*s", REVIEW_DAY_LEN, held);
	return 0;
}

/* 9.3.2 a): every decision of the earlier reviews, done, open or overdue. */
static int
review_visit_previous(struct review_ctx *c, json_t *m, const struct record_kind *k,
    const json_t *rec)
{
	json_t *d;
	const char *state, *due;
	size_t i;

	if (!review_is_earlier(c, rec))
		return 0;
	json_array_foreach(json_object_get(rec, "decisions"), i, d) {
		due = review_str(d, "due");
		if (review_str(d, "done_on") != NULL)
			state = "done";
		else if (due && review_daycmp(due, c->held_on) < 0)
			state = "overdue";
		else
			state = "open";
		review_count(m, state, 1);
		review_item_at(m, strcmp(state, "overdue") == 0, k->name, review_str(rec, "ref"),
		    review_str(d, "action"), state, review_str(d, "owner"), due,
		    review_str(d, "decision"));
	}
	return 0;
}

/* 9.3.2 b), c): issues and interested parties added or changed since the last review. */
static int
review_visit_changed(struct review_ctx *c, json_t *m, const struct record_kind *k,
    const json_t *rec)
{
	const char *created = review_str(rec, "created_at"), *updated = review_str(rec,
	    "updated_at");
	const char *what;

	if (c->since[0] != '\0' && review_daycmp(updated, c->since) < 0)
		return 0;
	what = c->since[0] == '\0' || review_daycmp(created, c->since) >= 0 ? "new" : "changed";
	review_count(m, k->plural, 1);
	review_item(m, k->name, review_str(rec, "ref"), review_title(k, rec), what,
	    review_str(rec, "owner"), updated, review_str(rec, "kind"));
	return 0;
}

/* 9.3.2 d) 1): open ones, and those closed since the last review. */
static int
review_visit_nc(struct review_ctx *c, json_t *m, const struct record_kind *k,
    const json_t *rec)
{
	const char *status = review_str(rec, "status"), *due = review_str(rec,
	    "next_action_due");
	bool overdue = due && review_daycmp(due, c->held_on) < 0;

	if (review_eq(status, "closed") && c->since[0] != '\0' &&
	    review_daycmp(review_str(rec, "closed_at"), c->since) < 0)
		return 0;
	review_count(m, status ? status : "open", 1);
	if (overdue)
		review_count(m, "with overdue actions", 1);
	review_item_at(m, overdue, k->name, review_str(rec, "ref"), review_title(k, rec), status,
	    review_str(rec, "owner"), due, overdue ? "corrective action overdue" :
	    review_str(rec, "severity"));
	return 0;
}

/* Nonconformities raised by a source (monitoring, incident) count in that input too. */
static int
review_visit_nc_source(struct review_ctx *c, json_t *m, const struct record_kind *k,
    const json_t *rec, const char *source)
{
	(void)c;
	if (!review_eq(review_str(rec, "source"), source))
		return 0;
	review_count(m, "nonconformities raised", 1);
	review_item_record(m, k, rec, review_str(rec, "next_action_due"),
	    review_str(rec, "source"));
	return 0;
}

static int
review_visit_nc_monitoring(struct review_ctx *c, json_t *m, const struct record_kind *k,
    const json_t *rec)
{
	return review_visit_nc_source(c, m, k, rec, "monitoring");
}

static int
review_visit_nc_incident(struct review_ctx *c, json_t *m, const struct record_kind *k,
    const json_t *rec)
{
	return review_visit_nc_source(c, m, k, rec, "incident");
}

/* Measures by status; the ones found not effective are listed. */
static int
review_visit_measure(struct review_ctx *c, json_t *m, const struct record_kind *k,
    const json_t *rec)
{
	const char *status = review_str(rec, "status");
	char what[64];

	(void)c;
	snprintf(what, sizeof(what), "measures %s", status ? status : "without status");
	review_count(m, what, 1);
	if (review_eq(status, "not_effective"))
		review_item_record(m, k, rec, NULL, "measure not effective");
	return 0;
}

/* Audit findings by type; nonconformities and opportunities listed. */
static int
review_visit_finding(struct review_ctx *c, json_t *m, const struct record_kind *k,
    const json_t *rec)
{
	const char *type = review_str(rec, "type"), *nc = review_str(rec, "nonconformity");
	char what[64], note[REVIEW_NOTE_MAX];

	(void)c;
	snprintf(what, sizeof(what), "findings %s", type ? type : "without type");
	review_count(m, what, 1);
	snprintf(note, sizeof(note), "%s in %s%s%s", review_str(rec, "requirement") ?
	    review_str(rec, "requirement") : "no requirement", review_str(rec, "audit") ?
	    review_str(rec, "audit") : "no audit", nc ? ", raised " : "", nc ? nc : "");
	review_item(m, k->name, review_str(rec, "ref"), review_title(k, rec), type, NULL, NULL,
	    note);
	return 0;
}

static int
review_visit_opportunity(struct review_ctx *c, json_t *m, const struct record_kind *k,
    const json_t *rec)
{
	(void)c;
	if (!review_eq(review_str(rec, "type"), "opportunity"))
		return 0;
	review_count(m, "opportunities found in audits", 1);
	review_item_record(m, k, rec, NULL, review_str(rec, "audit"));
	return 0;
}

static int
review_visit_audit(struct review_ctx *c, json_t *m, const struct record_kind *k,
    const json_t *rec)
{
	const char *status = review_str(rec, "status");

	(void)c;
	review_count(m, status ? status : "recorded", 1);
	review_item(m, k->name, review_str(rec, "ref"), review_title(k, rec), status,
	    review_str(rec, "lead_auditor"), NULL, review_str(rec, "programme"));
	return 0;
}

static int
review_visit_risk(struct review_ctx *c, json_t *m, const struct record_kind *k,
    const json_t *rec)
{
	const char *status = review_str(rec, "status"), *level = review_str(rec,
	    "residual_level");
	char what[80];

	(void)c;
	review_count(m, status ? status : "identified", 1);
	if (level) {
		snprintf(what, sizeof(what), "residual %s", level);
		review_count(m, what, 1);
	}
	review_item_record(m, k, rec, review_str(rec, "next_review"), level ? level :
	    review_str(rec, "inherent_level"));
	return 0;
}

static int
review_visit_improvement(struct review_ctx *c, json_t *m, const struct record_kind *k,
    const json_t *rec)
{
	const char *status = review_str(rec, "status");

	(void)c;
	review_count(m, status ? status : "proposed", 1);
	review_item_record(m, k, rec, review_str(rec, "due"), review_str(rec, "origin"));
	return 0;
}

static int
review_visit_responsibility(struct review_ctx *c, json_t *m, const struct record_kind *k,
    const json_t *rec)
{
	const char *who = review_str(rec, "assignee");

	(void)c;
	review_count(m, who ? "roles assigned" : "roles with nobody assigned", 1);
	if (who == NULL)
		review_item_record(m, k, rec, NULL, "nobody assigned");
	return 0;
}

/* The people of the organisation by role: who there is to run the AIMS. */
static int
review_members(struct review_ctx *c, json_t *m)
{
	json_t *list = NULL, *p;
	char what[64];
	size_t i;
	int rc;

	if ((rc = member_list(&list, c->db, c->org_id)) != 0)
		return rc;
	json_array_foreach(list, i, p) {
		if (json_is_true(json_object_get(p, "disabled")))
			continue;
		snprintf(what, sizeof(what), "members %s", review_str(p, "role") ?
		    review_str(p, "role") : "");
		review_count(m, what, 1);
	}
	json_decref(list);
	return 0;
}

static int
review_compile_one(struct review_ctx *c, const char *name, json_t *m)
{
	int rc = 0;

	if (strcmp(name, "previous_actions") == 0)
		return review_each(c, m, "management-reviews", review_visit_previous);
	if (strcmp(name, "context_changes") == 0)
		return (rc = review_each(c, m, "context-issues", review_visit_changed)) != 0 ? rc :
		    review_each(c, m, "interested-parties", review_visit_changed);
	if (strcmp(name, "nonconformities") == 0)
		return review_each(c, m, "nonconformities", review_visit_nc);
	if (strcmp(name, "monitoring") == 0)
		return (rc = review_each(c, m, "metrics", review_visit_any)) != 0 ||
		    (rc = review_each(c, m, "measures", review_visit_measure)) != 0 ? rc :
		    review_each(c, m, "nonconformities", review_visit_nc_monitoring);
	if (strcmp(name, "audits") == 0)
		return (rc = review_each(c, m, "audits", review_visit_audit)) != 0 ? rc :
		    review_each(c, m, "audit-findings", review_visit_finding);
	if (strcmp(name, "objectives") == 0)
		return review_each(c, m, "objectives", review_visit_any);
	if (strcmp(name, "risks") == 0)
		return review_each(c, m, "risks", review_visit_risk);
	if (strcmp(name, "incidents") == 0)
		return (rc = review_each(c, m, "incidents", review_visit_any)) != 0 ? rc :
		    review_each(c, m, "nonconformities", review_visit_nc_incident);
	if (strcmp(name, "improvements") == 0)
		return (rc = review_each(c, m, "improvements", review_visit_improvement)) != 0 ?
		    rc : review_each(c, m, "audit-findings", review_visit_opportunity);
	if (strcmp(name, "resources") == 0)
		return (rc = review_each(c, m, "responsibilities", review_visit_responsibility)) !=
		    0 ? rc : review_members(c, m);
	return aims_error_set(AIMS_ERROR, "inputs", "no compiler for the review input '%s'",
	    name);
}

int
review_inputs_compile(json_t **out, struct db *db, int64_t org_id, const char *self,
    const char *held_on)
{
	struct review_ctx c = { .db = db, .org_id = org_id, .self = self, .held_on = held_on };
	const struct review_input_name *n;
	json_t *all = json_object(), *m, *scratch;
	int rc = 0;

	*out = NULL;
	scratch = json_pack("{s:[], s:[], s:[], s:[]}", "kinds", "not_kept", "counts", "items");
	rc = review_each(&c, scratch, "management-reviews", review_visit_since);
	json_decref(scratch);
	for (n = review_input_names; rc == 0 && n->name != NULL; n++) {
		m = json_pack("{s:s, s:s, s:[], s:[], s:s?, s:I, s:[], s:[], s:I}",
		    "clause", n->clause, "title", n->title, "kinds", "not_kept",
		    "since", c.since[0] ? c.since : NULL, "total", (json_int_t)0, "counts",
		    "items", "more", (json_int_t)0);
		json_object_set_new(all, n->name, m);
		rc = review_compile_one(&c, n->name, m);
		json_object_del(m, "urgent");
	}
	if (rc != 0) {
		json_decref(all);
		return rc;
	}
	*out = all;
	return 0;
}
