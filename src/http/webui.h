/*
 * webui.h - the web pages' side of the server. Every path that is not the
 * JSON API's is a page: the routes are declared once in webui_routes[]
 * (matched like the API's), and each handler reads the request, fetches
 * what the page shows through core and engine, and sends the HTML that a
 * page of src/web draws. No SQL and no domain rule lives here; who may do
 * what is perm_allows() (core/perm.h), handed to the pages as ctx.can.
 *
 * Every POST must come from this site (Origin, Referer and
 * Sec-Fetch-Site agree) and carry the session's CSRF token in
 * WEB_CSRF_FIELD, or it is refused with 403 before anything is read. A
 * successful POST answers 303 to the page to show next with a one-shot
 * flash message (a cookie naming one of a fixed set of messages and a
 * record reference); a POST with errors answers the form again, with the
 * messages next to the fields and the values as typed.
 */
#ifndef AIMS_HTTP_WEBUI_H
#define AIMS_HTTP_WEBUI_H

#include <jansson.h>
#include <stdbool.h>

#include "core/evidence.h"
#include "core/org.h"
#include "core/record.h"
#include "http/http.h"
#include "http/multipart.h"
#include "http/router.h"
#include "web/web.h"

#define WEBUI_HTML		"text/html; charset=utf-8"
#define WEBUI_FLASH_COOKIE	"aims_flash"
#define WEBUI_FLASH_MAX_AGE	120		/* seconds a flash waits for its page */
#define WEBUI_SIGNIN_COOKIE	"aims_signin"	/* the sign-in form's token */
#define WEBUI_SIGNIN_MAX_AGE	3600
#define WEBUI_TOKEN_BYTES	24
#define WEBUI_COOKIE_MAX	256
#define WEBUI_REF_MAX		64		/* a record reference in a URL */
#define WEBUI_NEXT_MAX		512		/* the page to go to after signing in */
#define WEBUI_FLASH_TEXT_MAX	256
#define WEBUI_FILTERS_MAX	16
#define WEBUI_HISTORY_MAX	100		/* versions shown on a record page */

/* One request's page state (c->web). */
struct webui {
	struct web_ctx			 ctx;
	struct web_org			*orgs;
	json_t				*orgs_json;	/* owns the strings of orgs[] */
	const struct record_kind	*kind;		/* the {kind} of the path */
	struct web_form			 form;		/* a posted urlencoded form */
	const struct web_form		*posted;	/* form, or an upload's fields */
	bool				 dropped;	/* a multipart body read and not kept */
	char				 today[16];
	char				 flash[WEBUI_FLASH_TEXT_MAX];
};

extern const struct route webui_routes[];

/* Is path a page (rather than the JSON API or the operations endpoints)? */
bool webui_owns(const char *path);
/* Answers c (a page path) completely: match, check, run, reply. */
void webui_handle(struct http_ctx *c);
/* An error page for a failure before routing (413, 503...): code as for the API. */
void webui_reply_error(struct http_ctx *c, int code);
/*
 * May a multipart body for this POST be stored while it arrives? Only what
 * the page's handler would accept, judged from the headers as the API
 * does (router_upload_wanted): a page that takes a file (a record of a
 * kind with files), sent from this site by a signed-in session, in an
 * organisation the user is a member of, whose role may write that kind.
 * Anything else is read and dropped, and refused once complete.
 */
bool webui_upload_wanted(const struct http_req *req, struct db *db,
    const struct http_server_config *cfg);
/* The directory uploads are stored in while they arrive (created if needed). */
int webui_upload_dir(char **out, const char *db_path);

/* web_routes.c: replies. */
/* Sends page as the answer (HTML) with status; frees page. */
void webui_send(struct http_ctx *c, int status, struct buf *page);
/* 303 See Other to a local URL. */
void webui_redirect(struct http_ctx *c, const char *url);
/* Sets the one-shot message shown by the next page: what (a fixed code) and ref. */
void webui_flash(struct http_ctx *c, const char *what, const char *ref);
/* Answers the last error (aims_error_*) as an error page; returns 0 (answered). */
int webui_fail(struct http_ctx *c, int code);
/* A field of the posted form (urlencoded or multipart); borrowed, NULL if absent. */
const char *webui_posted(const struct http_ctx *c, const char *name);
/* The posted _version: 0 when absent or not a number. */
int64_t webui_posted_version(const struct http_ctx *c);
/*
 * The time zone an organisation's times are shown in (its settings); NULL,
 * which shows UTC, when it has none or the system does not know it.
 */
const struct tz *webui_org_zone(struct db *db, int64_t org_id);

