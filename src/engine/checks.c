/*
 * checks.c - the readiness check kinds (see checks.h): one small function per
 * kind, parameterised by the rule's data. The questions about records are
 * asked through core/query.h, one set-based statement each.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/acknowledge.h"
#include "core/audit.h"
#include "core/competence.h"
#include "core/concern.h"
#include "core/metric.h"
#include "core/org.h"
#include "core/record.h"
#include "core/record_counts.h"
#include "core/soa.h"
#include "engine/checks.h"
#include "util/clock.h"
#include "util/error.h"

#define CHECK_MIN_MAX	1000000
#define CHECK_REF_MAX	65	/* a record reference and its NUL */
#define CHECK_ANY_MAX	4	/* alternatives of an any check */

typedef int (*check_fn)(struct check_result *out, const struct check_env *env,
    const json_t *params);

struct check_kind {
	const char	*name;
	check_fn	 run;
	const char *const *params;	/* allowed parameter names besides "kind" */
};

static struct check_finding *
finding_add(struct check_result *r, const char *code)
{
	struct check_finding *f;
	size_t i;

	for (i = 0; i < r->nfindings; i++)
		if (strcmp(r->findings[i].code, code) == 0)
			return &r->findings[i];
	if (r->nfindings == CHECK_FINDINGS_MAX)
		return &r->findings[r->nfindings - 1];
	f = &r->findings[r->nfindings++];
	snprintf(f->code, sizeof(f->code), "%s", code);
	f->count = 0;
	f->refs = json_array();
	return f;
}

static void
finding_ref(struct check_finding *f, const struct check_env *env, const char *ref)
{
	f->count++;
	if (ref && json_array_size(f->refs) < env->refs_max)
		json_array_append_new(f->refs, json_string(ref));
}

/* A failure that concerns no particular record. */
static void
check_fail(struct check_result *r, const char *code)
{
	r->status = CHECK_FAIL;
	finding_add(r, code);
}

static const char *
param_str(const json_t *params, const char *name)
{
	return json_string_value(json_object_get(params, name));
}

/* not_recorded_yet: the record kinds this requirement needs are not kept yet. */
static int
check_not_recorded_yet(struct check_result *out, const struct check_env *env,
    const json_t *params)
{
	(void)env;
	(void)params;
	check_fail(out, "nothing_recorded");
	return 0;
}

static json_int_t
param_min(const json_t *params)
{
	const json_t *min = json_object_get(params, "min");

	return json_is_integer(min) ? json_integer_value(min) : 1;
}

/* exists, once out->total holds the number of matching records. */
static void
exists_finish(struct check_result *out, const json_t *params)
{
	if (out->total < param_min(params)) {
		check_fail(out, "missing");
		out->findings[0].count = out->total;
	}
}

/* exists: at least `min` live records of kind match where. */
static int
check_exists(struct check_result *out, const struct check_env *env, const json_t *params)
{
	int64_t n;
	int rc;

	/*
	 * Records linked to one requirement (evidence of a control: thousands)
	 * are counted up to min, from the links: enough to pass or fail.
	 */
	if ((rc = query_names_requirement(json_object_get(params, "where")) ?
	    query_count_upto(&n, env->scope, param_str(params, "records"),
	    json_object_get(params, "where"), param_min(params)) :
	    query_count(&n, env->scope, param_str(params, "records"),
	    json_object_get(params, "where"))) != 0)
		return rc;
	out->total = n;
	exists_finish(out, params);
	return 0;
}

/* The finding codes of fail_when and their condition lists, in order. */
static size_t
fail_codes(const char **codes, const json_t **conds, const json_t *params)
{
	const json_t *fail = json_object_get(params, "fail_when");
	const char *code;
	size_t n = 0;
	json_t *v;

	if (json_is_array(fail)) {
		codes[0] = "failing";
		conds[0] = fail;
		return 1;
	}
	json_object_foreach((json_t *)fail, code, v) {
		if (n == CHECK_FINDINGS_MAX)
			break;
		codes[n] = code;
		conds[n++] = v;
	}
	return n;
}

/* Counts one record in scope: the first matching code is its finding. */
static void
none_failing_count(struct check_result *out, const struct check_env *env, const char *ref,
    const char *const *codes, const bool *flags, size_t ncodes)
{
	size_t i;

	out->total++;
	for (i = 0; i < ncodes; i++) {
		if (!flags[i])
			continue;
		out->failed++;
		finding_ref(finding_add(out, codes[i]), env, ref);
		return;
	}
}

