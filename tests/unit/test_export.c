/* test_export.c - unit tests for src/io/export*.c: XLSX opened with unzip, CSV, JSON, HTML. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <dirent.h>
#include <sys/stat.h>

#include "core/record.h"
#include "io/export.h"
#include "readiness_fixture.h"
#include "util/buf.h"

/* ---- reading an XLSX back: unzip one part, find cells ---- */

static char *
unzip_part(const char *file, const char *part)
{
	struct buf b = BUF_INIT;
	char cmd[512], chunk[4096];
	size_t n;
	FILE *p;

	snprintf(cmd, sizeof(cmd), "unzip -p '%s' '%s' 2>/dev/null", file, part);
	if ((p = popen(cmd, "r")) == NULL)
		fail_msg("cannot run unzip");
	while ((n = fread(chunk, 1, sizeof(chunk), p)) > 0)
		buf_append(&b, chunk, n);
	pclose(p);
	if (b.len == 0)
		return strdup("");
	return buf_detach(&b);
}

/* The i-th <si> of sharedStrings.xml, entities left as they are. */
static char *
shared_string(const char *sst, long idx)
{
	const char *p = sst, *t, *end;
	long i;

	for (i = 0; i <= idx; i++)
		if ((p = strstr(p, "<si>")) == NULL)
			return NULL;
		else
			p += 4;
	if ((t = strstr(p, "<t")) == NULL || (t = strchr(t, '>')) == NULL ||
	    (end = strstr(t, "</t>")) == NULL)
		return NULL;
	return strndup(t + 1, (size_t)(end - t - 1));
}

/* The text of cell ref ("B2") in a sheet: shared, inline or number. Caller frees. */
static char *
cell(const char *sheet, const char *sst, const char *ref)
{
	char pat[32];
	const char *c, *close, *v, *vend;

	snprintf(pat, sizeof(pat), "<c r=\"%s\"", ref);
	if ((c = strstr(sheet, pat)) == NULL)
		return NULL;
	close = strchr(c, '>');
	if (close[-1] == '/')
		return strdup("");
	if (strstr(c, "t=\"inlineStr\"") != NULL && strstr(c, "t=\"inlineStr\"") < close) {
		v = strstr(c, "<t");
		v = strchr(v, '>') + 1;
		vend = strstr(v, "</t>");
		return strndup(v, (size_t)(vend - v));
	}
	v = strstr(c, "<v>") + 3;
	vend = strstr(v, "</v>");
	if (strstr(c, "t=\"s\"") != NULL && strstr(c, "t=\"s\"") < close)
		return shared_string(sst, strtol(v, NULL, 10));
	return strndup(v, (size_t)(vend - v));
}

static void
assert_cell(const char *sheet, const char *sst, const char *ref, const char *want)
{
	char *got = cell(sheet, sst, ref);

	if (got == NULL || strcmp(got, want) != 0)
		fail_msg("cell %s: got '%s', want '%s'", ref, got ? got : "(none)", want);
	free(got);
}

