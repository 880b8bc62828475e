/*
 * kind_concern.c - concerns reported to the organisation (A.3.3), through
 * its public channel (core/concern.h) or received otherwise and recorded by
 * a member. A concern is received, triaged into an incident, a
 * nonconformity, an improvement or no action (with the records it became
 * linked), and closed. The replies are what the reporter reads with the
 * report key: they are only added to, never changed, and the report's text
 * stays as it was received.
 */
#include <stdio.h>
#include <string.h>

#include "core/concern.h"
#include "core/record_private.h"
#include "util/clock.h"
#include "util/error.h"

#define CONCERN_REPLY_MAX	10000
#define CONCERN_TITLE_WORDS	60	/* characters of the text a default title takes */

static const char *const concern_channel_values[] = {
	"public_form", "in_person", "email", "phone", "other", NULL,
};
static const char *const concern_status_values[] = { "received", "triaged", "closed", NULL };
static const char *const concern_outcome_values[] = {
	"incident", "nonconformity", "improvement", "no_action", NULL,
};

static const struct record_step concern_steps[] = {
	{ .action = "triage", .label = "Mark triaged", .from = "received", .to = "triaged",
	  .perm = PERM_WRITE, .owner_may = true, .needs = "outcome",
	  .needs_why = "its outcome is not set: an incident, a nonconformity, an improvement "
	  "or no action" },
	{ .action = "close", .label = "Close", .from = "triaged", .to = "closed",
	  .perm = PERM_WRITE, .confirm = "Close this concern" },
	{ .action = "reopen", .label = "Reopen", .to = "received", .perm = PERM_WRITE },
	{ .action = NULL },
};

static const struct record_workflow concern_workflow = {
	.field = "status",
	.initial = "received",
	.steps = concern_steps,
};

static const struct field concern_reply_fields[] = {
	{ .name = "text", .label = "Reply", .type = FIELD_TEXT, .flags = FIELD_REQUIRED,
	  .max = CONCERN_REPLY_MAX },
	{ .name = "at", .label = "Sent at", .type = FIELD_DATETIME,
	  .help = "set when the reply is saved" },
	{ .name = NULL },
};

static const struct field concern_fields[] = {
	{ .name = "title", .section = "The concern", .label = "Title", .type = FIELD_STRING,
	  .flags = FIELD_TITLE | FIELD_SEARCH | FIELD_SORT | FIELD_LIST,
	  .help = "defaults to the first words of the report" },
	{ .name = "text", .label = "Report", .type = FIELD_TEXT,
	  .flags = FIELD_REQUIRED | FIELD_SEARCH, .max = CONCERN_TEXT_MAX,
	  .help = "as received; it cannot be changed afterwards" },
	{ .name = "channel", .label = "Received through", .type = FIELD_ENUM,
	  .flags = FIELD_FILTER | FIELD_LIST, .values = concern_channel_values,
	  .help = "public_form is set by the public form only" },
	{ .name = "owner", .section = "Triage", .label = "Owner", .type = FIELD_USER,
	  .flags = FIELD_FILTER | FIELD_SORT | FIELD_LIST },
	{ .name = "status", .label = "Status", .type = FIELD_ENUM,
	  .flags = FIELD_FILTER | FIELD_SORT | FIELD_LIST, .values = concern_status_values },
	{ .name = "outcome", .label = "Triaged into", .type = FIELD_ENUM,
	  .flags = FIELD_FILTER | FIELD_LIST, .values = concern_outcome_values,
	  .help = "an incident, a nonconformity or an improvement names the record in "
	  "'Records'" },
	{ .name = "records", .label = "Records", .type = FIELD_REF_LIST, .flags = FIELD_FILTER,
	  .help = "the incident, nonconformity or other record it became, e.g. INC-3" },
	{ .name = "triage_note", .label = "Triage note", .type = FIELD_TEXT,
	  .flags = FIELD_SEARCH,
	  .help = "why this outcome; for an improvement, what will change" },
	{ .name = "replies", .section = "Replies to the reporter", .label = "Replies",
	  .type = FIELD_OBJECT_LIST, .subfields = concern_reply_fields,
	  .help = "the reporter reads these with their report key; once saved a reply "
	  "cannot be changed" },
	{ .name = NULL },
};

