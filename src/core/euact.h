/*
 * euact.h - the EU AI Act (Regulation (EU) 2024/1689) for each AI system:
 * its classification from the answers recorded on the AI system (the
 * organisation's roles, the Art. 5 practices checked, Annex I, Annex III
 * with the Art. 6(3) derogation, the Art. 50 transparency duties, general-
 * purpose AI models), the reasoning kept beside it, whether the Art. 27
 * fundamental-rights impact assessment applies (with the organisation's
 * EU AI Act profile: a public body or a provider of public services), and
 * the obligations that follow as obligation records.
 *
 * Which obligations follow from which role and classification is data:
 * the "obligations" list of catalog/eu-ai-act.json (catalog/README.md).
 */
#ifndef AIMS_CORE_EUACT_H
#define AIMS_CORE_EUACT_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "core/actor.h"

struct db;

#define EUACT_PROFILE_KIND	"eu-ai-act-profile"
#define EUACT_PROFILE_REF	"EUAIA"
#define EUACT_OBLIGATION_KIND	"obligations"
#define EUACT_REASONS_MIN	30	/* characters of a real Art. 6(3) justification */
#define EUACT_WHY_MAX		512

/* The Art. 6(3) derogation's conditions, Annex III points, Art. 5 practices. */
extern const char *const euact_annex_iii_points[];
extern const char *const euact_prohibited_values[];
extern const char *const euact_derogation_conditions[];
extern const char *const euact_transparency_values[];
extern const char *const euact_gpai_values[];

/*
 * Classifies the AI system `ai` (the merged new state of an ai-systems
 * record) when its Art. 5 practices are marked checked: sets
 * eu_ai_act_category and eu_ai_act_reasoning in ai. Before that it only
 * checks the answers. 0, or AIMS_EINVALID naming the field whose answer
 * contradicts the Act (a derogation for a system outside Annex III, or for
 * one that profiles people; a derogation without its conditions or real
 * reasons; Annex I without the legislation named).
 */
int euact_classify(json_t *ai);

/*
 * Does Art. 27 (fundamental-rights impact assessment) apply to the
 * organisation for AI system ai, given the organisation's profile (NULL:
 * none recorded)? When it does, why[] says so in words.
 */
bool euact_art27_applies(const json_t *ai, const json_t *profile, char why[EUACT_WHY_MAX]);
/* Is the organisation the system's deployer (its EU AI Act roles, else org_role customer)? */
bool euact_is_deployer(const json_t *ai);
/*
 * Is it registered in the EU database (Art. 49(1)-(3))? Systems listed in
 * Annex III outside point 2 (critical infrastructure is registered
 * nationally, Art. 49(5)); Annex I products are not.
 */
bool euact_registrable(const json_t *ai);
/* Is it the system's provider (its EU AI Act roles, else org_role provider)? */
bool euact_is_provider(const json_t *ai);

/*
 * Checks the "obligations" list of the EU AI Act catalog document: each
 * names an article of it, known roles and condition, a duty and the date
 * it applies from. 0 or AIMS_EINVALID naming the obligation.
 */
int euact_catalog_check(const json_t *catalog);

/* The organisation's EU AI Act profile (a new reference), or NULL when none is recorded. */
int euact_profile_load(json_t **out, struct db *db, int64_t org_id);

/*
 * The obligations that follow for AI system ref from its classification and
 * roles: [{article, role, title, duty, applies_from}] as the catalog lists
 * them. AIMS_ENOTFOUND when there is no such AI system.
 */
int euact_obligations_due(json_t **out, struct db *db, int64_t org_id, const char *ref);

/* The live obligation records of AI system ref: {"ARTICLE ROLE": {ref, status}}. */
int euact_obligations_recorded(json_t **out, struct db *db, int64_t org_id, const char *ref);

/*
 * Creates the obligation records that follow for AI system ref and do not
 * exist yet (one per article and role), in one transaction, each due on the
 * date its article applies from (Art. 113; a date passed makes it past
 * due), owned by the system's owner. *out: {ai_system, created [refs], existing [refs],
 * no_longer_following [refs of open obligations the classification no
 * longer gives]}.
 */
int euact_obligations_derive(json_t **out, struct db *db, int64_t org_id,
    const struct actor *actor, const char *ref);

/* euact_doc.c */
/*
 * The Annex IV technical documentation of high-risk AI system ref,
 * assembled from its records: {document, ai_system {ref, name}, provider,
 * generated_at, complete, gaps [texts], sections [{point 1..9, title,
 * complete, text {field: value}, records [{kind, ref, title, status}],
 * gaps [texts]}]}. AIMS_ECONFLICT when the system is not high-risk or the
 * organisation is not its provider.
 */
int euact_annex_iv(json_t **out, struct db *db, int64_t org_id, const char *ref);
/*
 * The Annex VIII registration data of AI system ref: Section A (Art. 49(1),
 * high-risk) or B (Art. 49(2), the Art. 6(3) derogation) for its provider,
 * or C (Art. 49(3)) for a deployer that is a public body using a high-risk
 * Annex III system: {document, section, legal_basis, ai_system,
 * generated_at, items [{point, label, value}], missing [{point, label}]}.
 * AIMS_ECONFLICT when the organisation has none of these to make.
 */
int euact_annex_viii(json_t **out, struct db *db, int64_t org_id, const char *ref);

#endif
