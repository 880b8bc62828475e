/*
 * competence.h - who lacks a competence their role requires (7.2, A.4.6)
 * and how many members hold AI literacy (EU AI Act Art. 4), read from the
 * competences, trainings and responsibilities records.
 */
#ifndef AIMS_CORE_COMPETENCE_H
#define AIMS_CORE_COMPETENCE_H

#include <jansson.h>
#include <stdint.h>

struct db;

/*
 * The competence view on day `today` (YYYY-MM-DD; NULL: today), *out:
 *   {"gaps": [{person, name, role, role_title, competence, competence_title,
 *              reason: "missing" | "expired", valid_until}],
 *    "checked": how many (person in a role, competence it requires) were judged,
 *    "ai_literacy": {members, covered, share (0..100, integer percent),
 *                    not_covered: [email]}}
 * A person is in a role when a responsibility's assignee is their e-mail or
 * their name (anyone else assigned is listed by what the assignee says); a
 * training counts for a competence from completed_on until valid_until (no
 * valid_until: it does not expire). AI literacy counts the enabled members
 * with a current AI-literacy training. Caller owns *out.
 */
int competence_gaps(json_t **out, struct db *db, int64_t org_id, const char *today);

#endif
