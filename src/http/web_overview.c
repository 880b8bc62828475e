/*
 * web_overview.c - an organisation's overview pages: the dashboard (its
 * figures from one engine call, readiness evaluated live), certification
 * readiness (the readiness engine's answer), the organisation's AI roles,
 * and the Statement of Applicability,
 * whose rows are edited in place: each row posts on its own and comes back
 * to the same place in the page, with its messages if it was not saved.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/catalog.h"
#include "core/current.h"
#include "core/org.h"
#include "core/crosswalk.h"
#include "core/perm.h"
#include "core/snapshot.h"
#include "core/soa.h"
#include "engine/coverage.h"
#include "engine/dashboard.h"
#include "engine/readiness.h"
#include "http/server.h"
#include "http/webui.h"
#include "util/clock.h"
#include "util/error.h"
#include "util/mem.h"
#include "web/html.h"

#define WEBUI_SOA_FILTER_MAX	32
#define WEBUI_SOA_MEASURES	"measures"	/* the kind a row's measures are */
#define WEBUI_SOA_TITLE_MAX	200		/* a new measure's title, typed in a row */

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

/* The readiness page; a new evaluation is saved as the day's snapshot for the trend. */
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
	/* Reused while nothing changed (an evaluation of a large organisation takes a while). */
	if ((rc = readiness_current_full(&r, c->db, c->org_id)) != 0)
		return rc;
	web_page_readiness(&page, &c->web->ctx, r, filter);
	webui_send(c, 200, &page);
	json_decref(r);
	return 0;
}

/* The AI roles: declared, derived from the AI systems, in effect. */
static int
webui_ai_roles_compute(json_t **out, struct db *db, int64_t org_id, const void *arg)
{
	struct org_ai_roles roles;
	int rc;

	(void)arg;
	if ((rc = org_ai_roles_get(&roles, db, org_id)) != 0)
		return rc;
	*out = json_pack("{s:O, s:O, s:O}", "declared", roles.declared, "derived",
	    roles.derived, "effective", roles.effective);
	org_ai_roles_free(&roles);
	return 0;
}

