/* test_readiness.c - unit tests for src/engine/readiness.c: rules, coverage, verdicts, trend. */
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <sodium.h>

#include "core/org.h"
#include "engine/readiness.h"
#include "ledger/ledger.h"
#include "readiness_fixture.h"
#include "util/embed.h"

static json_t *
evaluate(struct db *db, int flags)
{
	json_t *out = NULL;

	if (readiness_evaluate(&out, db, FX_ORG, flags) != 0)
		fail_msg("readiness_evaluate: %s", aims_error_message());
	return out;
}

static const json_t *
find_by(const json_t *list, const char *key, const char *value)
{
	const json_t *v;
	size_t i;

	json_array_foreach(list, i, v)
		if (strcmp(json_string_value(json_object_get(v, key)), value) == 0)
			return v;
	return NULL;
}

static const json_t *
requirement(const json_t *res, const char *id)
{
	const json_t *r = find_by(json_object_get(res, "requirements"), "id", id);

	if (r == NULL)
		fail_msg("no requirement %s in the answer", id);
	return r;
}

static const char *
req_status(const json_t *res, const char *id)
{
	return json_string_value(json_object_get(requirement(res, id), "status"));
}

static const json_t *
check_of(const json_t *res, const char *req, const char *rule)
{
	const json_t *c = find_by(json_object_get(requirement(res, req), "checks"), "rule", rule);

	if (c == NULL)
		fail_msg("no check %s on %s", rule, req);
	return c;
}

static const char *
check_status(const json_t *res, const char *req, const char *rule)
{
	return json_string_value(json_object_get(check_of(res, req, rule), "status"));
}

static json_int_t
stage_int(const json_t *res, int stage, const char *key)
{
	return json_integer_value(json_object_get(json_array_get(json_object_get(res, "stages"),
	    (size_t)stage - 1), key));
}

static const char *
verdict(const json_t *res, int stage)
{
	return json_string_value(json_object_get(json_array_get(json_object_get(res, "stages"),
	    (size_t)stage - 1), "verdict"));
}

static int
severity_rank(const char *s)
{
	return strcmp(s, "blocking") == 0 ? 0 : strcmp(s, "major") == 0 ? 1 : 2;
}

/* Blocking first, then major, then minor; Stage 1 before Stage 2 within each. */
static void
assert_gaps_sorted(const json_t *gaps)
{
	const json_t *g, *prev = NULL;
	int a, b;
	size_t i;

	assert_true(json_array_size(gaps) > 0);
	json_array_foreach(gaps, i, g) {
		if (prev) {
			a = severity_rank(json_string_value(json_object_get(prev, "severity")));
			b = severity_rank(json_string_value(json_object_get(g, "severity")));
			assert_true(a <= b);
			if (a == b)
				assert_true(json_integer_value(json_object_get(prev, "stage")) <=
				    json_integer_value(json_object_get(g, "stage")));
		}
		prev = g;
	}
}

static void
test_readiness__rules_document_is_valid(void **state)
{
	json_t *doc = NULL;

	(void)state;
	if (readiness_rules(&doc) != 0)
		fail_msg("rules: %s", aims_error_message());
	assert_string_equal(json_string_value(json_object_get(doc, "framework")), "iso42001");
	assert_true(json_array_size(json_object_get(doc, "rules")) > 60);
	json_decref(doc);
}

static void
test_readiness__bad_rules_are_refused(void **state)
{
	static const char *const bad[] = {
		"{\"framework\": \"f\", \"edition\": \"e\"}",
		"{\"framework\": \"f\", \"edition\": \"e\", \"rules\": [{\"id\": \"a\", "
		    "\"requirement\": \"4.1\", \"stage\": 3, \"severity\": \"major\", "
		    "\"check\": {\"kind\": \"org_ai_roles\"}, \"reason\": \"r\"}]}",
		"{\"framework\": \"f\", \"edition\": \"e\", \"rules\": [{\"id\": \"a\", "
		    "\"requirement\": \"4.1\", \"stage\": 1, \"severity\": \"fatal\", "
		    "\"check\": {\"kind\": \"org_ai_roles\"}, \"reason\": \"r\"}]}",
		"{\"framework\": \"f\", \"edition\": \"e\", \"rules\": [{\"id\": \"a\", "
		    "\"requirement\": \"4.1\", \"stage\": 1, \"severity\": \"major\", "
		    "\"check\": {\"kind\": \"magic\"}, \"reason\": \"r\"}]}",
		"{\"framework\": \"f\", \"edition\": \"e\", \"rules\": [{\"id\": \"a\", "
		    "\"requirement\": \"4.1\", \"stage\": 1, \"severity\": \"major\", "
		    "\"check\": {\"kind\": \"org_ai_roles\"}, \"reason\": \"\"}]}",
		"{\"framework\": \"f\", \"edition\": \"e\", \"rules\": [{\"id\": \"a\", "
		    "\"requirement\": \"4.1\", \"stage\": 1, \"severity\": \"major\", "
		    "\"check\": {\"kind\": \"org_ai_roles\"}, \"reason\": \"r\", \"extra\": 1}]}",
		"{\"framework\": \"f\", \"edition\": \"e\", \"rules\": [{\"id\": \"a\", "
		    "\"for_each\": \"clause\", \"stage\": 1, \"severity\": \"major\", "
		    "\"check\": {\"kind\": \"org_ai_roles\"}, \"reason\": \"r\"}]}",
		"{\"framework\": \"f\", \"edition\": \"e\", \"rules\": [{\"id\": \"a\", "
		    "\"requirement\": \"4.1\", \"stage\": 1, \"severity\": \"major\", "
		    "\"check\": {\"kind\": \"org_ai_roles\"}, \"reason\": \"r\"}, {\"id\": \"a\", "
		    "\"requirement\": \"4.2\", \"stage\": 1, \"severity\": \"major\", "
		    "\"check\": {\"kind\": \"org_ai_roles\"}, \"reason\": \"r\"}]}",
		/* a manual rule is never a gate; fix is a path under the organisation */
		"{\"framework\": \"f\", \"edition\": \"e\", \"rules\": [{\"id\": \"a\", "
		    "\"requirement\": \"4.1\", \"stage\": 1, \"severity\": \"major\", \"gate\": "
		    "true, \"manual\": true, \"check\": {\"kind\": \"org_ai_roles\"}, \"reason\": "
		    "\"r\"}]}",
		"{\"framework\": \"f\", \"edition\": \"e\", \"rules\": [{\"id\": \"a\", "
		    "\"requirement\": \"4.1\", \"stage\": 1, \"severity\": \"major\", \"fix\": "
		    "\"/etc/passwd\", \"check\": {\"kind\": \"org_ai_roles\"}, \"reason\": \"r\"}]}",
		"{\"framework\": \"f\", \"edition\": \"e\", \"rules\": [{\"id\": \"a\", "
		    "\"requirement\": \"4.1\", \"stage\": 1, \"severity\": \"major\", \"fix\": "
		    "\"../x\", \"check\": {\"kind\": \"org_ai_roles\"}, \"reason\": \"r\"}]}",
		"{\"framework\": \"f\", \"edition\": \"e\", \"rules\": [{\"id\": \"a\", "
		    "\"requirement\": \"4.1\", \"stage\": 1, \"severity\": \"major\", \"cause\": "
		    "\"no spaces\", \"check\": {\"kind\": \"org_ai_roles\"}, \"reason\": \"r\"}]}",
		/* a getting-started step names rules that exist */
		"{\"framework\": \"f\", \"edition\": \"e\", \"getting_started\": [{\"title\": "
		    "\"t\", \"requirement\": \"4.1\", \"fix\": \"ai-roles\", \"rules\": [\"b\"]}], "
		    "\"rules\": [{\"id\": \"a\", \"requirement\": \"4.1\", \"stage\": 1, "
		    "\"severity\": \"major\", \"check\": {\"kind\": \"org_ai_roles\"}, "
		    "\"reason\": \"r\"}]}",
		/* variables and exclusions name declared kinds and fields */
		"{\"framework\": \"f\", \"edition\": \"e\", \"rules\": [], \"variables\": "
		    "{\"t\": {\"records\": \"risk-criterion\", \"field\": \"acceptance_threshold\"}}}",
		"{\"framework\": \"f\", \"edition\": \"e\", \"rules\": [], \"variables\": "
		    "{\"t\": {\"records\": \"risk-criteria\", \"field\": \"threshold\"}}}",
		"{\"framework\": \"f\", \"edition\": \"e\", \"rules\": [], \"exclusion\": "
		    "{\"records\": \"sao\", \"when\": []}}",
		NULL,
	};
	const char *const *b;
	json_error_t jerr;
	json_t *doc;

	(void)state;
	for (b = bad; *b; b++) {
		doc = json_loads(*b, 0, &jerr);
		assert_non_null(doc);
		if (readiness_rules_check(doc) == 0)
			fail_msg("accepted: %s", *b);
		json_decref(doc);
	}
}

