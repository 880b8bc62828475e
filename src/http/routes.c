/*
 * routes.c - THE route table of the JSON API: every method, path, handler,
 * permission, query parameter and body field, declared once. The router
 * enforces it and openapi.c publishes it.
 */
#include <stddef.h>
#include <stdint.h>

#include "core/audit.h"
#include "core/catalog.h"
#include "core/crosswalk.h"
#include "core/comment.h"
#include "core/metric.h"
#include "core/org.h"
#include "http/api.h"
#include "http/auth.h"
#include "http/router.h"
#include "util/tz.h"

#define END_SPEC	{ NULL, 0, 0, 0, 0, NULL, NULL }

/* Path parameters: the same name means the same validator everywhere. */
const struct val_spec http_path_params[] = {
	{ "org", VAL_SLUG, VAL_REQUIRED, 0, 0, NULL, "organisation slug" },
	{ "id", VAL_INT, VAL_REQUIRED, 1, INT64_MAX, NULL, "numeric identifier" },
	{ "email", VAL_EMAIL, VAL_REQUIRED, 0, 254, NULL, "a member's email address" },
	{ "req", VAL_ID, VAL_REQUIRED, 0, 0, NULL, "requirement id, such as A.6.2.4 or 6.1.4" },
	{ "kind", VAL_ID, VAL_REQUIRED, 0, 0, NULL,
	    "a record kind, as `aims record kinds` lists them" },
	{ "key", VAL_ID, VAL_REQUIRED, 0, 0, NULL,
	    "the report key given when the concern was sent" },
	{ "ref", VAL_ID, VAL_REQUIRED, 0, 0, NULL,
	    "a record's reference, such as AIS-7, RISK-42, or a control id for soa (A.6.2.6)" },
	{ "feed", VAL_ID, VAL_REQUIRED, 0, 0, NULL,
	    "a calendar feed's key as its URL gives it: ID-SECRET.ics" },
	END_SPEC,
};

static const struct val_spec session_body[] = {
	{ "email", VAL_EMAIL, VAL_REQUIRED, 0, 254, NULL, "the account's email address" },
	{ "password", VAL_STRING, VAL_REQUIRED | VAL_SECRET, 1, AUTH_PASSWORD_MAX, NULL,
	    "the account's password" },
	END_SPEC,
};

static const struct val_spec password_body[] = {
	{ "current_password", VAL_STRING, VAL_REQUIRED | VAL_SECRET, 1, AUTH_PASSWORD_MAX, NULL,
	    "your password now" },
	{ "new_password", VAL_STRING, VAL_REQUIRED | VAL_SECRET, 1, AUTH_PASSWORD_MAX, NULL,
	    "the new password, at least 12 characters" },
	END_SPEC,
};

static const struct val_spec token_body[] = {
	{ "name", VAL_STRING, VAL_REQUIRED, 1, 100, NULL, "what the token is for" },
	{ "role", VAL_ROLE, VAL_REQUIRED, 0, 0, NULL,
	    "role the token acts with; not higher than yours" },
	{ "expires_at", VAL_RFC3339, VAL_NULLABLE, 0, 0, NULL,
	    "when the token stops working (RFC 3339 UTC); null or absent: never" },
	END_SPEC,
};

static const struct val_spec pack_body[] = {
	{ "since", VAL_STRING, 0, 1, 64, NULL,
	    "cite every version written since this date (YYYY-MM-DD or RFC 3339) and the "
	    "current version of every record; absent: every version" },
	{ "requirements", VAL_STRING, 0, 1, 4096, NULL,
	    "only records linked to these requirements, ids separated by commas "
	    "(A.6.2.6,6.1.2); absent: every record. The SoA is always whole" },
	END_SPEC,
};

static const struct val_spec org_create_body[] = {
	{ "slug", VAL_SLUG, VAL_REQUIRED, 0, 0, NULL, "short name used in URLs (a-z, 0-9, '-')" },
	{ "name", VAL_STRING, 0, 1, 200, NULL, "display name (default: the slug)" },
	END_SPEC,
};

static const struct val_spec org_readiness_props[] = {
	{ "target_stage", VAL_INT, VAL_NULLABLE, 1, 2, NULL,
	    "the audit stage prepared for: 1 (documentation) or 2 (the AIMS operating); null: "
	    "none" },
	{ "audit_date", VAL_STRING, VAL_NULLABLE, 10, 10, NULL,
	    "the certification audit's first day (YYYY-MM-DD, not past, at most three years "
	    "on); readiness counts the days left; null: none" },
	{ "evidence_max_age_days", VAL_INT, VAL_NULLABLE, ORG_EVIDENCE_AGE_MIN,
	    ORG_EVIDENCE_AGE_MAX, NULL,
	    "evidence without a valid-until date counts as stale once collected longer ago; "
	    "null: never" },
	{ "metric_window_days", VAL_INT, VAL_NULLABLE, ORG_METRIC_WINDOW_MIN,
	    ORG_METRIC_WINDOW_MAX, NULL,
	    "a metric counts as evaluated this many days (default 92); null: the default" },
	{ "manual_as_gaps", VAL_BOOL, VAL_NULLABLE, 0, 0, NULL,
	    "list the items to confirm by hand as gaps (counted in the verdicts); default false" },
	END_SPEC,
};

static const struct val_spec org_update_body[] = {
	{ "name", VAL_STRING, 0, 1, 200, NULL, "display name" },
	{ "ai_roles", VAL_STRING_LIST, 0, 1, 32, NULL,
	    "the organisation's AI roles (ISO/IEC 22989, clause 4.1): provider, producer, "
	    "customer, partner, subject, relevant_authority; [] clears them, so the roles "
	    "derived from its AI systems count" },
	{ "timezone", VAL_STRING, 0, 0, TZ_NAME_MAX, NULL,
	    "the time zone its pages show times in (a tz database name such as Europe/Berlin; "
	    "\"\" or \"UTC\": UTC); storage and the API stay UTC" },
	{ "readiness", VAL_OBJECT, 0, 0, 0, NULL,
	    "readiness options (docs/readiness.md); the fields given change, null resets one",
	    org_readiness_props },
	END_SPEC,
};

static const struct val_spec member_add_body[] = {
	{ "email", VAL_EMAIL, VAL_REQUIRED, 0, 254, NULL, "an existing user's email address" },
	{ "role", VAL_ROLE, VAL_REQUIRED, 0, 0, NULL, "their role; not higher than yours" },
	END_SPEC,
};

static const struct val_spec member_update_body[] = {
	{ "role", VAL_ROLE, VAL_REQUIRED, 0, 0, NULL, "the new role; not higher than yours" },
	END_SPEC,
};