static void
none_failing_finish(struct check_result *out, const json_t *params)
{
	const char *empty = param_str(params, "empty");

	if (out->failed > 0)
		out->status = CHECK_FAIL;
	else if (out->total == 0 && empty != NULL)
		check_fail(out, empty);
	else if (out->total == 0)
		out->status = CHECK_NA;	/* nothing to examine says nothing */
}

struct none_failing {
	struct check_result		*out;
	const struct check_env		*env;
	const char			*codes[CHECK_FINDINGS_MAX];
	size_t				 ncodes;
};

static int
none_failing_row(void *arg, const char *ref, const bool *flags)
{
	struct none_failing *nf = arg;

	none_failing_count(nf->out, nf->env, ref, nf->codes, flags, nf->ncodes);
	return 0;
}

/* none_failing: no record in scope matches a failure condition. */
static int
check_none_failing(struct check_result *out, const struct check_env *env,
    const json_t *params)
{
	struct none_failing nf = { out, env, { NULL }, 0 };
	const json_t *flags[CHECK_FINDINGS_MAX];
	int rc;

	nf.ncodes = fail_codes(nf.codes, flags, params);
	if ((rc = query_select(env->scope, param_str(params, "records"),
	    json_object_get(params, "where"), flags, nf.ncodes, none_failing_row, &nf)) != 0)
		return rc;
	none_failing_finish(out, params);
	return 0;
}

struct current_approved {
	const struct check_env	*env;
	struct check_finding	 candidates, approved;
	bool			 ok;
};

static int
current_approved_row(void *arg, const char *ref, const bool *flags)
{
	struct current_approved *ca = arg;

	finding_ref(&ca->candidates, ca->env, ref);
	if (!flags[0])
		return 0;
	if (flags[1])
		ca->ok = true;
	else
		finding_ref(&ca->approved, ca->env, ref);
	return 0;
}

static json_t *
default_conds(const json_t *given, const char *field, const char *op, json_t *value)
{
	if (given != NULL) {
		json_decref(value);
		return json_incref((json_t *)given);
	}
	return json_pack("[{s:s, s:o}]", "field", field, op, value);
}

/* current_approved: one record in scope is approved and not due for review. */
static int
check_current_approved(struct check_result *out, const struct check_env *env,
    const json_t *params)
{
	struct current_approved ca = { env, { "", 0, json_array() }, { "", 0, json_array() },
	    false };
	const json_t *flags[2];
	struct check_finding *f;
	json_t *approved, *current;
	int rc;

	approved = default_conds(json_object_get(params, "approved"), "status", "eq",
	    json_string("approved"));
	current = default_conds(json_object_get(params, "current"), "next_review", "past",
	    json_false());
	flags[0] = approved;
	flags[1] = current;
	rc = query_select(env->scope, param_str(params, "records"), json_object_get(params, "where"),
	    flags, 2, current_approved_row, &ca);
	if (rc == 0 && !ca.ok) {
		if (ca.candidates.count == 0)
			check_fail(out, "missing");
		else {
			bool overdue = ca.approved.count > 0;

			check_fail(out, overdue ? "overdue" : "not_approved");
			f = &out->findings[0];
			f->count = overdue ? ca.approved.count : ca.candidates.count;
			json_array_extend(f->refs, overdue ? ca.approved.refs : ca.candidates.refs);
		}
	}
	out->total = ca.candidates.count;
	json_decref(ca.candidates.refs);
	json_decref(ca.approved.refs);
	json_decref(approved);
	json_decref(current);
	return rc;
}

/*
 * org_ai_roles: the organisation's AI roles (ISO/IEC 22989) are determined:
 * declared, or derived from the roles it holds for its AI systems
 * (org_ai_roles_get()). Declared roles that none of its systems bears out,
 * and roles its systems show that are not declared, are findings too: the
 * context is then determined on a wrong footing.
 */
static int
check_org_ai_roles(struct check_result *out, const struct check_env *env,
    const json_t *params)
{
	struct org_ai_roles roles;
	size_t i;
	int rc;

	if ((rc = org_ai_roles_get(&roles, env->scope->db, env->scope->org_id)) != 0)
		return rc;
	if ((json_int_t)json_array_size(roles.effective) < param_min(params))
		check_fail(out, "missing");
	else
		for (i = 0; i < json_array_size(roles.derived); i++)
			if (!org_ai_roles_has(roles.declared, json_string_value(
			    json_array_get(roles.derived, i))) &&
			    json_array_size(roles.declared) > 0) {
				out->status = CHECK_FAIL;
				finding_ref(finding_add(out, "undeclared"), env,
				    json_string_value(json_array_get(roles.derived, i)));
			}
	org_ai_roles_free(&roles);
	return 0;
}