static bool
rule_covers(const json_t *rules, const char *id, const char *kind)
{
	const json_t *r;
	const char *req;
	size_t i;

	json_array_foreach(rules, i, r) {
		req = json_string_value(json_object_get(r, "requirement"));
		if (req && strcmp(req, id) == 0)
			return true;
		if (strcmp(kind, "control") == 0 && json_object_get(r, "for_each"))
			return true;
	}
	return false;
}

/* Leaf clauses and controls of a requirement list [{id, kind, parent}]. */
static void
assert_covered(const json_t *rules, const json_t *reqs)
{
	const json_t *r, *o;
	const char *id, *kind;
	size_t i, j;
	bool leaf;

	json_array_foreach(reqs, i, r) {
		id = json_string_value(json_object_get(r, "id"));
		kind = json_string_value(json_object_get(r, "kind"));
		if (strcmp(kind, "clause") != 0 && strcmp(kind, "control") != 0)
			continue;
		leaf = true;
		json_array_foreach(reqs, j, o)
			if (json_is_string(json_object_get(o, "parent")) &&
			    strcmp(json_string_value(json_object_get(o, "parent")), id) == 0)
				leaf = false;
		if (leaf && !rule_covers(rules, id, kind))
			fail_msg("requirement %s (%s) has no readiness rule", id, kind);
	}
}

static void
test_readiness__every_clause_and_control_has_a_rule(void **state)
{
	const struct embed_file *cat = embed_find(catalog_files, "iso42001.json");
	json_t *doc = NULL, *reqs = json_array(), *catalog;
	json_error_t jerr;
	size_t i, controls = 0;

	(void)state;
	assert_int_equal(readiness_rules(&doc), 0);
	/* The standard's structure as the tests know it. */
	for (i = 0; i < FX_NREQS; i++) {
		json_array_append_new(reqs, json_pack("{s:s, s:s, s:s?}", "id", fx_reqs[i][0],
		    "kind", fx_reqs[i][1], "parent", fx_reqs[i][2]));
		controls += strcmp(fx_reqs[i][1], "control") == 0;
	}
	assert_int_equal(controls, 38);
	assert_covered(json_object_get(doc, "rules"), reqs);
	/* And the catalog compiled into the binary, when there is one. */
	if (cat != NULL) {
		catalog = json_loadb((const char *)cat->data, cat->len, 0, &jerr);
		assert_non_null(catalog);
		assert_covered(json_object_get(doc, "rules"),
		    json_is_array(catalog) ? catalog : json_object_get(catalog, "requirements"));
		json_decref(catalog);
	}
	json_decref(reqs);
	json_decref(doc);
}

