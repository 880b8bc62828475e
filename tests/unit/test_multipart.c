/*
 * test_multipart.c - unit tests for src/http/multipart.c: a body fed whole
 * and split at every byte gives the same fields, file and hash; content that
 * looks almost like a boundary stays content; every limit and every
 * malformation is refused with its code, leaving no temporary file behind.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include <sodium.h>

#include "http/multipart.h"
#include "util/buf.h"
#include "util/error.h"

#define CT	"multipart/form-data; boundary=----WebKitFormBoundaryX3"
#define B	"------WebKitFormBoundaryX3"
#define FILE_BYTES	"line one\r\n--not the boundary\r\r\n------WebKitFormBoundaryX\r\nend\n"

static const char body[] =
	B "\r\n"
	"Content-Disposition: form-data; name=\"_csrf\"\r\n\r\n"
	"tok123\r\n"
	B "\r\n"
	"Content-Disposition: form-data; name=\"title\"\r\n\r\n"
	"Drift \"report\"\r\nline two\r\n"
	B "\r\n"
	"Content-Disposition: form-data; name=\"file\"; filename=\"C:\\\\reports\\\\drift.txt\"\r\n"
	"Content-Type: text/plain\r\n\r\n"
	FILE_BYTES "\r\n"
	B "\r\n"
	"Content-Disposition: form-data; name=\"empty\"\r\n\r\n"
	"\r\n"
	B "--\r\nepilogue ignored\r\n";

static char *
slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	struct buf b = BUF_INIT;
	char chunk[256];
	size_t n;

	assert_non_null(f);
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		buf_append(&b, chunk, n);
	fclose(f);
	*len = b.len;
	return b.len ? buf_detach(&b) : calloc(1, 1);
}

static void
check_upload(struct http_upload *u)
{
	unsigned char h[crypto_hash_sha256_BYTES];
	char hex[65];
	size_t len;
	char *data;

	assert_int_equal(u->fields.n, 3);
	assert_string_equal(web_form_get(&u->fields, "_csrf"), "tok123");
	assert_string_equal(web_form_get(&u->fields, "title"), "Drift \"report\"\r\nline two");
	assert_string_equal(web_form_get(&u->fields, "empty"), "");
	assert_non_null(u->file_path);
	assert_string_equal(u->file_field, "file");
	assert_string_equal(u->file_name, "drift.txt");
	data = slurp(u->file_path, &len);
	assert_int_equal(len, strlen(FILE_BYTES));
	assert_memory_equal(data, FILE_BYTES, len);
	assert_int_equal(u->file_size, len);
	crypto_hash_sha256(h, (const unsigned char *)FILE_BYTES, strlen(FILE_BYTES));
	sodium_bin2hex(hex, sizeof(hex), h, sizeof(h));
	assert_string_equal(u->sha256, hex);
	free(data);
}

static int
feed_split(struct http_upload **out, const char *data, size_t len, size_t step, uint64_t max)
{
	struct multipart *mp = NULL;
	size_t off, n;
	int rc;

	if ((rc = multipart_begin(&mp, CT, ".", max)) != 0)
		return rc;
	for (off = 0; off < len; off += n) {
		n = len - off < step ? len - off : step;
		if ((rc = multipart_feed(mp, data + off, n)) != 0)
			break;
	}
	if (rc == 0)
		rc = multipart_finish(out, mp);
	multipart_free(mp);
	return rc;
}

static void
test_multipart__whole_and_split_alike(void **state)
{
	struct http_upload *u = NULL;
	char *path;
	size_t step;

	(void)state;
	assert_int_equal(sodium_init() >= 0, 1);
	for (step = 1; step <= sizeof(body); step++) {
		assert_int_equal(feed_split(&u, body, sizeof(body) - 1, step, 1024), 0);
		check_upload(u);
		path = strdup(u->file_path);
		http_upload_free(u);
		assert_int_not_equal(access(path, F_OK), 0);	/* removed with the upload */
		free(path);
	}
}

static void
test_multipart__preamble_and_quoted_boundary(void **state)
{
	const char *ct = "multipart/form-data; charset=utf-8; boundary=\"a b\"";
	const char *text = "preamble\r\n--a b\r\nContent-Disposition: form-data; name=x\r\n\r\n"
	    "1\r\n--a b--";
	struct multipart *mp = NULL;
	struct http_upload *u = NULL;

	(void)state;
	assert_int_equal(multipart_begin(&mp, ct, ".", 10), 0);
	assert_int_equal(multipart_feed(mp, text, strlen(text)), 0);
	assert_int_equal(multipart_finish(&u, mp), 0);
	assert_string_equal(web_form_get(&u->fields, "x"), "1");
	assert_null(u->file_path);
	http_upload_free(u);
	multipart_free(mp);
}

static int
feed_text(const char *text, uint64_t max)
{
	struct http_upload *u = NULL;
	int rc = feed_split(&u, text, strlen(text), strlen(text), max);

	http_upload_free(u);
	return rc;
}

