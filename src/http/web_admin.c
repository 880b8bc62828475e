/*
 * web_admin.c - the handlers of an organisation's settings and API tokens,
 * of the signed-in person's account (password, sessions), of a new
 * organisation and of the portfolio. Every rule is core's (org_update,
 * token_create, token_revoke, session_delete_own, org_create_owned) and
 * every permission the route table's (perm.c); a refusal is shown on the
 * page it came from, naming the field.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/catalog.h"
#include "core/member.h"
#include "core/oidc.h"
#include "core/org.h"
#include "core/perm.h"
#include "core/session.h"
#include "core/snapshot.h"
#include "core/token.h"
#include "core/totp.h"
#include "core/user.h"
#include "engine/readiness.h"
#include "http/server.h"
#include "http/web_admin.h"
#include "http/webui.h"
#include "store/db.h"
#include "util/clock.h"
#include "util/error.h"
#include "util/str.h"
#include "web/admin.h"

#define WEBUI_DATE_LEN	10	/* "YYYY-MM-DD" */

void
webui_site_url(struct buf *out, const struct http_ctx *c)
{
	const char *host = http_header(c->req, "Host");

	buf_printf(out, "%s://%s", c->cfg != NULL && c->cfg->secure_cookies ? "https" : "http",
	    host != NULL ? host : "localhost");
}

bool
webui_mails(const struct http_ctx *c)
{
	return c->cfg != NULL && c->cfg->smtp_url != NULL;
}

bool
webui_mail_base(struct buf *out, const struct http_ctx *c, bool host_ok)
{
	if (c->cfg != NULL && c->cfg->site_url != NULL) {
		buf_puts(out, c->cfg->site_url);
		return true;
	}
	if (!host_ok)
		return false;
	webui_site_url(out, c);
	return true;
}

const char *
webui_sentence(char *buf, size_t len)
{
	size_t n;

	snprintf(buf, len - 1, "%s", aims_error_message());
	n = strlen(buf);
	if (n == 0)
		return "That was refused.";
	buf[0] = (char)toupper((unsigned char)buf[0]);
	if (buf[n - 1] != '.' && n + 1 < len) {
		buf[n] = '.';
		buf[n + 1] = '\0';
	}
	return buf;
}

/* The roles role may grant (perm_role_covers), highest first; NULL-terminated. */
static void
webui_grantable(const char *out[ROLE_ADMIN + 1], enum role role)
{
	int r, n = 0;

	for (r = ROLE_ADMIN; r >= ROLE_VIEWER; r--)
		if (perm_role_covers(role, (enum role)r))
			out[n++] = role_name((enum role)r);
	out[n] = NULL;
}

/* ---- settings ----------------------------------------------------------- */

static int
webui_settings_show(struct http_ctx *c, int status, const json_t *values, const char *error,
    const char *field)
{
	struct web_settings_view v = { .ai_roles = org_ai_roles, .values = values,
	    .error = error, .error_field = field,
	    .write = perm_allows(c->role, PERM_WRITE, PERM_KIND_ORG),
	    .admin = perm_allows(c->role, PERM_ADMIN, PERM_KIND_ORG) };
	struct buf page = BUF_INIT, cb = BUF_INIT;
	struct org_ai_roles roles = { 0 };
	json_t *org = NULL, *sso = NULL;
	int rc;

	if ((rc = org_get(&org, c->db, c->org_id)) != 0 ||
	    (rc = org_second_factor_required(&v.require_second_factor, c->db, c->org_id)) != 0) {
		json_decref(org);
		return rc;
	}
	if (v.admin && (rc = oidc_config_get(&sso, c->db, c->org_id)) != 0) {
		if (rc != AIMS_ENOTFOUND) {
			json_decref(org);
			return rc;
		}
		aims_error_clear();
	}
	if ((rc = org_ai_roles_get(&roles, c->db, c->org_id)) != 0) {
		json_decref(org);
		json_decref(sso);
		return rc;
	}
	v.derived = roles.derived;
	webui_site_url(&cb, c);
	buf_puts(&cb, WEB_SSO_CALLBACK_PATH);
	v.redirect_uri = buf_str(&cb);
	v.sso = sso;
	if (values != NULL)
		v.require_second_factor = json_is_true(json_object_get(values,
		    "require_second_factor"));
	v.org = org;
	web_page_settings(&page, &c->web->ctx, &v);
	webui_send(c, status, &page);
	json_decref(org);
	json_decref(sso);
	org_ai_roles_free(&roles);
	buf_free(&cb);
	return 0;
}