static void
test_readiness__empty_organisation(void **state)
{
	struct db *db = fx_open();
	json_t *res;

	(void)state;
	fx_soa_init(db, FX_ORG);
	res = evaluate(db, 0);
	assert_string_equal(verdict(res, 1), "not_ready");
	assert_string_equal(verdict(res, 2), "not_ready");
	/* One gap per cause: the undecided SoA is one, affecting 6.1.3 and every control. */
	assert_true(stage_int(res, 1, "blocking_gaps") >= 8);
	assert_true(stage_int(res, 1, "blocking_gaps") < 20);
	assert_true(stage_int(res, 2, "blocking_gaps") > stage_int(res, 1, "blocking_gaps"));
	assert_int_equal(json_array_size(json_object_get(json_array_get(json_object_get(res,
	    "gaps"), 0), "affects")), 39);
	assert_string_equal(json_string_value(json_object_get(json_array_get(json_object_get(res,
	    "gaps"), 0), "rule")), "6.1.3-soa-complete");
	assert_true(json_array_size(json_object_get(res, "next")) == READINESS_NEXT_MAX);
	assert_int_equal(json_array_size(json_object_get(res, "clauses")), 7);
	assert_int_equal(json_array_size(json_object_get(res, "areas")), 9);
	assert_string_equal(check_status(res, "4.3", "4.3-scope-approved"), "fail");
	assert_string_equal(check_status(res, "5.2", "5.2-ai-policy"), "fail");
	assert_string_equal(check_status(res, "A.6.2.6", "soa-decided@A.6.2.6"), "fail");
	assert_string_equal(req_status(res, "9.2.1"), "not_met");
	assert_string_equal(json_string_value(json_object_get(json_array_get(json_object_get(
	    check_of(res, "9.2.1", "9.2.1-audits"), "findings"), 0), "code")), "missing");
	assert_string_equal(json_string_value(json_object_get(json_array_get(json_object_get(
	    check_of(res, "9.2.2", "9.2.2-coverage"), "findings"), 0), "code")), "no_programme");
	/* Default criteria are not there in the raw fixture: threshold checks say so. */
	assert_string_equal(json_string_value(json_object_get(json_array_get(json_object_get(
	    check_of(res, "6.1.3", "6.1.3-treated-or-accepted"), "findings"), 0), "code")),
	    "no_value");
	assert_string_equal(json_string_value(json_object_get(json_object_get(res,
	    "organisation"), "slug")), "acme");
	assert_int_equal(json_integer_value(json_object_get(res, "score")), 0);
	assert_gaps_sorted(json_object_get(res, "gaps"));
	json_decref(res);
	db_close(db);
}

/* Everything Stage 1 blocks on, for an organisation with one AI system. */
static void
build_stage1(struct db *db)
{
	size_t i;
	char json[256];

	fx_put(db, "scope", "SCOPE", "{\"statement\": \"All AI products\", \"status\": "
	    "\"approved\"}");
	fx_put(db, "ai-systems", "AIS-1", "{\"name\": \"Support chat\", \"in_scope\": true, "
	    "\"lifecycle_stage\": \"operation_monitoring\"}");
	fx_put(db, "documents", "DOC-1", "{\"title\": \"AI policy\", \"kind\": \"policy\", "
	    "\"is_ai_policy\": true, \"status\": \"approved\", \"next_review\": \"2027-01-01\"}");
	fx_put(db, "responsibilities", "ROLE-1", "{\"role_name\": \"AIMS manager\", "
	    "\"assignee\": \"alice@example.org\", \"requirements\": [\"5.3\"]}");
	fx_put(db, "risk-criteria", "RC", "{\"acceptance_threshold\": 9}");
	fx_put(db, "risks", "RISK-1", "{\"title\": \"Wrong answers\", \"ai_systems\": "
	    "[\"AIS-1\"], \"likelihood\": 4, \"impact\": 4, \"inherent_score\": 16, "
	    "\"treatment\": {\"option\": \"modify\", \"plan\": \"Add retrieval checks\"}}");
	fx_put(db, "impact-assessments", "IA-1", "{\"ai_system\": \"AIS-1\", \"status\": "
	    "\"approved\", \"approved_at\": \"2026-02-01T00:00:00Z\"}");
	/* Internal audits planned (9.2): an approved programme and an audit under it. */
	fx_put(db, "audit-programmes", "PROG-1", "{\"title\": \"Programme 2026-2028\", "
	    "\"period_start\": \"2026-01-01\", \"period_end\": \"2028-12-31\", "
	    "\"status\": \"approved\"}");
	fx_put(db, "audits", "AUD-1", "{\"title\": \"Planning audit\", \"programme\": "
	    "\"PROG-1\", \"requirements\": [\"6.1.2\"], \"lead_auditor\": "
	    "\"bob@example.org\", \"status\": \"planned\", \"planned_start\": \"2026-11-02\"}");
	/* ... and performed: Stage 1 looks for an audit reported and a review held. */
	fx_put(db, "audits", "AUD-2", "{\"title\": \"First audit\", \"programme\": "
	    "\"PROG-1\", \"requirements\": [\"9.2.1\"], \"status\": \"reported\", "
	    "\"report_issued_at\": \"2026-02-10T00:00:00Z\", \"planned_end\": \"2026-02-09\"}");
	fx_put(db, "management-reviews", "MR-1", "{\"title\": \"Review\", \"status\": "
	    "\"held\", \"held_on\": \"2026-02-20\"}");
	for (i = 0; i < FX_NREQS; i++) {
		if (strcmp(fx_reqs[i][1], "control") != 0)
			continue;
		snprintf(json, sizeof(json), "{\"control\": \"%s\", \"applicable\": true, "
		    "\"justification\": \"Needed for our products\", \"status\": \"planned\"}",
		    fx_reqs[i][0]);
		fx_put(db, "soa", fx_reqs[i][0], json);
	}
}