/* An organisation with a decided SoA, two risks and two AI systems. */
static struct db *
setup(void)
{
	struct db *db = fx_open();

	fx_soa_init(db, FX_ORG);
	fx_put(db, "soa", "A.2.2", "{\"control\": \"A.2.2\", \"applicable\": true, "
	    "\"justification\": \"Policy needed\", \"status\": \"implemented\", "
	    "\"owner\": \"alice@example.org\", \"measures\": [\"MEAS-1\", \"MEAS-2\"]}");
	fx_put(db, "soa", "A.10.4", "{\"control\": \"A.10.4\", \"applicable\": false, "
	    "\"justification\": \"No customers & no <AI> supply\", \"status\": \"not_started\"}");
	fx_put(db, "soa", "A.7.4", "{\"control\": \"A.7.4\", \"applicable\": true, "
	    "\"justification\": \"=1+1 looks like a formula\", \"status\": \"partial\"}");
	fx_put(db, "risks", "RISK-1", "{\"title\": \"Biased, \\\"unfair\\\" ranking\", "
	    "\"ai_systems\": [\"AIS-1\", \"AIS-2\"], \"likelihood\": 4, \"impact\": 3, "
	    "\"inherent_score\": 12, \"inherent_level\": \"high\", \"treatment\": {\"option\": "
	    "\"modify\", \"plan\": \"Re-weight\\nand test\", \"controls\": [\"A.7.4\"]}, "
	    "\"status\": \"treatment_planned\"}");
	fx_put(db, "risks", "RISK-2", "{\"title\": \"-Drift\", \"likelihood\": 1, \"impact\": 1, "
	    "\"inherent_score\": 1, \"status\": \"assessed\"}");
	fx_put(db, "ai-systems", "AIS-1", "{\"name\": \"Ranker\", \"in_scope\": true, "
	    "\"lifecycle_stage\": \"deployment\", \"eu_ai_act_roles\": [\"provider\", "
	    "\"deployer\"], \"components\": [{\"kind\": \"model\", \"name\": \"rank-net\", "
	    "\"version\": \"2.1\", \"supplier\": \"Acme\"}, {\"kind\": \"dataset\", \"name\": "
	    "\"clicks\"}]}");
	fx_put(db, "ai-systems", "AIS-2", "{\"name\": \"Chat\", \"in_scope\": false}");
	return db;
}

static void
test_export__soa_xlsx(void **state)
{
	struct db *db = setup();
	char *sheet, *sheet2, *sst, *wb, *core, *ct;

	(void)state;
	assert_int_equal(export_to_file("soa.xlsx", db, FX_ORG, EXPORT_SOA, EXPORT_XLSX, NULL), 0);
	sheet = unzip_part("soa.xlsx", "xl/worksheets/sheet1.xml");
	sheet2 = unzip_part("soa.xlsx", "xl/worksheets/sheet2.xml");
	sst = unzip_part("soa.xlsx", "xl/sharedStrings.xml");
	wb = unzip_part("soa.xlsx", "xl/workbook.xml");
	core = unzip_part("soa.xlsx", "docProps/core.xml");
	ct = unzip_part("soa.xlsx", "\\[Content_Types\\].xml");
	assert_non_null(strstr(ct, "spreadsheetml"));
	/* Header, frozen, filtered over 38 rows, widths. */
	assert_cell(sheet, sst, "A1", "Control");
	assert_cell(sheet, sst, "E1", "Justification");
	assert_non_null(strstr(sheet, "<pane ySplit=\"1\" topLeftCell=\"A2\""));
	assert_non_null(strstr(sheet, "<autoFilter ref=\"A1:H39\"/>"));
	assert_non_null(strstr(sheet, "<col min=\"5\" max=\"5\" width=\"60.7109375\""));
	assert_non_null(strstr(wb, "_xlnm._FilterDatabase"));
	/* One row per control in catalog order; values as recorded. */
	assert_cell(sheet, sst, "A2", "A.2.2");
	assert_cell(sheet, sst, "B2", "AI policy");
	assert_cell(sheet, sst, "C2", "A.2");
	assert_cell(sheet, sst, "D2", "Yes");
	assert_cell(sheet, sst, "E2", "Policy needed");
	assert_cell(sheet, sst, "F2", "implemented");
	assert_cell(sheet, sst, "G2", "alice@example.org");
	assert_cell(sheet, sst, "H2", "MEAS-1, MEAS-2");
	assert_cell(sheet, sst, "A3", "A.2.3");
	assert_cell(sheet, sst, "D3", "Undecided");
	assert_cell(sheet, sst, "A39", "A.10.4");
	assert_cell(sheet, sst, "D39", "No");
	assert_cell(sheet, sst, "E39", "No customers &amp; no &lt;AI&gt; supply");
	assert_null(strstr(sheet, "<c r=\"A40\""));
	/* Colours by status: the implemented, undecided and excluded rows differ. */
	{
		char *s2 = strstr(sheet, "<c r=\"F2\""), *s3 = strstr(sheet, "<c r=\"D3\"");
		char *s39 = strstr(sheet, "<c r=\"D39\"");
		char st2[16], st3[16], st39[16];

		assert_int_equal(sscanf(strstr(s2, "s=\""), "s=\"%15[0-9]", st2), 1);
		assert_int_equal(sscanf(strstr(s3, "s=\""), "s=\"%15[0-9]", st3), 1);
		assert_int_equal(sscanf(strstr(s39, "s=\""), "s=\"%15[0-9]", st39), 1);
		assert_string_not_equal(st2, st3);
		assert_string_not_equal(st3, st39);
	}
	/* Second sheet: the justification of each excluded control. */
	assert_non_null(strstr(wb, "name=\"Excluded controls\""));
	assert_cell(sheet2, sst, "A1", "Control");
	assert_cell(sheet2, sst, "A2", "A.10.4");
	assert_cell(sheet2, sst, "C2", "No customers &amp; no &lt;AI&gt; supply");
	assert_null(strstr(sheet2, "<c r=\"A3\""));
	assert_non_null(strstr(core, "Statement of Applicability"));
	free(core);
	core = unzip_part("soa.xlsx", "docProps/app.xml");
	assert_non_null(strstr(core, "<Company>Acme AI</Company>"));
	free(sheet);
	free(sheet2);
	free(sst);
	free(wb);
	free(core);
	free(ct);
	db_close(db);
}