int
webui_settings_refused(struct http_ctx *c, int rc)
{
	char msg[AIMS_ERROR_MSG_MAX + 2], field[WEB_FORM_NAME_MAX];

	if (http_status_of(rc) >= 500)
		return rc;
	/* Copied: drawing the page runs core calls that reset the last error. */
	snprintf(field, sizeof(field), "%s", aims_error_field());
	return webui_settings_show(c, http_status_of(rc) == 400 ? 422 : http_status_of(rc), NULL,
	    webui_sentence(msg, sizeof(msg)), field);
}

int
webui_settings(struct http_ctx *c)
{
	return webui_settings_show(c, 200, NULL, NULL, NULL);
}

/*
 * The last error as a sentence for the form: "field 'readiness.X': " left
 * out, since the message stands under the field its label names.
 */
static const char *
webui_settings_sentence(char *buf, size_t len)
{
	const char *m = aims_error_message(), *p;
	char rest[AIMS_ERROR_MSG_MAX + 2], field[WEB_FORM_NAME_MAX];

	if (strncmp(m, "field '", 7) != 0 || (p = strstr(m, "': ")) == NULL || p[3] == '\0')
		return webui_sentence(buf, len);
	/* Copied first: both live in the error's own buffers, which setting it rewrites. */
	snprintf(rest, sizeof(rest), "%s", p + 3);
	snprintf(field, sizeof(field), "%s", aims_error_field());
	aims_error_set(aims_error_code(), field, "%s", rest);
	return webui_sentence(buf, len);
}

/* The settings form's text inputs besides name (web/page_admin.c draws them). */
static const char *const webui_settings_inputs[] = {
	"timezone", "readiness.target_stage", "readiness.audit_date",
	"readiness.evidence_max_age_days", "readiness.metric_window_days",
};

static const char *
webui_posted_or(struct http_ctx *c, const char *name)
{
	const char *s = webui_posted(c, name);

	return s != NULL ? s : "";
}

/* A whole number as itself, empty as null (none), anything else as text core refuses. */
static json_t *
webui_settings_number(const char *s)
{
	char *end;
	long v;

	if (*s == '\0')
		return json_null();
	v = strtol(s, &end, 10);
	return *end == '\0' && end - s <= 6 ? json_integer(v) : json_string(s);
}

/* The readiness options as posted, for org_update_settings(). */
static json_t *
webui_settings_readiness(struct http_ctx *c)
{
	const char *date = webui_posted_or(c, "readiness.audit_date");

	return json_pack("{s:o, s:o, s:o, s:o, s:b}",
	    "target_stage", webui_settings_number(webui_posted_or(c, "readiness.target_stage")),
	    "audit_date", *date != '\0' ? json_string(date) : json_null(),
	    "evidence_max_age_days", webui_settings_number(webui_posted_or(c,
	    "readiness.evidence_max_age_days")),
	    "metric_window_days", webui_settings_number(webui_posted_or(c,
	    "readiness.metric_window_days")),
	    "manual_as_gaps", webui_posted(c, "readiness.manual_as_gaps") != NULL);
}

/* The settings form, as one change of the server's writer: all of it or nothing. */
struct webui_settings_change {
	struct http_ctx	*c;
	const char	*name;
	json_t		*roles, *ready;
	bool		 require;
};

