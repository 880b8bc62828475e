/*
 * fuzz_org_settings.c - libFuzzer harness for an organisation's readiness
 * options as the API and the forms give them (core/org.c
 * org_readiness_apply): any JSON, then the options it leaves must be within
 * their bounds.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "core/org.h"
#include "util/error.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct org_readiness r;
	json_t *in, *out;

	if ((in = json_loadb((const char *)data, size, 0, NULL)) == NULL)
		return 0;
	org_readiness_default(&r);
	if (org_readiness_apply(&r, in, "2026-03-01") == 0) {
		if (r.target_stage < 0 || r.target_stage > 2 ||
		    (r.evidence_max_age_days != 0 && (r.evidence_max_age_days < ORG_EVIDENCE_AGE_MIN ||
		    r.evidence_max_age_days > ORG_EVIDENCE_AGE_MAX)) ||
		    r.metric_window_days < ORG_METRIC_WINDOW_MIN ||
		    r.metric_window_days > ORG_METRIC_WINDOW_MAX ||
		    (*r.audit_date != '\0' && strlen(r.audit_date) != 10))
			abort();
		out = org_readiness_json(&r);
		json_decref(out);
	} else if (*aims_error_field() == '\0')
		abort();	/* every refusal names its field */
	json_decref(in);
	return 0;
}