static void
test_readiness__stage1_verdict_moves(void **state)
{
	struct db *db = fx_open();
	json_int_t before, after;
	json_t *res;

	(void)state;
	fx_soa_init(db, FX_ORG);
	res = evaluate(db, 0);
	before = stage_int(res, 1, "blocking_gaps");
	json_decref(res);
	fx_put(db, "scope", "SCOPE", "{\"statement\": \"All AI products\", \"status\": \"draft\"}");
	res = evaluate(db, 0);
	assert_int_equal(stage_int(res, 1, "blocking_gaps"), before);
	json_decref(res);
	fx_put(db, "scope", "SCOPE", "{\"statement\": \"All AI products\", \"status\": "
	    "\"approved\"}");
	res = evaluate(db, 0);
	after = stage_int(res, 1, "blocking_gaps");
	assert_int_equal(after, before - 1);
	assert_string_equal(check_status(res, "4.3", "4.3-scope-approved"), "pass");
	assert_string_equal(req_status(res, "4.3"), "partly_met");
	json_decref(res);

	build_stage1(db);
	res = evaluate(db, 0);
	if (stage_int(res, 1, "blocking_gaps") != 0) {
		char *s = json_dumps(json_object_get(res, "gaps"), JSON_INDENT(1));

		fail_msg("stage 1 still blocked: %s", s);
	}
	assert_string_equal(verdict(res, 1), "ready");
	assert_string_equal(verdict(res, 2), "not_ready");
	assert_string_equal(req_status(res, "4.3"), "met");
	assert_string_equal(req_status(res, "5.2"), "met");
	assert_true(json_integer_value(json_object_get(res, "score")) > 20);
	json_decref(res);

	/* The AI policy passes its review date: Stage 1 is blocked again. */
	fx_put(db, "documents", "DOC-1", "{\"title\": \"AI policy\", \"kind\": \"policy\", "
	    "\"is_ai_policy\": true, \"status\": \"approved\", \"next_review\": \"2026-01-31\"}");
	res = evaluate(db, 0);
	assert_string_equal(verdict(res, 1), "not_ready");
	assert_string_equal(json_string_value(json_object_get(json_array_get(json_object_get(
	    check_of(res, "5.2", "5.2-ai-policy"), "findings"), 0), "reason")),
	    "The AI policy is past its review date: DOC-1 AI policy.");
	json_decref(res);

	/* A second in-scope system without a risk or an assessment. */
	fx_put(db, "documents", "DOC-1", "{\"title\": \"AI policy\", \"kind\": \"policy\", "
	    "\"is_ai_policy\": true, \"status\": \"approved\", \"next_review\": \"2027-01-31\"}");
	fx_put(db, "ai-systems", "AIS-2", "{\"name\": \"Pricing\", \"in_scope\": true}");
	res = evaluate(db, 0);
	assert_string_equal(check_status(res, "6.1.2", "6.1.2-systems-assessed"), "fail");
	assert_string_equal(check_status(res, "6.1.4", "6.1.4-assessed"), "fail");
	assert_string_equal(json_string_value(json_object_get(json_array_get(json_object_get(
	    check_of(res, "6.1.2", "6.1.2-systems-assessed"), "findings"), 0), "reason")),
	    "1 of 2 in-scope AI systems have no assessed risk: AIS-2 Pricing.");
	assert_string_equal(req_status(res, "6.1.2"), "partly_met");
	json_decref(res);
	db_close(db);
}

static void
test_readiness__risk_above_threshold(void **state)
{
	struct db *db = fx_open();
	json_t *res;

	(void)state;
	build_stage1(db);
	fx_put(db, "risks", "RISK-2", "{\"title\": \"Leak\", \"ai_systems\": [\"AIS-1\"], "
	    "\"likelihood\": 5, \"impact\": 5, \"inherent_score\": 25, \"treatment\": "
	    "{\"option\": \"retain\"}}");
	fx_put(db, "risks", "RISK-3", "{\"title\": \"Small\", \"likelihood\": 1, \"impact\": 2, "
	    "\"inherent_score\": 2}");
	res = evaluate(db, 0);
	assert_string_equal(check_status(res, "6.1.3", "6.1.3-treated-or-accepted"), "fail");
	assert_string_equal(json_string_value(json_object_get(json_array_get(json_object_get(
	    check_of(res, "6.1.3", "6.1.3-treated-or-accepted"), "findings"), 0), "reason")),
	    "1 risks above the acceptance threshold are neither treated nor accepted: "
	    "RISK-2 Leak.");
	json_decref(res);
	/* Accepted, then the acceptance expires. */
	fx_put(db, "risks", "RISK-2", "{\"title\": \"Leak\", \"ai_systems\": [\"AIS-1\"], "
	    "\"likelihood\": 5, \"impact\": 5, \"inherent_score\": 25, \"residual_score\": 25, "
	    "\"treatment\": {\"option\": \"retain\"}, \"accepted_by\": \"user:bob@example.org\", "
	    "\"acceptance_expires\": \"2026-12-31\"}");
	res = evaluate(db, 0);
	assert_string_equal(check_status(res, "6.1.3", "6.1.3-treated-or-accepted"), "pass");
	assert_string_equal(check_status(res, "6.1.3", "6.1.3-residual-accepted"), "pass");
	json_decref(res);
	fx_put(db, "risks", "RISK-2", "{\"title\": \"Leak\", \"ai_systems\": [\"AIS-1\"], "
	    "\"likelihood\": 5, \"impact\": 5, \"inherent_score\": 25, \"residual_score\": 25, "
	    "\"treatment\": {\"option\": \"retain\"}, \"accepted_by\": \"user:bob@example.org\", "
	    "\"acceptance_expires\": \"2026-02-01\"}");
	res = evaluate(db, 0);
	assert_string_equal(check_status(res, "6.1.3", "6.1.3-treated-or-accepted"), "fail");
	assert_string_equal(check_status(res, "8.3", "8.3-acceptance-current"), "fail");
	json_decref(res);
	db_close(db);
}

static void
test_readiness__excluded_control_is_not_applicable(void **state)
{
	struct db *db = fx_open();
	json_t *res;
	const json_t *area;

	(void)state;
	fx_soa_init(db, FX_ORG);
	fx_put(db, "soa", "A.10.4", "{\"control\": \"A.10.4\", \"applicable\": false, "
	    "\"justification\": \"We have no customers for AI\", \"status\": \"not_started\"}");
	res = evaluate(db, 0);
	assert_string_equal(req_status(res, "A.10.4"), "not_applicable");
	assert_string_equal(check_status(res, "A.10.4", "soa-decided@A.10.4"), "pass");
	assert_string_equal(check_status(res, "A.10.4", "control-evidence@A.10.4"),
	    "not_applicable");
	area = find_by(json_object_get(res, "areas"), "id", "A.10");
	assert_int_equal(json_integer_value(json_object_get(area, "not_applicable")), 1);
	json_decref(res);
	/* Excluded without a justification: the SoA decision rule still fails. */
	fx_put(db, "soa", "A.10.4", "{\"control\": \"A.10.4\", \"applicable\": false, "
	    "\"status\": \"not_started\"}");
	res = evaluate(db, 0);
	assert_string_equal(check_status(res, "A.10.4", "soa-decided@A.10.4"), "fail");
	assert_string_equal(req_status(res, "A.10.4"), "not_met");
	json_decref(res);
	db_close(db);
}