/*
 * any {checks}: passes when one of the checks passes (an approved document or
 * current evidence linked to a requirement counts as well as the records the
 * first check looks for). Else it is the first check's answer that is not
 * "not applicable", or not applicable when all are.
 */
static int
check_any(struct check_result *out, const struct check_env *env, const json_t *params)
{
	const json_t *checks = json_object_get(params, "checks"), *c;
	struct check_result res, first;
	bool have_first = false;
	size_t i;
	int rc;

	memset(&first, 0, sizeof(first));
	json_array_foreach(checks, i, c) {
		if ((rc = check_run(&res, env, c)) != 0) {
			if (have_first)
				check_result_free(&first);
			return rc;
		}
		if (res.status == CHECK_PASS) {
			if (have_first)
				check_result_free(&first);
			*out = res;
			return 0;
		}
		if (res.status == CHECK_FAIL && !have_first) {
			first = res;
			have_first = true;
		} else
			check_result_free(&res);
	}
	if (have_first)
		*out = first;
	else
		out->status = CHECK_NA;
	return 0;
}

/* soa_published: a published SoA version exists (and matches the draft). */
static int
check_soa_published(struct check_result *out, const struct check_env *env,
    const json_t *params)
{
	json_t *diff = NULL, *ch;
	struct check_finding *f;
	size_t i;
	int rc;

	if ((rc = soa_diff(&diff, env->scope->db, env->scope->org_id, 0)) != 0)
		return rc;
	if (json_is_null(json_object_get(diff, "base_version")))
		check_fail(out, "never_published");
	else if (json_is_true(json_object_get(params, "unchanged")) &&
	    json_array_size(json_object_get(diff, "changes")) > 0) {
		check_fail(out, "changed");
		f = &out->findings[0];
		json_array_foreach(json_object_get(diff, "changes"), i, ch)
			finding_ref(f, env, json_string_value(json_object_get(ch, "control")));
	}
	json_decref(diff);
	return 0;
}

/* The last approved programme whose period has not ended: a query_select() visitor. */
static int
coverage_programme(void *arg, const char *ref, const bool *flags)
{
	char *last = arg;

	(void)flags;
	snprintf(last, CHECK_REF_MAX, "%s", ref);
	return 0;
}

/*
 * audit_coverage: an approved audit programme in force (period not ended)
 * and every clause and applicable Annex A control covered by one of its
 * audits (reported or planned) within its period (core/audit.h).
 */
static int
check_audit_coverage(struct check_result *out, const struct check_env *env,
    const json_t *params)
{
	char ref[CHECK_REF_MAX] = "";
	json_t *where, *cov = NULL, *v;
	struct check_finding *f;
	size_t i;
	int rc;

	(void)params;
	where = json_pack("[{s:s, s:s}, {s:s, s:b}]", "field", "status", "eq", "approved",
	    "field", "period_end", "past", 0);
	rc = query_select(env->scope, "audit-programmes", where, NULL, 0, coverage_programme,
	    ref);
	json_decref(where);
	if (rc != 0)
		return rc;
	if (*ref == '\0') {
		check_fail(out, "no_programme");
		return 0;
	}
	if ((rc = audit_programme_coverage(&cov, env->scope->db, env->scope->org_id, ref)) != 0)
		return rc;
	out->total = json_integer_value(json_object_get(cov, "total"));
	out->failed = (int64_t)json_array_size(json_object_get(cov, "not_covered"));
	if (out->failed > 0) {
		check_fail(out, "not_covered");
		f = &out->findings[0];
		json_array_foreach(json_object_get(cov, "not_covered"), i, v)
			finding_ref(f, env, json_string_value(v));
	}
	json_decref(cov);
	return 0;
}

static int
monitored_system(void *arg, const char *ref, const bool *flags)
{
	(void)flags;
	json_array_append_new(arg, json_string(ref));
	return 0;
}

#define CHECK_EVALUATED_DAYS_DEFAULT	92	/* a quarter */

/*
 * metrics_current: every AI system matching where has at least one metric,
 * each of its metrics has a reading within its interval (core/metric.h),
 * and each was evaluated (evaluated_on, with the evaluation written) within
 * evaluated_within_days.
 * Findings: no_metrics (AI system refs), stale and not_evaluated (metric
 * refs); with no AI system in scope, the code `empty` when given.
 */
