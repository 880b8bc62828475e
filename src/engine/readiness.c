/*
 * readiness.c - the readiness engine (see readiness.h): loads the rules and
 * the catalog, runs every rule's check, rolls the results up the catalog
 * tree into statuses and scores, and builds the answer.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/catalog.h"
#include "core/org.h"
#include "core/query.h"
#include "core/record.h"
#include "core/snapshot.h"
#include "engine/checks.h"
#include "core/current.h"
#include "engine/readiness.h"
#include "store/db.h"
#include "util/buf.h"
#include "util/clock.h"
#include "util/embed.h"
#include "util/error.h"
#include "util/mem.h"

#define READINESS_ID_MAX	64
#define READINESS_FIELD_MAX	128	/* a variable's field name */
#define READINESS_KEY_MAX	(READINESS_ID_MAX + CHECK_CODE_MAX + 2)	/* a gap's cause */
#define READINESS_FIX_MAX	256	/* a fix path, "documents/new?requirements=6.1.2" */
#define READINESS_AFFECTS_TEXT	10	/* requirements named in a merged reason */
#define READINESS_USE_DEPTH	4	/* named conditions using named conditions */
#define READINESS_USES_MAX	1000	/* expansions in one document */

enum req_status { ST_NOT_APPLICABLE, ST_MET, ST_PARTLY_MET, ST_NOT_MET, ST_CONFIRM,
    ST_COUNT };
enum severity { SEV_BLOCKING, SEV_MAJOR, SEV_MINOR, SEV_COUNT };

static const char *const status_names[] = {
	"not_applicable", "met", "partly_met", "not_met", "confirm_manually",
};
static const char *const severity_names[] = { "blocking", "major", "minor" };
/*
 * What a certification auditor would raise for a failing check of each
 * severity (ISO/IEC 17021-1 9.4.8): a blocking gap is a major nonconformity,
 * which stops certification until it is corrected; a major gap a minor
 * nonconformity, which needs a correction plan; a minor gap an observation.
 */
static const char *const grade_names[] = {
	"major_nonconformity", "minor_nonconformity", "observation",
};

struct req {
	char		*id, *kind, *title, *parent;
	json_t		*documented;	/* documented information it asks for */
	int		 parent_idx;
	int		 top_idx;	/* its clause (4..10) or Annex A area (A.2..) */
	bool		 leaf;
	bool		 excluded;	/* control excluded in the SoA */
	json_t		*checks;	/* NULL: no rule names it */
	double		 score_sum;
	int		 napplicable, npass;
	bool		 gate_failed;	/* a "gate" rule failed: not met whatever else */
	int		 nconfirm;	/* "manual" rules still to confirm */
	/* Roll-up over the scored requirements of its subtree. */
	double		 sub_sum;
	int		 sub_n, sub_count[ST_COUNT];
	enum req_status	 status;
};

/*
 * A cause of failing checks: one per rule and finding code, or per the
 * rule's "cause" and finding code, so that one undecided SoA is one gap
 * listing the controls it affects. Sorted so that what unblocks most comes
 * first: severity, stage, requirements affected, then catalog order.
 */
struct gap {
	int		 severity, stage;
	size_t		 req, seq;
	char		 key[READINESS_KEY_MAX];
	bool		 per_control;	/* its json comes from a for_each rule */
	const json_t	*rule;		/* the rule its json comes from */
	json_t		*json;
	json_t		*affects;	/* requirement ids */
};

struct eval {
	struct db		*db;
	int64_t			 org_id;
	const json_t		*doc;
	struct req		*reqs;
	size_t			 nreqs, cap;
	json_t			*vars;
	struct query_scope	 scope;
	struct check_env	 env;
	char			 now[CLOCK_RFC3339_LEN];
	int			 gaps[3][SEV_COUNT];	/* [stage][severity], stage 1..2 */
	struct gap		*gap_list;	/* causes, in evaluation order */
	size_t			 ngaps, gap_cap;
	json_t			*confirm;	/* manual rules not confirmed */
	json_t			*rule_status;	/* rule id -> pass | fail | ... (worst) */
	json_t			*titles;	/* ref -> title, looked up once */
	struct org_readiness	 opts;		/* the organisation's readiness options */
};

/* ---- rules document ---- */

static int
rule_error(const json_t *rule, size_t i, const char *what)
{
	const char *id = json_string_value(json_object_get(rule, "id"));

	if (id)
		return aims_error_set(AIMS_EINVALID, "rules", "rule %s: %s", id, what);
	return aims_error_set(AIMS_EINVALID, "rules", "rule #%zu: %s", i + 1, what);
}

static bool
rule_id_ok(const char *id)
{
	size_t i, n = id ? strlen(id) : 0;

	if (n == 0 || n >= READINESS_ID_MAX)
		return false;
	for (i = 0; i < n; i++)
		if (!((id[i] >= 'a' && id[i] <= 'z') || (id[i] >= '0' && id[i] <= '9') ||
		    id[i] == '-' || id[i] == '.' || (id[i] >= 'A' && id[i] <= 'Z')))
			return false;
	return true;
}

static bool
reason_ok(const json_t *reason)
{
	const char *key;
	json_t *v;

	if (json_is_string(reason))
		return json_string_length(reason) > 0;
	if (!json_is_object(reason) || json_object_size(reason) == 0)
		return false;
	json_object_foreach((json_t *)reason, key, v)
		if (!json_is_string(v) || json_string_length(v) == 0)
			return false;
	return true;
}

static int
rule_check_one(const json_t *rule, size_t i, json_t *seen)
{
	static const char *const keys[] = { "id", "requirement", "for_each", "stage", "severity",
	    "check", "reason", "when_excluded", "gate", "manual", "cause", "fix", "reason_many",
	    NULL };
	const char *const *k;
	const char *key, *sev, *we, *fe;
	json_int_t stage;
	json_t *v;
	bool known;
	int rc;

	if (!json_is_object(rule))
		return rule_error(rule, i, "a rule is an object");
	json_object_foreach((json_t *)rule, key, v) {
		for (known = false, k = keys; *k; k++)
			known = known || strcmp(*k, key) == 0;
		if (!known)
			return rule_error(rule, i, "unknown member");
	}
	if (!rule_id_ok(json_string_value(json_object_get(rule, "id"))))
		return rule_error(rule, i, "id is missing or not a short name");
	if (json_object_get(seen, json_string_value(json_object_get(rule, "id"))))
		return rule_error(rule, i, "id is used twice");
	json_object_set_new(seen, json_string_value(json_object_get(rule, "id")), json_true());
	fe = json_string_value(json_object_get(rule, "for_each"));
	if (json_object_get(rule, "for_each") ? fe == NULL || strcmp(fe, "control") != 0 ||
	    json_object_get(rule, "requirement") != NULL :
	    !json_is_string(json_object_get(rule, "requirement")))
		return rule_error(rule, i, "needs a requirement, or for_each \"control\"");
	stage = json_integer_value(json_object_get(rule, "stage"));
	if (!json_is_integer(json_object_get(rule, "stage")) || stage < 1 || stage > 2)
		return rule_error(rule, i, "stage is 1 or 2");
	sev = json_string_value(json_object_get(rule, "severity"));
	if (sev == NULL || (strcmp(sev, "blocking") && strcmp(sev, "major") &&
	    strcmp(sev, "minor")))
		return rule_error(rule, i, "severity is blocking, major or minor");
	we = json_string_value(json_object_get(rule, "when_excluded"));
	if (json_object_get(rule, "when_excluded") && (we == NULL ||
	    (strcmp(we, "evaluate") && strcmp(we, "not_applicable"))))
		return rule_error(rule, i, "when_excluded is evaluate or not_applicable");
	if (!reason_ok(json_object_get(rule, "reason")))
		return rule_error(rule, i, "reason is a text or an object of texts");
	if (json_object_get(rule, "reason_many") &&
	    !reason_ok(json_object_get(rule, "reason_many")))
		return rule_error(rule, i, "reason_many is a text or an object of texts");
	if ((json_object_get(rule, "gate") && !json_is_boolean(json_object_get(rule, "gate"))) ||
	    (json_object_get(rule, "manual") && !json_is_boolean(json_object_get(rule, "manual"))))
		return rule_error(rule, i, "gate and manual are true or false");
	if (json_is_true(json_object_get(rule, "gate")) &&
	    json_is_true(json_object_get(rule, "manual")))
		return rule_error(rule, i, "a manual rule cannot be a gate");
	if (json_object_get(rule, "cause") &&
	    !rule_id_ok(json_string_value(json_object_get(rule, "cause"))))
		return rule_error(rule, i, "cause is a short name");
	if (json_object_get(rule, "fix") && (!json_is_string(json_object_get(rule, "fix")) ||
	    json_string_length(json_object_get(rule, "fix")) == 0 ||
	    json_string_length(json_object_get(rule, "fix")) >= READINESS_FIX_MAX / 2 ||
	    json_string_value(json_object_get(rule, "fix"))[0] == '/' ||
	    strstr(json_string_value(json_object_get(rule, "fix")), "..") ||
	    strstr(json_string_value(json_object_get(rule, "fix")), "//")))
		return rule_error(rule, i, "fix is a path under the organisation's pages "
		    "(\"ai-roles\", \"documents/new?requirements=6.1.2\")");
	if ((rc = check_validate(json_object_get(rule, "check"))) != 0)
		return aims_error_set(rc, "rules", "rule %s: check: %s",
		    json_string_value(json_object_get(rule, "id")), aims_error_message());
	return 0;
}

