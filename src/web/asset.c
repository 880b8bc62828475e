/*
 * asset.c - the stylesheet, script and icons compiled into the binary
 * (web_assets[], built from src/web/assets/ by tools/embed.c) and served at
 * /static/<name>. Each asset's URL carries a content hash (?v=...), so the
 * answer can be cached for a year: a new build changes the URL. app.css is
 * served with the charts' stylesheet (io/svg.c) at its end.
 */
#include <pthread.h>
#include <string.h>

#include <sodium.h>

#include "io/svg.h"
#include "util/buf.h"
#include "util/embed.h"
#include "web/html.h"
#include "web/web.h"

#define WEB_ASSETS_MAX	32

static const struct {
	const char	*ext;
	const char	*type;
} web_asset_types[] = {
	{ ".css", "text/css; charset=utf-8" },
	{ ".js", "text/javascript; charset=utf-8" },
	{ ".svg", "image/svg+xml" },
};

static struct web_asset web_asset_table[WEB_ASSETS_MAX + 1];
static pthread_once_t web_asset_once = PTHREAD_ONCE_INIT;
/* app.css followed by the charts' rules (io/svg.h): built once, kept for good. */
static struct buf web_asset_app_css;

static const char *
web_asset_type(const char *name)
{
	size_t i, n = strlen(name), e;

	for (i = 0; i < sizeof(web_asset_types) / sizeof(web_asset_types[0]); i++) {
		e = strlen(web_asset_types[i].ext);
		if (n > e && strcmp(name + n - e, web_asset_types[i].ext) == 0)
			return web_asset_types[i].type;
	}
	return "application/octet-stream";
}

static void
web_asset_init(void)
{
	unsigned char h[crypto_hash_sha256_BYTES];
	size_t i;

	for (i = 0; web_assets[i].name != NULL && i < WEB_ASSETS_MAX; i++) {
		struct web_asset *a = &web_asset_table[i];

		a->name = web_assets[i].name;
		a->data = web_assets[i].data;
		a->len = web_assets[i].len;
		if (strcmp(a->name, "app.css") == 0) {
			buf_append(&web_asset_app_css, a->data, a->len);
			buf_puts(&web_asset_app_css, svg_css);
			a->data = (const unsigned char *)web_asset_app_css.data;
			a->len = web_asset_app_css.len;
		}
		a->content_type = web_asset_type(a->name);
		crypto_hash_sha256(h, a->data, a->len);
		sodium_bin2hex(a->version, sizeof(a->version), h, (sizeof(a->version) - 1) / 2);
	}
}

const struct web_asset *
web_asset_find(const char *name)
{
	size_t i;

	pthread_once(&web_asset_once, web_asset_init);
	if (name == NULL)
		return NULL;
	for (i = 0; web_asset_table[i].name != NULL; i++)
		if (strcmp(web_asset_table[i].name, name) == 0)
			return &web_asset_table[i];
	return NULL;
}

const char *
web_asset_cache_control(const struct web_asset *a, const char *version)
{
	if (version != NULL && strcmp(version, a->version) == 0)
		return WEB_ASSET_CACHE_LONG;
	return WEB_ASSET_CACHE_SHORT;
}

void
web_asset_url(struct buf *out, const char *name)
{
	const struct web_asset *a = web_asset_find(name);

	buf_puts(out, WEB_STATIC_PREFIX);
	html_url_escape(out, name);
	if (a != NULL) {
		buf_puts(out, "?v=");
		buf_puts(out, a->version);
	}
}