static int
webui_settings_apply(struct db *db, void *arg)
{
	const struct webui_settings_change *w = arg;
	struct http_ctx *c = w->c;
	int rc;

	if ((rc = org_update_settings(NULL, db, &c->actor, c->org_id, webui_posted_version(c),
	    webui_posted_or(c, "timezone"), w->ready)) != 0 ||
	    (rc = org_update(NULL, db, &c->actor, c->org_id, 0, w->name, w->roles)) != 0)
		return rc;
	return org_set_second_factor(db, &c->actor, c->org_id, w->require);
}

int
webui_settings_save(struct http_ctx *c)
{
	const struct web_form *f = c->web->posted;
	const char *name = webui_posted(c, "name");
	struct webui_settings_change w;
	json_t *roles = json_array(), *values = NULL, *ready = NULL;
	struct buf url = BUF_INIT;
	char msg[AIMS_ERROR_MSG_MAX + 2], field[WEB_FORM_NAME_MAX];
	bool require;
	size_t i;
	int rc;

	for (i = 0; f != NULL && i < f->n; i++)
		if (strcmp(f->names[i], "ai_roles") == 0)
			json_array_append_new(roles, json_string(f->values[i]));
	require = webui_posted(c, "require_second_factor") != NULL;
	ready = webui_settings_readiness(c);
	w.c = c;
	w.name = name;
	w.roles = roles;
	w.ready = ready;
	w.require = require;
	rc = http_server_write(c->db, c->org_id, webui_settings_apply, &w);
	if (rc == 0) {
		webui_flash(c, "settings", NULL);
		web_url_kind(&url, &c->web->ctx, "settings");
		webui_redirect(c, buf_str(&url));
		goto done;
	}
	if (http_status_of(rc) >= 500)
		goto done;
	values = json_pack("{s:s, s:O, s:b}", "name", name != NULL ? name : "", "ai_roles", roles,
	    "require_second_factor", require);
	for (i = 0; i < sizeof(webui_settings_inputs) / sizeof(webui_settings_inputs[0]); i++)
		json_object_set_new(values, webui_settings_inputs[i],
		    json_string(webui_posted_or(c, webui_settings_inputs[i])));
	if (json_is_true(json_object_get(ready, "manual_as_gaps")))
		json_object_set_new(values, "readiness.manual_as_gaps", json_string("1"));
	snprintf(field, sizeof(field), "%s", aims_error_field());
	rc = webui_settings_show(c, http_status_of(rc) == 400 ? 422 : http_status_of(rc), values,
	    webui_settings_sentence(msg, sizeof(msg)), field);
done:
	json_decref(roles);
	json_decref(values);
	json_decref(ready);
	buf_free(&url);
	return rc;
}

/* ---- tokens ------------------------------------------------------------- */

static int
webui_tokens_show(struct http_ctx *c, int status, struct web_tokens_view *v)
{
	const char *roles[ROLE_ADMIN + 1];
	struct buf page = BUF_INIT;
	json_t *items = NULL;
	char *next = NULL;
	int rc;

	if ((rc = token_list(&items, &next, c->db, c->org_id, TOKEN_LIST_MAX, NULL)) != 0)
		return rc;
	webui_grantable(roles, c->role);
	v->tokens = items;
	v->roles = roles;
	v->write = perm_allows(c->role, PERM_WRITE, PERM_KIND_TOKEN);
	web_page_tokens(&page, &c->web->ctx, v);
	webui_send(c, status, &page);
	json_decref(items);
	free(next);
	return 0;
}

int
webui_tokens(struct http_ctx *c)
{
	struct web_tokens_view v = { 0 };

	return webui_tokens_show(c, 200, &v);
}