/* Is field (a top-level name, or "a.b") declared by the record kind named kind? */
static bool
rules_field_declared(const char *kind, const char *field)
{
	const struct record_kind *k = record_kind_find(kind);
	char head[READINESS_FIELD_MAX];
	size_t n = strcspn(field, ".");

	if (k == NULL || n >= sizeof(head))
		return false;
	memcpy(head, field, n);
	head[n] = '\0';
	return record_field_find(k, head) != NULL;
}

static int
rules_check_head(const json_t *doc)
{
	const json_t *vars = json_object_get(doc, "variables"), *ex;
	const char *name;
	json_t *v;

	if (!json_is_object(doc) || !json_is_string(json_object_get(doc, "framework")) ||
	    !json_is_string(json_object_get(doc, "edition")) ||
	    !json_is_array(json_object_get(doc, "rules")))
		return aims_error_set(AIMS_EINVALID, "rules",
		    "a rules document has framework, edition and rules");
	if (json_array_size(json_object_get(doc, "rules")) > READINESS_RULES_MAX)
		return aims_error_set(AIMS_ETOOBIG, "rules", "more than %d rules",
		    READINESS_RULES_MAX);
	json_object_foreach((json_t *)vars, name, v)
		if (!json_is_string(json_object_get(v, "records")) ||
		    !json_is_string(json_object_get(v, "field")) ||
		    !rules_field_declared(json_string_value(json_object_get(v, "records")),
		    json_string_value(json_object_get(v, "field"))))
			return aims_error_set(AIMS_EINVALID, "variables", "variable %s needs "
			    "records (a record kind) and field (one it declares)", name);
	if (json_object_get(doc, "conditions") && !json_is_object(json_object_get(doc,
	    "conditions")))
		return aims_error_set(AIMS_EINVALID, "conditions",
		    "conditions names conditions: {\"name\": condition}");
	ex = json_object_get(doc, "exclusion");
	if (ex && (!json_is_string(json_object_get(ex, "records")) ||
	    record_kind_find(json_string_value(json_object_get(ex, "records"))) == NULL ||
	    query_conds_check(json_object_get(ex, "when")) != 0))
		return aims_error_set(AIMS_EINVALID, "exclusion",
		    "exclusion needs records (a record kind) and a condition list in when");
	return 0;
}

/* getting_started: [{title, requirement, rules: [rule ids], fix}], in order. */
static int
rules_check_steps(const json_t *steps, const json_t *seen)
{
	const json_t *step, *id;
	size_t i, j;

	if (steps == NULL)
		return 0;
	if (!json_is_array(steps) || json_array_size(steps) > READINESS_STEPS_MAX)
		return aims_error_set(AIMS_EINVALID, "getting_started",
		    "getting_started is a list of at most %d steps", READINESS_STEPS_MAX);
	json_array_foreach(steps, i, step) {
		if (!json_is_string(json_object_get(step, "title")) ||
		    !json_is_string(json_object_get(step, "requirement")) ||
		    !json_is_string(json_object_get(step, "fix")) ||
		    !json_is_array(json_object_get(step, "rules")) ||
		    json_array_size(json_object_get(step, "rules")) == 0)
			return aims_error_set(AIMS_EINVALID, "getting_started", "step %zu needs a "
			    "title, a requirement, rules and a fix", i + 1);
		json_array_foreach(json_object_get(step, "rules"), j, id)
			if (json_object_get(seen, json_string_value(id) ?
			    json_string_value(id) : "") == NULL)
				return aims_error_set(AIMS_EINVALID, "getting_started",
				    "step %zu names a rule that does not exist", i + 1);
	}
	return 0;
}

int
readiness_rules_check(const json_t *doc)
{
	json_t *seen, *rule;
	size_t i;
	int rc;

	if ((rc = rules_check_head(doc)) != 0)
		return rc;
	seen = json_object();
	json_array_foreach(json_object_get(doc, "rules"), i, rule)
		if ((rc = rule_check_one(rule, i, seen)) != 0)
			break;
	if (rc == 0)
		rc = rules_check_steps(json_object_get(doc, "getting_started"), seen);
	json_decref(seen);
	return rc;
}

/*
 * Replaces each {"use": NAME} in a condition list below node with a copy of
 * the document's condition NAME, so that one definition ("in scope": in
 * scope, or left out without a sound justification) serves every rule.
 */
static int
rules_expand(json_t *node, const json_t *defs, int depth, int *uses)
{
	const char *key, *name;
	json_t *v, *def;
	size_t i;
	int rc;

	if (depth > READINESS_USE_DEPTH)
		return aims_error_set(AIMS_EINVALID, "conditions",
		    "named conditions nest more than %d deep", READINESS_USE_DEPTH);
	if (json_is_array(node)) {
		json_array_foreach(node, i, v) {
			name = json_string_value(json_object_get(v, "use"));
			if (name && json_object_size(v) == 1) {
				if ((def = json_object_get(defs, name)) == NULL)
					return aims_error_set(AIMS_EINVALID, "conditions",
					    "no condition named '%s'", name);
				if (++*uses > READINESS_USES_MAX)
					return aims_error_set(AIMS_ETOOBIG, "conditions",
					    "more than %d uses of named conditions",
					    READINESS_USES_MAX);
				json_array_set_new(node, i, json_deep_copy(def));
				if ((rc = rules_expand(json_array_get(node, i), defs,
				    depth + 1, uses)) != 0)
					return rc;
			} else if ((rc = rules_expand(v, defs, depth, uses)) != 0)
				return rc;
		}
	} else if (json_is_object(node)) {
		json_object_foreach(node, key, v)
			if ((rc = rules_expand(v, defs, depth, uses)) != 0)
				return rc;
	}
	return 0;
}