static const struct val_spec catalog_query[] = {
	{ "framework", VAL_ID, 0, 0, 0, NULL,
	    "framework id: iso42001, eu-ai-act, nist-ai-rmf, iso27001, owasp-llm-2025, atlas" },
	{ "kind", VAL_ENUM, 0, 0, 0, catalog_kinds, "kind of requirement" },
	END_SPEC,
};

static const struct val_spec catalog_get_query[] = {
	{ "framework", VAL_ID, 0, 0, 0, NULL, "framework id (default iso42001)" },
	END_SPEC,
};

static const struct val_spec coverage_query[] = {
	{ "framework", VAL_ENUM, VAL_REQUIRED, 0, 0, crosswalk_frameworks,
	    "the framework: eu-ai-act, nist-ai-rmf, iso27001, owasp-llm-2025 or atlas" },
	END_SPEC,
};

static const struct val_spec ledger_query[] = {
	{ "limit", VAL_INT, 0, 1, 500, NULL, "newest entries to return (default 50)" },
	END_SPEC,
};

static const struct val_spec oscal_catalog_query[] = {
	{ "catalog", VAL_SLUG, 0, 0, 0, NULL,
	    "a catalog the organisation imported (aims import oscal), instead of ISO/IEC 42001" },
	END_SPEC,
};

static const struct val_spec oscal_import_query[] = {
	{ "catalog_id", VAL_SLUG, 0, 0, 0, NULL,
	    "a catalog's id in this organisation (default: made from its title)" },
	{ "check", VAL_BOOL, 0, 0, 0, NULL, "true: check the document, keep nothing" },
	END_SPEC,
};

static const struct val_spec bom_import_query[] = {
	{ "check", VAL_BOOL, 0, 0, 0, NULL, "true: check the file, keep nothing" },
	END_SPEC,
};

static const struct val_spec soa_version_query[] = {
	{ "version", VAL_INT, 0, 1, INT32_MAX, NULL,
	    "a published SoA version instead of the draft (the live entries)" },
	END_SPEC,
};

static const struct val_spec soa_changes_query[] = {
	{ "version", VAL_INT, 0, 1, INT32_MAX, NULL,
	    "compare with this published version (default: the latest)" },
	END_SPEC,
};

static const struct val_spec soa_publish_body[] = {
	{ "approver", VAL_EMAIL, 0, 0, 254, NULL,
	    "manager or admin who approved this version (default: you)" },
	{ "note", VAL_STRING, 0, 0, 2000, NULL, "what this version is for" },
	END_SPEC,
};

static const struct val_spec concern_channel_body[] = {
	{ "open", VAL_BOOL, VAL_REQUIRED, 0, 0, NULL,
	    "true: the public form takes reports; false: it answers 404" },
	END_SPEC,
};

static const struct val_spec concern_body[] = {
	{ "text", VAL_STRING, VAL_REQUIRED, 10, 20000, NULL,
	    "the concern, in the reporter's words; leave out your name to stay anonymous" },
	END_SPEC,
};

#define R_ORG(m, p, h, act, kind, q, b, fl, st, sum, tag) \
	{ m, p, h, ROUTE_ORG, act, kind, q, b, fl, st, sum, tag, p }
#define R_ANY(m, p, h, auth, q, b, fl, st, sum, tag) \
	{ m, p, h, auth, PERM_READ, PERM_KIND_ORG, q, b, fl, st, sum, tag, p }

static const char *const list_formats[] = { "csv", "xlsx", NULL };

static const struct val_spec record_list_query[] = {
	{ "limit", VAL_INT, 0, 1, 500, NULL, "page size, 1 to 500 (default 50)" },
	{ "cursor", VAL_STRING, 0, 1, 512, NULL, "the next_cursor of the previous page" },
	{ "sort", VAL_STRING, 0, 1, 64, NULL, "a sortable field, '-' first for descending" },
	{ "q", VAL_STRING, 0, 1, 200, NULL, "search text" },
	{ "retired", VAL_BOOL, 0, 0, 0, NULL, "include retired records" },
	{ "format", VAL_ENUM, 0, 0, 0, list_formats,
	    "download every matching record as csv or xlsx instead of a JSON page" },
	END_SPEC,
};

static const struct val_spec comment_body[] = {
	{ "body", VAL_STRING, VAL_REQUIRED, 1, COMMENT_BODY_MAX, NULL,
	    "the comment, Markdown; '@' and a member's e-mail address mentions them" },
	END_SPEC,
};

static const struct val_spec reading_body[] = {
	{ "at", VAL_RFC3339, VAL_REQUIRED, 0, 0, NULL, "when it was measured (RFC 3339 UTC)" },
	{ "value", VAL_NUMBER, VAL_REQUIRED, 0, 0, NULL, "the reading, in the metric's unit" },
	END_SPEC,
};

static const struct val_spec metric_series_query[] = {
	{ "from", VAL_RFC3339, 0, 0, 0, NULL, "start of the range (default: 30 days before to)" },
	{ "to", VAL_RFC3339, 0, 0, 0, NULL, "end of the range (default: now)" },
	{ "points", VAL_INT, 0, 2, METRIC_SERIES_POINTS_MAX, NULL,
	    "at most this many points (default and most: 2000)" },
	END_SPEC,
};

static const struct val_spec metric_status_query[] = {
	{ "ai_system", VAL_ID, 0, 0, 0, NULL, "only the metrics of this AI system (AIS-3)" },
	{ "objective", VAL_ID, 0, 0, 0, NULL, "only the metrics of this objective (OBJ-2)" },
	END_SPEC,
};

static const struct val_spec record_versions_query[] = {
	{ "status", VAL_STRING, 0, 1, 32, NULL, "only versions in this status" },
	END_SPEC,
};

static const char *const report_formats[] = { "json", "html", NULL };

static const struct val_spec audit_report_query[] = {
	{ "format", VAL_ENUM, 0, 0, 0, report_formats, "json (default) or html" },
	END_SPEC,
};

static const struct val_spec audit_checklist_body[] = {
	{ "notes", VAL_TEXT, VAL_NULLABLE, 0, 200000, NULL,
	    "what was asked, seen and heard" },
	{ "sampled", VAL_STRING_LIST, VAL_NULLABLE, 1, 64, NULL,
	    "references of the records and evidence sampled" },
	{ "conclusion", VAL_ENUM, VAL_NULLABLE, 0, 0, audit_conclusion_values,
	    "conforming, major_nc, minor_nc, observation or opportunity" },
	END_SPEC,
};

static const char *const mail_choices[] = { "immediate", "digest", "none", NULL };
static const char *const feed_scopes[] = { "me", "org", NULL };