int
webui_token_create(struct http_ctx *c)
{
	char field[WEB_FORM_NAME_MAX];
	struct web_tokens_view v = { .name = webui_posted(c, "name"),
	    .role = webui_posted(c, "role"), .expires = webui_posted(c, "expires_at") };
	char msg[AIMS_ERROR_MSG_MAX + 2], expires[CLOCK_RFC3339_LEN];
	struct token_change t = { .org_id = c->org_id, .actor = &c->actor };
	json_t *rec = NULL;
	enum role role;
	int rc;

	if ((rc = role_parse(&role, v.role)) != 0) {
		rc = aims_error_set(AIMS_EINVALID, "role", "choose the token's role");
	} else if (v.expires != NULL && *v.expires != '\0' &&
	    (strlen(v.expires) != WEBUI_DATE_LEN || strchr(v.expires, 'T') != NULL)) {
		rc = aims_error_set(AIMS_EINVALID, "expires_at",
		    "expires on must be a date (YYYY-MM-DD)");
	} else {
		snprintf(expires, sizeof(expires), "%sT00:00:00Z", v.expires != NULL ? v.expires :
		    "");
		t.name = v.name;
		t.role = role;
		t.expires_at = v.expires != NULL && *v.expires != '\0' ? expires : NULL;
		rc = http_server_write(c->db, c->org_id, token_change_apply, &t);
		rec = t.out;
	}
	if (rc == 0) {
		/* The secret is in this one answer: never in a URL, a cookie or a log. */
		v.created = rec;
		v.name = v.role = v.expires = NULL;
		rc = webui_tokens_show(c, 201, &v);
		json_decref(rec);
		return rc;
	}
	if (http_status_of(rc) >= 500)
		return rc;
	v.error = webui_sentence(msg, sizeof(msg));
	snprintf(field, sizeof(field), "%s", aims_error_field());
	v.error_field = field;
	return webui_tokens_show(c, http_status_of(rc) == 400 ? 422 : http_status_of(rc), &v);
}

int
webui_token_revoke(struct http_ctx *c)
{
	struct token_change t = { .revoke = true, .org_id = c->org_id, .actor = &c->actor };
	struct buf url = BUF_INIT;
	int rc;

	if (str_to_int64(&t.id, http_param(c, "id"), 1, INT64_MAX) != 0)
		return aims_error_set(AIMS_ENOTFOUND, NULL, "There is no such token.");
	t.if_version = webui_posted_version(c);
	if ((rc = http_server_write(c->db, c->org_id, token_change_apply, &t)) != 0)
		return rc;
	webui_flash(c, "revoked", NULL);
	web_url_kind(&url, &c->web->ctx, "tokens");
	webui_redirect(c, buf_str(&url));
	buf_free(&url);
	return 0;
}

/* ---- account ------------------------------------------------------------ */

/*
 * The zone the account's times are shown in: its organisations' when they
 * share one (most people belong to one), else UTC, named as such.
 */
static int
webui_account_zone(const struct tz **out, struct http_ctx *c)
{
	json_t *orgs = NULL, *o;
	const struct tz *z;
	int64_t id;
	size_t i;
	int rc;

	*out = NULL;
	if ((rc = member_orgs_of_user(&orgs, c->db, c->who.user_id)) != 0)
		return rc;
	json_array_foreach(orgs, i, o) {
		if ((rc = org_id_by_slug(&id, c->db, json_string_value(json_object_get(o,
		    "slug")))) != 0)
			break;
		z = webui_org_zone(c->db, id);
		if (i > 0 && z != *out) {
			*out = NULL;
			break;
		}
		*out = z;
	}
	json_decref(orgs);
	return rc;
}

int
webui_account(struct http_ctx *c)
{
	struct web_account_view v = { .email = c->who.email, .csrf = c->who.csrf,
	    .current = c->who.session_id, .min_length = USER_PASSWORD_MIN };
	struct buf page = BUF_INIT;
	json_t *sessions = NULL;
	const char *done = http_query(c, "done");
	int rc;

	if ((rc = totp_enabled(&v.second_factor, c->db, c->who.user_id)) != 0 ||
	    (rc = webui_account_zone(&v.zone, c)) != 0 ||
	    (rc = session_list_user(&sessions, c->db, c->who.user_id, clock_now())) != 0)
		return rc;
	v.sessions = sessions;
	if (done != NULL && strcmp(done, "ended") == 0)
		v.flash = "That session has ended.";
	else if (done != NULL && strcmp(done, "others") == 0)
		v.flash = "Every other session of yours has ended.";
	web_page_account(&page, &v);
	webui_send(c, 200, &page);
	json_decref(sessions);
	return 0;
}

