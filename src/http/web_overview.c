/*
 * web_overview.c - an organisation's overview pages: the dashboard (its
 * figures from one engine call, readiness evaluated live), certification
 * readiness (the readiness engine's answer), the organisation's AI roles,
 * and the Statement of Applicability,
 * whose rows are edited in place: each row posts on its own and comes back
 * to the same place in the page, with its messages if it was not saved.
 */
#include <stdio.h>
#include <string.h>

#include "core/catalog.h"
#include "core/org.h"
#include "core/crosswalk.h"
#include "core/snapshot.h"
#include "core/soa.h"
#include "engine/coverage.h"
#include "engine/dashboard.h"
#include "engine/readiness.h"
#include "http/webui.h"
#include "util/clock.h"
#include "util/error.h"
#include "web/html.h"

#define WEBUI_SOA_FILTER_MAX	32

int
webui_org_home(struct http_ctx *c)
{
	struct buf url = BUF_INIT;

	web_url_org(&url, &c->web->ctx);
	buf_putc(&url, '/');
	webui_redirect(c, buf_str(&url));
	buf_free(&url);
	return 0;
}

int
webui_dashboard(struct http_ctx *c)
{
	struct buf page = BUF_INIT;
	json_t *d = NULL;
	int rc;

	json_t *r = NULL, *trend = NULL;

	if ((rc = dashboard_compute(&d, c->db, c->org_id, clock_now())) != 0)
		return rc;
	/*
	 * Readiness as it is now, not the last stored snapshot: a figure that
	 * lags behind the records misleads. Reused until the next change, so
	 * the page stays fast; viewing stores nothing.
	 */
	if ((rc = readiness_current(&r, c->db, c->org_id)) != 0) {
		json_decref(d);
		return rc;
	}
	if (snapshot_trend(&trend, c->db, c->org_id, CATALOG_ISO42001, READINESS_TREND_DAYS) == 0)
		json_object_set_new(r, "trend", trend);
	json_object_set_new(d, "readiness", r);
	web_page_dashboard(&page, &c->web->ctx, d);
	webui_send(c, 200, &page);
	json_decref(d);
	return 0;
}

/* The readiness page; the evaluation is saved as the day's snapshot for the trend. */
int
webui_readiness(struct http_ctx *c)
{
	static const char *const filters[] = {
		"gaps", "not_met", "partly_met", "met", "not_applicable", NULL
	};
	const char *filter = http_query(c, "status");
	struct buf page = BUF_INIT;
	json_t *r = NULL;
	size_t i;
	int rc;

	for (i = 0; filter != NULL && filters[i] != NULL; i++)
		if (strcmp(filter, filters[i]) == 0)
			break;
	if (filter != NULL && filters[i] == NULL)
		filter = NULL;	/* an unknown view shows everything */
	if ((rc = readiness_evaluate(&r, c->db, c->org_id, READINESS_SAVE)) != 0)
		return rc;
	web_page_readiness(&page, &c->web->ctx, r, filter);
	webui_send(c, 200, &page);
	json_decref(r);
	return 0;
}

/* The AI roles: declared, derived from the AI systems, in effect. */
static int
webui_ai_roles_json(json_t **out, struct http_ctx *c)
{
	struct org_ai_roles roles;
	int rc;

	if ((rc = org_ai_roles_get(&roles, c->db, c->org_id)) != 0)
		return rc;
	*out = json_pack("{s:O, s:O, s:O}", "declared", roles.declared, "derived",
	    roles.derived, "effective", roles.effective);
	org_ai_roles_free(&roles);
	return 0;
}

int
webui_ai_roles(struct http_ctx *c)
{
	struct buf page = BUF_INIT;
	json_t *roles = NULL;
	int rc;

	if ((rc = webui_ai_roles_json(&roles, c)) != 0)
		return rc;
	web_page_ai_roles(&page, &c->web->ctx, roles, NULL);
	webui_send(c, 200, &page);
	json_decref(roles);
	return 0;
}