static void
test_multipart__refusals(void **state)
{
	static const char nul[] = B "\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n"
	    "a\0b\r\n" B "--";
	struct multipart *mp = NULL;
	struct http_upload *u = NULL;
	struct buf many = BUF_INIT, big = BUF_INIT;
	int i;

	(void)state;
	assert_int_equal(multipart_begin(&mp, "application/json", ".", 1), AIMS_EUNSUPPORTED);
	assert_int_equal(multipart_begin(&mp, "multipart/form-data", ".", 1), AIMS_EINVALID);
	assert_int_equal(multipart_begin(&mp, "multipart/form-data; boundary=", ".", 1),
	    AIMS_EINVALID);
	/* File over its limit, whatever the pieces. */
	assert_int_equal(feed_split(&u, body, sizeof(body) - 1, 7, 10), AIMS_ETOOBIG);
	assert_null(u);
	/* No closing boundary. */
	assert_int_equal(feed_text(B "\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nx", 10),
	    AIMS_EINVALID);
	/* Junk after a boundary, a part without a name, without form-data. */
	assert_int_equal(feed_text(B "xx", 10), AIMS_EINVALID);
	assert_int_equal(feed_text(B "\r\nContent-Disposition: form-data\r\n\r\nx\r\n" B "--", 10),
	    AIMS_EINVALID);
	assert_int_equal(feed_text(B "\r\nContent-Type: text/plain\r\n\r\nx\r\n" B "--", 10),
	    AIMS_EINVALID);
	/* Two files. */
	assert_int_equal(feed_text(B "\r\nContent-Disposition: form-data; name=\"a\"; filename=\"1\""
	    "\r\n\r\nx\r\n" B "\r\nContent-Disposition: form-data; name=\"b\"; filename=\"2\"\r\n\r\n"
	    "y\r\n" B "--", 10), AIMS_EINVALID);
	/* Not UTF-8; a NUL in a text field. */
	assert_int_equal(feed_text(B "\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n"
	    "\xff\r\n" B "--", 10), AIMS_EINVALID);
	assert_int_equal(feed_split(&u, nul, sizeof(nul) - 1, 5, 10), AIMS_EINVALID);
	/* Headers too large; too many parts. */
	buf_puts(&big, B "\r\nContent-Disposition: form-data; name=\"a\"\r\nX: ");
	for (i = 0; i < MULTIPART_HEADERS_MAX; i++)
		buf_putc(&big, 'h');
	buf_puts(&big, "\r\n\r\nx\r\n" B "--");
	assert_int_equal(feed_text(buf_str(&big), 10), AIMS_ETOOBIG);
	for (i = 0; i <= MULTIPART_PARTS_MAX; i++)
		buf_printf(&many, B "\r\nContent-Disposition: form-data; name=\"f%d\"\r\n\r\nv\r\n", i);
	buf_puts(&many, B "--");
	assert_int_equal(feed_text(buf_str(&many), 10), AIMS_ETOOBIG);
	/* An empty file input: no file. */
	assert_int_equal(feed_text(B "\r\nContent-Disposition: form-data; name=\"f\"; filename=\"\""
	    "\r\n\r\n\r\n" B "--", 10), 0);
	buf_free(&many);
	buf_free(&big);
}

/* Names as the HTML standard has browsers (and curl) send them: " as %22, CR and LF as %0D %0A. */
static void
test_multipart__escaped_names(void **state)
{
	struct http_upload *u = NULL;
	const char *text = B "\r\nContent-Disposition: form-data; name=\"note%0Aa\"\r\n\r\nx\r\n"
	    B "\r\nContent-Disposition: form-data; name=\"file\"; "
	    "filename=\"Pr\xc3\xbc""fbericht %22Q4%22 \\\"v2\\\".txt\"\r\n\r\ny\r\n" B "--";

	(void)state;
	assert_int_equal(feed_split(&u, text, strlen(text), 9, 10), 0);
	assert_string_equal(u->file_name, "Pr\xc3\xbc""fbericht \"Q4\" \"v2\".txt");
	assert_string_equal(u->fields.names[0], "note\na");
	http_upload_free(u);
}

static void
test_multipart__no_temporary_file_left(void **state)
{
	struct multipart *mp = NULL;
	struct stat st;
	char dir[] = "mp-XXXXXX";

	(void)state;
	assert_non_null(mkdtemp(dir));
	assert_int_equal(multipart_begin(&mp, CT, dir, 4), 0);
	assert_int_equal(multipart_feed(mp, body, sizeof(body) - 1), AIMS_ETOOBIG);
	assert_int_equal(multipart_feed(mp, "more", 4), AIMS_ETOOBIG);	/* stays refused */
	multipart_free(mp);
	assert_int_equal(stat(dir, &st), 0);
	assert_int_equal(rmdir(dir), 0);	/* empty: the partial file was removed */
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_multipart__whole_and_split_alike),
		cmocka_unit_test(test_multipart__preamble_and_quoted_boundary),
		cmocka_unit_test(test_multipart__refusals),
		cmocka_unit_test(test_multipart__escaped_names),
		cmocka_unit_test(test_multipart__no_temporary_file_left),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
