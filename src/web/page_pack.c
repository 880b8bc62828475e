/*
 * page_pack.c - the audit pack page: what a pack is for, a form to make one
 * (optionally since a date, or for some requirements), and the latest pack
 * of the organisation: being made (the handler asks the browser to reload
 * the page every few seconds, without script), made (its counts and the download link), or
 * why it could not be made.
 */
#include <string.h>

#include "web/html.h"
#include "web/web.h"

static const char *
pack_str(const json_t *j, const char *name)
{
	const char *s = json_string_value(json_object_get(j, name));

	return s != NULL ? s : "";
}

static void
pack_latest(struct buf *out, const struct web_ctx *ctx, const json_t *job)
{
	const char *state = pack_str(job, "state");
	struct buf url = BUF_INIT;
	long long id = (long long)json_integer_value(json_object_get(job, "id"));

	html_printf(out, "<section class=\"card\" id=\"latest\"><h2>Pack %lld</h2>", id);
	buf_puts(out, "<p>Started ");
	web_time(out, ctx, pack_str(job, "started_at"));
	html_printf(out, " by %s", web_actor(pack_str(job, "started_by")));
	if (*pack_str(job, "since"))
		html_printf(out, "; versions since %s", pack_str(job, "since"));
	if (*pack_str(job, "requirements"))
		html_printf(out, "; records of %s", pack_str(job, "requirements"));
	buf_puts(out, ".</p>");
	if (strcmp(state, "running") == 0) {
		buf_puts(out, "<p role=\"status\"><span class=\"tag t-in_review\">Being made</span> "
		    "This page reloads until it is ready.</p>");
	} else if (strcmp(state, "done") == 0) {
		web_url_kind(&url, ctx, "pack");
		buf_printf(&url, "/%lld/download", id);
		html_printf(out, "<p role=\"status\"><span class=\"tag t-approved\">Ready</span> "
		    "%lld record versions, %lld evidence files, %lld checkpoints of a log of %lld "
		    "entries; %lld bytes.</p><p><a class=\"btn primary\" href=\"%s\" download>"
		    "Download the pack</a></p>",
		    (long long)json_integer_value(json_object_get(job, "records")),
		    (long long)json_integer_value(json_object_get(job, "evidence")),
		    (long long)json_integer_value(json_object_get(job, "checkpoints")),
		    (long long)json_integer_value(json_object_get(job, "tree_size")),
		    (long long)json_integer_value(json_object_get(job, "size")), buf_str(&url));
	} else {
		html_printf(out, "<p role=\"alert\"><span class=\"tag t-disabled\">Not made</span> "
		    "%s</p>", pack_str(job, "error"));
	}
	buf_puts(out, "</section>\n");
	buf_free(&url);
}

void
web_page_pack(struct buf *out, const struct web_ctx *ctx, const struct web_pack_view *v)
{
	const struct web_crumb crumbs[] = { { "Audit pack", NULL } };
	struct buf url = BUF_INIT;

	web_page_begin(out, ctx, "Audit pack", "pack", crumbs, 1);
	buf_puts(out, "<div class=\"page-head\"><h1>Audit pack</h1></div>\n"
	    "<p class=\"lede\">One zip file a certification body checks on its own computer, "
	    "without trusting this server: the records with every version it cites, the "
	    "published SoA, the evidence files and the readiness report, with the signed ledger "
	    "entries, salts and Merkle proofs that show each is what the organisation recorded. "
	    "The auditor runs <code>aims verify --pack FILE --key KEY</code>, or any verifier "
	    "written from the published format.</p>\n");
	if (v->error)
		html_printf(out, "<div class=\"error-summary\" role=\"alert\" tabindex=\"-1\" "
		    "id=\"errors\"><h2>The pack was not started</h2><ul><li>%s</li></ul></div>\n",
		    v->error);
	if (v->job)
		pack_latest(out, ctx, v->job);
	web_url_kind(&url, ctx, "pack");
	html_printf(out, "<form method=\"post\" action=\"%s\" class=\"card\">", buf_str(&url));
	web_csrf_input(out, ctx);
	html_printf(out, "<h2>Make a pack</h2>"
	    "<div class=\"field%s\"><label for=\"f-since\">Versions since (optional)</label>"
	    "<input type=\"date\" id=\"f-since\" name=\"since\" value=\"%s\">"
	    "<p class=\"help\">Every version written since this date and the current version "
	    "of every record. Empty: every version.</p></div>",
	    v->error_field && strcmp(v->error_field, "since") == 0 ? " invalid" : "",
	    v->since ? v->since : "");
	html_printf(out, "<div class=\"field%s\"><label for=\"f-requirements\">Requirements "
	    "(optional)</label><input type=\"text\" id=\"f-requirements\" name=\"requirements\" "
	    "value=\"%s\" placeholder=\"A.6.2.6, 6.1.2\">"
	    "<p class=\"help\">Only the records linked to these requirements, separated by "
	    "commas. The SoA is always whole. Empty: every record.</p></div>",
	    v->error_field && strcmp(v->error_field, "requirements") == 0 ? " invalid" : "",
	    v->requirements ? v->requirements : "");
	buf_puts(out, "<button type=\"submit\" class=\"btn primary\">Make the pack</button>"
	    "</form>\n");
	web_page_end(out, ctx);
	buf_free(&url);
}
