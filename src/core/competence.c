/*
 * competence.c - the competence gap view (competence.h): people in a role
 * without a current training record for a competence the role requires,
 * and the share of members covered by AI-literacy training.
 */
#include <string.h>
#include <strings.h>

#include "core/competence.h"
#include "core/member.h"
#include "core/record_private.h"
#include "util/clock.h"
#include "util/error.h"

#define COMPETENCE_DATE_LEN	11	/* YYYY-MM-DD and the terminator */

/* Every live record of kind (at most RECORD_LIST_MAX per page, all pages). */
static int
competence_all(json_t **out, struct db *db, int64_t org_id, const char *kind)
{
	const struct record_kind *k = record_kind_find(kind);
	struct record_query q;
	json_t *all = json_array(), *page = NULL;
	char *cursor = NULL, *next = NULL;
	int rc = 0;

	do {
		memset(&q, 0, sizeof(q));
		q.limit = RECORD_LIST_MAX;
		q.cursor = cursor;
		q.sort = "ref";
		if ((rc = record_list(&page, &next, NULL, db, org_id, k, &q)) != 0)
			break;
		json_array_extend(all, page);
		json_decref(page);
		page = NULL;
		free(cursor);
		cursor = next;
		next = NULL;
	} while (cursor != NULL);
	free(cursor);
	if (rc != 0) {
		json_decref(all);
		return rc;
	}
	*out = all;
	return 0;
}

/* Is training t current on today (completed, not expired)? */
static bool
competence_current(const json_t *t, const char *today, bool *expired)
{
	const char *from = record__str(t, "completed_on"), *until = record__str(t, "valid_until");

	if (from && strcmp(from, today) > 0)
		return false;
	if (until && strcmp(until, today) < 0) {
		*expired = true;
		return false;
	}
	return true;
}

/* The member assignee names: by e-mail or display name; NULL: not a member. */
static const json_t *
competence_member(const json_t *members, const char *assignee)
{
	const json_t *m;
	size_t i;

	json_array_foreach(members, i, m) {
		const char *email = record__str(m, "email"), *name = record__str(m, "display_name");

		if ((email && strcasecmp(email, assignee) == 0) ||
		    (name && strcasecmp(name, assignee) == 0))
			return m;
	}
	return NULL;
}

static json_t *
competence_literacy(const json_t *members, const json_t *trainings, const char *today)
{
	json_t *not_covered = json_array();
	const json_t *m, *t;
	size_t i, j, n = 0, covered = 0;

	json_array_foreach(members, i, m) {
		const char *email = record__str(m, "email");
		bool ok = false, expired = false;

		if (json_is_true(json_object_get(m, "disabled")))
			continue;
		n++;
		json_array_foreach(trainings, j, t) {
			const char *person = record__str(t, "person");

			if (person && email && strcasecmp(person, email) == 0 &&
			    json_is_true(json_object_get(t, "ai_literacy")) &&
			    competence_current(t, today, &expired)) {
				ok = true;
				break;
			}
		}
		if (ok)
			covered++;
		else
			json_array_append_new(not_covered, json_string(email));
	}
	return json_pack("{s:I, s:I, s:I, s:o}", "members", (json_int_t)n,
	    "covered", (json_int_t)covered,
	    "share", (json_int_t)(n ? (covered * 100) / n : 0), "not_covered", not_covered);
}

/* Adds the gap of person (in role) for competence c, if there is one. */
static void
competence_check(json_t *gaps, const json_t *role, const char *person, const char *name,
    const json_t *c, const json_t *trainings, const char *today)
{
	const char *cref = record__str(c, "ref"), *until = NULL;
	bool expired = false, ok = false;
	const json_t *t;
	size_t i;

	json_array_foreach(trainings, i, t) {
		const char *who = record__str(t, "person"), *comp = record__str(t, "competence");
		bool was = false;

		if (who == NULL || comp == NULL || strcasecmp(who, person) != 0 ||
		    strcmp(comp, cref) != 0)
			continue;
		if (competence_current(t, today, &was)) {
			ok = true;
			break;
		}
		if (was) {
			expired = true;
			if (until == NULL || strcmp(record__str(t, "valid_until"), until) > 0)
				until = record__str(t, "valid_until");
		}
	}
	if (ok)
		return;
	json_array_append_new(gaps, json_pack("{s:s, s:s?, s:s, s:s?, s:s, s:s?, s:s, s:s?}",
	    "person", person, "name", name,
	    "role", record__str(role, "ref"), "role_title", record__str(role, "role_name"),
	    "competence", cref, "competence_title", record__str(c, "title"),
	    "reason", expired ? "expired" : "missing", "valid_until", until));
}

int
competence_gaps(json_t **out, struct db *db, int64_t org_id, const char *today)
{
	json_t *roles = NULL, *comps = NULL, *trainings = NULL, *members = NULL, *gaps;
	char now[CLOCK_RFC3339_LEN], day[COMPETENCE_DATE_LEN];
	const json_t *role, *c, *r;
	size_t i, j, k, checked;
	int rc;

	if (today == NULL) {
		clock_format(now, clock_now());
		snprintf(day, sizeof(day), "%.10s", now);
		today = day;
	}
	if ((rc = competence_all(&roles, db, org_id, "responsibilities")) != 0 ||
	    (rc = competence_all(&comps, db, org_id, "competences")) != 0 ||
	    (rc = competence_all(&trainings, db, org_id, "trainings")) != 0 ||
	    (rc = member_list(&members, db, org_id)) != 0)
		goto done;
	gaps = json_array();
	checked = 0;
	json_array_foreach(comps, i, c) {
		json_array_foreach(json_object_get(c, "roles"), j, r) {
			json_array_foreach(roles, k, role) {
				const char *assignee = record__str(role, "assignee");
				const json_t *m;

				if (assignee == NULL ||
				    strcmp(record__str(role, "ref"), json_string_value(r)) != 0)
					continue;
				m = competence_member(members, assignee);
				checked++;
				competence_check(gaps, role,
				    m ? record__str(m, "email") : assignee,
				    m ? record__str(m, "display_name") : NULL, c, trainings, today);
			}
		}
	}
	*out = json_pack("{s:o, s:I, s:o}", "gaps", gaps, "checked", (json_int_t)checked,
	    "ai_literacy", competence_literacy(members, trainings, today));
done:
	json_decref(roles);
	json_decref(comps);
	json_decref(trainings);
	json_decref(members);
	return rc;
}