/* Saves the roles ticked (role_NAME=1); none ticked lets the derived ones count. */
int
webui_ai_roles_save(struct http_ctx *c)
{
	struct buf url = BUF_INIT, page = BUF_INIT;
	json_t *list = json_array(), *roles = NULL;
	char name[64];
	const char *v;
	size_t k;
	int rc;

	for (k = 0; org_ai_roles[k]; k++) {
		snprintf(name, sizeof(name), "role_%s", org_ai_roles[k]);
		if ((v = webui_posted(c, name)) != NULL && strcmp(v, "1") == 0)
			json_array_append_new(list, json_string(org_ai_roles[k]));
	}
	rc = org_update(NULL, c->db, &c->actor, c->org_id, 0, NULL, list);
	json_decref(list);
	if (rc == AIMS_EINVALID) {
		if ((rc = webui_ai_roles_json(&roles, c)) != 0)
			return rc;
		web_page_ai_roles(&page, &c->web->ctx, roles, aims_error_message());
		webui_send(c, 400, &page);
		json_decref(roles);
		return 0;
	}
	if (rc != 0)
		return rc;
	web_url_org(&url, &c->web->ctx);
	buf_puts(&url, "/readiness");
	webui_flash(c, "ai-roles", "-");
	webui_redirect(c, buf_str(&url));
	buf_free(&url);
/* The crosswalk coverage page; an unknown or missing framework shows the EU AI Act. */
int
webui_coverage(struct http_ctx *c)
{
	const char *fw = http_query(c, "framework");
	struct buf page = BUF_INIT;
	json_t *r = NULL;
	int rc;

	if (!crosswalk_known(fw))
		fw = crosswalk_frameworks[0];
	if ((rc = coverage_evaluate(&r, c->db, c->org_id, fw)) != 0)
		return rc;
	web_page_coverage(&page, &c->web->ctx, r);
	webui_send(c, 200, &page);
	json_decref(r);
	return 0;
}

static const char *
webui_soa_filter(const char *s)
{
	if (s == NULL || strlen(s) > WEBUI_SOA_FILTER_MAX)
		return NULL;
	return s;
}

/* The SoA page, with row `edit` open and rows in errors open with their messages. */
static int
webui_soa_show(struct http_ctx *c, int status, const char *edit, const json_t *errors,
    const json_t *typed)
{
	const struct record_kind *k = record_kind_find(SOA_KIND);
	json_t *entries = NULL, *choices = NULL, *e;
	struct web_soa_view v = { .kind = k, .edit = edit, .errors = errors };
	struct buf page = BUF_INIT;
	const char *key;
	json_t *val;
	size_t i;
	int rc;

	if ((rc = dashboard_soa(&entries, c->db, c->org_id)) != 0)
		return rc;
	/* A row that was not saved shows what was typed. */
	json_array_foreach(entries, i, e) {
		if (typed == NULL || edit == NULL || strcmp(json_string_value(json_object_get(e,
		    "control")), edit) != 0)
			continue;
		json_object_foreach((json_t *)typed, key, val)
			json_object_set(e, key, val);
	}
	if ((edit != NULL || json_object_size(errors) > 0) && web_can(&c->web->ctx, WEB_ACT_UPDATE,
	    k) && (rc = webui_choices(&choices, c, k, false)) != 0)
		goto done;
	v.entries = entries;
	v.choices = choices;
	v.filter = webui_soa_filter(c->req->upload != NULL || webui_posted(c, "filter") != NULL ?
	    webui_posted(c, "filter") : http_query(c, "filter"));
	web_page_soa(&page, &c->web->ctx, &v);
	webui_send(c, status, &page);
done:
	json_decref(entries);
	json_decref(choices);
	return rc;
}

int
webui_soa_page(struct http_ctx *c)
{
	const char *edit = http_query(c, "edit");

	if (edit != NULL && strlen(edit) > WEBUI_REF_MAX)
		edit = NULL;
	return webui_soa_show(c, 200, edit, NULL, NULL);
}

int
webui_soa_save(struct http_ctx *c)
{
	const struct record_kind *k = record_kind_find(SOA_KIND);
	const char *ctl = http_param(c, "ctl"), *filter = webui_soa_filter(webui_posted(c,
	    "filter"));
	json_t *patch = NULL, *errs = NULL, *rec = NULL, *all;
	struct buf url = BUF_INIT;
	int rc, status;

	if (strlen(ctl) > WEBUI_REF_MAX)
		return aims_error_set(AIMS_ENOTFOUND, NULL, "There is no such control.");
	rc = web_form_to_json(&patch, &errs, k, c->web->posted, false);
	if (rc == 0)
		rc = record_update(&rec, c->db, c->org_id, &c->actor, k, ctl,
		    webui_posted_version(c), patch);
	if (rc == 0) {
		webui_flash(c, "saved", ctl);
		web_url_kind(&url, &c->web->ctx, SOA_KIND);
		if (filter != NULL && strcmp(filter, "all") != 0)
			html_url_query(&url, "filter", filter);
		buf_printf(&url, "#ctl-%s", ctl);
		webui_redirect(c, buf_str(&url));
		goto done;
	}
	if (rc == AIMS_ENOTFOUND)
		goto done;
	status = rc == AIMS_EINVALID && json_object_size(errs) > 0 ? 422 : http_status_of(rc);
	if (json_object_size(errs) == 0)
		json_object_set_new(errs, *aims_error_field() != '\0' ? aims_error_field() : "",
		    json_string(rc == AIMS_ESTALE ? "Someone changed this control while you were "
		    "editing it: the row now shows the current values. Make your change again." :
		    aims_error_message()));
	all = json_pack("{s:O}", ctl, errs);
	rc = webui_soa_show(c, status, ctl, all, rc == AIMS_ESTALE ? NULL : patch);
	json_decref(all);
done:
	json_decref(patch);
	json_decref(errs);
	json_decref(rec);
	buf_free(&url);
	return rc;
}
