/*
 * kind_communication.c - internal and external communication about the AIMS
 * (7.4): what is communicated, when, with whom, how and by whom. The same
 * kind is the plan (status planned) and the log of communications made
 * (status made, with the date); a communication names the records it is
 * about, such as the incident it reports.
 */
#include <stdio.h>
#include <string.h>

#include "core/record_private.h"
#include "util/error.h"

static const char *const audience_values[] = {
	"internal", "external", "interested_parties", NULL,
};
static const char *const communication_status_values[] = {
	"planned", "made", "cancelled", NULL,
};

static const struct field communication_fields[] = {
	{ .name = "title", .section = "What", .label = "What is communicated",
	  .type = FIELD_STRING,
	  .flags = FIELD_REQUIRED | FIELD_TITLE | FIELD_SEARCH | FIELD_SORT | FIELD_LIST },
	{ .name = "message", .label = "Content", .type = FIELD_TEXT, .flags = FIELD_SEARCH },
	{ .name = "related", .label = "About the records", .type = FIELD_REF_LIST,
	  .flags = FIELD_FILTER, .help = "an incident, a policy, a change..." },
	{ .name = "audience", .section = "With whom and how",
	  .label = "With whom", .type = FIELD_ENUM_LIST,
	  .flags = FIELD_REQUIRED | FIELD_FILTER | FIELD_LIST, .values = audience_values },
	{ .name = "interested_parties", .label = "Interested parties", .type = FIELD_REF_LIST,
	  .flags = FIELD_FILTER, .target = "interested-parties" },
	{ .name = "channel", .label = "How", .type = FIELD_STRING, .flags = FIELD_SEARCH,
	  .help = "e-mail, intranet, meeting, public web page..." },
	{ .name = "communicator", .label = "Who communicates", .type = FIELD_USER,
	  .flags = FIELD_FILTER | FIELD_LIST },
	{ .name = "when", .section = "When", .label = "When (plan)", .type = FIELD_STRING,
	  .help = "\"each quarter\", \"within 72 hours of a serious incident\"" },
	{ .name = "planned_on", .label = "Next planned on", .type = FIELD_DATE,
	  .flags = FIELD_FILTER | FIELD_SORT | FIELD_LIST },
	{ .name = "status", .label = "Status", .type = FIELD_ENUM,
	  .flags = FIELD_FILTER | FIELD_SORT | FIELD_LIST, .values = communication_status_values },
	{ .name = "made_on", .label = "Made on", .type = FIELD_DATE,
	  .flags = FIELD_FILTER | FIELD_SORT | FIELD_LIST },
	{ .name = NULL },
};

static int
communication_validate(struct db *db, int64_t org_id, const struct actor *actor,
    const json_t *old, json_t *next)
{
	const char *status = record__str(next, "status");

	(void)db;
	(void)org_id;
	(void)actor;
	(void)old;
	if (status == NULL)
		json_object_set_new(next, "status", json_string("planned"));
	else if (strcmp(status, "made") == 0 && record__str(next, "made_on") == NULL)
		return aims_error_set(AIMS_EINVALID, "made_on",
		    "field 'made_on': a communication made needs the date it was made");
	return 0;
}

static const char *const communication_done[] = { "made", "cancelled", NULL };
static const struct record_due communication_due[] = {
	{ "planned_on", "communication", true, "communicator" },
	{ NULL, NULL },
};

const struct record_kind record_kind_communication = {
	.name = "communications",
	.singular = "communication",
	.plural = "communications",
	.prefix = "COM",
	.clause = "7.4",
	.section = "Support & operation",
	.retain = true,
	.perm_kind = "operational",
	.fields = communication_fields,
	.hooks = { .validate = communication_validate },
	.done = communication_done,
	.due = communication_due,
};
