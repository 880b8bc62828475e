/* report_text.c - the readiness answer as plain text (see report.h). */
#include <stdbool.h>
#include <string.h>

#include "io/report.h"
#include "util/error.h"

#define REPORT_TEXT_TITLE	44	/* title column width */

static const char *
str(const json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));

	return s ? s : "";
}

static json_int_t
num(const json_t *o, const char *key)
{
	return json_integer_value(json_object_get(o, key));
}

static void
text_stage(struct buf *out, const json_t *st)
{
	bool ready = strcmp(str(st, "verdict"), "ready") == 0;

	buf_printf(out, "Stage %lld: %s - %lld blocking, %lld major, %lld minor gaps\n",
	    (long long)num(st, "stage"), ready ? "READY" : "NOT READY",
	    (long long)num(st, "blocking_gaps"), (long long)num(st, "major_gaps"),
	    (long long)num(st, "minor_gaps"));
}

static void
text_groups(struct buf *out, const char *heading, const json_t *groups)
{
	const json_t *g, *score;
	size_t i;

	buf_printf(out, "\n%-*s score  met partly  not  n/a\n", REPORT_TEXT_TITLE + 7, heading);
	json_array_foreach(groups, i, g) {
		score = json_object_get(g, "score");
		buf_printf(out, "  %-5s %-*.*s ", str(g, "id"), REPORT_TEXT_TITLE,
		    REPORT_TEXT_TITLE, str(g, "title"));
		if (json_is_integer(score))
			buf_printf(out, "%4lld%%", (long long)json_integer_value(score));
		else
			buf_puts(out, "    -");
		buf_printf(out, " %4lld %6lld %4lld %4lld\n", (long long)num(g, "met"),
		    (long long)num(g, "partly_met"), (long long)num(g, "not_met"),
		    (long long)num(g, "not_applicable"));
	}
}

static void
text_gaps(struct buf *out, const json_t *gaps)
{
	const json_t *g, *f;
	size_t i, j;

	if (json_array_size(gaps) == 0) {
		buf_puts(out, "\nNo gaps.\n");
		return;
	}
	buf_printf(out, "\nGaps (%zu)\n", json_array_size(gaps));
	json_array_foreach(gaps, i, g) {
		buf_printf(out, "  [%s, stage %lld] %s %s\n", str(g, "severity"),
		    (long long)num(g, "stage"), str(g, "requirement"), str(g, "title"));
		json_array_foreach(json_object_get(g, "findings"), j, f)
			buf_printf(out, "      %s\n", str(f, "reason"));
		if (json_array_size(json_object_get(g, "affects")) > 1)
			buf_printf(out, "      (one cause: affects %zu requirements)\n",
			    json_array_size(json_object_get(g, "affects")));
	}
}

/* What records cannot settle: confirmed by hand, never counted as gaps. */
static void
text_confirm(struct buf *out, const json_t *list)
{
	const json_t *c;
	size_t i;

	if (json_array_size(list) == 0)
		return;
	buf_printf(out, "\nTo confirm by hand (%zu; not gaps)\n", json_array_size(list));
	json_array_foreach(list, i, c)
		buf_printf(out, "  %s %s\n", str(c, "requirement"), str(json_array_get(
		    json_object_get(c, "findings"), 0), "reason"));
}

int
report_readiness_text(struct buf *out, const json_t *r)
{
	const json_t *org = json_object_get(r, "organisation"), *st;
	size_t i;

	if (!json_is_object(r) || !json_is_array(json_object_get(r, "requirements")))
		return aims_error_set(AIMS_EINVALID, "readiness", "not a readiness answer");
	buf_printf(out, "Readiness of %s (%s) for %s at %s\n", str(org, "name"), str(org, "slug"),
	    str(r, "edition"), str(r, "evaluated_at"));
	buf_printf(out, "Score %lld%% (clauses %lld%%, Annex A %lld%%)\n",
	    (long long)num(r, "score"), (long long)num(r, "clause_score"),
	    (long long)num(r, "annex_score"));
	json_array_foreach(json_object_get(r, "stages"), i, st)
		text_stage(out, st);
	text_groups(out, "Clauses", json_object_get(r, "clauses"));
	text_groups(out, "Annex A", json_object_get(r, "areas"));
	text_gaps(out, json_object_get(r, "gaps"));
	text_confirm(out, json_object_get(r, "to_confirm"));
	return 0;
}
