/*
 * dashboard.h - the figures of the web UI's overview pages, each computed
 * with a few set-based reads whatever the size of the organisation: counts
 * come from counts core keeps current as records change, following each
 * kind's declaration (core/record_counts.h), due dates from the index of
 * filterable fields, activity from the newest ledger entries.
 */
#ifndef AIMS_ENGINE_DASHBOARD_H
#define AIMS_ENGINE_DASHBOARD_H

#include <jansson.h>
#include <stdint.h>
#include <time.h>

struct db;

#define DASHBOARD_DUE_DAYS	30	/* "coming up": due within this many days */
#define DASHBOARD_DUE_MAX	10	/* entries in "coming up" and in "past due" */
#define DASHBOARD_ACTIVITY_MAX	12	/* newest ledger entries shown */
#define DASHBOARD_EVIDENCE_CAP	100	/* evidence counted per control, at most */

/*
 * Everything the dashboard shows, at the date of `now`, as web.h's
 * web_page_dashboard() takes it:
 *   areas: [{section, kind, label, count, done, total}]  (done/total where the
 *          kind declares done states: approved, treated, implemented)
 *   soa: {kind, controls, decided, applicable, implemented}
 *   risk: {kind, likelihood_labels, impact_labels, band_labels, bands, maps:
 *          [{dim, label, cells, filter_rows, filter_cols}]}  (the heat maps the
 *          kind declares; cells: rows are likelihood 1..n, columns impact 1..m;
 *          filter_* only where the cells link to the filtered list)
 *   charts: [{kind, dim, label, filter, empty, groups: [{value, count}]}]  (every
 *          declared bar chart, largest value first)
 *   upcoming, overdue: [{kind, ref, title, what, date}]  (the declared due dates)
 *   activity: [{time, actor, action, kind, ref, title}]
 * Caller owns *out.
 */
int dashboard_compute(json_t **out, struct db *db, int64_t org_id, time_t now);

/*
 * The Statement of Applicability page's rows, in catalog order: soa_rows()
 * (core/soa.h) with each entry's record version, its area's title
 * (area_title) and how many live evidence records name the control
 * (evidence_count, counted up to DASHBOARD_EVIDENCE_CAP). Caller owns *out.
 */
int dashboard_soa(json_t **out, struct db *db, int64_t org_id);

#endif