static const struct val_spec work_items_query[] = {
	{ "owner", VAL_EMAIL, 0, 0, 254, NULL, "only this member's (default: everyone's)" },
	{ "from", VAL_STRING, 0, 10, 10, NULL, "due on or after this date (YYYY-MM-DD)" },
	{ "to", VAL_STRING, 0, 10, 10, NULL, "due on or before this date (YYYY-MM-DD)" },
	{ "limit", VAL_INT, 0, 1, 500, NULL, "at most this many, nearest first (default 100)" },
	END_SPEC,
};

static const struct val_spec notify_settings_body[] = {
	{ "mail", VAL_ENUM, VAL_REQUIRED, 0, 0, mail_choices,
	    "immediate: a mail for each assignment and sign-off request; digest: one mail a "
	    "day with your work; none. The choice is yours in every organisation" },
	END_SPEC,
};

static const struct val_spec notifications_read_body[] = {
	{ "id", VAL_INT, 0, 1, INT64_MAX, NULL, "the notification read; absent: all of them" },
	END_SPEC,
};

static const struct val_spec webhook_body[] = {
	{ "url", VAL_STRING, VAL_REQUIRED, 1, 2048, NULL,
	    "where deliveries are POSTed: http:// or https://, no credentials; private, "
	    "loopback and link-local addresses are refused unless the server allows them" },
	{ "events", VAL_STRING_LIST, VAL_REQUIRED, 1, 64, NULL,
	    "the events to deliver: *, record.created, record.changed, record.deleted, "
	    "task.assigned, approval.requested" },
	END_SPEC,
};

static const struct val_spec feed_body[] = {
	{ "scope", VAL_ENUM, VAL_REQUIRED, 0, 0, feed_scopes,
	    "me: your work; org: the certification calendar (manager or admin)" },
	END_SPEC,
};

/* Fields are the kind's own (ROUTE_RECORD): the record engine checks them. */
static const struct val_spec record_body[] = {
	END_SPEC,
};