int
readiness_rules_parse(json_t **out, const char *text, size_t len, const char *source)
{
	json_error_t jerr;
	json_t *doc;
	int rc, uses = 0;

	*out = NULL;
	if ((doc = json_loadb(text, len, JSON_REJECT_DUPLICATES, &jerr)) == NULL)
		return aims_error_set(AIMS_EINVALID, "rules", "%s line %d: %s", source, jerr.line,
		    jerr.text);
	if (!json_is_object(doc)) {
		json_decref(doc);
		return aims_error_set(AIMS_EINVALID, "rules", "%s: a rules document is an object",
		    source);
	}
	if ((rc = rules_expand(json_object_get(doc, "rules"), json_object_get(doc,
	    "conditions"), 0, &uses)) != 0 || (rc = rules_expand(json_object_get(doc,
	    "exclusion"), json_object_get(doc, "conditions"), 0, &uses)) != 0 ||
	    (rc = readiness_rules_check(doc)) != 0) {
		json_decref(doc);
		return rc;
	}
	*out = doc;
	return 0;
}

int
readiness_rules(json_t **out)
{
	const struct embed_file *f = embed_find(catalog_files, READINESS_RULES_FILE);

	*out = NULL;
	if (f == NULL)
		return aims_error_set(AIMS_ENOTFOUND, "rules", "no readiness rules compiled in");
	return readiness_rules_parse(out, (const char *)f->data, f->len, READINESS_RULES_FILE);
}

/* ---- catalog ---- */

static int
eval_req_add(struct eval *e, const json_t *q)
{
	const char *kind = json_string_value(json_object_get(q, "kind"));
	const char *parent = json_string_value(json_object_get(q, "parent"));
	const char *title = json_string_value(json_object_get(q, "title"));
	struct req *r;

	if (strcmp(kind, "clause") && strcmp(kind, "area") && strcmp(kind, "control"))
		return 0;
	if (e->nreqs == READINESS_REQS_MAX)
		return aims_error_set(AIMS_ETOOBIG, "catalog", "catalog too large");
	if (e->nreqs == e->cap) {
		e->cap = e->cap ? e->cap * 2 : 128;
		e->reqs = xrealloc(e->reqs, e->cap * sizeof(*e->reqs));
	}
	r = &e->reqs[e->nreqs++];
	memset(r, 0, sizeof(*r));
	r->id = xstrdup(json_string_value(json_object_get(q, "id")));
	r->kind = xstrdup(kind);
	r->title = xstrdup(title ? title : "");
	r->parent = parent && *parent ? xstrdup(parent) : NULL;
	r->documented = json_incref(json_object_get(q, "documented_information"));
	r->leaf = true;
	return 0;
}

static int
eval_req_find(const struct eval *e, const char *id)
{
	size_t i;

	for (i = 0; id && i < e->nreqs; i++)
		if (strcmp(e->reqs[i].id, id) == 0)
			return (int)i;
	return -1;
}

static int
eval_load_catalog(struct eval *e)
{
	const char *fw = json_string_value(json_object_get(e->doc, "framework"));
	json_t *list = NULL, *q;
	size_t i;
	int rc = 0, p, top;

	if ((rc = catalog_list(&list, e->db, fw, NULL)) != 0)
		return rc;
	json_array_foreach(list, i, q)
		if ((rc = eval_req_add(e, q)) != 0)
			break;
	json_decref(list);
	if (rc != 0)
		return rc;
	if (e->nreqs == 0)
		return aims_error_set(AIMS_ENOTFOUND, "catalog",
		    "the %s catalog is not loaded", fw);
	for (i = 0; i < e->nreqs; i++) {
		p = eval_req_find(e, e->reqs[i].parent);
		e->reqs[i].parent_idx = p;
		if (p >= 0)
			e->reqs[p].leaf = false;
	}
	for (i = 0; i < e->nreqs; i++) {
		for (top = (int)i; e->reqs[top].parent_idx >= 0; top = e->reqs[top].parent_idx)
			;
		e->reqs[i].top_idx = top;
	}
	return 0;
}

/* ---- variables and exclusions ---- */

static int
eval_load_vars(struct eval *e)
{
	const json_t *vars = json_object_get(e->doc, "variables");
	const char *name;
	json_t *spec, *value;
	int rc;

	e->vars = json_object();
	query_scope_init(&e->scope, e->db, e->org_id, clock_now(), e->vars);
	/*
	 * The organisation's options, as variables the rules use: null for an
	 * option left unset (no evidence window: no evidence is too old).
	 */
	if ((rc = org_readiness_get(&e->opts, e->db, e->org_id)) != 0)
		return rc;
	json_object_set_new(e->vars, "evidence_max_age_days", e->opts.evidence_max_age_days > 0 ?
	    json_integer(e->opts.evidence_max_age_days) : json_null());
	json_object_set_new(e->vars, "metric_window_days",
	    json_integer(e->opts.metric_window_days));
	json_object_foreach((json_t *)vars, name, spec) {
		if ((rc = query_field_value(&value, &e->scope,
		    json_string_value(json_object_get(spec, "records")),
		    json_string_value(json_object_get(spec, "field")))) != 0)
			return rc;
		json_object_set_new(e->vars, name, value ? value : json_null());
	}
	return 0;
}

static int
eval_exclude_row(void *arg, const char *ref, const bool *flags)
{
	struct eval *e = arg;
	int i = eval_req_find(e, ref);

	(void)flags;
	if (i >= 0 && strcmp(e->reqs[i].kind, "control") == 0)
		e->reqs[i].excluded = true;
	return 0;
}

static int
eval_load_exclusions(struct eval *e)
{
	const json_t *ex = json_object_get(e->doc, "exclusion");

	if (ex == NULL)
		return 0;
	return query_select(&e->scope, json_string_value(json_object_get(ex, "records")),
	    json_object_get(ex, "when"), NULL, 0, eval_exclude_row, e);
}

/* ---- one rule ---- */

static const char *
reason_text(const json_t *reason, const char *code)
{
	const char *s;

	if (json_is_string(reason))
		return json_string_value(reason);
	if ((s = json_string_value(json_object_get(reason, code))) != NULL)
		return s;
	if ((s = json_string_value(json_object_get(reason, "default"))) != NULL)
		return s;
	return "This requirement is not met.";
}

/* The title of the record ref names, looked up once per evaluation; NULL: none. */
static const char *
eval_title(struct eval *e, const char *ref)
{
	const struct record_kind *k;
	json_t *t = json_object_get(e->titles, ref);

	if (t != NULL)
		return json_string_value(t);
	if ((k = record_kind_of_ref(ref)) != NULL && query_ref_title(&t, &e->scope, k->name,
	    ref) != 0) {
		aims_error_clear();
		t = NULL;
	}
	json_object_set_new(e->titles, ref, t ? t : json_null());
	return json_string_value(t);
}

/* The records a finding names, by reference and title: "AIS-3 HR CV screening". */
static void
refs_text(struct eval *e, struct buf *b, const struct check_finding *f)
{
	const json_t *ref;
	const char *title;
	size_t i;

	json_array_foreach(f->refs, i, ref) {
		if (i)
			buf_puts(b, ", ");
		buf_puts(b, json_string_value(ref));
		if ((title = eval_title(e, json_string_value(ref))) != NULL &&
		    strcmp(title, json_string_value(ref)) != 0)
			buf_printf(b, " %s", title);
	}
	if (f->count > (int64_t)json_array_size(f->refs))
		buf_printf(b, " and %lld more",
		    (long long)(f->count - (int64_t)json_array_size(f->refs)));
}