/* Reused while nothing changed: deriving them reads every AI system (5,000: 30 ms). */
static int
webui_ai_roles_json(json_t **out, struct http_ctx *c)
{
	return current_get(out, c->db, c->org_id, "ai-roles", CURRENT_SHARED,
	    webui_ai_roles_compute, NULL);
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

/* The roles, one change of the server's writer. */
struct webui_ai_roles_change {
	struct http_ctx	*c;
	json_t		*list;
};

static int
webui_ai_roles_apply(struct db *db, void *arg)
{
	const struct webui_ai_roles_change *r = arg;

	return org_update(NULL, db, &r->c->actor, r->c->org_id, 0, NULL, r->list);
}

/* Saves the roles ticked (role_NAME=1); none ticked lets the derived ones count. */
int
webui_ai_roles_save(struct http_ctx *c)
{
	struct buf url = BUF_INIT, page = BUF_INIT;
	struct webui_ai_roles_change r;
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
	r.c = c;
	r.list = list;
	rc = http_server_write(c->db, c->org_id, webui_ai_roles_apply, &r);
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
	return 0;
}

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
	if ((rc = coverage_current(&r, c->db, c->org_id, fw)) != 0)
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

/* Each entry's control summary from the catalog, shown one click away on its row. */
static int
webui_soa_summaries(json_t *entries, struct http_ctx *c)
{
	json_t *controls = NULL, *ctl, *e;
	const char *id;
	size_t i, j;
	int rc;

	if ((rc = catalog_list(&controls, c->db, SOA_FRAMEWORK, "control")) != 0)
		return rc;
	json_array_foreach(entries, i, e) {
		id = json_string_value(json_object_get(e, "control"));
		json_array_foreach(controls, j, ctl)
			if (id != NULL && json_is_string(json_object_get(ctl, "summary")) &&
			    strcmp(json_string_value(json_object_get(ctl, "id")) ?: "", id) == 0) {
				json_object_set(e, "summary", json_object_get(ctl, "summary"));
				break;
			}
	}
	json_decref(controls);
	return 0;
}

/* The SoA page, with row `edit` open and rows in errors open with their messages. */
static int
webui_soa_show(struct http_ctx *c, int status, const char *edit, const json_t *errors,
    const json_t *typed)
{
	const struct record_kind *k = record_kind_find(SOA_KIND);
	json_t *entries = NULL, *choices = NULL, *versions = NULL, *e;
	struct web_soa_view v = { .kind = k, .edit = edit, .errors = errors };
	struct buf page = BUF_INIT;
	const char *key;
	json_t *val;
	size_t i;
	int rc;

	if ((rc = dashboard_soa(&entries, c->db, c->org_id)) != 0 ||
	    (rc = webui_soa_summaries(entries, c)) != 0 ||
	    (rc = soa_versions(&versions, c->db, c->org_id)) != 0)
		goto done;
	v.versions = versions;
	v.can_publish = perm_allows(c->role, PERM_APPROVE, PERM_KIND_GOVERNANCE);
	v.can_create_measure = web_can(&c->web->ctx, WEB_ACT_CREATE,
	    record_kind_find(WEBUI_SOA_MEASURES));
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
	json_decref(versions);
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

/* The row's measures in patch (made when the form had none), for one more to join. */
static json_t *
webui_soa_measures(json_t *patch)
{
	json_t *m = json_object_get(patch, WEBUI_SOA_MEASURES);

	if (!json_is_array(m)) {
		m = json_array();
		json_object_set_new(patch, WEBUI_SOA_MEASURES, m);
	}
	return m;
}

static void
webui_soa_measures_add(json_t *measures, const char *ref)
{
	const json_t *v;
	size_t i;

	json_array_foreach(measures, i, v)
		if (json_is_string(v) && strcmp(json_string_value(v), ref) == 0)
			return;
	json_array_append_new(measures, json_string(ref));
}

/* A measure made or a control's row saved: one change of the server's writer each. */
struct webui_soa_change {
	struct http_ctx			*c;
	const struct record_kind	*k;
	const char			*ref;	/* NULL: create */
	int64_t				 version;
	const json_t			*in;
	json_t				*out;
};

static int
webui_soa_change_apply(struct db *db, void *arg)
{
	struct webui_soa_change *w = arg;
	struct http_ctx *c = w->c;

	if (w->ref == NULL)
		return record_create(&w->out, db, c->org_id, &c->actor, w->k, w->in);
	return record_update(&w->out, db, c->org_id, &c->actor, w->k, w->ref, w->version, w->in);
}

static int
webui_soa_change(json_t **out, struct http_ctx *c, const struct record_kind *k,
    const char *ref, int64_t version, const json_t *in)
{
	struct webui_soa_change w = { c, k, ref, version, in, NULL };
	int rc;

	rc = http_server_write(c->db, c->org_id, webui_soa_change_apply, &w);
	*out = w.out;
	return rc;
}

/*
 * The row's own way to a measure, without leaving it: add_measure names an
 * existing one (its reference), new_measure is the title of one to create,
 * with the row's control as the requirement it meets. Either joins the
 * row's measures in patch; *created: the reference made (caller frees).
 * An error is set on the field it is about, in errs.
 */
static int
webui_soa_row_measure(char **created, json_t *patch, json_t *errs, struct http_ctx *c,
    const char *ctl)
{
	const struct record_kind *mk = record_kind_find(WEBUI_SOA_MEASURES);
	const char *add = webui_posted(c, "add_measure"), *title = webui_posted(c, "new_measure");
	json_t *m = NULL, *in = NULL;
	int rc = 0;

	*created = NULL;
	if (mk == NULL)
		return 0;
	if (add != NULL && *add != '\0') {
		if (strlen(add) > WEBUI_REF_MAX || (rc = record_get(&m, c->db, c->org_id, mk,
		    add)) == AIMS_ENOTFOUND)
			rc = aims_error_set(AIMS_EINVALID, "add_measure", "There is no measure "
			    "%.64s here: give the reference of one in the list (MEA-3).", add);
		else if (rc == 0 && json_is_true(json_object_get(m, "retired")))
			rc = aims_error_set(AIMS_EINVALID, "add_measure", "%s is retired: it "
			    "cannot be added.", add);
		else if (rc == 0)
			webui_soa_measures_add(webui_soa_measures(patch), add);
		json_decref(m);
		m = NULL;
		if (rc != 0)
			goto done;
	}
	if (title == NULL || *title == '\0')
		goto done;
	if (!web_can(&c->web->ctx, WEB_ACT_CREATE, mk)) {
		rc = aims_error_set(AIMS_EINVALID, "new_measure", "Your role (%s) may not create "
		    "measures: pick an existing one.", role_name(c->role));
		goto done;
	}
	if (strlen(title) > WEBUI_SOA_TITLE_MAX) {
		rc = aims_error_set(AIMS_EINVALID, "new_measure", "Give the new measure a title "
		    "of at most %d characters.", WEBUI_SOA_TITLE_MAX);
		goto done;
	}
	in = json_pack("{s:s, s:[s]}", "title", title, "requirements", ctl);
	if ((rc = webui_soa_change(&m, c, mk, NULL, 0, in)) != 0) {
		/* The measure's own refusal, shown at the field that asked for it. */
		if (rc == AIMS_EINVALID)
			rc = aims_error_set(AIMS_EINVALID, "new_measure", "%s",
			    aims_error_message());
		goto done;
	}
	*created = xstrdup(json_string_value(json_object_get(m, "ref")));
	webui_soa_measures_add(webui_soa_measures(patch), *created);
done:
	if (rc == AIMS_EINVALID)
		json_object_set_new(errs, aims_error_field(), json_string(aims_error_message()));
	json_decref(in);
	json_decref(m);
	return rc;
}

int
webui_soa_save(struct http_ctx *c)
{
	const struct record_kind *k = record_kind_find(SOA_KIND);
	const char *ctl = http_param(c, "ctl"), *filter = webui_soa_filter(webui_posted(c,
	    "filter"));
	json_t *patch = NULL, *errs = NULL, *rec = NULL, *all;
	struct buf url = BUF_INIT;
	char *created = NULL;
	int rc, status;

	if (strlen(ctl) > WEBUI_REF_MAX)
		return aims_error_set(AIMS_ENOTFOUND, NULL, "There is no such control.");
	rc = web_form_to_json(&patch, &errs, k, c->web->posted, false);
	/* A measure picked or made in the row joins it only once the row itself reads well. */
	if (rc == 0)
		rc = webui_soa_row_measure(&created, patch, errs, c, ctl);
	if (rc == 0)
		rc = webui_soa_change(&rec, c, k, ctl, webui_posted_version(c), patch);
	if (rc == 0) {
		webui_flash(c, created != NULL ? "measure-added" : "saved",
		    created != NULL ? created : ctl);
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
	if (created != NULL)
		/* Made, and in the row's measures as typed: saving the row links it. */
		json_object_set_new(errs, "new_measure", json_pack("s+", created, rc == AIMS_ESTALE ?
		    " is created, with this control as the requirement it meets; someone changed "
		    "the row meanwhile: add it to the measures again and save." :
		    " is created, with this control as the requirement it meets, and is in the "
		    "measures above; the row is not saved yet: save it to link the measure."));
	else if (patch != NULL) {
		/* What was typed in the row's measure fields comes back with their messages. */
		json_object_set_new(patch, "add_measure", json_string(webui_posted(c,
		    "add_measure") ?: ""));
		json_object_set_new(patch, "new_measure", json_string(webui_posted(c,
		    "new_measure") ?: ""));
	}
	all = json_pack("{s:O}", ctl, errs);
	rc = webui_soa_show(c, status, ctl, all, rc == AIMS_ESTALE ? NULL : patch);
	json_decref(all);
done:
	free(created);
	json_decref(patch);
	json_decref(errs);
	json_decref(rec);
	buf_free(&url);
	return rc;
}

/*
 * One decision (applicable or not, and why) for every control ticked: each
 * row is its own change through core, as if saved on its row; the rows
 * refused open with their messages and the others are saved.
 */
int
webui_soa_bulk(struct http_ctx *c)
{
	const struct record_kind *k = record_kind_find(SOA_KIND);
	const struct web_form *f = c->web->posted;
	const char *app = webui_posted(c, "applicable");
	const char *why = webui_posted(c, "justification");
	json_t *errors = json_object(), *rec = NULL, *patch = NULL, *saved = NULL;
	char count[24];
	struct buf url = BUF_INIT;
	size_t i, n = 0, tried = 0;
	int rc = 0;

	if (app == NULL || (strcmp(app, "true") != 0 && strcmp(app, "false") != 0)) {
		c->web->ctx.flash = "Choose the decision (applicable or not) for the selected controls.";
		goto refused;
	}
	patch = json_pack("{s:b, s:s}", "applicable", strcmp(app, "true") == 0,
	    "justification", why != NULL ? why : "");
	for (i = 0; f != NULL && i < f->n; i++) {
		if (strcmp(f->names[i], "controls") != 0 || strlen(f->values[i]) > WEBUI_REF_MAX)
			continue;
		tried++;
		if ((rc = record_get(&rec, c->db, c->org_id, k, f->values[i])) == 0)
			rc = webui_soa_change(&saved, c, k, f->values[i],
			    json_integer_value(json_object_get(rec, "version")), patch);
		json_decref(rec);
		json_decref(saved);
		rec = saved = NULL;
		if (rc == 0) {
			n++;
			continue;
		}
		if (http_status_of(rc) >= 500)
			goto done;
		json_object_set_new(errors, f->values[i], json_pack("{s:s}",
		    *aims_error_field() != '\0' ? aims_error_field() : "", aims_error_message()));
	}
	rc = 0;
	if (tried == 0) {
		c->web->ctx.flash = "Tick the controls the decision is for.";
		goto refused;
	}
	if (json_object_size(errors) > 0) {
		snprintf(c->web->flash, sizeof(c->web->flash), "%zu of %zu controls were not "
		    "saved: each shows why below.%s", json_object_size(errors), tried,
		    n > 0 ? " The others were." : "");
		c->web->ctx.flash = c->web->flash;
		c->web->ctx.flash_kind = WEB_FLASH_ERROR;
		rc = webui_soa_show(c, 422, NULL, errors, NULL);
		goto done;
	}
	snprintf(count, sizeof(count), "%zu", n);
	webui_flash(c, "decided", count);
	web_url_kind(&url, &c->web->ctx, SOA_KIND);
	if (webui_soa_filter(webui_posted(c, "filter")) != NULL)
		html_url_query(&url, "filter", webui_posted(c, "filter"));
	webui_redirect(c, buf_str(&url));
	goto done;
refused:
	c->web->ctx.flash_kind = WEB_FLASH_ERROR;
	rc = webui_soa_show(c, 422, NULL, NULL, NULL);
done:
	json_decref(errors);
	json_decref(patch);
	buf_free(&url);
	return rc;
}

static int
webui_soa_versions_show(struct http_ctx *c, int status, int64_t base)
{
	json_t *versions = NULL, *diff = NULL;
	struct buf page = BUF_INIT;
	int rc;

	if ((rc = soa_versions(&versions, c->db, c->org_id)) != 0 ||
	    (rc = soa_diff(&diff, c->db, c->org_id, base)) != 0)
		goto done;
	web_page_soa_versions(&page, &c->web->ctx, versions, diff,
	    perm_allows(c->role, PERM_APPROVE, PERM_KIND_GOVERNANCE));
	webui_send(c, status, &page);
done:
	json_decref(versions);
	json_decref(diff);
	return rc;
}

int
webui_soa_versions(struct http_ctx *c)
{
	int64_t base = http_query_int(c, "version", 0);

	return webui_soa_versions_show(c, 200, base > 0 ? base : 0);
}

/* Publishing is the SoA's approval: core judges who may (four eyes). */
int
webui_soa_publish(struct http_ctx *c)
{
	const char *note = webui_posted(c, "note");
	struct soa_publish_change p = { .org_id = c->org_id, .actor = &c->actor };
	json_t *ver;
	char num[24];
	struct buf url = BUF_INIT;
	int rc;

	if (note != NULL && *note == '\0')
		note = NULL;
	p.note = note;
	rc = http_server_write(c->db, c->org_id, soa_publish_apply, &p);
	ver = p.out;
	if (rc != 0) {
		if (http_status_of(rc) >= 500)
			return rc;
		snprintf(c->web->flash, sizeof(c->web->flash), "Not published: %s",
		    aims_error_message());
		c->web->ctx.flash = c->web->flash;
		c->web->ctx.flash_kind = WEB_FLASH_ERROR;
		return webui_soa_versions_show(c, http_status_of(rc), 0);
	}
	snprintf(num, sizeof(num), "%lld", (long long)json_integer_value(json_object_get(ver,
	    "version")));
	webui_flash(c, "published", num);
	web_url_kind(&url, &c->web->ctx, SOA_KIND);
	buf_puts(&url, "/versions");
	webui_redirect(c, buf_str(&url));
	json_decref(ver);
	buf_free(&url);
	return 0;
}
