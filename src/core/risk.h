/*
 * risk.h - the organisation's risk criteria (6.1.2) and risk scoring.
 *
 * The criteria are the `risk-criteria` record (one per organisation, created
 * at org creation with a default 5 x 5): likelihood and impact scales of 3 to
 * 7 levels with the organisation's own labels, a scoring rule (multiply, add,
 * or an explicit matrix), level bands over the scores, and an acceptance
 * threshold. Changing them makes a new version; every risk records the
 * criteria version it was scored under (`criteria_version`).
 */
#ifndef AIMS_CORE_RISK_H
#define AIMS_CORE_RISK_H

#include <jansson.h>
#include <stdint.h>

struct db;

#define RISK_LEVELS_MIN		3
#define RISK_LEVELS_MAX		7
#define RISK_BANDS_MAX		10
#define RISK_BAND_NAME_MAX	64
#define RISK_SCORE_MAX		1000

enum risk_scoring { RISK_SCORING_MULTIPLY, RISK_SCORING_ADD, RISK_SCORING_MATRIX };

struct risk_band {
	char	name[RISK_BAND_NAME_MAX + 1];
	int	min, max;		/* inclusive score range */
};

struct risk_criteria {
	int64_t			version;	/* of the risk-criteria record */
	int			nlikelihood, nimpact;
	enum risk_scoring	scoring;
	int			matrix[RISK_LEVELS_MAX][RISK_LEVELS_MAX];
	struct risk_band	bands[RISK_BANDS_MAX];
	int			nbands;
	int			threshold;	/* highest score retained without acceptance */
};

/* Checks criteria fields (data of the record) and fills out; names the bad field. */
int risk_criteria_parse(struct risk_criteria *out, const json_t *data);
/*
 * The org's risk-criteria record in force, as record_get() gives it (labels
 * included): the approved version while a revision of it is open.
 */
int risk_criteria_get(json_t **out, struct db *db, int64_t org_id);
/*
 * The org's criteria in force (the approved version while a revision of them
 * is open; version is that version's number); AIMS_ECONFLICT when it has none.
 */
int risk_criteria_load(struct risk_criteria *out, struct db *db, int64_t org_id);
/* Score of likelihood x impact (both 1-based and within the scales). */
int risk_criteria_score(const struct risk_criteria *c, int likelihood, int impact);
/* Name of the band holding score (borrowed from c), or NULL. */
const char *risk_criteria_level(const struct risk_criteria *c, int score);
/* The default criteria: 5 x 5, multiply, four bands, threshold 9. Caller owns. */
json_t *risk_criteria_default(void);

#endif