static int
check_metrics_current(struct check_result *out, const struct check_env *env,
    const json_t *params)
{
	const json_t *days_p = json_object_get(params, "evaluated_within_days");
	const char *var = json_string_value(days_p);
	int64_t days;
	json_t *systems = json_array(), *status = NULL, *sys, *m;
	char limit[CLOCK_RFC3339_LEN];
	const char *ev;
	size_t i, j;
	bool any;
	int rc;

	/* "$name": the organisation's own window (its readiness options). */
	if (var != NULL && var[0] == '$' && env->scope->vars != NULL)
		days_p = json_object_get(env->scope->vars, var + 1);
	days = json_is_integer(days_p) && json_integer_value(days_p) > 0 ?
	    json_integer_value(days_p) : CHECK_EVALUATED_DAYS_DEFAULT;
	if ((rc = query_select(env->scope, "ai-systems", json_object_get(params, "where"),
	    NULL, 0, monitored_system, systems)) != 0)
		goto done;
	if ((rc = metric_status(&status, env->scope->db, env->scope->org_id, NULL, NULL,
	    clock_now())) != 0)
		goto done;
	clock_format(limit, clock_now() - (time_t)days * 24 * 3600);
	limit[10] = '\0';
	out->total = (int64_t)json_array_size(systems);
	if (out->total == 0 && param_str(params, "empty") != NULL)
		check_fail(out, param_str(params, "empty"));
	else if (out->total == 0)
		out->status = CHECK_NA;	/* no system in operation says nothing */
	json_array_foreach(systems, i, sys) {
		any = false;
		json_array_foreach(status, j, m) {
			if (!json_equal(json_object_get(m, "ai_system"), sys))
				continue;
			any = true;
			if (json_is_true(json_object_get(m, "stale"))) {
				out->status = CHECK_FAIL;
				finding_ref(finding_add(out, "stale"), env,
				    json_string_value(json_object_get(m, "ref")));
			}
			/* Evaluated: a recent date and what was concluded (9.1 c, d). */
			ev = json_string_value(json_object_get(m, "evaluated_on"));
			if (ev == NULL || strcmp(ev, limit) < 0 ||
			    json_string_length(json_object_get(m, "evaluation")) == 0) {
				out->status = CHECK_FAIL;
				finding_ref(finding_add(out, "not_evaluated"), env,
				    json_string_value(json_object_get(m, "ref")));
			}
		}
		if (!any) {
			out->status = CHECK_FAIL;
			finding_ref(finding_add(out, "no_metrics"), env, json_string_value(sys));
			out->failed++;
		}
	}
done:
	json_decref(systems);
	json_decref(status);
	return rc;
}

/* concern_channel: the organisation's public concern reporting channel is open. */
static int
check_concern_channel(struct check_result *out, const struct check_env *env,
    const json_t *params)
{
	json_t *ch = NULL;
	int rc;

	(void)params;
	if ((rc = concern_channel_get(&ch, env->scope->db, env->scope->org_id)) != 0)
		return rc;
	if (!json_is_true(json_object_get(ch, "open")))
		check_fail(out, "closed");
	json_decref(ch);
	return 0;
}

struct deadlines {
	struct check_result		*out;
	const struct check_env		*env;
	const struct record_kind	*kind;
	time_t				 now;
};

static int
deadlines_row(void *arg, const struct query_record *rec)
{
	struct deadlines *d = arg;
	time_t due, met;

	switch (record_deadline_state(d->kind, rec->data, d->now, &due, &met)) {
	case RECORD_DEADLINE_NONE:
		return 0;
	case RECORD_DEADLINE_MISSED:
		finding_ref(finding_add(d->out, "missed"), d->env, rec->ref);
		d->out->failed++;
		break;
	case RECORD_DEADLINE_LATE:
		finding_ref(finding_add(d->out, "late"), d->env, rec->ref);
		d->out->failed++;
		break;
	default:
		break;
	}
	d->out->total++;
	return 0;
}

/*
 * deadlines_met: every live record of a kind that declares a deadline
 * (core/record.h) met it or still has time: none past it unmet ("missed"),
 * none met after it ("late"). Judged to the second, at the time of the
 * evaluation.
 */