static void
test_readiness__control_evidence(void **state)
{
	struct db *db = fx_open();
	const json_t *f;
	json_t *res;

	(void)state;
	fx_soa_init(db, FX_ORG);
	fx_put(db, "measures", "MEAS-1", "{\"title\": \"Data quality checks\", \"status\": "
	    "\"implemented\"}");
	fx_put(db, "measures", "MEAS-2", "{\"title\": \"Bias review\", \"status\": "
	    "\"implemented\", \"requirements\": [\"A.7.4\"]}");
	fx_put(db, "soa", "A.7.4", "{\"control\": \"A.7.4\", \"applicable\": true, "
	    "\"justification\": \"We train models\", \"status\": \"implemented\", "
	    "\"measures\": [\"MEAS-1\"]}");
	res = evaluate(db, 0);
	f = json_array_get(json_object_get(check_of(res, "A.7.4", "control-evidence@A.7.4"),
	    "findings"), 0);
	assert_string_equal(json_string_value(json_object_get(f, "code")), "no_evidence");
	assert_int_equal(json_integer_value(json_object_get(f, "count")), 2);
	json_decref(res);
	fx_put(db, "evidence", "EV-1", "{\"title\": \"Report\", \"measures\": [\"MEAS-1\"], "
	    "\"valid_until\": \"2026-12-31\"}");
	fx_put(db, "evidence", "EV-2", "{\"title\": \"Old review\", \"measures\": [\"MEAS-2\"], "
	    "\"valid_until\": \"2026-01-31\"}");
	res = evaluate(db, 0);
	f = json_array_get(json_object_get(check_of(res, "A.7.4", "control-evidence@A.7.4"),
	    "findings"), 0);
	assert_string_equal(json_string_value(json_object_get(f, "code")), "expired");
	assert_string_equal(json_string_value(json_array_get(json_object_get(f, "refs"), 0)),
	    "MEAS-2");
	assert_string_equal(json_string_value(json_object_get(f, "reason")),
	    "1 of 2 measures for A.7.4 have only expired or stale evidence, and no current evidence "
	    "is linked to A.7.4: MEAS-2.");
	json_decref(res);
	fx_put(db, "evidence", "EV-3", "{\"title\": \"New review\", \"measures\": [\"MEAS-2\"]}");
	res = evaluate(db, 0);
	assert_string_equal(check_status(res, "A.7.4", "control-evidence@A.7.4"), "pass");
	assert_string_equal(check_status(res, "A.7.4", "soa-implemented@A.7.4"), "pass");
	assert_string_equal(req_status(res, "A.7.4"), "met");
	json_decref(res);
	db_close(db);
}

static void
test_readiness__high_risk_deployer_needs_art27_fields(void **state)
{
	struct db *db = fx_open();
	json_t *res;

	(void)state;
	fx_put(db, "ai-systems", "AIS-1", "{\"name\": \"Credit scoring\", \"in_scope\": true, "
	    "\"lifecycle_stage\": \"operation_monitoring\", \"eu_ai_act_category\": \"high_risk\", "
	    "\"eu_annex_iii\": [\"5b_creditworthiness_credit_scoring\"], "
	    "\"eu_ai_act_roles\": [\"deployer\"]}");
	/* Art. 27 is not for every deployer: a private company's CV screener is not asked... */
	fx_put(db, "ai-systems", "AIS-4", "{\"name\": \"CV screener\", \"in_scope\": true, "
	    "\"lifecycle_stage\": \"operation_monitoring\", \"eu_ai_act_category\": \"high_risk\", "
	    "\"eu_annex_iii\": [\"4a_recruitment_selection\"], \"eu_ai_act_roles\": [\"deployer\"]}");
	fx_put(db, "ai-systems", "AIS-5", "{\"name\": \"Grid balancer\", \"in_scope\": true, "
	    "\"lifecycle_stage\": \"operation_monitoring\", \"eu_ai_act_category\": \"high_risk\", "
	    "\"eu_annex_iii\": [\"2_critical_infrastructure\"], \"eu_ai_act_roles\": [\"deployer\"]}");
	fx_put(db, "ai-systems", "AIS-2", "{\"name\": \"Still in design\", \"in_scope\": true, "
	    "\"lifecycle_stage\": \"design_development\", \"eu_ai_act_category\": \"high_risk\", "
	    "\"eu_ai_act_roles\": [\"deployer\"]}");
	fx_put(db, "ai-systems", "AIS-3", "{\"name\": \"Ours to sell\", \"in_scope\": true, "
	    "\"lifecycle_stage\": \"deployment\", \"eu_ai_act_category\": \"high_risk\", "
	    "\"eu_ai_act_roles\": [\"provider\"]}");
	fx_put(db, "impact-assessments", "IA-1", "{\"ai_system\": \"AIS-1\", \"status\": "
	    "\"approved\", \"fria_process_description\": \"Loan decisions\"}");
	res = evaluate(db, 0);
	assert_string_equal(check_status(res, "8.4", "8.4-art27"), "fail");
	assert_string_equal(json_string_value(json_object_get(json_array_get(json_object_get(
	    check_of(res, "8.4", "8.4-art27"), "findings"), 0), "reason")),
	    "1 high-risk Annex III AI systems the organisation deploys where EU AI Act Art. 27 "
	    "applies (it is a public body or provides public services, or the system is of "
	    "Annex III point 5(b) or 5(c)) have no approved fundamental-rights impact "
	    "assessment with every Art. 27 field: AIS-1 Credit scoring.");
	json_decref(res);
	/* ...until the organisation is a body governed by public law (point 2 stays excepted). */
	fx_put(db, "eu-ai-act-profile", "EUAIA", "{\"public_body\": true}");
	res = evaluate(db, 0);
	assert_string_equal(json_string_value(json_object_get(json_array_get(json_object_get(
	    check_of(res, "8.4", "8.4-art27"), "findings"), 0), "reason")),
	    "2 high-risk Annex III AI systems the organisation deploys where EU AI Act Art. 27 "
	    "applies (it is a public body or provides public services, or the system is of "
	    "Annex III point 5(b) or 5(c)) have no approved fundamental-rights impact "
	    "assessment with every Art. 27 field: AIS-1 Credit scoring, AIS-4 CV screener.");
	json_decref(res);
	fx_put(db, "eu-ai-act-profile", "EUAIA", "{\"public_body\": false}");
	fx_put(db, "impact-assessments", "IA-1", "{\"ai_system\": \"AIS-1\", \"status\": "
	    "\"approved\", \"fria_process_description\": \"Loan decisions\", "
	    "\"fria_period_frequency\": \"Daily\", \"fria_affected_categories\": \"Applicants\", "
	    "\"fria_specific_risks\": \"Unfair refusals\", \"fria_human_oversight\": \"Review\", "
	    "\"fria_risk_measures\": \"Appeals\"}");
	res = evaluate(db, 0);
	assert_string_equal(check_status(res, "8.4", "8.4-art27"), "pass");
	json_decref(res);
	db_close(db);
}

