/*
 * audit.h - internal audits (9.2): the rules of an audit that are more than
 * a field check, and the views built over the audit records.
 *
 * Independence: nobody audits a requirement whose measures, evidence or
 * other records they own or wrote, an area the responsibilities records
 * give them, or an AI system in scope they own or wrote. The checklist of
 * an audit is generated from its scope, one row per requirement. The
 * coverage view of a programme and the audit report read the records.
 */
#ifndef AIMS_CORE_AUDIT_H
#define AIMS_CORE_AUDIT_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "core/actor.h"

struct db;

#define AUDIT_WHY_MAX		512	/* a conflict in words */

/* The conclusions a checklist row and a finding may record. */
extern const char *const audit_conclusion_values[];

/*
 * Is the member whose e-mail is `email` free to audit every requirement
 * in `requirements` (array of ids) and every AI system in `ai_systems`
 * (array of refs; may be NULL)? 0 when free; AIMS_EFORBIDDEN with `why`
 * naming the person, the requirement and the record in conflict (the
 * first one found); AIMS_EINVALID when email is not a member.
 */
int audit_conflict_find(char *why, size_t len, struct db *db, int64_t org_id,
    const char *email, const json_t *requirements, const json_t *ai_systems);

/*
 * The checklist of an audit for its scope: one row per requirement of
 * `requirements`, in that order, keeping what rows of `checklist` (may be
 * NULL) recorded for it. A row of a requirement no longer in scope is
 * dropped when empty, refused (AIMS_EINVALID, field "checklist") when it
 * holds notes, samples or a conclusion. *out: new array, caller owns.
 */
int audit_checklist_build(json_t **out, const json_t *requirements, const json_t *checklist);

/*
 * Saves one checklist row of audit `ref`: `row` holds notes, sampled and
 * conclusion (any of them; null clears). The writer must be on the audit
 * team. *out: the audit as record_get() gives it.
 */
int audit_checklist_save(json_t **out, struct db *db, int64_t org_id,
    const struct actor *actor, const char *ref, const char *requirement, const json_t *row);

/*
 * The coverage of programme `ref`: {programme, title, period_start,
 * period_end, requirements: [{id, title, kind, last_audited, last_audit,
 * planned, planned_audit, covered}], not_covered: [id...], covered, total}
 * over every clause of the standard and every Annex A control the SoA
 * holds applicable. A requirement is covered when an audit of the
 * programme reported on it, or plans it, within the period.
 */
int audit_programme_coverage(json_t **out, struct db *db, int64_t org_id, const char *ref);

/*
 * The report of audit `ref`: {audit, programme, scope: [{id, title}],
 * ai_systems, processes, criteria, lead_auditor, team, dates, checklist,
 * sample: [refs], findings: [...], conclusion, status, issued_by,
 * issued_at}. Caller owns *out.
 */
int audit_report(json_t **out, struct db *db, int64_t org_id, const char *ref);

/*
 * The audits the actor leads or is on the team of, not closed first, then
 * by planned start: a JSON array of records (empty for an actor who is not
 * a person). Caller owns *out.
 */
int audit_list_mine(json_t **out, struct db *db, int64_t org_id, const struct actor *actor);

#endif