static int
check_deadlines_met(struct check_result *out, const struct check_env *env,
    const json_t *params)
{
	struct deadlines d = { out, env, record_kind_find(param_str(params, "records")),
	    clock_now() };
	int rc;

	if (d.kind == NULL || d.kind->deadline == NULL)
		return aims_error_set(AIMS_EINVALID, "records", "deadlines_met: kind '%s' "
		    "declares no deadline", param_str(params, "records") ?
		    param_str(params, "records") : "");
	if ((rc = query_records_each(env->scope->db, env->scope->org_id, d.kind->name,
	    deadlines_row, &d)) != 0)
		return rc;
	none_failing_finish(out, params);
	return 0;
}

/*
 * competence_gaps: nobody in a role lacks a competence the role requires or
 * holds it only by an expired training (core/competence.h); refs are the
 * competences, each once per finding.
 */
static int
check_competence_gaps(struct check_result *out, const struct check_env *env,
    const json_t *params)
{
	json_t *view = NULL, *g;
	struct check_finding *f;
	size_t i;
	int rc;

	(void)params;
	if ((rc = competence_gaps(&view, env->scope->db, env->scope->org_id, env->scope->today)) != 0)
		return rc;
	json_array_foreach(json_object_get(view, "gaps"), i, g) {
		const char *cref = json_string_value(json_object_get(g, "competence"));
		size_t j;
		json_t *r;
		bool seen = false;

		out->status = CHECK_FAIL;
		out->failed++;
		f = finding_add(out, json_string_value(json_object_get(g, "reason")));
		json_array_foreach(f->refs, j, r)
			if (strcmp(json_string_value(r), cref) == 0)
				seen = true;
		if (seen)
			f->count++;
		else
			finding_ref(f, env, cref);
	}
	out->total = json_integer_value(json_object_get(view, "checked"));
	/* Nobody holds a role that requires a competence: nothing to judge. */
	if (out->total == 0)
		out->status = CHECK_NA;
	json_decref(view);
	/* No competence required of anyone yet: nothing was examined (7.2-competences says so). */
	if (out->failed == 0) {
		if ((rc = record_counts_live(&view, env->scope->db, env->scope->org_id)) != 0)
			return rc;
		if (json_integer_value(json_object_get(view, "competences")) == 0)
			out->status = CHECK_NA;
		json_decref(view);
	}
	return 0;
}

/* ai_literacy: at least `min` percent of the members hold current AI-literacy training. */
static int
check_ai_literacy(struct check_result *out, const struct check_env *env,
    const json_t *params)
{
	json_t *view = NULL, *lit, *e;
	struct check_finding *f;
	size_t i;
	int rc;

	if ((rc = competence_gaps(&view, env->scope->db, env->scope->org_id, env->scope->today)) != 0)
		return rc;
	lit = json_object_get(view, "ai_literacy");
	out->total = json_integer_value(json_object_get(lit, "members"));
	out->failed = out->total - json_integer_value(json_object_get(lit, "covered"));
	if (json_integer_value(json_object_get(lit, "share")) < param_min(params) ||
	    out->total == 0) {
		check_fail(out, "not_covered");
		f = &out->findings[0];
		json_array_foreach(json_object_get(lit, "not_covered"), i, e)
			finding_ref(f, env, json_string_value(e));
	}
	json_decref(view);
	return 0;
}

/*
 * acknowledged: every enabled member acknowledged the approved version in
 * force of the AI policy and of each document marked as requiring it
 * (core/acknowledge.h); refs are the documents someone has still to
 * acknowledge, count the acknowledgements missing.
 */
static int
check_acknowledged(struct check_result *out, const struct check_env *env,
    const json_t *params)
{
	const struct record_kind *k = record_kind_find("documents");
	struct record_query q;
	json_t *docs = NULL, *d, *st;
	struct check_finding *f;
	char *next = NULL;
	size_t i, asked = 0;
	int rc;

	(void)params;
	memset(&q, 0, sizeof(q));
	q.limit = RECORD_LIST_MAX;
	if (k == NULL ||
	    (rc = record_list(&docs, &next, NULL, env->scope->db, env->scope->org_id, k, &q)) != 0)
		return k == NULL ? 0 : rc;
	free(next);
	json_array_foreach(docs, i, d) {
		const char *ref = json_string_value(json_object_get(d, "ref"));
		json_int_t pending;

		if (!ack_asked(d) || ack_version_in_force(d) == 0)
			continue;
		asked++;
		if ((rc = ack_status(&st, env->scope->db, env->scope->org_id, ref)) != 0) {
			json_decref(docs);
			return rc;
		}
		pending = (json_int_t)json_array_size(json_object_get(st, "pending"));
		out->total += json_integer_value(json_object_get(st, "members"));
		if (pending > 0) {
			out->status = CHECK_FAIL;
			out->failed += pending;
			f = finding_add(out, "pending");
			finding_ref(f, env, ref);
			f->count += pending - 1;
		}
		json_decref(st);
	}
	json_decref(docs);
	if (asked == 0)
		check_fail(out, "nothing_to_acknowledge");
	return 0;
}

