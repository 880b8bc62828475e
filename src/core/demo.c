/*
 * demo.c - the demo organisation's sample records (see demo.h). They are data
 * passed through the same record functions as any user's input, so the demo
 * obeys every rule the product enforces.
 */
#include <jansson.h>
#include <math.h>
#include <string.h>

#include "core/demo.h"
#include "core/metric.h"
#include "core/record.h"
#include "util/clock.h"
#include "util/error.h"

#define DEMO_GAP_READINGS	240	/* every 6 hours for 60 days */
#define DEMO_OBJ_READINGS	12	/* weekly for a quarter */
#define DEMO_QA_READINGS	30	/* daily for a month, ending 3 days ago */

/* [kind, ref or null (null: create), fields] in dependency order. */
static const char demo_records[] =
    "["
    "[\"scope\", null, {\"statement\": \"The AI management system covers the design, "
    "operation and monitoring of the AI systems Demo AI Ltd provides to insurers and "
    "uses in its own customer support.\"}],"
    "[\"context-issues\", null, {\"title\": \"EU AI Act obligations for high-risk systems\","
    " \"kind\": \"external\", \"description\": \"Claims triage may fall under Annex III.\"}],"
    "[\"interested-parties\", null, {\"name\": \"Insurance customers\", \"requirements\":"
    " [\"Fair treatment of claims\", \"Explanations on request\"]}],"
    "[\"ai-systems\", null, {\"name\": \"Claims triage assistant\", \"purpose\": \"Ranks "
    "incoming insurance claims for human review.\", \"intended_use\": \"Decision support for "
    "claims handlers.\", \"owner\": \"contributor@demo.example\", \"lifecycle_stage\": "
    "\"operation_monitoring\", \"org_role\": \"provider\", \"eu_ai_act_category\": "
    "\"high_risk\", \"in_scope\": true, \"components\": [{\"kind\": \"model\", \"name\": "
    "\"gradient-boosted ranker\", \"version\": \"3.2\"}]}],"
    "[\"ai-systems\", null, {\"name\": \"Support chatbot\", \"purpose\": \"Answers customer "
    "questions from the help centre.\", \"owner\": \"contributor@demo.example\", "
    "\"lifecycle_stage\": \"deployment\", \"org_role\": \"customer\", "
    "\"eu_ai_act_category\": \"limited\", \"in_scope\": true}],"
    "[\"ai-systems\", null, {\"name\": \"Fraud signal prototype\", \"purpose\": \"Flags "
    "unusual claim patterns.\", \"owner\": \"contributor@demo.example\", \"lifecycle_stage\":"
    " \"design_development\", \"org_role\": \"producer\", \"eu_ai_act_category\": "
    "\"not_assessed\", \"in_scope\": true}],"
    "[\"measures\", null, {\"title\": \"Weekly fairness monitoring of claim rankings\", "
    "\"owner\": \"contributor@demo.example\", \"status\": \"implemented\", \"requirements\": "
    "[\"A.6.2.6\"], \"ai_systems\": [\"AIS-1\"]}],"
    "[\"risks\", null, {\"title\": \"Claim rankings disadvantage some postcodes\", "
    "\"description\": \"Historical data encodes regional bias.\", \"ai_systems\": [\"AIS-1\"],"
    " \"risk_source\": \"C.3.4\", \"objective\": \"C.2.5\", \"likelihood\": 4, \"impact\": 4,"
    " \"owner\": \"manager@demo.example\", \"treatment\": {\"option\": \"modify\", \"plan\": "
    "\"Monitor fairness weekly; retrain on reweighted data.\", \"controls\": [\"A.6.2.6\", "
    "\"A.7.4\"], \"measures\": [\"MEA-1\"], \"residual_likelihood\": 2, \"residual_impact\": 3}"
    "}],"
    "[\"risks\", null, {\"title\": \"Chatbot gives wrong policy advice\", \"ai_systems\": "
    "[\"AIS-2\"], \"risk_source\": \"C.3.2\", \"objective\": \"C.2.11\", \"likelihood\": 3, "
    "\"impact\": 3, \"owner\": \"manager@demo.example\"}],"
    "[\"risks\", null, {\"title\": \"Prototype trained on unlabelled personal data\", "
    "\"ai_systems\": [\"AIS-3\"], \"risk_source\": \"C.3.6\", \"objective\": \"C.2.7\", "
    "\"likelihood\": 2, \"impact\": 5, \"owner\": \"manager@demo.example\"}],"
    "[\"soa\", \"A.6.2.6\", {\"applicable\": true, \"justification\": \"We operate AI systems "
    "whose behaviour must be monitored in production.\", \"status\": \"implemented\", "
    "\"measures\": [\"MEA-1\"]}],"
    "[\"soa\", \"A.7.4\", {\"applicable\": true, \"justification\": \"Training data quality "
    "drives the fairness of claim rankings.\", \"status\": \"planned\"}],"
    "[\"soa\", \"A.10.4\", {\"applicable\": false, \"justification\": \"No customer-facing "
    "AI contracts in the current scope.\"}],"
    "[\"competences\", null, {\"title\": \"AI literacy\", \"ai_literacy\": true, "
    "\"description\": \"Knows what the organisation's AI systems do, their limits and how "
    "to report a concern (EU AI Act Art. 4).\", \"valid_months\": 24}],"
    "[\"trainings\", null, {\"person\": \"contributor@demo.example\", \"competence\": "
    "\"COMP-1\", \"kind\": \"training\", \"completed_on\": \"2026-01-20\", "
    "\"valid_until\": \"2028-01-20\", \"ai_literacy_level\": \"basic\"}],"
    "[\"datasets\", null, {\"title\": \"Claims history 2019-2025\", \"ai_systems\": "
    "[\"AIS-1\"], \"uses\": [\"training\", \"validation\"], \"personal_data\": true, "
    "\"acquisition\": \"Exported from the claims system under the data processing "
    "agreement.\", \"quality_requirements\": \"No more than 1% missing claim outcomes.\", "
    "\"preparation\": \"Pseudonymised; outcomes relabelled after appeal.\"}],"
    "[\"lifecycle-records\", null, {\"ai_system\": \"AIS-1\", \"stage\": "
    "\"verification_validation\", \"acceptance_criteria\": \"Ranking parity across "
    "regions within 5%.\", \"results\": \"Parity 3.8% on the 2025 hold-out set.\"}],"
    "[\"objectives\", null, {\"title\": \"Keep claim rankings fair across regions\", "
    "\"description\": \"Follows the AI policy's commitment to fair treatment of claims.\", "
    "\"metric\": \"largest gap in escalation rate between regions\", \"target\": \"3\", "
    "\"unit\": \"%\", \"direction\": \"lower_is_better\", \"due\": \"2027-06-30\", "
    "\"owner\": \"manager@demo.example\", \"plan_what\": \"Retrain the ranker on "
    "reweighted data and monitor the regional gap every night.\", \"plan_resources\": "
    "\"Two data scientists for one quarter; the nightly fairness job.\", \"plan_who\": "
    "\"The claims analytics team.\", \"plan_when\": \"Retrained model live by March "
    "2027; target held for three months by June 2027.\", \"plan_evaluation\": \"The "
    "monthly gap is reviewed at the AI steering meeting.\", \"status\": "
    "\"in_progress\"}],"
    "[\"metrics\", null, {\"title\": \"Regional escalation gap\", \"ai_system\": "
    "\"AIS-1\", \"description\": \"Largest difference between regions in the share of "
    "claims ranked for escalation.\", \"unit\": \"%\", \"direction\": "
    "\"lower_is_better\", \"warn\": \"4\", \"breach\": \"5\", \"interval_hours\": 24,"
    " \"source\": \"nightly fairness job\", \"on_breach\": \"nonconformity\", "
    "\"requirements\": [\"9.1\", \"A.6.2.6\"], \"owner\": \"contributor@demo.example\"}],"
    "[\"metrics\", null, {\"title\": \"Regional gap against the objective\", "
    "\"objective\": \"OBJ-1\", \"unit\": \"%\", \"direction\": \"lower_is_better\", "
    "\"interval_hours\": 168, \"source\": \"monthly steering report\", \"on_breach\": "
    "\"none\", \"owner\": \"manager@demo.example\"}],"
    "[\"metrics\", null, {\"title\": \"Answers rated wrong by reviewers\", "
    "\"ai_system\": \"AIS-2\", \"unit\": \"%\", \"direction\": \"lower_is_better\", "
    "\"warn\": \"2\", \"breach\": \"5\", \"interval_hours\": 24, \"source\": "
    "\"support QA sampling\", \"on_breach\": \"none\", \"owner\": "
    "\"contributor@demo.example\"}],"
    "[\"changes\", null, {\"title\": \"Retrain the claims ranker on reweighted data\", "
    "\"purpose\": \"Reduce the regional bias found in monitoring.\", \"ai_systems\": "
    "[\"AIS-1\"], \"significant\": true, \"responsible\": \"manager@demo.example\"}],"
    "[\"communications\", null, {\"title\": \"Quarterly fairness summary to insurers\", "
    "\"audience\": [\"external\"], \"channel\": \"e-mail\", \"when\": \"each quarter\", "
    "\"communicator\": \"manager@demo.example\", \"planned_on\": \"2026-04-01\"}],"
    "[\"audit-programmes\", null, {\"title\": \"Internal audit programme 2026-2028\", "
    "\"period_start\": \"2026-01-01\", \"period_end\": \"2028-12-31\", \"objectives\": "
    "\"Every clause and every applicable Annex A control audited once in the cycle; "
    "monitoring and high-risk systems every year.\", \"methods\": \"Interviews and "
    "sampling of records.\", \"frequency\": [{\"area\": \"Monitoring (9.1, A.6.2.6)\", "
    "\"requirements\": [\"9.1\", \"A.6.2.6\"], \"frequency\": \"every year\"}], "
    "\"owner\": \"manager@demo.example\"}],"
    "[\"audits\", null, {\"title\": \"Monitoring and fairness audit\", \"programme\": "
    "\"PROG-1\", \"requirements\": [\"9.1\", \"A.6.2.6\"], \"ai_systems\": [\"AIS-1\"], "
    "\"criteria\": \"ISO/IEC 42001 9.1 and A.6.2.6; the fairness monitoring procedure\", "
    "\"lead_auditor\": \"auditor@demo.example\", \"planned_start\": \"2027-01-11\", "
    "\"planned_end\": \"2027-01-12\"}],"
    "[\"nonconformities\", null, {\"title\": \"Fairness report skipped for two weeks\", "
    "\"source\": \"monitoring\", \"severity\": \"minor\", \"requirements\": [\"9.1\", "
    "\"A.6.2.6\"], \"description\": \"The weekly fairness monitoring of claim rankings (MEA-1)"
    " produced no report while its owner was on leave.\", \"records\": [\"MEA-1\"], "
    "\"owner\": \"contributor@demo.example\", \"correction\": \"Both missing reports were "
    "produced and reviewed.\", \"corrective_actions\": [{\"action\": \"Name a deputy for "
    "the fairness monitoring\", \"owner\": \"manager@demo.example\", \"due\": "
    "\"2026-01-31\"}]}],"
    "[\"improvements\", null, {\"title\": \"Alert when a monitoring report is late\", "
    "\"source\": \"nonconformity\", \"origin\": \"NC-1\", \"description\": \"A missing "
    "report should be noticed the day it is due, not at the next review.\"}],"
    "[\"management-reviews\", null, {\"title\": \"Management review 2027\", "
    "\"planned_date\": \"2027-01-20\"}]"
    "]";