static void
test_export__risks_and_ai_systems_xlsx(void **state)
{
	struct db *db = setup();
	char *sheet, *sst;

	(void)state;
	assert_int_equal(export_to_file("risks.xlsx", db, FX_ORG, EXPORT_RISKS, EXPORT_XLSX,
	    NULL), 0);
	sheet = unzip_part("risks.xlsx", "xl/worksheets/sheet1.xml");
	sst = unzip_part("risks.xlsx", "xl/sharedStrings.xml");
	assert_cell(sheet, sst, "A1", "Ref");
	assert_cell(sheet, sst, "A2", "RISK-1");
	assert_cell(sheet, sst, "B2", "Biased, \"unfair\" ranking");
	assert_cell(sheet, sst, "C2", "AIS-1, AIS-2");
	assert_cell(sheet, sst, "H2", "12");
	{
		/* A number cell, not text: no t= type on it. */
		const char *h2 = strstr(sheet, "<c r=\"H2\""), *end = strchr(h2, '>');
		const char *t = strstr(h2, " t=\"");

		assert_true(t == NULL || t > end);
	}
	assert_cell(sheet, sst, "K2", "modify");
	assert_cell(sheet, sst, "M2", "A.7.4");
	assert_cell(sheet, sst, "A3", "RISK-2");
	assert_non_null(strstr(sheet, "<autoFilter ref=\"A1:U3\"/>"));
	free(sheet);
	free(sst);
	assert_int_equal(export_to_file("ais.xlsx", db, FX_ORG, EXPORT_AI_SYSTEMS, EXPORT_XLSX,
	    NULL), 0);
	sheet = unzip_part("ais.xlsx", "xl/worksheets/sheet1.xml");
	sst = unzip_part("ais.xlsx", "xl/sharedStrings.xml");
	assert_cell(sheet, sst, "B2", "Ranker");
	assert_cell(sheet, sst, "I2", "provider, deployer");
	assert_cell(sheet, sst, "K2", "yes");
	assert_cell(sheet, sst, "O2", "model rank-net 2.1 (Acme); dataset clicks");
	assert_cell(sheet, sst, "K3", "no");
	free(sheet);
	free(sst);
	db_close(db);
}