static const char *const params_none[] = { NULL };
static const char *const params_what[] = { "what", NULL };
static const char *const params_exists[] = { "records", "where", "min", NULL };
static const char *const params_none_failing[] = { "records", "where", "fail_when", "empty",
    NULL };
static const char *const params_current[] = { "records", "where", "approved", "current",
    NULL };
static const char *const params_min[] = { "min", NULL };
static const char *const params_soa[] = { "unchanged", NULL };
static const char *const params_metrics[] = { "where", "evaluated_within_days", "empty", NULL };
static const char *const params_records[] = { "records", "empty", NULL };
static const char *const params_any[] = { "checks", NULL };

static const struct check_kind check_kinds[] = {
	{ "not_recorded_yet", check_not_recorded_yet, params_what },
	{ "exists", check_exists, params_exists },
	{ "none_failing", check_none_failing, params_none_failing },
	{ "current_approved", check_current_approved, params_current },
	{ "org_ai_roles", check_org_ai_roles, params_min },
	{ "soa_published", check_soa_published, params_soa },
	{ "competence_gaps", check_competence_gaps, params_none },
	{ "ai_literacy", check_ai_literacy, params_min },
	{ "acknowledged", check_acknowledged, params_none },
	{ "concern_channel", check_concern_channel, params_none },
	{ "deadlines_met", check_deadlines_met, params_records },
	{ "audit_coverage", check_audit_coverage, params_none },
	{ "metrics_current", check_metrics_current, params_metrics },
	{ "any", check_any, params_any },
	{ NULL, NULL, params_none },
};

static const struct check_kind *
check_kind_find(const char *name)
{
	const struct check_kind *k;

	for (k = check_kinds; name && k->name; k++)
		if (strcmp(k->name, name) == 0)
			return k;
	return NULL;
}

static bool
param_allowed(const struct check_kind *k, const char *name)
{
	const char *const *p;

	if (strcmp(name, "kind") == 0)
		return true;
	for (p = k->params; *p; p++)
		if (strcmp(*p, name) == 0)
			return true;
	return false;
}

/* Condition lists and the record kind a check is about. */
static int
check_validate_params(const struct check_kind *k, const json_t *check)
{
	static const char *const lists[] = { "where", "approved", "current", NULL };
	const json_t *fail = json_object_get(check, "fail_when"), *v;
	const char *const *l;
	const char *key;
	int rc;

	for (l = lists; *l; l++)
		if ((rc = query_conds_check(json_object_get(check, *l))) != 0)
			return rc;
	if (param_allowed(k, "fail_when")) {
		if (json_is_array(fail))
			return query_conds_check(fail);
		if (!json_is_object(fail) || json_object_size(fail) == 0 ||
		    json_object_size(fail) > CHECK_FINDINGS_MAX)
			return aims_error_set(AIMS_EINVALID, "fail_when",
			    "fail_when is a condition list or an object of 1 to %d of them",
			    CHECK_FINDINGS_MAX);
		json_object_foreach((json_t *)fail, key, v)
			if (strlen(key) >= CHECK_CODE_MAX || (rc = query_conds_check(v)) != 0)
				return rc ? rc : aims_error_set(AIMS_EINVALID, "fail_when",
				    "finding code '%s' is too long", key);
	}
	if (json_object_get(check, "min") && (!json_is_integer(json_object_get(check, "min")) ||
	    json_integer_value(json_object_get(check, "min")) < 0 ||
	    json_integer_value(json_object_get(check, "min")) > CHECK_MIN_MAX))
		return aims_error_set(AIMS_EINVALID, "min", "min is a count");
	return 0;
}