static void
test_readiness__documents_past_review(void **state)
{
	struct db *db = fx_open();
	const json_t *f;
	json_t *res;

	(void)state;
	fx_put(db, "documents", "DOC-1", "{\"title\": \"Risk procedure\", \"kind\": "
	    "\"procedure\", \"status\": \"approved\", \"owner\": \"a@example.org\", "
	    "\"next_review\": \"2026-01-15\"}");
	fx_put(db, "documents", "DOC-2", "{\"title\": \"Data procedure\", \"kind\": "
	    "\"procedure\", \"status\": \"approved\", \"owner\": \"a@example.org\", "
	    "\"next_review\": \"2026-09-01\"}");
	fx_put(db, "documents", "DOC-3", "{\"title\": \"Old\", \"kind\": \"other\", "
	    "\"status\": \"retired\", \"next_review\": \"2020-01-01\"}");
	res = evaluate(db, 0);
	f = json_array_get(json_object_get(check_of(res, "7.5.3", "7.5.3-reviewed"), "findings"), 0);
	assert_string_equal(json_string_value(json_object_get(f, "reason")),
	    "1 of 2 approved documents are past their review date: DOC-1 Risk procedure.");
	assert_string_equal(req_status(res, "7.5.3"), "partly_met");
	assert_string_equal(req_status(res, "7.5.2"), "met");
	json_decref(res);
	db_close(db);
}

static void
test_readiness__refs_are_capped_with_a_count(void **state)
{
	struct db *db = fx_open();
	const json_t *f;
	char ref[32], json[128];
	json_t *res;
	int i;

	(void)state;
	for (i = 1; i <= 25; i++) {
		snprintf(ref, sizeof(ref), "AIS-%d", i);
		snprintf(json, sizeof(json), "{\"name\": \"S%d\", \"in_scope\": true}", i);
		fx_put(db, "ai-systems", ref, json);
	}
	res = evaluate(db, 0);
	f = json_array_get(json_object_get(check_of(res, "6.1.2", "6.1.2-systems-assessed"),
	    "findings"), 0);
	assert_int_equal(json_integer_value(json_object_get(f, "count")), 25);
	assert_int_equal(json_array_size(json_object_get(f, "refs")), READINESS_REFS_MAX);
	assert_int_equal(json_integer_value(json_object_get(f, "more")), 5);
	assert_non_null(strstr(json_string_value(json_object_get(f, "reason")),
	    "AIS-20 S20 and 5 more."));
	json_decref(res);
	db_close(db);
}

static void
test_readiness__snapshots_make_a_trend(void **state)
{
	struct db *db = fx_open();
	const json_t *trend;
	json_t *res;

	(void)state;
	fx_soa_init(db, FX_ORG);
	setenv("AIMS_FAKE_NOW", "2026-02-27T09:00:00Z", 1);
	json_decref(evaluate(db, READINESS_SAVE));
	build_stage1(db);
	setenv("AIMS_FAKE_NOW", "2026-02-28T09:00:00Z", 1);
	json_decref(evaluate(db, READINESS_SAVE));
	setenv("AIMS_FAKE_NOW", "2026-02-28T17:00:00Z", 1);
	json_decref(evaluate(db, READINESS_SAVE));
	res = evaluate(db, 0);	/* reads the trend, stores nothing */
	trend = json_object_get(res, "trend");
	assert_int_equal(json_array_size(trend), 2);
	assert_string_equal(json_string_value(json_object_get(json_array_get(trend, 0), "day")),
	    "2026-02-27");
	assert_string_equal(json_string_value(json_object_get(json_array_get(trend, 1),
	    "taken_at")), "2026-02-28T17:00:00Z");
	assert_true(json_is_false(json_object_get(json_array_get(trend, 0), "stage1_ready")));
	assert_true(json_is_true(json_object_get(json_array_get(trend, 1), "stage1_ready")));
	assert_true(json_integer_value(json_object_get(json_array_get(trend, 1), "score")) >
	    json_integer_value(json_object_get(json_array_get(trend, 0), "score")));
	assert_non_null(json_object_get(json_object_get(json_array_get(trend, 1), "scores"),
	    "A.7"));
	json_decref(res);
	setenv("AIMS_FAKE_NOW", FX_NOW, 1);
	db_close(db);
}

static void
test_readiness__other_org_records_do_not_count(void **state)
{
	struct db *db = fx_open();
	json_t *res;

	(void)state;
	fx_put_org(db, FX_OTHER_ORG, "scope", "SCOPE", "{\"statement\": \"x\", \"status\": "
	    "\"approved\"}");
	res = evaluate(db, 0);
	assert_string_equal(check_status(res, "4.3", "4.3-scope-approved"), "fail");
	json_decref(res);
	db_close(db);
}

static const char *
first_code(const json_t *res, const char *req, const char *rule)
{
	return json_string_value(json_object_get(json_array_get(json_object_get(check_of(res,
	    req, rule), "findings"), 0), "code"));
}

/*
 * Records made before justifications were checked on input: an exclusion
 * that says nothing does not exclude; a system left out without a reason, or
 * a high-risk one, stays in scope for every in-scope rule.
 */