/* A variable's value in a reason text ("{$metric_window_days}"); *len: its name's length. */
static void
reason_var(struct eval *e, struct buf *b, const char *p, size_t *len)
{
	char name[READINESS_FIELD_MAX];
	const json_t *v;
	size_t n = strcspn(p, "}");

	*len = 0;
	if (p[n] != '}' || n == 0 || n >= sizeof(name)) {
		buf_putc(b, '{');
		return;
	}
	memcpy(name, p, n);
	name[n] = '\0';
	v = json_object_get(e->vars, name);
	if (json_is_integer(v))
		buf_printf(b, "%lld", (long long)json_integer_value(v));
	else if (json_is_string(v))
		buf_puts(b, json_string_value(v));
	*len = n + 1;
}

/* Expands {count}, {total}, {refs}, {requirement} and {$variable} in a reason text. */
static char *
reason_render(struct eval *e, const char *tpl, const struct check_result *r,
    const struct check_finding *f, const char *requirement)
{
	struct buf b = BUF_INIT;
	const char *p;
	size_t n;

	for (p = tpl; *p; p++) {
		if (strncmp(p, "{count}", 7) == 0) {
			buf_printf(&b, "%lld", (long long)f->count);
			p += 6;
		} else if (strncmp(p, "{total}", 7) == 0) {
			buf_printf(&b, "%lld", (long long)r->total);
			p += 6;
		} else if (strncmp(p, "{refs}", 6) == 0) {
			refs_text(e, &b, f);
			p += 5;
		} else if (strncmp(p, "{requirement}", 13) == 0) {
			buf_puts(&b, requirement);
			p += 12;
		} else if (strncmp(p, "{$", 2) == 0) {
			reason_var(e, &b, p + 2, &n);
			p += n != 0 ? n + 1 : 0;
		} else
			buf_putc(&b, *p);
	}
	return buf_detach(&b);
}

static json_t *
findings_json(struct eval *e, const json_t *rule, const struct check_result *r,
    const char *requirement)
{
	const struct check_finding *f;
	json_t *list = json_array(), *items, *ref;
	const char *title;
	char *text;
	size_t i, j;

	for (i = 0; i < r->nfindings; i++) {
		f = &r->findings[i];
		text = reason_render(e, reason_text(json_object_get(rule, "reason"), f->code), r,
		    f, requirement);
		items = json_array();
		json_array_foreach(f->refs, j, ref) {
			title = eval_title(e, json_string_value(ref));
			json_array_append_new(items, json_pack("{s:O, s:s?}", "ref", ref,
			    "title", title));
		}
		json_array_append_new(list, json_pack("{s:s, s:s, s:I, s:O, s:o, s:I}",
		    "code", f->code, "reason", text, "count", (json_int_t)f->count,
		    "refs", f->refs, "items", items, "more",
		    (json_int_t)(f->count - (json_int_t)json_array_size(f->refs))));
		free(text);
	}
	return list;
}

/* The requirement a condition list links to ("$control": the rule's), or NULL. */
static const char *
where_requirement(const json_t *where, const char *control)
{
	const json_t *c, *spec;
	const char *ref;
	size_t i;

	json_array_foreach(where, i, c) {
		spec = json_object_get(c, "links_to");
		if (spec && strcmp(json_string_value(json_object_get(spec, "kind")) ?
		    json_string_value(json_object_get(spec, "kind")) : "", "requirement") == 0 &&
		    (ref = json_string_value(json_object_get(spec, "ref"))) != NULL)
			return strcmp(ref, "$control") == 0 ? control : ref;
		if ((ref = where_requirement(json_object_get(c, "any"), control)) != NULL)
			return ref;
	}
	return NULL;
}

/*
 * Where a failing check is fixed, as a path under the organisation's pages:
 * the rule's "fix", or the form of a new record of the kind the check looks
 * for (prefilled with the requirement it must be linked to), or the list of
 * the records it examines.
 */
static void
fix_path(char out[READINESS_FIX_MAX], const json_t *rule, const json_t *check,
    const char *control)
{
	const char *fix = json_string_value(json_object_get(rule, "fix")), *p, *kind, *req;
	const struct record_kind *k;
	struct buf b = BUF_INIT;

	out[0] = '\0';
	if (fix) {
		for (p = fix; *p; p++) {
			if (strncmp(p, "$control", 8) == 0) {
				buf_puts(&b, control);
				p += 7;
			} else
				buf_putc(&b, *p);
		}
		snprintf(out, READINESS_FIX_MAX, "%s", buf_str(&b));
		buf_free(&b);
		return;
	}
	if (strcmp(json_string_value(json_object_get(check, "kind")), "any") == 0)
		check = json_array_get(json_object_get(check, "checks"), 0);
	kind = json_string_value(json_object_get(check, "kind"));
	if ((k = record_kind_find(json_string_value(json_object_get(check, "records")))) == NULL)
		return;
	if (strcmp(kind, "none_failing") == 0 || k->fixed || k->singleton) {
		snprintf(out, READINESS_FIX_MAX, "%s", k->name);
		return;
	}
	req = where_requirement(json_object_get(check, "where"), control);
	if (req && record_field_find(k, "requirements") != NULL)
		snprintf(out, READINESS_FIX_MAX, "%s/new?requirements=%s", k->name, req);
	else
		snprintf(out, READINESS_FIX_MAX, "%s/new", k->name);
}

static enum severity
severity_of(const json_t *rule)
{
	const char *s = json_string_value(json_object_get(rule, "severity"));

	return strcmp(s, "blocking") == 0 ? SEV_BLOCKING :
	    strcmp(s, "major") == 0 ? SEV_MAJOR : SEV_MINOR;
}

static bool
ids_has(const json_t *ids, const char *id)
{
	const json_t *v;
	size_t i;

	json_array_foreach(ids, i, v)
		if (strcmp(json_string_value(v), id) == 0)
			return true;
	return false;
}

/*
 * Adds a failing check to the gap of its cause. A rule about one requirement
 * speaks for the cause (its reason lists the records); a for_each rule's
 * failures for many controls become one gap listing them.
 */
