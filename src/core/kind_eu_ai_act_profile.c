/*
 * kind_eu_ai_act_profile.c - the organisation's EU AI Act profile, one per
 * organisation: whether it is a body governed by public law or a private
 * entity providing public services. EU AI Act Art. 27(1) asks those
 * deployers for a fundamental-rights impact assessment before they use a
 * high-risk system of Annex III (core/euact.h reads it).
 *
 * It is a record of its own, not a column of the organisation: a setting
 * beside the organisation's ISO/IEC 22989 AI roles, changed by managers,
 * versioned and ledgered like every record, so who declared the
 * organisation public or not, and when, stays on the audit trail.
 */
#include <string.h>

#include "core/euact.h"
#include "core/record_private.h"
#include "util/error.h"

static const struct field profile_fields[] = {
	{ .name = "public_body", .section = "Art. 27 fundamental-rights impact assessment",
	  .label = "A body governed by public law", .type = FIELD_BOOL,
	  .flags = FIELD_FILTER | FIELD_LIST,
	  .help = "a public authority, or a body set up for needs in the general interest and "
	      "financed or controlled by the State" },
	{ .name = "public_service", .label = "A private entity providing public services",
	  .type = FIELD_BOOL, .flags = FIELD_FILTER | FIELD_LIST,
	  .help = "for example education, health care, social services, housing or the "
	      "administration of justice, provided under public mandate" },
	{ .name = "public_service_description", .label = "Which public services",
	  .type = FIELD_TEXT, .flags = FIELD_SEARCH,
	  .help = "required when the organisation provides public services" },
	{ .name = "notes", .label = "Notes", .type = FIELD_TEXT },
	{ .name = NULL },
};

static int
profile_validate(struct db *db, int64_t org_id, const struct actor *actor, const json_t *old,
    json_t *next)
{
	(void)db;
	(void)org_id;
	(void)actor;
	(void)old;
	if (json_is_true(json_object_get(next, "public_service")) &&
	    record__is_empty(json_object_get(next, "public_service_description")))
		return aims_error_set(AIMS_EINVALID, "public_service_description",
		    "field 'public_service_description': say which public services the "
		    "organisation provides");
	return 0;
}

const struct record_kind record_kind_eu_ai_act_profile = {
	.name = EUACT_PROFILE_KIND,
	.singular = "EU AI Act profile",
	.plural = "EU AI Act profile",
	.prefix = EUACT_PROFILE_REF,
	.clause = "4.1",
	.section = "Context",
	.singleton = true,
	.perm_kind = "governance",
	.fields = profile_fields,
	.hooks = { .validate = profile_validate },
};