/* One of the person's sessions ended, or all but keep_id: the store's change. */
struct webui_sessions_end {
	int64_t	user_id;
	int64_t	id;		/* 0: every one but keep_id */
	int64_t	keep_id;
};

static int
webui_sessions_end_apply(struct db *db, void *arg)
{
	const struct webui_sessions_end *e = arg;

	if (e->id != 0)
		return session_delete_own(db, e->user_id, e->id);
	return session_delete_user(db, e->user_id, e->keep_id);
}

int
webui_session_end(struct http_ctx *c)
{
	struct webui_sessions_end e = { .user_id = c->who.user_id };
	int rc;

	if (str_to_int64(&e.id, http_param(c, "id"), 1, INT64_MAX) != 0)
		return aims_error_set(AIMS_ENOTFOUND, NULL, "There is no such session.");
	if (e.id == c->who.session_id)
		return aims_error_set(AIMS_ECONFLICT, NULL,
		    "This is the session you are using: sign out instead.");
	if ((rc = http_server_write(c->db, 0, webui_sessions_end_apply, &e)) != 0)
		return rc;
	webui_redirect(c, "/account?done=ended");
	return 0;
}

int
webui_sessions_end_others(struct http_ctx *c)
{
	struct webui_sessions_end e = { .user_id = c->who.user_id,
	    .keep_id = c->who.session_id };
	int rc;

	if ((rc = http_server_write(c->db, 0, webui_sessions_end_apply, &e)) != 0)
		return rc;
	webui_redirect(c, "/account?done=others");
	return 0;
}

/* ---- new organisation, portfolio ------------------------------------------ */

/* The person's organisations whose setup they may copy (perm: write governance there). */
static int
webui_org_sources(json_t **out, struct http_ctx *c)
{
	json_t *orgs = NULL, *o;
	enum role role;
	size_t i;
	int rc;

	*out = json_array();
	if ((rc = member_orgs_of_user(&orgs, c->db, c->who.user_id)) != 0)
		return rc;
	json_array_foreach(orgs, i, o)
		if (role_parse(&role, json_string_value(json_object_get(o, "role"))) == 0 &&
		    perm_allows(role, PERM_WRITE, PERM_KIND_GOVERNANCE))
			json_array_append(*out, o);
	json_decref(orgs);
	return 0;
}

static int
webui_org_new_show(struct http_ctx *c, int status, struct web_org_new_view *v)
{
	struct buf page = BUF_INIT;
	json_t *sources = NULL;
	int rc;

	if ((rc = webui_org_sources(&sources, c)) != 0) {
		json_decref(sources);
		return rc;
	}
	v->email = c->who.email;
	v->csrf = c->who.csrf;
	v->sources = sources;
	web_page_org_new(&page, v);
	webui_send(c, status, &page);
	json_decref(sources);
	return 0;
}

int
webui_org_new(struct http_ctx *c)
{
	struct web_org_new_view v = { 0 };

	return webui_org_new_show(c, 200, &v);
}

/* A new organisation, empty or a copy of another's setup: the store's change. */
struct webui_org_change {
	struct http_ctx		*c;
	const struct actor	*actor;
	const struct web_org_new_view *v;
};

static int
webui_org_create_apply(struct db *db, void *arg)
{
	const struct webui_org_change *o = arg;
	const struct web_org_new_view *v = o->v;
	json_t *copied = NULL;
	int rc;

	if (v->from != NULL && *v->from != '\0')
		rc = org_create_copy(NULL, &copied, db, o->actor, v->slug, v->name,
		    o->c->who.email, v->from);
	else
		rc = org_create_owned(NULL, db, o->actor, v->slug, v->name, o->c->who.email);
	json_decref(copied);
	return rc;
}