static void
eval_record_gap(struct eval *e, const struct req *r, const json_t *rule, const char *rule_id,
    int stage, enum severity sev, json_t *findings, const char *fix)
{
	const char *cause = json_string_value(json_object_get(rule, "cause"));
	const char *code = json_string_value(json_object_get(json_array_get(findings, 0),
	    "code"));
	bool per_control = json_object_get(rule, "for_each") != NULL;
	char key[READINESS_KEY_MAX];
	struct gap *g = NULL;
	size_t i;

	snprintf(key, sizeof(key), "%s:%s", cause ? cause :
	    json_string_value(json_object_get(rule, "id")), code ? code : "");
	for (i = 0; i < e->ngaps && g == NULL; i++)
		if (strcmp(e->gap_list[i].key, key) == 0)
			g = &e->gap_list[i];
	if (g == NULL) {
		if (e->ngaps == e->gap_cap) {
			e->gap_cap = e->gap_cap ? e->gap_cap * 2 : 64;
			e->gap_list = xrealloc(e->gap_list, e->gap_cap * sizeof(*e->gap_list));
		}
		g = &e->gap_list[e->ngaps];
		memset(g, 0, sizeof(*g));
		snprintf(g->key, sizeof(g->key), "%s", key);
		g->severity = sev;
		g->stage = stage;
		g->seq = e->ngaps++;
		g->affects = json_array();
	} else if (per_control || (!g->per_control && (int)sev >= g->severity)) {
		/*
		 * The cause is already spoken for (by a rule about one requirement,
		 * at least as severe): only widen what it affects.
		 */
		if (!ids_has(g->affects, r->id))
			json_array_append_new(g->affects, json_string(r->id));
		if ((int)sev < g->severity)
			g->severity = sev;
		if (stage < g->stage)
			g->stage = stage;
		json_object_set_new(g->json, "severity", json_string(severity_names[g->severity]));
		json_object_set_new(g->json, "grade", json_string(grade_names[g->severity]));
		json_object_set_new(g->json, "stage", json_integer(g->stage));
		return;
	}
	if ((int)sev < g->severity || g->json == NULL)
		g->severity = sev;
	if (stage < g->stage || g->json == NULL)
		g->stage = stage;
	g->req = (size_t)(r - e->reqs);
	g->per_control = per_control;
	g->rule = rule;
	json_decref(g->json);
	g->json = json_pack("{s:s, s:s, s:s, s:i, s:s, s:s, s:o}", "requirement", r->id,
	    "title", r->title, "rule", rule_id, "stage", g->stage,
	    "severity", severity_names[g->severity], "grade", grade_names[g->severity],
	    "findings", json_deep_copy(findings));
	if (fix && *fix)
		json_object_set_new(g->json, "fix", json_string(fix));
	if (!ids_has(g->affects, r->id))
		json_array_insert_new(g->affects, 0, json_string(r->id));
}

/* A list of requirement ids in words: "A.2.2, A.2.3 and 36 more". */
static void
ids_text(struct buf *b, const json_t *ids)
{
	size_t i, n = json_array_size(ids);

	for (i = 0; i < n && i < READINESS_AFFECTS_TEXT; i++) {
		if (i)
			buf_puts(b, i + 1 == n ? " and " : ", ");
		buf_puts(b, json_string_value(json_array_get(ids, i)));
	}
	if (n > READINESS_AFFECTS_TEXT)
		buf_printf(b, " and %zu more", n - READINESS_AFFECTS_TEXT);
}

/*
 * A gap of a for_each rule that affects several controls says so once: the
 * rule's reason_many ({n}, {requirements}), or its reason for the first and
 * the list of the others.
 */
static void
gap_finish(struct gap *g)
{
	const json_t *many = json_object_get(g->rule, "reason_many"), *f;
	struct buf b = BUF_INIT, list = BUF_INIT;
	const char *tpl, *p;
	size_t i, n = json_array_size(g->affects);

	json_object_set(g->json, "affects", g->affects);
	if (!g->per_control || n < 2)
		return;
	ids_text(&list, g->affects);
	json_array_foreach(json_object_get(g->json, "findings"), i, f) {
		buf_reset(&b);
		tpl = many ? reason_text(many, json_string_value(json_object_get(f, "code"))) : NULL;
		if (tpl == NULL || !many) {
			buf_printf(&b, "%s The same holds for %zu requirements in all: %s.",
			    json_string_value(json_object_get(f, "reason")), n, buf_str(&list));
		} else {
			for (p = tpl; *p; p++) {
				if (strncmp(p, "{n}", 3) == 0) {
					buf_printf(&b, "%zu", n);
					p += 2;
				} else if (strncmp(p, "{requirements}", 14) == 0) {
					buf_puts(&b, buf_str(&list));
					p += 13;
				} else
					buf_putc(&b, *p);
			}
		}
		json_object_set_new((json_t *)f, "reason", json_string(buf_str(&b)));
	}
	buf_free(&b);
	buf_free(&list);
}