/* outcome incident, nonconformity or improvement: records names one record of that kind. */
static int
concern_check_outcome(const json_t *next)
{
	const char *outcome = record__str(next, "outcome"), *kind = NULL, *what = NULL;
	const struct record_kind *k;
	json_t *v;
	size_t i;

	if (outcome == NULL)
		return 0;
	if (strcmp(outcome, "incident") == 0) {
		kind = "incidents";
		what = "an incident (INC-...)";
	} else if (strcmp(outcome, "nonconformity") == 0) {
		kind = "nonconformities";
		what = "a nonconformity (NC-...)";
	} else if (strcmp(outcome, "improvement") == 0) {
		kind = "improvements";
		what = "an improvement (IMP-...)";
	} else
		return 0;
	json_array_foreach(json_object_get(next, "records"), i, v)
		if ((k = record_kind_of_ref(json_string_value(v))) != NULL &&
		    strcmp(k->name, kind) == 0)
			return 0;
	return aims_error_set(AIMS_EINVALID, "records",
	    "field 'records' must name %s: the concern was triaged into one", what);
}

/* Replies sent stay as sent: the old ones must begin the new list unchanged. */
static int
concern_check_replies(const json_t *old, json_t *next)
{
	json_t *was = old ? json_object_get(old, "replies") : NULL;
	json_t *now = json_object_get(next, "replies"), *r;
	char stamp[CLOCK_RFC3339_LEN];
	size_t i;

	if (json_array_size(now) < json_array_size(was))
		return aims_error_set(AIMS_EINVALID, "replies",
		    "field 'replies': a reply sent to the reporter cannot be removed");
	/*
	 * Compared by text: a form sends the times back at its own precision,
	 * so a sent reply keeps the time it was stored with.
	 */
	json_array_foreach(was, i, r) {
		if (!json_equal(json_object_get(r, "text"),
		    json_object_get(json_array_get(now, i), "text")))
			return aims_error_set(AIMS_EINVALID, "replies",
			    "field 'replies[%zu]': a reply sent to the reporter cannot be changed; "
			    "add a new one", i);
		json_object_set(json_array_get(now, i), "at", json_object_get(r, "at"));
	}
	clock_format(stamp, clock_now());
	for (i = json_array_size(was); i < json_array_size(now); i++)
		json_object_set_new(json_array_get(now, i), "at", json_string(stamp));
	return 0;
}

static int
concern_validate(struct db *db, int64_t org_id, const struct actor *actor, const json_t *old,
    json_t *next)
{
	const char *text = record__str(next, "text"), *channel = record__str(next, "channel");
	bool public_actor = actor != NULL && actor->name != NULL &&
	    strcmp(actor->name, CONCERN_ACTOR_NAME) == 0;
	char title[CONCERN_TITLE_WORDS + 8];
	size_t n;
	int rc;

	(void)db;
	(void)org_id;
	if (old != NULL && !json_equal(json_object_get(old, "text"), json_object_get(next, "text")))
		return aims_error_set(AIMS_EINVALID, "text",
		    "field 'text': the report stays as it was received; add a triage note instead");
	if (old != NULL && !json_equal(json_object_get(old, "channel"),
	    json_object_get(next, "channel")))
		return aims_error_set(AIMS_EINVALID, "channel",
		    "field 'channel': how the concern was received cannot be changed");
	if (old == NULL && channel != NULL && strcmp(channel, "public_form") == 0 &&
	    !public_actor)
		return aims_error_set(AIMS_EINVALID, "channel",
		    "field 'channel': public_form is set by the public form itself; record a "
		    "concern received otherwise as in_person, email, phone or other");
	if (text != NULL && strlen(text) < CONCERN_TEXT_MIN)
		return aims_error_set(AIMS_EINVALID, "text",
		    "field 'text' must be at least %d characters", CONCERN_TEXT_MIN);
	if (record__str(next, "title") == NULL && text != NULL) {
		/* The first line's first words, cut between UTF-8 characters. */
		n = strcspn(text, "\r\n");
		if (n > CONCERN_TITLE_WORDS) {
			n = CONCERN_TITLE_WORDS;
			while (n > 0 && ((unsigned char)text[n] & 0xC0) == 0x80)
				n--;
		}
		snprintf(title, sizeof(title), "%.*s%s", (int)n, text,
		    text[n] != '\0' ? "..." : "");
		json_object_set_new(next, "title", json_string(title));
	}
	if ((rc = concern_check_outcome(next)) != 0)
		return rc;
	return concern_check_replies(old, next);
}

static const char *const concern_done[] = { "triaged", "closed", NULL };

static const struct record_count concern_counts[] = {
	{ .dim = "outcome", .label = "Concerns by outcome", .fields = { "outcome", NULL },
	  .chart = RECORD_CHART_BARS },
	{ .dim = NULL },
};

const struct record_kind record_kind_concern = {
	.name = "concerns",
	.singular = "concern",
	.plural = "concerns",
	.prefix = "CON",
	.clause = "A.3.3",
	.section = "Support & operation",
	.retain = true,
	.perm_kind = "governance",
	.fields = concern_fields,
	.hooks = { .validate = concern_validate },
	.workflow = &concern_workflow,
	.done = concern_done,
	.counts = concern_counts,
};