const struct route http_routes[] = {
	/* Operations. */
	R_ANY("GET", "/healthz", api_healthz, ROUTE_PUBLIC, NULL, NULL, 0, 200,
	    "The process is up", "operations"),
	R_ANY("GET", "/readyz", api_readyz, ROUTE_PUBLIC, NULL, NULL, 0, 200,
	    "The database answers", "operations"),
	R_ANY("GET", "/metrics", api_metrics, ROUTE_PUBLIC, NULL, NULL, ROUTE_RAW, 200,
	    "Prometheus metrics", "operations"),
	R_ANY("GET", "/api/v1/openapi.json", api_openapi, ROUTE_PUBLIC, NULL, NULL, 0, 200,
	    "This API's OpenAPI 3.1 document", "operations"),

	/* Sign-in. */
	R_ANY("POST", "/api/v1/session", auth_session_create, ROUTE_PUBLIC, NULL, session_body,
	    0, 200, "Sign in: sets the session cookie", "session"),
	R_ANY("GET", "/api/v1/session", auth_session_get, ROUTE_SIGNED_IN, NULL, NULL, 0, 200,
	    "Who is signed in, and their organisations", "session"),
	R_ANY("DELETE", "/api/v1/session", auth_session_delete, ROUTE_USER, NULL, NULL, 0, 204,
	    "Sign out", "session"),
	R_ANY("POST", "/api/v1/session/password", auth_password_change, ROUTE_USER, NULL,
	    password_body, 0, 204,
	    "Change your password: your other sessions end, this one stays", "session"),

	/* Organisations. */
	R_ANY("GET", "/api/v1/orgs", api_orgs_list, ROUTE_SIGNED_IN, NULL, NULL, ROUTE_LIST, 200,
	    "The organisations you belong to, with your role", "organisations"),
	R_ANY("POST", "/api/v1/orgs", api_orgs_create, ROUTE_USER, NULL, org_create_body,
	    ROUTE_IDEMPOTENT, 201, "Create an organisation; you become its admin",
	    "organisations"),
	R_ORG("GET", "/api/v1/orgs/{org}", api_orgs_get, PERM_READ, PERM_KIND_ORG, NULL, NULL, 0,
	    200, "Read an organisation", "organisations"),
	R_ORG("PATCH", "/api/v1/orgs/{org}", api_orgs_update, PERM_WRITE, PERM_KIND_ORG, NULL,
	    org_update_body, ROUTE_IF_MATCH, 200,
	    "Rename an organisation, set its AI roles, time zone or readiness options",
	    "organisations"),

	/* Members. */
	R_ORG("GET", "/api/v1/orgs/{org}/members", api_members_list, PERM_READ,
	    PERM_KIND_MEMBERSHIP, NULL, NULL, ROUTE_LIST, 200, "List members and their roles",
	    "members"),
	R_ORG("POST", "/api/v1/orgs/{org}/members", api_members_add, PERM_WRITE,
	    PERM_KIND_MEMBERSHIP, NULL, member_add_body, ROUTE_IDEMPOTENT | ROUTE_PEOPLE, 201,
	    "Add an existing user as a member", "members"),
	R_ORG("GET", "/api/v1/orgs/{org}/members/{email}", api_members_get, PERM_READ,
	    PERM_KIND_MEMBERSHIP, NULL, NULL, 0, 200, "Read a membership", "members"),
	R_ORG("PATCH", "/api/v1/orgs/{org}/members/{email}", api_members_update, PERM_WRITE,
	    PERM_KIND_MEMBERSHIP, NULL, member_update_body, ROUTE_IF_MATCH | ROUTE_PEOPLE, 200,
	    "Change a member's role", "members"),
	R_ORG("DELETE", "/api/v1/orgs/{org}/members/{email}", api_members_remove, PERM_DELETE,
	    PERM_KIND_MEMBERSHIP, NULL, NULL, ROUTE_IF_MATCH | ROUTE_PEOPLE, 204,
	    "Remove a member; their API tokens in this organisation are revoked", "members"),
	R_ORG("POST", "/api/v1/orgs/{org}/members/{email}/disable", api_members_disable,
	    PERM_ADMIN, PERM_KIND_MEMBERSHIP, NULL, NULL, ROUTE_PEOPLE, 200,
	    "Disable a member's account: no sign-in, all sessions ended, all their API tokens "
	    "revoked (admin of every organisation they belong to)", "members"),
	R_ORG("POST", "/api/v1/orgs/{org}/members/{email}/enable", api_members_enable,
	    PERM_ADMIN, PERM_KIND_MEMBERSHIP, NULL, NULL, ROUTE_PEOPLE, 200,
	    "Let a disabled member sign in again (their revoked tokens stay revoked)", "members"),

	/* API tokens. */
	R_ORG("GET", "/api/v1/orgs/{org}/tokens", api_tokens_list, PERM_READ, PERM_KIND_TOKEN,
	    NULL, NULL, ROUTE_LIST, 200, "List API tokens (without secrets)", "tokens"),
	R_ORG("POST", "/api/v1/orgs/{org}/tokens", api_tokens_create, PERM_WRITE,
	    PERM_KIND_TOKEN, NULL, token_body, ROUTE_IDEMPOTENT | ROUTE_PEOPLE | ROUTE_SECRET,
	    201, "Create an API token; the answer holds the secret, once", "tokens"),
	R_ORG("GET", "/api/v1/orgs/{org}/tokens/{id}", api_tokens_get, PERM_READ,
	    PERM_KIND_TOKEN, NULL, NULL, 0, 200, "Read an API token (without its secret)",
	    "tokens"),
	R_ORG("DELETE", "/api/v1/orgs/{org}/tokens/{id}", api_tokens_revoke, PERM_DELETE,
	    PERM_KIND_TOKEN, NULL, NULL, ROUTE_IF_MATCH | ROUTE_PEOPLE, 204,
	    "Revoke an API token", "tokens"),

	/* Catalog: shared by every organisation. */
	R_ANY("GET", "/api/v1/catalog/requirements", api_catalog_list, ROUTE_PUBLIC,
	    catalog_query, NULL, ROUTE_LIST, 200, "List requirements of the frameworks", "catalog"),
	R_ANY("GET", "/api/v1/catalog/requirements/{req}", api_catalog_get, ROUTE_PUBLIC,
	    catalog_get_query, NULL, 0, 200, "Read one requirement with its children", "catalog"),

	/* Ledger. */
	R_ORG("GET", "/api/v1/orgs/{org}/ledger", api_ledger_list, PERM_READ, PERM_KIND_LEDGER,
	    ledger_query, NULL, 0, 200, "The organisation's audit trail, newest first", "ledger"),
	R_ORG("POST", "/api/v1/orgs/{org}/ledger/verify", api_ledger_verify_start, PERM_READ,
	    PERM_KIND_LEDGER, NULL, NULL, ROUTE_HEAVY | ROUTE_ACCEPTED, 202,
	    "Start verifying the audit trail (hashes, signed checkpoints, records) in the "
	    "background, one run at a time per organisation: answers the run, as GET does",
	    "ledger"),
	R_ORG("GET", "/api/v1/orgs/{org}/ledger/verify", api_ledger_verify_get, PERM_READ,
	    PERM_KIND_LEDGER, NULL, NULL, ROUTE_ACCEPTED, 200,
	    "The running verification with its progress (202), or the last one's result (200)",
	    "ledger"),

	/* Competence (7.2, A.4.6) and AI literacy (EU AI Act Art. 4). */
	R_ORG("GET", "/api/v1/orgs/{org}/competence-gaps", api_competence_gaps, PERM_READ,
	    PERM_KIND_GOVERNANCE, NULL, NULL, 0, 200,
	    "People in a role without a competence it requires or with one expired, and the "
	    "share of members with current AI-literacy training", "competence"),

	/* Awareness (7.3): acknowledging the approved version in force. */
	R_ORG("POST", "/api/v1/orgs/{org}/documents/{ref}/acknowledgements", api_ack_add,
	    PERM_READ, PERM_KIND_GOVERNANCE, NULL, NULL, 0, 201,
	    "The signed-in member (or the member whose token it is) acknowledges the approved "
	    "version in force of the AI policy or of a document marked as requiring "
	    "acknowledgement; a ledger entry", "acknowledgements"),
	R_ORG("GET", "/api/v1/orgs/{org}/documents/{ref}/acknowledgements", api_ack_status,
	    PERM_READ, PERM_KIND_GOVERNANCE, NULL, NULL, 0, 200,
	    "Who has and who has not acknowledged the document's approved version in force",
	    "acknowledgements"),

	/* The audit pack (docs/pack.md). */
	R_ORG("POST", "/api/v1/orgs/{org}/packs", api_pack_start, PERM_READ, PERM_KIND_LEDGER,
	    NULL, pack_body, ROUTE_HEAVY | ROUTE_ACCEPTED, 202,
	    "Start making the organisation's audit pack in the background, one at a time per "
	    "organisation: answers the pack, as GET .../packs/latest does", "packs"),
	R_ORG("GET", "/api/v1/orgs/{org}/packs/latest", api_pack_latest, PERM_READ,
	    PERM_KIND_LEDGER, NULL, NULL, ROUTE_ACCEPTED, 200,
	    "The pack being made (202), or the latest one made (200) with its size and counts, "
	    "or why it could not be made", "packs"),
	R_ORG("GET", "/api/v1/orgs/{org}/packs/{id}/pack.zip", api_pack_download, PERM_READ,
	    PERM_KIND_LEDGER, NULL, NULL, ROUTE_RAW | ROUTE_HEAVY, 200,
	    "Download a finished audit pack (application/zip); only the latest is kept",
	    "packs"),

	/* Certification readiness. */
	R_ORG("GET", "/api/v1/orgs/{org}/readiness", api_readiness_get, PERM_READ,
	    PERM_KIND_GOVERNANCE, NULL, NULL, ROUTE_HEAVY, 200,
	    "Readiness for certification: every requirement met or not with the records "
	    "concerned, scores by clause and Annex A area, Stage 1 and Stage 2 verdicts, trend",
	    "readiness"),

	/* Crosswalks: other frameworks seen through ISO/IEC 42001. */
	R_ORG("GET", "/api/v1/orgs/{org}/coverage", api_coverage_get, PERM_READ,
	    PERM_KIND_GOVERNANCE, coverage_query, NULL, ROUTE_HEAVY, 200,
	    "How much of another framework the organisation's implemented controls, measures "
	    "and evidence cover, through the typed mappings to ISO/IEC 42001: per requirement "
	    "covered, partial or not_covered with the ISO/IEC 42001 requirements behind it and "
	    "what is missing", "coverage"),
	R_ORG("GET", "/api/v1/orgs/{org}/exports/oscal/mapping.json", api_coverage_mapping,
	    PERM_READ, PERM_KIND_GOVERNANCE, coverage_query, NULL, ROUTE_HEAVY, 200,
	    "OSCAL 1.2 mapping collection: the framework's typed mappings to ISO/IEC 42001, "
	    "each map with the organisation's coverage status and what is missing",
	    "exports"),

	/* The EU AI Act per AI system. */
	R_ORG("GET", "/api/v1/orgs/{org}/ai-systems/{ref}/obligations", api_euact_obligations_due,
	    PERM_READ, PERM_KIND_OPERATIONAL, NULL, NULL, 0, 200,
	    "The EU AI Act obligations that follow from the AI system's classification and the "
	    "organisation's roles for it: [{article, role, title, duty, applies_from}] (409 "
	    "while it is not classified)", "eu-ai-act"),
	R_ORG("POST", "/api/v1/orgs/{org}/ai-systems/{ref}/obligations",
	    api_euact_obligations_derive, PERM_WRITE, PERM_KIND_OPERATIONAL, NULL, NULL, 0, 200,
	    "Creates the obligation records that follow and do not exist yet (one per article "
	    "and role, due when the article applies, owned by the system's owner), all or "
	    "nothing: answers {created, existing, no_longer_following}", "eu-ai-act"),
	R_ORG("GET", "/api/v1/orgs/{org}/ai-systems/{ref}/annex-iv.json", api_euact_document,
	    PERM_READ, PERM_KIND_OPERATIONAL, NULL, NULL, ROUTE_HEAVY, 200,
	    "The Annex IV technical documentation of a high-risk AI system assembled from its "
	    "records, section by section with the gaps (409 when it is not high-risk)",
	    "eu-ai-act"),
	R_ORG("GET", "/api/v1/orgs/{org}/ai-systems/{ref}/annex-viii.json", api_euact_document,
	    PERM_READ, PERM_KIND_OPERATIONAL, NULL, NULL, ROUTE_HEAVY, 200,
	    "The Annex VIII registration data (Section A, or B under the Art. 6(3) derogation) "
	    "from the records, with what they cannot give listed as missing", "eu-ai-act"),

	/* The Statement of Applicability as a document. */
	R_ORG("GET", "/api/v1/orgs/{org}/soa-versions", api_soa_versions_list, PERM_READ,
	    PERM_KIND_GOVERNANCE, NULL, NULL, ROUTE_LIST, 200,
	    "Published versions of the Statement of Applicability, newest first", "soa"),
	R_ORG("POST", "/api/v1/orgs/{org}/soa-versions", api_soa_versions_publish, PERM_APPROVE,
	    PERM_KIND_GOVERNANCE, NULL, soa_publish_body, ROUTE_IDEMPOTENT, 201,
	    "Publish the Statement of Applicability: freeze every row as the next version",
	    "soa"),
	R_ORG("GET", "/api/v1/orgs/{org}/soa-versions/{id}", api_soa_versions_get, PERM_READ,
	    PERM_KIND_GOVERNANCE, NULL, NULL, 0, 200,
	    "One published version with every row as it was approved", "soa"),
	R_ORG("GET", "/api/v1/orgs/{org}/soa-changes", api_soa_changes, PERM_READ,
	    PERM_KIND_GOVERNANCE, soa_changes_query, NULL, 0, 200,
	    "What changed in the SoA, control by control, since a published version", "soa"),

	/* Exports: files for people outside OpenAIMS. */
	R_ORG("GET", "/api/v1/orgs/{org}/exports/soa.xlsx", api_export_get, PERM_READ,
	    PERM_KIND_GOVERNANCE, soa_version_query, NULL, ROUTE_RAW | ROUTE_HEAVY, 200,
	    "The Statement of Applicability as a spreadsheet (second sheet: exclusions)",
	    "exports"),
	R_ORG("GET", "/api/v1/orgs/{org}/exports/soa.csv", api_export_get, PERM_READ,
	    PERM_KIND_GOVERNANCE, soa_version_query, NULL, ROUTE_RAW | ROUTE_HEAVY, 200,
	    "The Statement of Applicability as CSV", "exports"),
	R_ORG("GET", "/api/v1/orgs/{org}/exports/soa.json", api_export_get, PERM_READ,
	    PERM_KIND_GOVERNANCE, soa_version_query, NULL, ROUTE_RAW | ROUTE_HEAVY, 200,
	    "The Statement of Applicability as JSON with its edition and version", "exports"),
	R_ORG("GET", "/api/v1/orgs/{org}/exports/risks.xlsx", api_export_get, PERM_READ,
	    PERM_KIND_GOVERNANCE, NULL, NULL, ROUTE_RAW | ROUTE_HEAVY, 200,
	    "The AI risk register as a spreadsheet", "exports"),
	R_ORG("GET", "/api/v1/orgs/{org}/exports/risks.csv", api_export_get, PERM_READ,
	    PERM_KIND_GOVERNANCE, NULL, NULL, ROUTE_RAW | ROUTE_HEAVY, 200, "The AI risk register as CSV",
	    "exports"),
	R_ORG("GET", "/api/v1/orgs/{org}/exports/ai-systems.xlsx", api_export_get, PERM_READ,
	    PERM_KIND_OPERATIONAL, NULL, NULL, ROUTE_RAW | ROUTE_HEAVY, 200,
	    "The AI system inventory as a spreadsheet", "exports"),
	R_ORG("GET", "/api/v1/orgs/{org}/exports/ai-systems.csv", api_export_get, PERM_READ,
	    PERM_KIND_OPERATIONAL, NULL, NULL, ROUTE_RAW | ROUTE_HEAVY, 200,
	    "The AI system inventory as CSV", "exports"),
	R_ORG("GET", "/api/v1/orgs/{org}/exports/readiness.html", api_export_get, PERM_READ,
	    PERM_KIND_GOVERNANCE, NULL, NULL, ROUTE_RAW | ROUTE_HEAVY, 200,
	    "The readiness report as one self-contained, printable HTML file", "exports"),
	R_ORG("GET", "/api/v1/orgs/{org}/exports/readiness.json", api_export_get, PERM_READ,
	    PERM_KIND_GOVERNANCE, NULL, NULL, ROUTE_RAW | ROUTE_HEAVY, 200,
	    "The readiness answer as a JSON file", "exports"),
	R_ORG("GET", "/api/v1/orgs/{org}/exports/oscal/catalog.json", api_oscal_export,
	    PERM_READ, PERM_KIND_GOVERNANCE, oscal_catalog_query, NULL, ROUTE_HEAVY, 200,
	    "OSCAL 1.2 catalog: ISO/IEC 42001 ids, titles and our own summaries (never the "
	    "standard's text), or a catalog the organisation imported", "exports"),
	R_ORG("GET", "/api/v1/orgs/{org}/exports/oscal/profile.json", api_oscal_export,
	    PERM_READ, PERM_KIND_GOVERNANCE, soa_version_query, NULL, ROUTE_HEAVY, 200,
	    "OSCAL 1.2 profile: the controls the Statement of Applicability declares applicable "
	    "(409 when none is yet)", "exports"),
	R_ORG("GET", "/api/v1/orgs/{org}/exports/oscal/ssp.json", api_oscal_export,
	    PERM_READ, PERM_KIND_GOVERNANCE, soa_version_query, NULL, ROUTE_HEAVY, 200,
	    "OSCAL 1.2 system security plan: the SoA and measures as implemented requirements, "
	    "the AI systems as components, the responsibilities as roles", "exports"),
	R_ORG("GET", "/api/v1/orgs/{org}/exports/oscal/assessment-results.json",
	    api_oscal_export, PERM_READ, PERM_KIND_GOVERNANCE, NULL, NULL, ROUTE_HEAVY, 200,
	    "OSCAL 1.2 assessment results: readiness findings per requirement with the checks "
	    "and evidence records as observations", "exports"),
	R_ORG("GET", "/api/v1/orgs/{org}/exports/oscal/poam.json", api_oscal_export,
	    PERM_READ, PERM_KIND_GOVERNANCE, NULL, NULL, ROUTE_HEAVY, 200,
	    "OSCAL 1.2 plan of action and milestones: one item per readiness gap (409 when "
	    "there is none)", "exports"),

	R_ORG("GET", "/api/v1/orgs/{org}/imported-catalogs", api_oscal_catalogs, PERM_READ,
	    PERM_KIND_GOVERNANCE, NULL, NULL, ROUTE_LIST, 200,
	    "The catalogs this organisation imported from OSCAL (no other organisation sees "
	    "them): id, title, version, item count, revision, who imported it and when",
	    "exports"),
	R_ORG("POST", "/api/v1/orgs/{org}/imports/oscal", api_oscal_import, PERM_WRITE,
	    PERM_KIND_OPERATIONAL, oscal_import_query, NULL, ROUTE_UPLOAD | ROUTE_HEAVY, 200,
	    "Import an OSCAL 1.2 JSON document (multipart/form-data, in the part 'file'), all or "
	    "nothing: a catalog (manager or admin; kept for this organisation only) or "
	    "assessment results (one evidence record per observation, linked to the ISO/IEC "
	    "42001 requirements it names). A bad document answers 400 with the JSON path at "
	    "fault as the error's field", "exports"),

	/* An AI system's ML-BOM and red-team runs (io/cyclonedx.h, io/modelcard.h, io/redteam.h). */
	R_ORG("POST", "/api/v1/orgs/{org}/ai-systems/{ref}/imports", api_bom_import, PERM_WRITE,
	    PERM_KIND_OPERATIONAL, bom_import_query, NULL,
	    ROUTE_UPLOAD | ROUTE_UPLOAD_FORMAT | ROUTE_HEAVY, 200,
	    "Import a file for the AI system, all or nothing (multipart/form-data: the file in "
	    "'file', its format in 'format'). cyclonedx: a CycloneDX 1.6 or 1.7 ML-BOM, checked "
	    "against the CycloneDX schema, whose models, data sets, components and services "
	    "become or update the system's model, data set, component and supplier records "
	    "(matched by purl or bom-ref). modelcard: a Hugging Face model card (README.md "
	    "with YAML metadata), whose model becomes or updates a model record (licence, task, "
	    "library, languages, tags, base models, model-index results as performance "
	    "metrics) with its data sets and their Hub namespaces as suppliers. garak (report "
	    "JSONL) or promptfoo (result JSON): a "
	    "red-team or evaluation run, kept as evidence with its results per probe family "
	    "labelled with OWASP Top 10 for LLM 2025 and MITRE ATLAS ids and Annex A controls; "
	    "each family's failure rate becomes a metric reading, and a run worse than the "
	    "previous one of the tool is flagged. A bad file answers 400 with the JSON path at "
	    "fault as the error's field", "ai-bom"),
	R_ORG("GET", "/api/v1/orgs/{org}/ai-systems/{ref}/bom.json", api_bom_export, PERM_READ,
	    PERM_KIND_OPERATIONAL, NULL, NULL, ROUTE_RAW | ROUTE_HEAVY, 200,
	    "The AI system's ML-BOM as CycloneDX 1.6 JSON: the system, its models with their "
	    "model cards, its data sets, components and services, and their dependencies",
	    "ai-bom"),

	/* Metric readings (core/metric.h): pushed by pipelines, drawn by the pages. */
	R_ORG("GET", "/api/v1/orgs/{org}/metric-status", api_metric_status, PERM_READ,
	    PERM_KIND_OPERATIONAL, metric_status_query, NULL, 0, 200,
	    "Monitoring state of the live metrics: last reading and its time, ok, warn, breach "
	    "or none, and whether the metric is stale (no reading within its interval)",
	    "metrics"),
	R_ORG("POST", "/api/v1/orgs/{org}/metrics/{ref}/readings", api_metric_readings_push,
	    PERM_WRITE, PERM_KIND_OPERATIONAL, NULL, reading_body, ROUTE_BODY_ARRAY, 200,
	    "Push a batch of readings (a JSON array of {at, value}, or text/csv with the header "
	    "at,value; at most " METRIC_BATCH_MAX_STR "), all or nothing: a reading at a time the "
	    "metric has already is not stored again. Answers {stored, duplicates, breaches, "
	    "opened}; a reading past the breach threshold opens or adds to the nonconformity or "
	    "incident the metric's on_breach names and sets the AI system's risks for review "
	    "today. A bad element answers 400 naming it ([3].value) and nothing is stored",
	    "metrics"),
	R_ORG("GET", "/api/v1/orgs/{org}/metrics/{ref}/readings", api_metric_readings_get,
	    PERM_READ, PERM_KIND_OPERATIONAL, metric_series_query, NULL, 0, 200,
	    "The readings over a range for a chart (default: the last 30 days); a range with more "
	    "readings than points is downsampled by the server into equal time buckets, each "
	    "point the bucket's mean with its min and max", "metrics"),
	/* Internal audits (core/audit.h): views over the audit records. */
	R_ORG("GET", "/api/v1/orgs/{org}/audit-programmes/{ref}/coverage", api_audit_coverage,
	    PERM_READ, PERM_KIND_AUDIT, NULL, NULL, 0, 200,
	    "The programme's coverage: for every clause and every applicable Annex A control, "
	    "when an audit of the programme last reported on it and when one is planned; "
	    "not_covered lists what no audit covers within the programme's period", "audits"),
	R_ORG("PUT", "/api/v1/orgs/{org}/audits/{ref}/checklist/{req}", api_audit_checklist_save,
	    PERM_WRITE, PERM_KIND_AUDIT, NULL, audit_checklist_body, 0, 200,
	    "Save one checklist row of an audit (the row of requirement {req}) in place: the "
	    "fields given change, null clears one; the audit team only, until the report is "
	    "issued. Answers the audit", "audits"),
	R_ORG("GET", "/api/v1/orgs/{org}/audits/{ref}/report", api_audit_report, PERM_READ,
	    PERM_KIND_AUDIT, audit_report_query, NULL, 0, 200,
	    "The audit report: scope, team, dates, checklist and sample, findings with the "
	    "nonconformities they raised, conclusion and who issued it; ?format=html gives "
	    "one printable HTML file", "audits"),
	R_ORG("GET", "/api/v1/orgs/{org}/my-audits", api_audits_mine, PERM_READ,
	    PERM_KIND_AUDIT, NULL, NULL, 0, 200,
	    "The audits the caller leads or is on the team of, open ones first", "audits"),

	/* Work (core/work.h): every declared due date and every task, by person. */
	R_ORG("GET", "/api/v1/orgs/{org}/my-work", api_my_work, PERM_READ, PERM_KIND_ORG, NULL,
	    NULL, 0, 200,
	    "The caller's work: their open tasks and the due dates of the records they own "
	    "(overdue, due this week, later; each with count and the first 100), the records "
	    "waiting for their sign-off, and what they assigned to others. A token answers for "
	    "the member who made it", "work"),
	R_ORG("GET", "/api/v1/orgs/{org}/work-items", api_work_items, PERM_READ, PERM_KIND_ORG,
	    work_items_query, NULL, ROUTE_LIST, 200,
	    "The organisation's open work, nearest first: every due date of every live record "
	    "(generated: true; source the record) and every open task made by hand "
	    "(generated: false), each {kind, ref, field, what, title, owner, due, status, "
	    "source, generated}", "work"),
	R_ORG("GET", "/api/v1/orgs/{org}/calendar", api_calendar, PERM_READ, PERM_KIND_ORG,
	    NULL, NULL, 0, 200,
	    "The certification calendar: the external audits of the certification cycle by "
	    "date, each with the internal audits and management reviews planned before it and "
	    "whether they were held, and the next external audit with the days to it", "work"),

	/* Notifications (core/notify.h), webhooks, calendar feeds. */
	R_ORG("GET", "/api/v1/orgs/{org}/notifications", api_notifications_list, PERM_READ,
	    PERM_KIND_ORG, NULL, NULL, 0, 200,
	    "Your notifications in this organisation, newest first (the last 50), with the "
	    "unread count", "notifications"),
	R_ORG("POST", "/api/v1/orgs/{org}/notifications/read", api_notifications_read, PERM_READ,
	    PERM_KIND_ORG, NULL, notifications_read_body, 0, 200,
	    "Mark one of your notifications read, or all of them; answers the list", "notifications"),
	R_ORG("GET", "/api/v1/orgs/{org}/notification-settings", api_notify_settings_get,
	    PERM_READ, PERM_KIND_ORG, NULL, NULL, 0, 200,
	    "How you receive mail: immediate (the default), digest or none", "notifications"),
	R_ORG("PUT", "/api/v1/orgs/{org}/notification-settings", api_notify_settings_set,
	    PERM_READ, PERM_KIND_ORG, NULL, notify_settings_body, 0, 200,
	    "Choose how you receive mail", "notifications"),
	R_ORG("GET", "/api/v1/orgs/{org}/webhooks", api_webhooks_list, PERM_ADMIN, PERM_KIND_ORG,
	    NULL, NULL, ROUTE_LIST, 200, "The organisation's webhooks (without secrets)",
	    "webhooks"),
	R_ORG("POST", "/api/v1/orgs/{org}/webhooks", api_webhooks_create, PERM_ADMIN,
	    PERM_KIND_ORG, NULL, webhook_body, ROUTE_IDEMPOTENT | ROUTE_SECRET, 201,
	    "Add a webhook; the answer holds its signing secret, once. Each delivery is a POST "
	    "of JSON with X-AIMS-Signature: t=UNIX,v1=HEX, HEX the HMAC-SHA256 (key: the "
	    "secret) of t, '.', and the body; X-AIMS-Delivery names it for deduplication",
	    "webhooks"),
	R_ORG("GET", "/api/v1/orgs/{org}/webhooks/{id}", api_webhooks_get, PERM_ADMIN,
	    PERM_KIND_ORG, NULL, NULL, 0, 200,
	    "Read a webhook: whether it is enabled, failures in a row, why it was disabled",
	    "webhooks"),
	R_ORG("DELETE", "/api/v1/orgs/{org}/webhooks/{id}", api_webhooks_delete, PERM_ADMIN,
	    PERM_KIND_ORG, NULL, NULL, 0, 204,
	    "Delete a webhook and what is still queued for it", "webhooks"),
	R_ORG("POST", "/api/v1/orgs/{org}/webhooks/{id}/enable", api_webhooks_enable, PERM_ADMIN,
	    PERM_KIND_ORG, NULL, NULL, 0, 200,
	    "Enable a webhook disabled after repeated failures: what is pending for it goes out",
	    "webhooks"),
	R_ORG("GET", "/api/v1/orgs/{org}/webhooks/{id}/deliveries", api_webhooks_deliveries,
	    PERM_ADMIN, PERM_KIND_ORG, NULL, NULL, ROUTE_LIST, 200,
	    "The delivery log, newest first: each attempt with its time, status and error",
	    "webhooks"),
	R_ORG("GET", "/api/v1/orgs/{org}/calendar-feeds", api_feeds_list, PERM_READ,
	    PERM_KIND_ORG, NULL, NULL, ROUTE_LIST, 200,
	    "Your live calendar feeds (without their URLs)", "calendar"),
	R_ORG("POST", "/api/v1/orgs/{org}/calendar-feeds", api_feeds_create, PERM_READ,
	    PERM_KIND_ORG, NULL, feed_body, ROUTE_IDEMPOTENT | ROUTE_SECRET, 201,
	    "A calendar feed at a secret URL (answered once as url, /ical/ID-SECRET.ics), read "
	    "with no other credentials by calendar applications: scope me (your work) or org "
	    "(the certification calendar; manager or admin)", "calendar"),
	R_ORG("DELETE", "/api/v1/orgs/{org}/calendar-feeds/{id}", api_feeds_revoke, PERM_READ,
	    PERM_KIND_ORG, NULL, NULL, 0, 204,
	    "Revoke a calendar feed (yours, or any as an admin): its URL answers 404 at once",
	    "calendar"),
	R_ANY("GET", "/ical/{feed}", api_ical, ROUTE_PUBLIC, NULL, NULL, ROUTE_RAW, 200,
	    "A calendar feed (text/calendar, RFC 5545) at its secret URL; 404 when unknown or "
	    "revoked", "calendar"),

	/* Concern reporting (A.3.3): the channel, and its public routes. */
	R_ORG("GET", "/api/v1/orgs/{org}/concern-channel", api_concern_channel_get, PERM_READ,
	    PERM_KIND_ORG, NULL, NULL, 0, 200,
	    "Whether the organisation's public concern reporting channel is open", "concerns"),
	R_ORG("POST", "/api/v1/orgs/{org}/concern-channel", api_concern_channel_set, PERM_WRITE,
	    PERM_KIND_ORG, NULL, concern_channel_body, 0, 200,
	    "Open or close the public concern reporting channel (manager or admin)", "concerns"),
	R_ANY("POST", "/api/v1/public/orgs/{org}/concerns", api_public_concern_create,
	    ROUTE_PUBLIC, NULL, concern_body, 0, 201,
	    "Report a concern, with no account: answers the report key, shown once. 404 when "
	    "the organisation has no open channel; 429 past 5 reports an hour from one network",
	    "concerns"),
	R_ANY("GET", "/api/v1/public/concerns/{key}", api_public_concern_get, ROUTE_PUBLIC,
	    NULL, NULL, 0, 200,
	    "Read a concern sent through a public channel and the replies to it, with its "
	    "report key", "concerns"),

	/*
	 * The planning records (core/record.h), last so that every fixed path
	 * above wins. Each kind's fields are declared once, in its kind_*.c, and
	 * checked by the record engine; the handlers add the kind's permission.
	 */
	R_ORG("GET", "/api/v1/orgs/{org}/{kind}", api_records_get, PERM_READ,
	    PERM_KIND_OPERATIONAL, record_list_query, NULL, ROUTE_LIST | ROUTE_RECORD, 200,
	    "List records of a kind (filters: any filterable field, e.g. ?status=approved); "
	    "a one-per-organisation kind answers its record", "records"),
	R_ORG("POST", "/api/v1/orgs/{org}/{kind}", api_records_create, PERM_WRITE,
	    PERM_KIND_OPERATIONAL, NULL, record_body,
	    ROUTE_RECORD | ROUTE_IDEMPOTENT | ROUTE_UPLOAD, 201,
	    "Create a record; its fields are those the kind declares. A kind that keeps files "
	    "may instead be sent as multipart/form-data: the file in 'file', the fields as a "
	    "JSON object in 'record'", "records"),
	R_ORG("PATCH", "/api/v1/orgs/{org}/{kind}", api_records_update, PERM_WRITE,
	    PERM_KIND_OPERATIONAL, NULL, record_body, ROUTE_RECORD | ROUTE_IF_MATCH, 200,
	    "Change a one-per-organisation record", "records"),
	R_ORG("GET", "/api/v1/orgs/{org}/{kind}/{ref}", api_records_get, PERM_READ,
	    PERM_KIND_OPERATIONAL, NULL, NULL, ROUTE_RECORD, 200, "Read one record", "records"),
	R_ORG("PATCH", "/api/v1/orgs/{org}/{kind}/{ref}", api_records_update, PERM_WRITE,
	    PERM_KIND_OPERATIONAL, NULL, record_body, ROUTE_RECORD | ROUTE_IF_MATCH, 200,
	    "Change the fields given; workflow steps are a change of status", "records"),
	R_ORG("DELETE", "/api/v1/orgs/{org}/{kind}/{ref}", api_records_delete, PERM_DELETE,
	    PERM_KIND_OPERATIONAL, NULL, NULL, ROUTE_RECORD | ROUTE_IF_MATCH, 204,
	    "Delete a record, or retire it where the standard asks to retain it", "records"),
	R_ORG("GET", "/api/v1/orgs/{org}/{kind}/{ref}/versions", api_records_versions, PERM_READ,
	    PERM_KIND_OPERATIONAL, record_versions_query, NULL, ROUTE_RECORD, 200,
	    "A record's versions, newest first (?status=approved: the approved ones)", "records"),
	R_ORG("GET", "/api/v1/orgs/{org}/{kind}/{ref}/versions/{id}", api_records_version_get,
	    PERM_READ, PERM_KIND_OPERATIONAL, NULL, NULL, ROUTE_RECORD, 200,
	    "One stored version exactly as it was", "records"),
	R_ORG("GET", "/api/v1/orgs/{org}/{kind}/{ref}/steps", api_records_steps, PERM_READ,
	    PERM_KIND_OPERATIONAL, NULL, NULL, ROUTE_RECORD, 200,
	    "The workflow steps that apply to the record now, each with whether you may take it "
	    "and, when not, the reason in words; take one by PATCHing its status", "records"),
	R_ORG("GET", "/api/v1/orgs/{org}/{kind}/{ref}/links", api_records_links, PERM_READ,
	    PERM_KIND_OPERATIONAL, NULL, NULL, ROUTE_RECORD, 200,
	    "Records linked to and from this one", "records"),
	/* Comments (core/comment.h): reading the record lets one read them. */
	R_ORG("GET", "/api/v1/orgs/{org}/{kind}/{ref}/comments", api_comments_list, PERM_READ,
	    PERM_KIND_OPERATIONAL, NULL, NULL, ROUTE_RECORD, 200,
	    "The record's comments and reviewers' notes, oldest first, with the members each "
	    "mentions", "comments"),
	R_ORG("POST", "/api/v1/orgs/{org}/{kind}/{ref}/comments", api_comments_add, PERM_READ,
	    PERM_KIND_OPERATIONAL, NULL, comment_body, ROUTE_RECORD, 201,
	    "Comment on the record as the signed-in member (or the member whose token it is); "
	    "members mentioned by '@' and their address are named in 'mentions'; a ledger "
	    "entry, never changed or removed. Who may comment: the 'comment' permission",
	    "comments"),
	/* File revisions of a kind that declares files (core/evidence.h). */
	R_ORG("GET", "/api/v1/orgs/{org}/{kind}/{ref}/files", api_evidence_files, PERM_READ,
	    PERM_KIND_OPERATIONAL, NULL, NULL, ROUTE_RECORD, 200,
	    "The file revisions of a record, with their SHA-256", "records"),
	R_ORG("POST", "/api/v1/orgs/{org}/{kind}/{ref}/files", api_evidence_upload, PERM_WRITE,
	    PERM_KIND_OPERATIONAL, NULL, NULL,
	    ROUTE_RECORD | ROUTE_UPLOAD | ROUTE_IF_MATCH | ROUTE_IDEMPOTENT, 201,
	    "Upload a file as the record's next revision (multipart/form-data: 'file', "
	    "and optionally 'record', a JSON object of fields to change with it)", "records"),
	R_ORG("GET", "/api/v1/orgs/{org}/{kind}/{ref}/files/{id}", api_evidence_download,
	    PERM_READ, PERM_KIND_OPERATIONAL, NULL, NULL, ROUTE_RECORD | ROUTE_RAW, 200,
	    "Download one revision with its media type and file name", "records"),

	{ NULL, NULL, NULL, 0, 0, 0, NULL, NULL, 0, 0, NULL, NULL, NULL },
};