static int
gap_cmp(const void *a, const void *b)
{
	const struct gap *x = a, *y = b;
	size_t nx = json_array_size(x->affects), ny = json_array_size(y->affects);

	if (x->severity != y->severity)
		return x->severity - y->severity;
	if (x->stage != y->stage)
		return x->stage - y->stage;
	if (nx != ny)
		return nx > ny ? -1 : 1;
	if (x->req != y->req)
		return x->req < y->req ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* Evaluates one rule on requirement r: its check, its gap or what is to confirm. */
static int
eval_rule_on1(struct eval *e, const json_t *rule, struct req *r, const char *rule_id,
    struct check_result *pre)
{
	struct check_result res;
	enum severity sev = severity_of(rule);
	int stage = (int)json_integer_value(json_object_get(rule, "stage"));
	const char *we = json_string_value(json_object_get(rule, "when_excluded"));
	/* An organisation may choose to count what is to confirm by hand as gaps. */
	bool manual = json_is_true(json_object_get(rule, "manual")) && !e->opts.manual_as_gaps;
	char fix[READINESS_FIX_MAX];
	json_t *check, *findings;
	int rc;

	json_object_set_new(e->vars, "control", json_string(r->id));
	if (r->checks == NULL)
		r->checks = json_array();
	check = json_pack("{s:s, s:i, s:s}", "rule", rule_id, "stage", stage,
	    "severity", severity_names[sev]);
	json_array_append_new(r->checks, check);
	if (r->excluded && (we == NULL || strcmp(we, "evaluate") != 0)) {
		json_object_set_new(check, "status", json_string("not_applicable"));
		if (pre)
			check_result_free(pre);
		return 0;
	}
	if (pre)
		res = *pre;
	else if ((rc = check_run(&res, &e->env, json_object_get(rule, "check"))) != 0)
		return aims_error_set(rc, "rules", "rule %s: %s", rule_id, aims_error_message());
	if (res.status == CHECK_NA) {
		json_object_set_new(check, "status", json_string("not_applicable"));
		json_object_set_new(check, "total", json_integer(0));
		check_result_free(&res);
		return 0;
	}
	json_object_set_new(check, "total", json_integer(res.total));
	findings = findings_json(e, rule, &res, r->id);
	json_object_set_new(check, "findings", findings);
	if (manual && res.status == CHECK_FAIL) {
		/* Not a gap: nothing recorded settles it, a person confirms it. */
		r->nconfirm++;
		snprintf(fix, sizeof(fix), "attestations/new?requirement=%s", r->id);
		json_object_set_new(check, "status", json_string("confirm"));
		json_object_set_new(check, "fix", json_string(fix));
		json_array_append_new(e->confirm, json_pack("{s:s, s:s, s:s, s:i, s:s, s:O}",
		    "requirement", r->id, "title", r->title, "rule", rule_id, "stage", stage,
		    "fix", fix, "findings", findings));
		check_result_free(&res);
		return 0;
	}
	r->napplicable++;
	r->score_sum += res.score;
	if (res.status == CHECK_PASS)
		r->npass++;
	else if (json_is_true(json_object_get(rule, "gate")))
		r->gate_failed = true;
	json_object_set_new(check, "status", json_string(res.status == CHECK_PASS ? "pass" :
	    "fail"));
	json_object_set_new(check, "grade", json_string(grade_names[sev]));
	if (res.status == CHECK_FAIL) {
		fix_path(fix, rule, json_object_get(rule, "check"), r->id);
		if (*fix)
			json_object_set_new(check, "fix", json_string(fix));
		eval_record_gap(e, r, rule, rule_id, stage, sev, findings, fix);
	}
	check_result_free(&res);
	return 0;
}

/* The status of a rule over all it was evaluated on: a failure anywhere wins. */
static void
eval_rule_status(struct eval *e, const json_t *rule, const char *status)
{
	const char *id = json_string_value(json_object_get(rule, "id"));
	const char *was = json_string_value(json_object_get(e->rule_status, id));

	if (was == NULL || strcmp(status, "fail") == 0 ||
	    (strcmp(status, "confirm") == 0 && strcmp(was, "fail") != 0) ||
	    (strcmp(was, "not_applicable") == 0))
		json_object_set_new(e->rule_status, id, json_string(status));
}

static int
eval_rule_on(struct eval *e, const json_t *rule, struct req *r, const char *rule_id,
    struct check_result *pre)
{
	int rc = eval_rule_on1(e, rule, r, rule_id, pre);

	if (rc == 0)
		eval_rule_status(e, rule, json_string_value(json_object_get(json_array_get(r->checks,
		    json_array_size(r->checks) - 1), "status")));
	return rc;
}

/*
 * Runs checks[idx[0..n)] (one record kind) in passes of at most
 * QUERY_FLAGS_MAX columns; a check equal to an earlier one shares its result.
 */
static int
eval_batch_kind(struct eval *e, const json_t *const *checks, const size_t *idx, size_t n,
    struct check_result *pre, bool *have)
{
	const json_t *chunk[QUERY_FLAGS_MAX];
	size_t chunk_idx[QUERY_FLAGS_MAX], nchunk = 0, flags = 0, i, j, k;
	struct check_result res[QUERY_FLAGS_MAX];
	int rc;

	for (i = 0; i <= n; i++) {
		if (i < n) {
			for (j = 0; j < i && !json_equal(checks[idx[j]], checks[idx[i]]); j++)
				;
			if (j < i)
				continue;	/* filled from its twin below */
		}
		if (i == n || flags + check_batch_flags(checks[idx[i]]) > QUERY_FLAGS_MAX) {
			if (nchunk > 0 &&
			    (rc = check_run_batch(res, &e->env, chunk, nchunk)) != 0)
				return rc;
			for (k = 0; k < nchunk; k++) {
				pre[chunk_idx[k]] = res[k];
				have[chunk_idx[k]] = true;
			}
			nchunk = flags = 0;
			if (i == n)
				break;
		}
		chunk[nchunk] = checks[idx[i]];
		chunk_idx[nchunk++] = idx[i];
		flags += check_batch_flags(checks[idx[i]]);
	}
	for (i = 0; i < n; i++)
		for (j = 0; !have[idx[i]] && j < i; j++)
			if (have[idx[j]] && json_equal(checks[idx[j]], checks[idx[i]])) {
				check_result_copy(&pre[idx[i]], &pre[idx[j]]);
				have[idx[i]] = true;
			}
	return 0;
}

/* The checks over many records, grouped by record kind, before the rules. */
static int
eval_prepass(struct eval *e, struct check_result *pre, bool *have)
{
	const json_t *rules = json_object_get(e->doc, "rules"), *rule;
	const json_t **checks;
	size_t i, j, n = json_array_size(rules), *idx, nidx;
	bool *done;
	int rc = 0;

	checks = xcalloc(n ? n : 1, sizeof(*checks));
	idx = xcalloc(n ? n : 1, sizeof(*idx));
	done = xcalloc(n ? n : 1, sizeof(*done));
	json_array_foreach(rules, i, rule) {
		checks[i] = json_object_get(rule, "check");
		done[i] = json_object_get(rule, "for_each") != NULL || !check_batchable(checks[i]);
	}
	for (i = 0; i < n && rc == 0; i++) {
		if (done[i])
			continue;
		for (nidx = 0, j = i; j < n; j++)
			if (!done[j] && strcmp(json_string_value(json_object_get(checks[j],
			    "records")), json_string_value(json_object_get(checks[i], "records"))) == 0) {
				idx[nidx++] = j;
				done[j] = true;
			}
		rc = eval_batch_kind(e, checks, idx, nidx, pre, have);
	}
	free(checks);
	free(idx);
	free(done);
	return rc;
}

static int
eval_rules(struct eval *e)
{
	const json_t *rule;
	char id[READINESS_ID_MAX * 2];
	size_t i, j, n = json_array_size(json_object_get(e->doc, "rules"));
	struct check_result *pre = xcalloc(n ? n : 1, sizeof(*pre));
	bool *have = xcalloc(n ? n : 1, sizeof(*have));
	int rc, ri;

	if ((rc = eval_prepass(e, pre, have)) != 0)
		goto done;
	json_array_foreach(json_object_get(e->doc, "rules"), i, rule) {
		if (json_object_get(rule, "for_each") == NULL) {
			ri = eval_req_find(e, json_string_value(json_object_get(rule, "requirement")));
			if (ri < 0) {
				rc = rule_error(rule, i, "names a requirement not in the catalog");
				goto done;
			}
			rc = eval_rule_on(e, rule, &e->reqs[ri],
			    json_string_value(json_object_get(rule, "id")), have[i] ? &pre[i] : NULL);
			have[i] = false;	/* handed over */
			if (rc != 0)
				goto done;
			continue;
		}
		for (j = 0; j < e->nreqs; j++) {
			if (strcmp(e->reqs[j].kind, "control") != 0)
				continue;
			snprintf(id, sizeof(id), "%s@%s",
			    json_string_value(json_object_get(rule, "id")), e->reqs[j].id);
			if ((rc = eval_rule_on(e, rule, &e->reqs[j], id, NULL)) != 0)
				goto done;
		}
	}
done:
	for (i = 0; i < n; i++)
		if (have[i])
			check_result_free(&pre[i]);
	free(pre);
	free(have);
	return rc;
}

/* ---- roll-up ---- */

/* Checks that found nothing to examine count as met. */
static double
req_unit_score(const struct req *r)
{
	if (r->checks == NULL)
		return 0.0;
	return r->napplicable ? r->score_sum / r->napplicable : 1.0;
}

/*
 * A control excluded in the SoA is not applicable while the rules that still
 * apply to it (the justified decision) pass, and not met otherwise.
 */
static enum req_status
req_unit_status(const struct req *r)
{
	double s = req_unit_score(r);

	if (r->checks == NULL)
		return r->leaf ? ST_NOT_MET : ST_NOT_APPLICABLE;
	if (r->excluded)
		return r->npass == r->napplicable ? ST_NOT_APPLICABLE : ST_NOT_MET;
	if (r->gate_failed)
		return ST_NOT_MET;
	if (r->npass == r->napplicable)
		return r->nconfirm > 0 ? ST_CONFIRM : ST_MET;
	if (r->npass == 0 && s <= 0.0)
		return ST_NOT_MET;
	return ST_PARTLY_MET;
}

/* Adds each scored requirement to itself and to all its ancestors. */
static void
eval_rollup(struct eval *e)
{
	enum req_status st;
	struct req *r;
	size_t i;
	int a;

	for (i = 0; i < e->nreqs; i++) {
		r = &e->reqs[i];
		if (r->checks == NULL && !r->leaf)
			continue;
		st = req_unit_status(r);
		for (a = (int)i; a >= 0; a = e->reqs[a].parent_idx) {
			e->reqs[a].sub_count[st]++;
			/* Scores are of what records settle: left out until confirmed. */
			if (st != ST_NOT_APPLICABLE && st != ST_CONFIRM) {
				e->reqs[a].sub_sum += st == ST_NOT_MET ? 0.0 : req_unit_score(r);
				e->reqs[a].sub_n++;
			}
		}
	}
	for (i = 0; i < e->nreqs; i++) {
		r = &e->reqs[i];
		if (r->sub_n == 0)
			r->status = r->sub_count[ST_CONFIRM] ? ST_CONFIRM : ST_NOT_APPLICABLE;
		else if (r->sub_count[ST_MET] == r->sub_n)
			r->status = r->sub_count[ST_CONFIRM] ? ST_CONFIRM : ST_MET;
		else if (r->sub_count[ST_NOT_MET] == r->sub_n)
			r->status = ST_NOT_MET;
		else
			r->status = ST_PARTLY_MET;
	}
}

static int
pct(double sum, int n)
{
	return n > 0 ? (int)lround(100.0 * sum / n) : 0;
}

/* ---- the answer ---- */

static json_t *
req_json(const struct eval *e, const struct req *r)
{
	json_t *o = json_pack("{s:s, s:s, s:s, s:o, s:b, s:s}", "id", r->id, "kind", r->kind,
	    "title", r->title, "parent", r->parent ? json_string(r->parent) : json_null(),
	    "leaf", r->leaf, "status", status_names[r->status]);

	(void)e;
	json_object_set_new(o, "documented_information", r->documented ?
	    json_incref(r->documented) : json_array());
	if (r->sub_n > 0)
		json_object_set_new(o, "score", json_integer(pct(r->sub_sum, r->sub_n)));
	else
		json_object_set_new(o, "score", json_null());
	if (r->checks == NULL && r->leaf)
		json_object_set_new(o, "checks", json_pack("[{s:s, s:i, s:s, s:s, s:i, s:[{s:s, "
		    "s:s, s:i, s:[], s:i}]}]", "rule", "no-rule", "stage", 1, "severity", "major",
		    "status", "fail", "total", 0, "findings", "code", "no_rule", "reason",
		    "No readiness rule covers this requirement.", "count", 0, "refs", "more", 0));
	else
		json_object_set_new(o, "checks", r->checks ? json_incref(r->checks) : json_array());
	return o;
}

static json_t *
group_json(const struct req *r)
{
	return json_pack("{s:s, s:s, s:s, s:o, s:i, s:i, s:i, s:i, s:i}", "id", r->id,
	    "title", r->title, "status", status_names[r->status],
	    "score", r->sub_n ? json_integer(pct(r->sub_sum, r->sub_n)) : json_null(),
	    "met", r->sub_count[ST_MET], "partly_met", r->sub_count[ST_PARTLY_MET],
	    "not_met", r->sub_count[ST_NOT_MET],
	    "not_applicable", r->sub_count[ST_NOT_APPLICABLE],
	    "confirm_manually", r->sub_count[ST_CONFIRM]);
}

static json_t *
stage_json(const struct eval *e, int stage)
{
	int sev[SEV_COUNT] = { 0 }, s, v;

	for (s = 1; s <= stage; s++)
		for (v = 0; v < SEV_COUNT; v++)
			sev[v] += e->gaps[s][v];
	return json_pack("{s:i, s:s, s:i, s:i, s:i}", "stage", stage,
	    "verdict", sev[SEV_BLOCKING] == 0 ? "ready" : "not_ready",
	    "blocking_gaps", sev[SEV_BLOCKING], "major_gaps", sev[SEV_MAJOR],
	    "minor_gaps", sev[SEV_MINOR]);
}

/* Totals: overall, clauses only, Annex A only, and leaf status counts. */
struct totals {
	double	 sum[3];
	int	 n[3];
	int	 count[ST_COUNT];
};

static void
eval_totals(const struct eval *e, struct totals *t)
{
	const struct req *r;
	size_t i;
	int part;

	memset(t, 0, sizeof(*t));
	for (i = 0; i < e->nreqs; i++) {
		r = &e->reqs[i];
		if (r->parent_idx >= 0)
			continue;
		part = strcmp(r->kind, "clause") == 0 ? 1 : 2;
		t->sum[0] += r->sub_sum;
		t->n[0] += r->sub_n;
		t->sum[part] += r->sub_sum;
		t->n[part] += r->sub_n;
		t->count[ST_MET] += r->sub_count[ST_MET];
		t->count[ST_PARTLY_MET] += r->sub_count[ST_PARTLY_MET];
		t->count[ST_NOT_MET] += r->sub_count[ST_NOT_MET];
		t->count[ST_NOT_APPLICABLE] += r->sub_count[ST_NOT_APPLICABLE];
		t->count[ST_CONFIRM] += r->sub_count[ST_CONFIRM];
	}
}

/*
 * The getting-started steps in the order that unblocks readiness, each done
 * when every rule it names passed or had nothing to examine, and one passed:
 * nothing recorded yet is not done.
 */
static json_t *
eval_steps(const struct eval *e)
{
	const json_t *step, *id;
	json_t *out = json_array();
	const char *st;
	size_t i, j;
	bool done, passed;

	json_array_foreach(json_object_get(e->doc, "getting_started"), i, step) {
		done = true;
		passed = false;
		json_array_foreach(json_object_get(step, "rules"), j, id) {
			st = json_string_value(json_object_get(e->rule_status, json_string_value(id)));
			if (st && strcmp(st, "pass") != 0 && strcmp(st, "not_applicable") != 0)
				done = false;
			passed = passed || (st && strcmp(st, "pass") == 0);
		}
		done = done && passed;
		json_array_append_new(out, json_pack("{s:O, s:O, s:O, s:b}", "title",
		    json_object_get(step, "title"), "requirement", json_object_get(step,
		    "requirement"), "fix", json_object_get(step, "fix"), "done", done));
	}
	return out;
}

/*
 * What the organisation aims at (its readiness options): {stage, verdict,
 * audit_date, days_left, options}; stage and verdict null without a target
 * stage, audit_date and days_left null without a date (days_left negative
 * once it has passed).
 */
static json_t *
eval_target(const struct eval *e)
{
	json_t *out = json_object(), *st;
	time_t audit, today;
	char day[ORG_DATE_LEN];

	snprintf(day, sizeof(day), "%.10s", e->now);
	json_object_set_new(out, "stage", e->opts.target_stage != 0 ?
	    json_integer(e->opts.target_stage) : json_null());
	if (e->opts.target_stage != 0) {
		st = stage_json(e, e->opts.target_stage);
		json_object_set(out, "verdict", json_object_get(st, "verdict"));
		json_decref(st);
	} else
		json_object_set_new(out, "verdict", json_null());
	if (*e->opts.audit_date != '\0' && clock_parse(&audit, e->opts.audit_date) == 0 &&
	    clock_parse(&today, day) == 0) {
		json_object_set_new(out, "audit_date", json_string(e->opts.audit_date));
		json_object_set_new(out, "days_left", json_integer((json_int_t)((audit - today) /
		    86400)));
	} else {
		json_object_set_new(out, "audit_date", json_null());
		json_object_set_new(out, "days_left", json_null());
	}
	json_object_set_new(out, "options", org_readiness_json(&e->opts));
	return out;
}

static json_t *
eval_answer(struct eval *e, const struct totals *t)
{
	json_t *out, *clauses = json_array(), *areas = json_array(), *reqs = json_array();
	json_t *gaps = json_array(), *next = json_array();
	size_t i;

	for (i = 0; i < e->nreqs; i++) {
		json_array_append_new(reqs, req_json(e, &e->reqs[i]));
		if (e->reqs[i].parent_idx < 0)
			json_array_append_new(strcmp(e->reqs[i].kind, "clause") == 0 ? clauses :
			    areas, group_json(&e->reqs[i]));
	}
	for (i = 0; i < e->ngaps; i++) {
		gap_finish(&e->gap_list[i]);
		e->gaps[e->gap_list[i].stage][e->gap_list[i].severity]++;
	}
	qsort(e->gap_list, e->ngaps, sizeof(*e->gap_list), gap_cmp);
	for (i = 0; i < e->ngaps; i++) {
		json_array_append(gaps, e->gap_list[i].json);
		if (i < READINESS_NEXT_MAX)
			json_array_append(next, e->gap_list[i].json);
	}
	out = json_pack("{s:O, s:O, s:s, s:i, s:i, s:i, s:{s:i, s:i, s:i, s:i, s:i}, s:[o, o]}",
	    "framework", json_object_get(e->doc, "framework"),
	    "edition", json_object_get(e->doc, "edition"),
	    "evaluated_at", e->now,
	    "score", pct(t->sum[0], t->n[0]),
	    "clause_score", pct(t->sum[1], t->n[1]),
	    "annex_score", pct(t->sum[2], t->n[2]),
	    "counts", "met", t->count[ST_MET], "partly_met", t->count[ST_PARTLY_MET],
	    "not_met", t->count[ST_NOT_MET], "not_applicable", t->count[ST_NOT_APPLICABLE],
	    "confirm_manually", t->count[ST_CONFIRM],
	    "stages", stage_json(e, 1), stage_json(e, 2));
	json_object_set_new(out, "clauses", clauses);
	json_object_set_new(out, "areas", areas);
	json_object_set_new(out, "gaps", gaps);
	json_object_set_new(out, "next", next);
	json_object_set(out, "to_confirm", e->confirm);
	json_object_set_new(out, "getting_started", eval_steps(e));
	json_object_set_new(out, "requirements", reqs);
	json_object_set_new(out, "target", eval_target(e));
	return out;
}

static int
eval_organisation(json_t *out, const struct eval *e)
{
	json_t *org = NULL;
	int rc;

	struct org_ai_roles roles;

	if ((rc = org_get(&org, e->db, e->org_id)) != 0)
		return rc;
	if ((rc = org_ai_roles_get(&roles, e->db, e->org_id)) != 0) {
		json_decref(org);
		return rc;
	}
	json_object_set_new(out, "organisation", json_pack("{s:O, s:O, s:{s:O, s:O, s:O}}",
	    "slug", json_object_get(org, "slug"), "name", json_object_get(org, "name"),
	    "ai_roles", "declared", roles.declared, "derived", roles.derived,
	    "effective", roles.effective));
	org_ai_roles_free(&roles);
	json_decref(org);
	return 0;
}

static int
eval_snapshot(json_t *out, const struct eval *e, const struct totals *t, int flags)
{
	const char *fw = json_string_value(json_object_get(e->doc, "framework"));
	struct snapshot snap;
	json_t *scores = json_object(), *g, *trend;
	size_t i;
	int rc;

	json_array_foreach(json_object_get(out, "clauses"), i, g)
		json_object_set(scores, json_string_value(json_object_get(g, "id")),
		    json_object_get(g, "score"));
	json_array_foreach(json_object_get(out, "areas"), i, g)
		json_object_set(scores, json_string_value(json_object_get(g, "id")),
		    json_object_get(g, "score"));
	snap = (struct snapshot){
		.framework = fw,
		.taken_at = e->now,
		.score = pct(t->sum[0], t->n[0]),
		.stage1_ready = e->gaps[1][SEV_BLOCKING] == 0,
		.stage2_ready = e->gaps[1][SEV_BLOCKING] + e->gaps[2][SEV_BLOCKING] == 0,
		.stage1_blocking = e->gaps[1][SEV_BLOCKING],
		.stage2_blocking = e->gaps[1][SEV_BLOCKING] + e->gaps[2][SEV_BLOCKING],
		.met = t->count[ST_MET],
		.partly_met = t->count[ST_PARTLY_MET],
		.not_met = t->count[ST_NOT_MET],
		.not_applicable = t->count[ST_NOT_APPLICABLE],
		.scores = scores,
	};
	rc = (flags & READINESS_SAVE) ? snapshot_store(e->db, e->org_id, &snap) : 0;
	json_decref(scores);
	if (rc != 0 ||
	    (rc = snapshot_trend(&trend, e->db, e->org_id, fw, READINESS_TREND_DAYS)) != 0)
		return rc;
	json_object_set_new(out, "trend", trend);
	return 0;
}

static void
eval_free(struct eval *e)
{
	size_t i;

	for (i = 0; i < e->nreqs; i++) {
		free(e->reqs[i].id);
		free(e->reqs[i].kind);
		free(e->reqs[i].title);
		free(e->reqs[i].parent);
		json_decref(e->reqs[i].checks);
		json_decref(e->reqs[i].documented);
	}
	free(e->reqs);
	json_decref(e->vars);
	json_decref(e->confirm);
	json_decref(e->titles);
	json_decref(e->rule_status);
	for (i = 0; i < e->ngaps; i++) {
		json_decref(e->gap_list[i].json);
		json_decref(e->gap_list[i].affects);
	}
	free(e->gap_list);
	json_decref((json_t *)e->doc);
}

int
readiness_evaluate(json_t **out, struct db *db, int64_t org_id, int flags)
{
	struct eval e;
	struct totals t;
	json_t *doc = NULL, *answer = NULL;
	int rc;

	*out = NULL;
	memset(&e, 0, sizeof(e));
	e.db = db;
	e.org_id = org_id;
	e.confirm = json_array();
	e.titles = json_object();
	e.rule_status = json_object();
	clock_format(e.now, clock_now());
	if ((rc = readiness_rules(&doc)) != 0)
		goto done;
	e.doc = doc;
	if ((rc = eval_load_catalog(&e)) != 0 || (rc = eval_load_vars(&e)) != 0 ||
	    (rc = eval_load_exclusions(&e)) != 0)
		goto done;
	e.env.scope = &e.scope;
	e.env.refs_max = READINESS_REFS_MAX;
	if ((rc = eval_rules(&e)) != 0)
		goto done;
	eval_rollup(&e);
	eval_totals(&e, &t);
	answer = eval_answer(&e, &t);
	if ((rc = eval_organisation(answer, &e)) != 0 ||
	    (rc = eval_snapshot(answer, &e, &t, flags)) != 0)
		goto done;
	*out = answer;
	answer = NULL;
done:
	json_decref(answer);
	eval_free(&e);
	return rc;
}

/* ---- the current evaluation, for pages that show it at every view ---- */

static int
readiness_summary_compute(json_t **out, struct db *db, int64_t org_id, const void *arg)
{
	static const char *const keys[] = { "evaluated_at", "score", "clause_score",
	    "annex_score", "counts", "stages", "getting_started", "next", "target", NULL };
	json_t *full = NULL;
	size_t i;
	int rc;

	(void)arg;
	if ((rc = readiness_evaluate(&full, db, org_id, 0)) != 0)
		return rc;
	*out = json_object();
	for (i = 0; keys[i]; i++)
		json_object_set(*out, keys[i], json_object_get(full, keys[i]));
	json_decref(full);
	return 0;
}

int
readiness_current(json_t **out, struct db *db, int64_t org_id)
{
	return current_get(out, db, org_id, "readiness-summary", CURRENT_COPY,
	    readiness_summary_compute, NULL);
}

/* A new evaluation is today's snapshot; one reused was saved when it was made. */
static int
readiness_full_compute(json_t **out, struct db *db, int64_t org_id, const void *arg)
{
	(void)arg;
	return readiness_evaluate(out, db, org_id, READINESS_SAVE);
}

int
readiness_current_full(json_t **out, struct db *db, int64_t org_id)
{
	return current_get(out, db, org_id, "readiness", CURRENT_SHARED,
	    readiness_full_compute, NULL);
}