static void
test_export__csv(void **state)
{
	struct db *db = setup();
	struct buf b = BUF_INIT;
	const char *s;

	(void)state;
	assert_int_equal(export_to_buf(&b, db, FX_ORG, EXPORT_SOA, EXPORT_CSV, NULL), 0);
	s = buf_str(&b);
	assert_true(strncmp(s, "Control,Title,Area,Applicable,Justification,Implementation,"
	    "Owner,Measures\r\n", 72) == 0);
	assert_non_null(strstr(s, "\r\nA.2.2,AI policy,A.2,Yes,Policy needed,implemented,"
	    "alice@example.org,\"MEAS-1, MEAS-2\"\r\n"));
	/* A cell a spreadsheet would run as a formula is defused. */
	assert_non_null(strstr(s, ",\"'=1+1 looks like a formula\","));
	/* Only the first sheet goes to CSV. */
	assert_null(strstr(s, "Justification for excluding it"));
	buf_reset(&b);
	assert_int_equal(export_to_buf(&b, db, FX_ORG, EXPORT_RISKS, EXPORT_CSV, NULL), 0);
	s = buf_str(&b);
	assert_non_null(strstr(s, "RISK-1,\"Biased, \"\"unfair\"\" ranking\",\"AIS-1, AIS-2\""));
	assert_non_null(strstr(s, "\"Re-weight\nand test\""));
	assert_non_null(strstr(s, "RISK-2,\"'-Drift\",,,,1,1,1,"));
	buf_free(&b);
	db_close(db);
}

/*
 * A list download is written from the records' stored text, read in place:
 * every kind of value comes out as the tree gave it (allowed values in
 * words, lists joined, booleans as yes/no, a real as %g, escapes decoded),
 * CSV quoting and the formula guard still apply, and a record written
 * without a stored view (as this fixture writes them) is rebuilt.
 */
static void
test_export__record_list_csv(void **state)
{
	struct db *db = setup();
	struct record_query q = { 0 };
	struct buf b = BUF_INIT;
	const char *s;

	(void)state;
	fx_put(db, "risks", "RISK-3", "{\"title\": \"Tab\\there \\u00e9\", \"likelihood\": 2.5, "
	    "\"impact\": 2, \"status\": \"treatment_planned\", \"ai_systems\": [\"AIS-2\"]}");
	assert_int_equal(export_records_to_buf(&b, db, FX_ORG, record_kind_find("risks"), &q,
	    EXPORT_CSV), 0);
	s = buf_str(&b);
	assert_non_null(strstr(s, "\r\nRISK-1,\"Biased, \"\"unfair\"\" ranking\",,AIS-1; AIS-2,,,4,3,"
	    "12,high,"));
	assert_non_null(strstr(s, "\r\nRISK-2,\"'-Drift\",,,,,1,1,1,,"));
	assert_non_null(strstr(s, "\r\nRISK-3,Tab\there \xc3\xa9,,AIS-2,,,2.5,2,"));
	assert_non_null(strstr(s, ",Treatment planned\r\n"));
	buf_reset(&b);
	assert_int_equal(export_records_to_buf(&b, db, FX_ORG, record_kind_find("ai-systems"), &q,
	    EXPORT_CSV), 0);
	s = buf_str(&b);
	assert_non_null(strstr(s, "\r\nAIS-1,Ranker,"));
	assert_non_null(strstr(s, "Provider; Deployer"));
	assert_non_null(strstr(s, ",yes,"));
	assert_non_null(strstr(s, "\r\nAIS-2,Chat,"));
	assert_non_null(strstr(s, ",no,"));
	buf_free(&b);
	db_close(db);
}

static void
test_export__soa_json_and_published_version(void **state)
{
	struct db *db = setup();
	struct export_opts opts = { .soa_version = 1 };
	struct buf b = BUF_INIT;
	json_error_t jerr;
	json_t *doc;

	(void)state;
	assert_int_equal(export_to_buf(&b, db, FX_ORG, EXPORT_SOA, EXPORT_JSON, NULL), 0);
	doc = json_loads(buf_str(&b), 0, &jerr);
	assert_non_null(doc);
	assert_string_equal(json_string_value(json_object_get(doc, "edition")),
	    "ISO/IEC 42001:2023");
	assert_true(json_is_null(json_object_get(doc, "version")));
	assert_int_equal(json_array_size(json_object_get(doc, "rows")), 38);
	assert_true(json_is_false(json_object_get(json_array_get(json_object_get(doc, "rows"),
	    37), "applicable")));
	json_decref(doc);
	buf_reset(&b);
	assert_int_equal(export_to_buf(&b, db, FX_ORG, EXPORT_SOA, EXPORT_JSON, &opts),
	    AIMS_ENOTFOUND);
	fx_exec(db, "INSERT INTO soa_versions (org_id, version, published_at, published_by, "
	    "approver, edition, rows) VALUES (1, 1, '2026-02-01T00:00:00Z', 'cli', "
	    "'alice@example.org', 'ISO/IEC 42001:2023', '[{\"control\": \"A.2.2\", \"title\": "
	    "\"AI policy\", \"area\": \"A.2\", \"applicable\": true, \"justification\": \"v1\", "
	    "\"status\": \"planned\", \"owner\": \"\", \"measures\": []}]')");
	buf_reset(&b);
	assert_int_equal(export_to_buf(&b, db, FX_ORG, EXPORT_SOA, EXPORT_CSV, &opts), 0);
	assert_non_null(strstr(buf_str(&b), "\r\nA.2.2,AI policy,A.2,Yes,v1,planned,,\r\n"));
	assert_null(strstr(buf_str(&b), "A.2.3"));
	buf_free(&b);
	db_close(db);
}

