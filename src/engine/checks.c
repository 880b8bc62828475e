/*
 * checks.c - the readiness check kinds (see checks.h): one small function per
 * kind, parameterised by the rule's data. The questions about records are
 * asked through core/query.h, one set-based statement each.
 */
#include <stdio.h>
#include <string.h>

#include "core/soa.h"
#include "engine/checks.h"
#include "util/error.h"

#define CHECK_MIN_MAX	1000000

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

/* exists: at least `min` live records of kind match where. */
static int
check_exists(struct check_result *out, const struct check_env *env, const json_t *params)
{
	json_int_t min = json_is_integer(json_object_get(params, "min")) ?
	    json_integer_value(json_object_get(params, "min")) : 1;
	int64_t n;
	int rc;

	if ((rc = query_count(&n, env->scope, param_str(params, "records"),
	    json_object_get(params, "where"))) != 0)
		return rc;
	out->total = n;
	if (n < min) {
		check_fail(out, "missing");
		out->findings[0].count = n;
	}
	return 0;
}

struct none_failing {
	struct check_result		*out;
	const struct check_env		*env;
	const char			*codes[CHECK_FINDINGS_MAX];
};

static int
none_failing_row(void *arg, const char *ref, const bool *flags)
{
	struct none_failing *nf = arg;
	size_t i;

	nf->out->total++;
	for (i = 0; i < CHECK_FINDINGS_MAX && nf->codes[i]; i++) {
		if (!flags[i])
			continue;
		nf->out->failed++;
		finding_ref(finding_add(nf->out, nf->codes[i]), nf->env, ref);
		break;
	}
	return 0;
}

/* none_failing: no record in scope matches a failure condition. */
static int
check_none_failing(struct check_result *out, const struct check_env *env,
    const json_t *params)
{
	const json_t *fail = json_object_get(params, "fail_when"), *flags[CHECK_FINDINGS_MAX];
	struct none_failing nf = { out, env, { NULL } };
	const char *code, *empty = param_str(params, "empty");
	size_t n = 0;
	json_t *v;
	int rc;

	if (json_is_array(fail)) {
		nf.codes[0] = "failing";
		flags[n++] = fail;
	} else {
		json_object_foreach((json_t *)fail, code, v) {
			if (n == CHECK_FINDINGS_MAX)
				break;
			nf.codes[n] = code;
			flags[n++] = v;
		}
	}
	if ((rc = query_select(env->scope, param_str(params, "records"),
	    json_object_get(params, "where"), flags, n, none_failing_row, &nf)) != 0)
		return rc;
	if (out->failed > 0)
		out->status = CHECK_FAIL;
	else if (out->total == 0 && empty != NULL)
		check_fail(out, empty);
	else if (out->total == 0)
		out->status = CHECK_NA;	/* nothing to examine says nothing */
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

/* org_ai_roles: the organisation recorded its AI roles (ISO/IEC 22989). */
static int
check_org_ai_roles(struct check_result *out, const struct check_env *env,
    const json_t *params)
{
	json_int_t min = json_is_integer(json_object_get(params, "min")) ?
	    json_integer_value(json_object_get(params, "min")) : 1;
	int64_t n;
	int rc;

	if ((rc = query_org_ai_roles(&n, env->scope->db, env->scope->org_id)) != 0)
		return rc;
	if (n < min)
		check_fail(out, "missing");
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

static const char *const params_none[] = { NULL };
static const char *const params_what[] = { "what", NULL };
static const char *const params_exists[] = { "records", "where", "min", NULL };
static const char *const params_none_failing[] = { "records", "where", "fail_when", "empty",
    NULL };
static const char *const params_current[] = { "records", "where", "approved", "current",
    NULL };
static const char *const params_min[] = { "min", NULL };
static const char *const params_soa[] = { "unchanged", NULL };

static const struct check_kind check_kinds[] = {
	{ "not_recorded_yet", check_not_recorded_yet, params_what },
	{ "exists", check_exists, params_exists },
	{ "none_failing", check_none_failing, params_none_failing },
	{ "current_approved", check_current_approved, params_current },
	{ "org_ai_roles", check_org_ai_roles, params_min },
	{ "soa_published", check_soa_published, params_soa },
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

bool
check_kind_known(const char *kind)
{
	return check_kind_find(kind) != NULL;
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
	if (strcmp(k->name, "not_recorded_yet") == 0 && param_str(check, "what") == NULL)
		return aims_error_set(AIMS_EINVALID, "what",
		    "not_recorded_yet names what must be recorded");
	return check_validate_params(k, check);
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
	if (out->status == CHECK_FAIL)
		out->score = out->total > 0 && out->failed > 0 && out->failed < out->total ?
		    (double)(out->total - out->failed) / (double)out->total : 0.0;
	else
		out->score = out->status == CHECK_PASS ? 1.0 : 0.0;
	return 0;
}

void
check_result_free(struct check_result *r)
{
	size_t i;

	for (i = 0; i < r->nfindings; i++)
		json_decref(r->findings[i].refs);
	r->nfindings = 0;
}
