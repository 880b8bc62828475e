/*
 * api.h - the JSON API handlers, one file per resource (api_*.c). Each is a
 * route_fn: it reads validated input from the context, calls core, and
 * answers; the route table (routes.c) says who may call it with what.
 */
#ifndef AIMS_HTTP_API_H
#define AIMS_HTTP_API_H

#include "core/evidence.h"
#include "http/http.h"

/* api_ops.c */
int api_healthz(struct http_ctx *c);
int api_readyz(struct http_ctx *c);
int api_metrics(struct http_ctx *c);
int api_openapi(struct http_ctx *c);

/* api_tokens.c */
int api_tokens_list(struct http_ctx *c);
int api_tokens_create(struct http_ctx *c);
int api_tokens_get(struct http_ctx *c);
int api_tokens_revoke(struct http_ctx *c);

/* api_orgs.c */
int api_orgs_list(struct http_ctx *c);
int api_orgs_create(struct http_ctx *c);
int api_orgs_get(struct http_ctx *c);
int api_orgs_update(struct http_ctx *c);

/* api_members.c */
int api_members_list(struct http_ctx *c);
int api_competence_gaps(struct http_ctx *c);
int api_ack_add(struct http_ctx *c);
/* api_comments.c */
int api_comments_list(struct http_ctx *c);
int api_comments_add(struct http_ctx *c);
int api_ack_status(struct http_ctx *c);
int api_members_add(struct http_ctx *c);
int api_members_get(struct http_ctx *c);
int api_members_update(struct http_ctx *c);
int api_members_remove(struct http_ctx *c);
int api_members_disable(struct http_ctx *c);
int api_members_enable(struct http_ctx *c);

/* api_evidence.c */
int api_evidence_files(struct http_ctx *c);
int api_evidence_download(struct http_ctx *c);
/*
 * Answers with one stored revision of evidence ref (0: the latest) as an
 * attachment, with its allow-listed type and its SHA-256 (X-Content-SHA256),
 * sent from the file: the one download of the API and the web pages.
 */
int http_reply_evidence_file(struct http_ctx *c, const char *ref, int64_t revision);
/*
 * The file of a received upload as core takes it (linked into the store, not
 * copied: see evidence_upload.received); false when u holds no file.
 */
bool http_upload_evidence(struct evidence_upload *out, const struct http_upload *u);
/*
 * Creates evidence (ref NULL) or changes it with a new file revision (up,
 * may be NULL for a page's form without a file) through the server's
 * writer: fields as evidence_save() takes them, or, with file_only, the
 * revision alone (evidence_file_add()). *out is the record once committed.
 */
int http_evidence_write(json_t **out, struct http_ctx *c, const char *ref, int64_t version,
    const json_t *fields, bool file_only, const struct evidence_upload *up);
/* POST /evidence/{ref}/files: the uploaded file as the record's next revision. */
int api_evidence_upload(struct http_ctx *c);
/* POST /evidence with a file: the new record and its first revision together. */
int api_evidence_create(struct http_ctx *c);

/* api_records.c */
int api_records_list(struct http_ctx *c);
int api_records_create(struct http_ctx *c);
int api_records_get(struct http_ctx *c);
int api_records_update(struct http_ctx *c);
int api_records_delete(struct http_ctx *c);
int api_records_versions(struct http_ctx *c);
int api_records_version_get(struct http_ctx *c);
int api_records_links(struct http_ctx *c);
/* api_metrics.c: readings pushed in batches, a chart's series, monitoring state. */
int api_metric_readings_push(struct http_ctx *c);
int api_metric_readings_get(struct http_ctx *c);
int api_metric_status(struct http_ctx *c);
int api_records_steps(struct http_ctx *c);

/* api_audits.c */
int api_audit_coverage(struct http_ctx *c);
int api_audit_checklist_save(struct http_ctx *c);
int api_audit_report(struct http_ctx *c);
int api_audits_mine(struct http_ctx *c);

/* api_catalog.c */
int api_catalog_list(struct http_ctx *c);
int api_catalog_get(struct http_ctx *c);

/* api_ledger.c */
int api_ledger_list(struct http_ctx *c);
int api_ledger_verify_start(struct http_ctx *c);
int api_ledger_verify_get(struct http_ctx *c);
/* api_packs.c */
int api_pack_start(struct http_ctx *c);
int api_pack_latest(struct http_ctx *c);
int api_pack_download(struct http_ctx *c);

/* api_oscal.c */
int api_oscal_export(struct http_ctx *c);
int api_oscal_import(struct http_ctx *c);
int api_bom_import(struct http_ctx *c);
int api_bom_export(struct http_ctx *c);
int api_oscal_catalogs(struct http_ctx *c);

/* api_coverage.c */
int api_coverage_get(struct http_ctx *c);
int api_coverage_mapping(struct http_ctx *c);
int api_euact_obligations_due(struct http_ctx *c);
int api_euact_obligations_derive(struct http_ctx *c);
int api_euact_document(struct http_ctx *c);

/* api_readiness.c */
int api_readiness_get(struct http_ctx *c);
int api_export_get(struct http_ctx *c);
int api_soa_versions_list(struct http_ctx *c);
int api_soa_versions_publish(struct http_ctx *c);
int api_soa_versions_get(struct http_ctx *c);
int api_soa_changes(struct http_ctx *c);

/* api_concerns.c: the concern reporting channel (core/concern.h). */
#define CONCERN_PER_HOUR		5	/* reports a client network may send an hour */
#define CONCERN_READS_PER_MINUTE	30	/* key look-ups a client network may make */
#define HTTP_CONCERN_READ_PATH		"/api/v1/public/concerns/"
int api_concern_channel_get(struct http_ctx *c);
int api_concern_channel_set(struct http_ctx *c);
int api_public_concern_create(struct http_ctx *c);
int api_public_concern_get(struct http_ctx *c);
/*
 * Takes one from the in-memory bucket `what` of the caller's network (n a
 * period): 0, or AIMS_ETHROTTLED with Retry-After set. Shared with the
 * public web pages.
 */
int http_concern_limit(struct http_ctx *c, const char *what, unsigned n, unsigned period_sec);

/* api_work.c: the caller's work (core/work.h) and the certification calendar. */
int api_my_work(struct http_ctx *c);
int api_calendar(struct http_ctx *c);
int api_work_items(struct http_ctx *c);

/* api_notify.c: the bell, mail choice, webhooks, calendar feeds and the feeds. */
int api_notifications_list(struct http_ctx *c);
int api_notifications_read(struct http_ctx *c);
int api_notify_settings_get(struct http_ctx *c);
int api_notify_settings_set(struct http_ctx *c);
int api_webhooks_list(struct http_ctx *c);
int api_webhooks_create(struct http_ctx *c);
int api_webhooks_get(struct http_ctx *c);
int api_webhooks_delete(struct http_ctx *c);
int api_webhooks_enable(struct http_ctx *c);
int api_webhooks_deliveries(struct http_ctx *c);
int api_feeds_list(struct http_ctx *c);
int api_feeds_create(struct http_ctx *c);
int api_feeds_revoke(struct http_ctx *c);
int api_ical(struct http_ctx *c);

/* openapi.c: the OpenAPI 3.1 document generated from the route table. */
json_t *openapi_document(void);

#endif