/* The alternatives of an any check: 2 to CHECK_ANY_MAX checks, none an any. */
static int
check_validate_any(const json_t *checks)
{
	const json_t *c;
	size_t i;
	int rc;

	if (!json_is_array(checks) || json_array_size(checks) < 2 ||
	    json_array_size(checks) > CHECK_ANY_MAX)
		return aims_error_set(AIMS_EINVALID, "checks",
		    "check any takes a list of 2 to %d checks in 'checks'", CHECK_ANY_MAX);
	json_array_foreach(checks, i, c) {
		if (strcmp(param_str(c, "kind") ? param_str(c, "kind") : "", "any") == 0)
			return aims_error_set(AIMS_EINVALID, "checks",
			    "check any: an alternative is not itself an any");
		if ((rc = check_validate(c)) != 0)
			return rc;
	}
	return 0;
}

int
check_validate(const json_t *check)
{
	const struct check_kind *k;
	const char *key;
	json_t *v;

	if (!json_is_object(check))
		return aims_error_set(AIMS_EINVALID, "check", "a check is an object");
	if ((k = check_kind_find(json_string_value(json_object_get(check, "kind")))) == NULL)
		return aims_error_set(AIMS_EINVALID, "kind", "unknown check kind '%s'",
		    json_string_value(json_object_get(check, "kind")) ?
		    json_string_value(json_object_get(check, "kind")) : "");
	json_object_foreach((json_t *)check, key, v)
		if (!param_allowed(k, key))
			return aims_error_set(AIMS_EINVALID, key,
			    "check %s takes no parameter '%s'", k->name, key);
	if (param_allowed(k, "records") && param_str(check, "records") == NULL)
		return aims_error_set(AIMS_EINVALID, "records",
		    "check %s needs the record kind it is about in 'records'", k->name);
	/* A rule is about a declared kind: a misspelt one would silently find nothing. */
	if (param_str(check, "records") != NULL &&
	    record_kind_find(param_str(check, "records")) == NULL)
		return aims_error_set(AIMS_EINVALID, "records", "check %s: '%s' is not a record "
		    "kind (see 'aims record kinds')", k->name, param_str(check, "records"));
	if (strcmp(k->name, "any") == 0)
		return check_validate_any(json_object_get(check, "checks"));
	if (strcmp(k->name, "not_recorded_yet") == 0 && param_str(check, "what") == NULL)
		return aims_error_set(AIMS_EINVALID, "what",
		    "not_recorded_yet names what must be recorded");
	return check_validate_params(k, check);
}

static void
check_score(struct check_result *out)
{
	if (out->status == CHECK_FAIL)
		out->score = out->total > 0 && out->failed > 0 && out->failed < out->total ?
		    (double)(out->total - out->failed) / (double)out->total : 0.0;
	else
		out->score = out->status == CHECK_PASS ? 1.0 : 0.0;
}

int
check_run(struct check_result *out, const struct check_env *env, const json_t *check)
{
	const struct check_kind *k;
	int rc;

	memset(out, 0, sizeof(*out));
	out->status = CHECK_PASS;
	if ((rc = check_validate(check)) != 0)
		return rc;
	k = check_kind_find(json_string_value(json_object_get(check, "kind")));
	if ((rc = k->run(out, env, check)) == AIMS_ECONFLICT) {
		/* A variable the conditions use has no value (no risk criteria). */
		check_result_free(out);
		memset(out, 0, sizeof(*out));
		aims_error_clear();
		check_fail(out, "no_value");
	} else if (rc != 0) {
		check_result_free(out);
		return rc;
	}
	check_score(out);
	return 0;
}

/* ---- several checks over one record kind in one pass ---- */

/* A "ref" in a link or a "$control" value makes a check about one record. */
static bool
names_one_record(const json_t *v)
{
	const char *key;
	const json_t *item;
	size_t i;

	if (json_is_string(v))
		return strncmp(json_string_value(v), "$control", 8) == 0;
	if (json_is_array(v)) {
		json_array_foreach(v, i, item)
			if (names_one_record(item))
				return true;
		return false;
	}
	json_object_foreach((json_t *)v, key, item)
		if (strcmp(key, "ref") == 0 || names_one_record(item))
			return true;
	return false;
}

bool
check_batchable(const json_t *check)
{
	const char *kind = json_string_value(json_object_get(check, "kind"));

	return kind && (strcmp(kind, "exists") == 0 || strcmp(kind, "none_failing") == 0) &&
	    check_validate(check) == 0 && !names_one_record(check);
}

size_t
check_batch_flags(const json_t *check)
{
	const json_t *fail = json_object_get(check, "fail_when");

	if (json_is_array(fail))
		return 2;
	return 1 + (json_is_object(fail) ? json_object_size(fail) : 0);
}

