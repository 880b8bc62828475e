/*
 * incident.h - the EU AI Act reporting clock of an incident (Art. 73 for a
 * provider, Art. 26(5) for a deployer), shared by the incidents kind, the
 * pages and the readiness checks.
 */
#ifndef AIMS_CORE_INCIDENT_H
#define AIMS_CORE_INCIDENT_H

#include <stdbool.h>
#include <time.h>

/* Days from awareness the Act allows a provider (Art. 73(2)-(4)). */
#define INCIDENT_DAYS_DEFAULT		15	/* Art. 73(2) */
#define INCIDENT_DAYS_DEATH		10	/* Art. 73(4) */
#define INCIDENT_DAYS_WIDESPREAD	2	/* Art. 73(3): widespread infringement,
						   critical-infrastructure disruption */

/*
 * When a serious incident must be reported, and to whom, for an
 * organisation in `role` ("provider" or "deployer") that became aware of it
 * at `aware`. serious_kind is one of the incidents kind's values. A provider
 * reports to the market surveillance authority within the days above; a
 * deployer informs the provider immediately, so its report is due at
 * awareness. Returns false (nothing is due) when the incident is not
 * serious, or role or serious_kind is missing or unknown; *to then NULL.
 */
bool incident_report_due(time_t *due, const char **to, bool serious, const char *serious_kind,
    const char *role, time_t aware);

#endif