static int
demo_apply(struct db *db, int64_t org_id, const struct actor *actor, const json_t *item)
{
	const char *kind = json_string_value(json_array_get(item, 0));
	const json_t *ref = json_array_get(item, 1), *fields = json_array_get(item, 2);
	const struct record_kind *k = record_kind_find(kind);
	json_t *out = NULL;
	int rc;

	if (k == NULL)
		return aims_error_set(AIMS_ERROR, "kind", "demo data names unknown kind %s", kind);
	if (json_is_string(ref))
		rc = record_update(&out, db, org_id, actor, k, json_string_value(ref), 0, fields);
	else
		rc = record_create(&out, db, org_id, actor, k, fields);
	json_decref(out);
	return rc;
}

/*
 * Readings relative to now, so the charts and the stale check show what a
 * live installation would: the fairness gap every 6 hours for 60 days,
 * falling towards the objective, with a few warnings; the objective's gap
 * weekly until two days ago; the chatbot's QA rate daily until three days ago (stale). The
 * fairness gap was evaluated today.
 */
static int
demo_readings(struct db *db, int64_t org_id, const struct actor *actor)
{
	const struct record_kind *mk = record_kind_find("metrics");
	char t[CLOCK_RFC3339_LEN], today[CLOCK_RFC3339_LEN];
	time_t now = clock_now() / 3600 * 3600, at;
	json_t *gap = json_array(), *obj = json_array(), *qa = json_array(), *out = NULL;
	json_t *fields = NULL;
	int i, rc;

	for (i = DEMO_GAP_READINGS; i > 0; i--) {
		at = now - (time_t)i * 6 * 3600;
		clock_format(t, at);
		json_array_append_new(gap, json_pack("{s:s, s:f}", "at", t, "value",
		    round((2.4 + i * 0.005 + ((i * 37) % 11) * 0.05 + (i == 150 ? 0.6 : 0)) * 100) /
		    100));
	}
	for (i = DEMO_OBJ_READINGS; i > 0; i--) {
		clock_format(t, now - ((time_t)(i - 1) * 7 + 2) * 86400);
		json_array_append_new(obj, json_pack("{s:s, s:f}", "at", t, "value",
		    round((3.1 + i * 0.12) * 10) / 10));
	}
	for (i = DEMO_QA_READINGS + 3; i > 3; i--) {
		clock_format(t, now - (time_t)i * 86400);
		json_array_append_new(qa, json_pack("{s:s, s:f}", "at", t, "value",
		    1.0 + ((i * 13) % 7) * 0.1));
	}
	if ((rc = metric_readings_push(&out, db, org_id, actor, "MET-1", gap)) != 0)
		goto done;
	json_decref(out);
	if ((rc = metric_readings_push(&out, db, org_id, actor, "MET-2", obj)) != 0)
		goto done;
	json_decref(out);
	if ((rc = metric_readings_push(&out, db, org_id, actor, "MET-3", qa)) != 0)
		goto done;
	json_decref(out);
	out = NULL;
	clock_format(today, clock_now());
	today[10] = '\0';
	fields = json_pack("{s:s, s:s}", "evaluated_on", today, "evaluation", "The gap fell "
	    "from about 3.8% to under 3% over two months; the warnings (above 4%) were traced "
	    "to late batches of appeals. Keep the nightly job; no change to the thresholds.");
	rc = record_update(&out, db, org_id, actor, mk, "MET-1", 0, fields);
done:
	json_decref(out);
	json_decref(fields);
	json_decref(gap);
	json_decref(obj);
	json_decref(qa);
	if (rc != 0)
		aims_error_set(rc, aims_error_field(), "demo readings: %s", aims_error_message());
	return rc;
}

int
demo_seed(struct db *db, int64_t org_id, const struct actor *actor)
{
	json_error_t jerr;
	json_t *items = json_loads(demo_records, 0, &jerr), *item;
	size_t i;
	int rc = 0;

	if (items == NULL)
		return aims_error_set(AIMS_ERROR, NULL, "demo data: %s", jerr.text);
	json_array_foreach(items, i, item)
		if ((rc = demo_apply(db, org_id, actor, item)) != 0) {
			aims_error_set(rc, aims_error_field(), "demo record %zu: %s", i + 1,
			    aims_error_message());
			break;
		}
	json_decref(items);
	return rc != 0 ? rc : demo_readings(db, org_id, actor);
}