static void
test_readiness__exclusions_need_a_sound_justification(void **state)
{
	struct db *db = fx_open();
	const json_t *f;
	json_t *res;

	(void)state;
	fx_soa_init(db, FX_ORG);
	fx_put(db, "soa", "A.10.4", "{\"control\": \"A.10.4\", \"applicable\": false, "
	    "\"justification\": \"N/A\", \"status\": \"not_started\"}");
	fx_put(db, "ai-systems", "AIS-1", "{\"name\": \"CV screening\", \"in_scope\": false, "
	    "\"scope_justification\": \"n/a\"}");
	fx_put(db, "ai-systems", "AIS-2", "{\"name\": \"Credit scoring\", \"in_scope\": false, "
	    "\"eu_ai_act_category\": \"high_risk\", \"scope_justification\": \"Run by the "
	    "lending partner under its own AIMS\"}");
	fx_put(db, "ai-systems", "AIS-3", "{\"name\": \"Old trial\", \"in_scope\": false, "
	    "\"scope_justification\": \"A trial that ended; nothing runs any more\"}");
	res = evaluate(db, 0);
	assert_string_equal(req_status(res, "A.10.4"), "not_met");
	assert_string_equal(first_code(res, "A.10.4", "soa-decided@A.10.4"), "no_justification");
	assert_string_equal(req_status(res, "4.3"), "not_met");
	f = json_object_get(check_of(res, "4.3", "4.3-exclusions"), "findings");
	assert_int_equal(json_array_size(f), 2);
	assert_string_equal(json_string_value(json_array_get(json_object_get(find_by(f, "code",
	    "high_risk_excluded"), "refs"), 0)), "AIS-2");
	assert_string_equal(json_string_value(json_array_get(json_object_get(find_by(f, "code",
	    "unjustified"), "refs"), 0)), "AIS-1");
	/* The two count as in scope: no impact assessment, and both are named. */
	f = json_array_get(json_object_get(check_of(res, "6.1.4", "6.1.4-assessed"), "findings"), 0);
	assert_int_equal(json_integer_value(json_object_get(f, "count")), 2);
	assert_string_equal(json_string_value(json_array_get(json_object_get(f, "refs"), 0)),
	    "AIS-1");
	json_decref(res);
	db_close(db);
}

/* Clause 4's context: an internal and an external issue, one in-scope AI system. */
static void
fx_put_context(struct db *db)
{
	fx_put(db, "context-issues", "CI-1", "{\"title\": \"Small team\", \"kind\": \"internal\"}");
	fx_put(db, "context-issues", "CI-2", "{\"title\": \"Regulation\", \"kind\": \"external\"}");
	fx_put(db, "ai-systems", "AIS-1", "{\"name\": \"Chat\", \"in_scope\": true, "
	    "\"org_role\": \"customer\"}");
}

/* A gate makes the requirement not met; a manual rule is to confirm, not a gap. */
static void
test_readiness__gates_and_manual_confirmation(void **state)
{
	struct db *db = fx_open();
	json_t *res;
	size_t i;

	(void)state;
	fx_soa_init(db, FX_ORG);
	fx_put(db, "soa", "A.7.4", "{\"control\": \"A.7.4\", \"applicable\": true, "
	    "\"justification\": \"We train our own models\", \"status\": \"planned\"}");
	fx_put(db, "soa", "A.7.5", "{\"control\": \"A.7.5\", \"applicable\": true, "
	    "\"justification\": \"We train our own models\", \"status\": \"partial\"}");
	fx_put_context(db);
	res = evaluate(db, 0);
	assert_string_equal(check_status(res, "A.7.4", "soa-decided@A.7.4"), "pass");
	assert_string_equal(req_status(res, "A.7.4"), "not_met");
	assert_string_equal(req_status(res, "A.7.5"), "partly_met");
	assert_string_equal(req_status(res, "4.1"), "confirm_manually");
	assert_string_equal(check_status(res, "4.1", "4.1-climate"), "confirm");
	for (i = 0; i < json_array_size(json_object_get(res, "gaps")); i++)
		assert_string_not_equal(json_string_value(json_object_get(json_array_get(
		    json_object_get(res, "gaps"), i), "rule")), "4.1-climate");
	/* 5.1 and 7.1 have checks records settle that fail: those decide them. */
	assert_int_equal(json_integer_value(json_object_get(json_object_get(res, "counts"),
	    "confirm_manually")), 1);
	assert_int_equal(json_array_size(json_object_get(res, "to_confirm")), 3);
	json_decref(res);
	fx_put(db, "attestations", "ATT-1", "{\"title\": \"Climate\", \"requirement\": \"4.1\", "
	    "\"statement\": \"Decided by the board\", \"valid_until\": \"2026-09-01\", "
	    "\"status\": \"approved\"}");
	res = evaluate(db, 0);
	assert_string_equal(req_status(res, "4.1"), "met");
	json_decref(res);
	/* Past its date it no longer holds. */
	fx_put(db, "attestations", "ATT-1", "{\"title\": \"Climate\", \"requirement\": \"4.1\", "
	    "\"statement\": \"Decided by the board\", \"valid_until\": \"2026-02-01\", "
	    "\"status\": \"approved\"}");
	res = evaluate(db, 0);
	assert_string_equal(req_status(res, "4.1"), "confirm_manually");
	json_decref(res);
	db_close(db);
}

/* opts (taken) are refused as readiness options, naming field (NULL: not checked). */
static void
option_refused(json_t *opts, const char *field)
{
	struct org_readiness r;

	org_readiness_default(&r);
	assert_int_equal(org_readiness_apply(&r, opts, "2026-03-01"), AIMS_EINVALID);
	if (field != NULL)
		assert_string_equal(aims_error_field(), field);
	json_decref(opts);
}