struct batch_item {
	struct check_result	*out;
	const json_t		*check;
	size_t			 where;		/* its where flag */
	const char		*codes[CHECK_FINDINGS_MAX];
	size_t			 code_flags[CHECK_FINDINGS_MAX];
	size_t			 ncodes;
};

struct batch {
	const struct check_env	*env;
	struct batch_item	*items;
	size_t			 n;
};

static int
batch_row(void *arg, const char *ref, const bool *flags)
{
	struct batch *b = arg;
	struct batch_item *it;
	size_t i;

	bool codes[CHECK_FINDINGS_MAX];
	size_t j;

	for (i = 0; i < b->n; i++) {
		it = &b->items[i];
		if (!flags[it->where])
			continue;
		if (it->ncodes == 0) {
			it->out->total++;
			continue;
		}
		for (j = 0; j < it->ncodes; j++)
			codes[j] = flags[it->code_flags[j]];
		none_failing_count(it->out, b->env, ref, it->codes, codes, it->ncodes);
	}
	return 0;
}

/* The flag column of a condition list, shared with an equal one already there. */
static size_t
batch_flag(const json_t **flags, size_t *nflags, const json_t *conds)
{
	size_t i;

	for (i = 0; i < *nflags; i++)
		if (flags[i] == conds || (flags[i] && conds && json_equal(flags[i], conds)))
			return i;
	flags[*nflags] = conds;
	return (*nflags)++;
}

static int
batch_one_by_one(struct check_result *out, const struct check_env *env,
    const json_t *const *checks, size_t n)
{
	size_t i, j;
	int rc;

	for (i = 0; i < n; i++)
		if ((rc = check_run(&out[i], env, checks[i])) != 0) {
			for (j = 0; j < i; j++)
				check_result_free(&out[j]);
			return rc;
		}
	return 0;
}

int
check_run_batch(struct check_result *out, const struct check_env *env,
    const json_t *const *checks, size_t n)
{
	const json_t *flags[QUERY_FLAGS_MAX] = { NULL }, *conds[CHECK_FINDINGS_MAX];
	struct batch_item items[QUERY_FLAGS_MAX];
	struct batch b = { env, items, n };
	const char *kind = NULL;
	size_t i, j, nflags = 0;
	int rc;

	if (n > QUERY_FLAGS_MAX)
		return aims_error_set(AIMS_ETOOBIG, "checks", "too many checks in one pass");
	for (i = 0; i < n; i++) {
		if (!check_batchable(checks[i]) || nflags + check_batch_flags(checks[i]) >
		    QUERY_FLAGS_MAX || (kind && strcmp(kind, param_str(checks[i], "records"))))
			return aims_error_set(AIMS_EINVALID, "checks",
			    "checks cannot share one pass");
		kind = param_str(checks[i], "records");
		memset(&out[i], 0, sizeof(out[i]));
		out[i].status = CHECK_PASS;
		items[i].out = &out[i];
		items[i].check = checks[i];
		items[i].where = batch_flag(flags, &nflags, json_object_get(checks[i], "where"));
		items[i].ncodes = 0;
		if (strcmp(json_string_value(json_object_get(checks[i], "kind")), "exists") == 0)
			continue;
		items[i].ncodes = fail_codes(items[i].codes, conds, checks[i]);
		for (j = 0; j < items[i].ncodes; j++)
			items[i].code_flags[j] = batch_flag(flags, &nflags, conds[j]);
	}
	rc = query_select(env->scope, kind, NULL, flags, nflags, batch_row, &b);
	if (rc == AIMS_ECONFLICT) {
		/* A variable without a value: each check says which of them it concerns. */
		aims_error_clear();
		for (i = 0; i < n; i++)
			check_result_free(&out[i]);
		return batch_one_by_one(out, env, checks, n);
	}
	for (i = 0; i < n; i++) {
		if (rc != 0) {
			check_result_free(&out[i]);
			continue;
		}
		if (items[i].ncodes == 0)
			exists_finish(&out[i], checks[i]);
		else
			none_failing_finish(&out[i], checks[i]);
		check_score(&out[i]);
	}
	return rc;
}

void
check_result_free(struct check_result *r)
{
	size_t i;

	for (i = 0; i < r->nfindings; i++)
		json_decref(r->findings[i].refs);
	r->nfindings = 0;
}

void
check_result_copy(struct check_result *dst, const struct check_result *src)
{
	size_t i;

	*dst = *src;
	for (i = 0; i < src->nfindings; i++)
		json_incref(src->findings[i].refs);
}