static void
test_export__readiness_html(void **state)
{
	struct db *db = setup();
	struct stat st;
	char buf[64];
	FILE *f;

	(void)state;
	assert_int_equal(export_to_file("r.html", db, FX_ORG, EXPORT_READINESS, EXPORT_HTML,
	    NULL), 0);
	f = fopen("r.html", "r");
	assert_non_null(f);
	assert_non_null(fgets(buf, sizeof(buf), f));
	assert_string_equal(buf, "<!doctype html>\n");
	fclose(f);
	assert_int_equal(stat("r.html", &st), 0);
	assert_true(st.st_size > 10000);
	db_close(db);
}

static void
test_export__names_formats_and_atomic_files(void **state)
{
	struct db *db = setup();
	enum export_format fmt;
	enum export_what what;
	struct dirent *de;
	DIR *d;

	(void)state;
	assert_int_equal(export_parse_name(&what, &fmt, "ai-systems.xlsx"), 0);
	assert_int_equal(what, EXPORT_AI_SYSTEMS);
	assert_int_equal(fmt, EXPORT_XLSX);
	assert_int_equal(export_parse_name(&what, &fmt, "readiness.html"), 0);
	assert_int_equal(export_parse_name(&what, &fmt, "risks.pdf"), AIMS_ENOTFOUND);
	assert_int_equal(export_parse_name(&what, &fmt, "soa"), AIMS_ENOTFOUND);
	assert_int_equal(export_parse_name(&what, &fmt, "risks.json"), AIMS_EUNSUPPORTED);
	assert_non_null(strstr(aims_error_message(), "xlsx, csv"));
	assert_string_equal(export_media_type(EXPORT_CSV), "text/csv; charset=utf-8");
	/* An unsupported pair or a missing directory writes nothing at all. */
	assert_int_equal(export_to_file("x.html", db, FX_ORG, EXPORT_SOA, EXPORT_HTML, NULL),
	    AIMS_EUNSUPPORTED);
	assert_true(export_to_file("no/such/dir/x.csv", db, FX_ORG, EXPORT_SOA, EXPORT_CSV,
	    NULL) < 0);
	assert_int_equal(export_to_file("x.csv", db, 99, EXPORT_SOA, EXPORT_CSV, NULL),
	    AIMS_ENOTFOUND);
	assert_int_equal(export_to_file("soa.csv", db, FX_ORG, EXPORT_SOA, EXPORT_CSV, NULL), 0);
	d = opendir(".");
	while ((de = readdir(d)) != NULL)
		if (strstr(de->d_name, ".tmp-") || strcmp(de->d_name, "x.html") == 0 ||
		    strcmp(de->d_name, "x.csv") == 0)
			fail_msg("left behind: %s", de->d_name);
	closedir(d);
	db_close(db);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_export__soa_xlsx),
		cmocka_unit_test(test_export__risks_and_ai_systems_xlsx),
		cmocka_unit_test(test_export__csv),
		cmocka_unit_test(test_export__record_list_csv),
		cmocka_unit_test(test_export__soa_json_and_published_version),
		cmocka_unit_test(test_export__readiness_html),
		cmocka_unit_test(test_export__names_formats_and_atomic_files),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