/* web_choices.c: the options of pickers, see web_form_view.choices. */
/* For every ref, user and requirement field of k (and its subfields); filters only if set. */
int webui_choices(json_t **out, struct http_ctx *c, const struct record_kind *k,
    bool filters_only);
/* {id: title} of the catalog requirements rec names (web_ctx.req_titles). */
int webui_req_titles(json_t **out, struct http_ctx *c, const struct record_kind *k,
    const json_t *rec);

/* Handlers, by file. */
/* web_pack.c */
int webui_pack_page(struct http_ctx *c);
int webui_bom_page(struct http_ctx *c);		/* web_bom.c */
int webui_bom_import(struct http_ctx *c);
int webui_pack_start(struct http_ctx *c);
int webui_pack_download(struct http_ctx *c);
/* web_session.c */
int webui_home(struct http_ctx *c);
int webui_static(struct http_ctx *c);
int webui_sign_in_page(struct http_ctx *c);
int webui_sign_in(struct http_ctx *c);
int webui_sign_out(struct http_ctx *c);
/* web_overview.c */
int webui_org_home(struct http_ctx *c);
int webui_dashboard(struct http_ctx *c);
int webui_readiness(struct http_ctx *c);
int webui_ai_roles(struct http_ctx *c);
int webui_ai_roles_save(struct http_ctx *c);
int webui_coverage(struct http_ctx *c);
/* web_euact.c */
int webui_euact(struct http_ctx *c);
int webui_euact_obligations(struct http_ctx *c);
int webui_soa_page(struct http_ctx *c);
int webui_soa_save(struct http_ctx *c);
int webui_soa_bulk(struct http_ctx *c);
int webui_soa_versions(struct http_ctx *c);
int webui_soa_publish(struct http_ctx *c);
/* web_records.c */
int webui_list(struct http_ctx *c);
int webui_new(struct http_ctx *c);
int webui_create(struct http_ctx *c);
int webui_record(struct http_ctx *c);
int webui_edit(struct http_ctx *c);
int webui_update(struct http_ctx *c);
int webui_workflow(struct http_ctx *c);
int webui_delete(struct http_ctx *c);
int webui_acknowledge(struct http_ctx *c);
int webui_comment(struct http_ctx *c);
int webui_competence_gaps(struct http_ctx *c);
/* web_audits.c */
int webui_my_audits(struct http_ctx *c);
/* web_work.c */
int webui_my_work(struct http_ctx *c);
int webui_my_mail(struct http_ctx *c);
int webui_feed_create(struct http_ctx *c);
int webui_feed_revoke(struct http_ctx *c);
int webui_notifications(struct http_ctx *c);
int webui_notifications_read(struct http_ctx *c);
int webui_webhooks(struct http_ctx *c);
int webui_webhook_create(struct http_ctx *c);
int webui_webhook_enable(struct http_ctx *c);
int webui_webhook_delete(struct http_ctx *c);
int webui_calendar(struct http_ctx *c);
int webui_audit_checklist(struct http_ctx *c);
int webui_audit_checklist_save(struct http_ctx *c);
int webui_audit_report(struct http_ctx *c);
int webui_audit_coverage(struct http_ctx *c);
/* web_account.c */
int webui_password_page(struct http_ctx *c);
int webui_password_change(struct http_ctx *c);
/* web_members.c */
int webui_members(struct http_ctx *c);
int webui_member_disable(struct http_ctx *c);
int webui_member_enable(struct http_ctx *c);
/* web_search.c */
int webui_search(struct http_ctx *c);
/* web_evidence.c */
int webui_download(struct http_ctx *c);
int webui_preview(struct http_ctx *c);
/* The latest file's first bytes when it is text (web_record_view.preview_text). */
int webui_preview_text(char **out, bool *cut, struct http_ctx *c, const char *ref,
    const json_t *files);

/* web_concerns.c: the public concern channel (no account). */
int webui_concern_form(struct http_ctx *c);
int webui_concern_send(struct http_ctx *c);
int webui_concern_lookup(struct http_ctx *c);
int webui_concern_channel(struct http_ctx *c);	/* POST /o/{org}/concern-channel */
int webui_concern_read(struct http_ctx *c);
/* Creates an evidence record from the posted form and its file, if any. */
int webui_evidence_create(json_t **out, struct http_ctx *c, const json_t *fields);
/* Updates an evidence record and adds the posted file as a new revision, if any. */
int webui_evidence_update(json_t **out, struct http_ctx *c, const char *ref, int64_t version,
    const json_t *patch);

#endif