/* The organisation's readiness options (core/org.h) change what the engine counts. */
static void
test_readiness__organisation_options(void **state)
{
	struct actor cli = ACTOR_CLI;
	struct db *db = fx_open();
	struct ledger_key *key = NULL;
	struct org_readiness r;
	const json_t *target, *g;
	json_t *res, *opts;
	size_t i;
	bool listed;

	(void)state;
	/* Settings are ledgered changes: they need the signing key. */
	unlink("fx.db.key");
	unlink("fx.db.pub");
	if (sodium_init() < 0 || ledger_key_create("fx.db") != 0 ||
	    ledger_key_load(&key, "fx.db") != 0)
		fail_msg("ledger key: %s", aims_error_message());
	ledger_key_use(key);
	fx_soa_init(db, FX_ORG);
	fx_put(db, "measures", "MEAS-2", "{\"title\": \"Bias review\", \"status\": "
	    "\"implemented\", \"requirements\": [\"A.7.4\"]}");
	fx_put(db, "soa", "A.7.4", "{\"control\": \"A.7.4\", \"applicable\": true, "
	    "\"justification\": \"We train models\", \"status\": \"implemented\", "
	    "\"measures\": [\"MEAS-2\"]}");
	fx_put(db, "evidence", "EV-1", "{\"title\": \"Review of last year\", \"measures\": "
	    "[\"MEAS-2\"], \"collected_at\": \"2025-01-10T09:00:00Z\"}");
	fx_put_context(db);

	/* Defaults: evidence without a valid-until date never goes stale; no target. */
	res = evaluate(db, 0);
	assert_string_equal(check_status(res, "A.7.4", "control-evidence@A.7.4"), "pass");
	assert_string_equal(req_status(res, "4.1"), "confirm_manually");
	target = json_object_get(res, "target");
	assert_true(json_is_null(json_object_get(target, "stage")));
	assert_true(json_is_null(json_object_get(target, "days_left")));
	assert_int_equal(json_integer_value(json_object_get(json_object_get(target, "options"),
	    "metric_window_days")), ORG_METRIC_WINDOW_DEFAULT);
	json_decref(res);

	/* A 90-day window: evidence collected 14 months ago is stale. */
	opts = json_pack("{s:i, s:i, s:s, s:b}", "evidence_max_age_days", 90, "target_stage", 1,
	    "audit_date", "2026-04-01", "manual_as_gaps", 1);
	if (org_update_settings(NULL, db, &cli, FX_ORG, 0, "Europe/Berlin", opts) != 0)
		fail_msg("org_update_settings: %s", aims_error_message());
	json_decref(opts);
	res = evaluate(db, 0);
	assert_string_equal(check_status(res, "A.7.4", "control-evidence@A.7.4"), "fail");
	assert_string_equal(json_string_value(json_object_get(json_array_get(json_object_get(
	    check_of(res, "A.7.4", "control-evidence@A.7.4"), "findings"), 0), "code")),
	    "expired");
	/* The target: Stage 1, 31 days from the fixture's 1 March, its verdict. */
	target = json_object_get(res, "target");
	assert_int_equal(json_integer_value(json_object_get(target, "stage")), 1);
	assert_string_equal(json_string_value(json_object_get(target, "audit_date")),
	    "2026-04-01");
	assert_int_equal(json_integer_value(json_object_get(target, "days_left")), 31);
	assert_string_equal(json_string_value(json_object_get(target, "verdict")), verdict(res, 1));
	/* What was to confirm by hand is now a gap, and nothing is left to confirm. */
	assert_string_not_equal(req_status(res, "4.1"), "confirm_manually");
	assert_string_equal(check_status(res, "4.1", "4.1-climate"), "fail");
	assert_int_equal(json_array_size(json_object_get(res, "to_confirm")), 0);
	listed = false;
	json_array_foreach(json_object_get(res, "gaps"), i, g)
		listed = listed || strcmp(json_string_value(json_object_get(g, "rule")),
		    "4.1-climate") == 0;
	assert_true(listed);
	json_decref(res);

	/* Recent evidence is current again; a recorded date counts when there is no collection date. */
	fx_put(db, "evidence", "EV-2", "{\"title\": \"This quarter's review\", \"measures\": "
	    "[\"MEAS-2\"], \"collected_at\": \"2026-02-20T09:00:00Z\"}");
	res = evaluate(db, 0);
	assert_string_equal(check_status(res, "A.7.4", "control-evidence@A.7.4"), "pass");
	json_decref(res);

	/* Bounds, each error naming its field; nothing changes. */
	option_refused(json_pack("{s:i}", "evidence_max_age_days", 7),
	    "readiness.evidence_max_age_days");
	option_refused(json_pack("{s:i}", "metric_window_days", 400),
	    "readiness.metric_window_days");
	option_refused(json_pack("{s:s}", "audit_date", "2026-02-28"), "readiness.audit_date");
	option_refused(json_pack("{s:s}", "audit_date", "2026-02-30"), NULL);
	option_refused(json_pack("{s:i}", "target_stage", 3), "readiness.target_stage");
	option_refused(json_pack("{s:b}", "surprise", 1), "readiness");
	assert_int_equal(org_update_settings(NULL, db, &cli, FX_ORG, 0, "../../etc/passwd", NULL),
	    AIMS_EINVALID);
	assert_string_equal(aims_error_field(), "timezone");
	assert_int_equal(org_update_settings(NULL, db, &cli, FX_ORG, 0, "Nowhere/Atlantis", NULL),
	    AIMS_EINVALID);
	/* Null resets an option to its default. */
	opts = json_pack("{s:n}", "evidence_max_age_days");
	assert_int_equal(org_update_settings(NULL, db, &cli, FX_ORG, 0, NULL, opts), 0);
	json_decref(opts);
	assert_int_equal(org_readiness_get(&r, db, FX_ORG), 0);
	assert_int_equal(r.evidence_max_age_days, 0);
	assert_int_equal(r.target_stage, 1);
	db_close(db);
	ledger_key_use(NULL);
	ledger_key_free(key);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_readiness__exclusions_need_a_sound_justification),
		cmocka_unit_test(test_readiness__gates_and_manual_confirmation),
		cmocka_unit_test(test_readiness__rules_document_is_valid),
		cmocka_unit_test(test_readiness__bad_rules_are_refused),
		cmocka_unit_test(test_readiness__every_clause_and_control_has_a_rule),
		cmocka_unit_test(test_readiness__empty_organisation),
		cmocka_unit_test(test_readiness__stage1_verdict_moves),
		cmocka_unit_test(test_readiness__risk_above_threshold),
		cmocka_unit_test(test_readiness__excluded_control_is_not_applicable),
		cmocka_unit_test(test_readiness__control_evidence),
		cmocka_unit_test(test_readiness__organisation_options),
		cmocka_unit_test(test_readiness__high_risk_deployer_needs_art27_fields),
		cmocka_unit_test(test_readiness__documents_past_review),
		cmocka_unit_test(test_readiness__refs_are_capped_with_a_count),
		cmocka_unit_test(test_readiness__snapshots_make_a_trend),
		cmocka_unit_test(test_readiness__other_org_records_do_not_count),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