int
webui_org_create(struct http_ctx *c)
{
	char field[WEB_FORM_NAME_MAX];
	struct actor actor = { c->who.user_id, c->who.name, ROLE_ADMIN };
	struct web_org_new_view v = { .slug = webui_posted(c, "slug"),
	    .name = webui_posted(c, "name"), .from = webui_posted(c, "from") };
	char msg[AIMS_ERROR_MSG_MAX + 2];
	struct webui_org_change o = { .c = c, .actor = &actor, .v = &v };
	struct buf url = BUF_INIT;
	int rc;

	rc = http_server_write(c->db, 0, webui_org_create_apply, &o);
	if (rc == 0) {
		buf_puts(&url, "/o/");
		buf_puts(&url, v.slug);	/* a valid slug: nothing to escape */
		buf_puts(&url, "/settings");
		webui_flash(c, v.from != NULL && *v.from != '\0' ? "org-copied" : "org-created",
		    NULL);
		webui_redirect(c, buf_str(&url));
		buf_free(&url);
		return 0;
	}
	if (http_status_of(rc) >= 500)
		return rc;
	v.error = webui_sentence(msg, sizeof(msg));
	snprintf(field, sizeof(field), "%s", aims_error_field());
	v.error_field = field;
	return webui_org_new_show(c, http_status_of(rc) == 400 ? 422 : http_status_of(rc), &v);
}

/*
 * An organisation's readiness as its dashboard shows it: the latest stored
 * evaluation (a snapshot, made whenever its readiness page is opened), so
 * that the page stays fast however many and however large the
 * organisations; one never evaluated is evaluated now, and stored.
 */
static int
webui_portfolio_readiness(json_t *o, struct http_ctx *c, int64_t org_id)
{
	json_t *trend = NULL, *r = NULL, *last;
	char now[CLOCK_RFC3339_LEN];
	int rc;

	if ((rc = snapshot_trend(&trend, c->db, org_id, CATALOG_ISO42001, 1)) != 0)
		return rc;
	if ((last = json_array_get(trend, json_array_size(trend) - 1)) != NULL) {
		json_object_set(o, "score", json_object_get(last, "score"));
		json_object_set(o, "as_of", json_object_get(last, "taken_at"));
		json_object_set_new(o, "stages", json_pack("[{s:s, s:O}, {s:s, s:O}]",
		    "verdict", json_is_true(json_object_get(last, "stage1_ready")) ? "ready" :
		    "not_ready", "blocking_gaps", json_object_get(last, "stage1_blocking"),
		    "verdict", json_is_true(json_object_get(last, "stage2_ready")) ? "ready" :
		    "not_ready", "blocking_gaps", json_object_get(last, "stage2_blocking")));
		json_decref(trend);
		return 0;
	}
	json_decref(trend);
	if ((rc = readiness_evaluate(&r, c->db, org_id, READINESS_SAVE)) != 0)
		return rc;
	clock_format(now, clock_now());
	json_object_set(o, "score", json_object_get(r, "score"));
	json_object_set(o, "stages", json_object_get(r, "stages"));
	json_object_set_new(o, "as_of", json_string(now));
	json_decref(r);
	return 0;
}

int
webui_portfolio(struct http_ctx *c)
{
	struct web_portfolio_view v = { .email = c->who.email, .csrf = c->who.csrf };
	json_t *orgs = NULL, *o;
	struct buf page = BUF_INIT;
	char zone[ORG_TIMEZONE_MAX];
	int64_t id;
	size_t i;
	int rc;

	if ((rc = member_orgs_of_user(&orgs, c->db, c->who.user_id)) != 0)
		return rc;
	json_array_foreach(orgs, i, o) {
		if ((rc = org_id_by_slug(&id, c->db, json_string_value(json_object_get(o,
		    "slug")))) != 0 || (rc = webui_portfolio_readiness(o, c, id)) != 0 ||
		    (rc = org_timezone(zone, c->db, id)) != 0)
			goto done;
		json_object_set_new(o, "timezone", json_string(zone));
	}
	v.orgs = orgs;
	web_page_portfolio(&page, &v);
	webui_send(c, 200, &page);
done:
	json_decref(orgs);
	return rc;
}
