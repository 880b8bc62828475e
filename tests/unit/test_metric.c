/*
 * test_metric.c - unit tests for metric readings (core/metric.c): batch
 * ingest (all or nothing, idempotent per metric and time, errors naming the
 * index and field, one ledger entry per batch), breaches, downsampling and
 * staleness.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/metric.h"
#include "record_fixture.h"
#include "util/clock.h"

#define T0	1772323200	/* 2026-03-01T00:00:00Z */

static int
setup(void **state)
{
	struct db *db = fx_open("metric.db");

	assert_int_equal(fx_create(NULL, db, FX_ORG, &fx_bob, "ai-systems",
	    "{\"name\": \"Claims triage\", \"in_scope\": true}"), 0);
	assert_int_equal(fx_create(NULL, db, FX_ORG, &fx_bob, "metrics",
	    "{\"title\": \"Accuracy\", \"ai_system\": \"AIS-1\", \"direction\": "
	    "\"higher_is_better\", \"warn\": \"0.92\", \"breach\": \"0.9\", \"interval_hours\": 1,"
	    " \"on_breach\": \"none\"}"), 0);
	*state = db;
	return 0;
}

static int
teardown(void **state)
{
	fx_close(*state);
	return 0;
}

static int64_t
count_sql(struct db *db, const char *sql)
{
	int64_t n = -1;

	assert_int_equal(db_query_int64(&n, db, sql), 0);
	return n;
}

static json_t *
batch(time_t start, int n, int step, double base)
{
	json_t *a = json_array();
	char t[CLOCK_RFC3339_LEN];
	int i;

	for (i = 0; i < n; i++) {
		clock_format(t, start + (time_t)i * step);
		json_array_append_new(a, json_pack("{s:s, s:f}", "at", t, "value",
		    base + (i % 100) / 1000.0));
	}
	return a;
}

static void
test_metric__push_is_idempotent_and_one_ledger_entry_per_batch(void **state)
{
	struct db *db = *state;
	json_t *b = batch(T0, 10, 60, 0.95), *out = NULL;
	int64_t entries = count_sql(db, "SELECT count(*) FROM ledger_entries WHERE org_id = 1");

	assert_int_equal(metric_readings_push(&out, db, FX_ORG, &fx_bob, "MET-1", b), 0);
	assert_int_equal(json_integer_value(json_object_get(out, "stored")), 10);
	assert_int_equal(json_integer_value(json_object_get(out, "duplicates")), 0);
	json_decref(out);
	assert_int_equal(metric_readings_push(&out, db, FX_ORG, &fx_bob, "MET-1", b), 0);
	assert_int_equal(json_integer_value(json_object_get(out, "stored")), 0);
	assert_int_equal(json_integer_value(json_object_get(out, "duplicates")), 10);
	json_decref(out);
	assert_int_equal(count_sql(db, "SELECT count(*) FROM metric_readings"), 10);
	/* One entry for the batch that stored readings, none for the repeat. */
	assert_int_equal(count_sql(db, "SELECT count(*) FROM ledger_entries WHERE org_id = 1"),
	    entries + 1);
	assert_int_equal(count_sql(db, "SELECT count(*) FROM ledger_entries WHERE org_id = 1 "
	    "AND kind = 'metric-readings' AND ref = 'MET-1/1'"), 1);
	json_decref(b);
}

static void
test_metric__bad_element_names_index_and_stores_nothing(void **state)
{
	struct db *db = *state;
	json_t *b = batch(T0, 5, 60, 0.95), *out = NULL;

	json_object_set_new(json_array_get(b, 3), "value", json_string("high"));
	assert_int_equal(metric_readings_push(&out, db, FX_ORG, &fx_bob, "MET-1", b),
	    AIMS_EINVALID);
	assert_string_equal(aims_error_field(), "[3].value");
	json_object_set_new(json_array_get(b, 3), "value", json_real(1));
	json_object_set_new(json_array_get(b, 1), "at", json_string("2026-03-01"));
	assert_int_equal(metric_readings_push(&out, db, FX_ORG, &fx_bob, "MET-1", b),
	    AIMS_EINVALID);
	assert_string_equal(aims_error_field(), "[1].at");
	assert_null(out);
	assert_int_equal(count_sql(db, "SELECT count(*) FROM metric_readings"), 0);
	/* Another organisation's metric does not exist for this one. */
	json_object_set_new(json_array_get(b, 1), "at", json_string("2026-03-01T00:01:00Z"));
	assert_int_equal(metric_readings_push(&out, db, FX_OTHER_ORG, &fx_alice, "MET-1", b),
	    AIMS_ENOTFOUND);
	json_decref(b);
}

static void
test_metric__values_are_kept_exactly(void **state)
{
	char v[32];

	(void)state;
	metric_format_value(v, 0.1);
	assert_string_equal(v, "0.1");
	metric_format_value(v, 93.25);
	assert_string_equal(v, "93.25");
	metric_format_value(v, 1.0 / 3.0);
	assert_true(strtod(v, NULL) == 1.0 / 3.0);
	metric_format_value(v, -2e-300);
	assert_true(strtod(v, NULL) == -2e-300);
}

/* The precision-by-precision search metric_format_value() shortens. */
static void
format_reference(char out[32], double v)
{
	int prec;

	for (prec = 1; prec <= 17; prec++) {
		snprintf(out, 32, "%.*g", prec, v);
		if (strtod(out, NULL) == v)
			return;
	}
}

/* Ledgered texts must not change: the fast path prints what the search did. */
static void
test_metric__format_matches_the_search(void **state)
{
	static const double fixed[] = { 0, -0.0, 1, 10, 100000, 123456789012345.0, 1e15, 1e16,
	    1e20, 1e21, 0.0001, 0.00001, 1.5e-7, 0.1 + 0.2, 1.0 / 3.0, 2.0 / 3.0, 99.99, 90.37,
	    -93.25, 5e-324, 1.7976931348623157e308, 4503599627370497.0, 9007199254740993.0,
	    123.456e10, 1234567.0, 12345678.9, 0.5, 100, 1e5 + 1 };
	char want[32], got[32];
	uint64_t x = 0x9e3779b97f4a7c15ULL, bits;
	double v;
	size_t i;
	int k;

	(void)state;
	for (i = 0; i < sizeof(fixed) / sizeof(fixed[0]); i++) {
		format_reference(want, fixed[i]);
		metric_format_value(got, fixed[i]);
		assert_string_equal(got, want);
	}
	for (k = 0; k < 200000; k++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		switch (k % 4) {
		case 0:		/* any finite double */
			bits = x;
			memcpy(&v, &bits, sizeof(v));
			if (!isfinite(v))
				continue;
			break;
		case 1:		/* decimals as monitors send them */
			v = (double)(int64_t)(x % 2000000) / 100.0 - 10000.0;
			break;
		case 2:
			v = (double)(x % 100000) * pow(10.0, (double)(int)(x % 40) - 20);
			break;
		default:	/* whole numbers with trailing zeros */
			v = (double)(x % 1000) * pow(10.0, (double)(int)(x % 18));
			break;
		}
		format_reference(want, v);
		metric_format_value(got, v);
		assert_string_equal(got, want);
	}
}

/* The buckets metric.h describes, recomputed from the readings alone. */
struct ref_bucket {
	int64_t	 n;
	double	 sum, min, max;
};

static void
series_reference(struct ref_bucket *out, int nb, const json_t *readings, time_t from,
    time_t to, int points, time_t *origin_out, int64_t *width_out)
{
	int64_t span = (int64_t)to - from + 1, width, hours, origin = from, k;
	const json_t *e;
	time_t at;
	double v;
	size_t i;

	width = (span + points - 1) / points;
	hours = (width + 3599) / 3600;
	if (hours * 3600 * 10 <= width * 11) {
		origin = (int64_t)from / 3600 * 3600;
		span = (int64_t)to - origin + 1;
		width = ((span + points - 1) / points + 3599) / 3600 * 3600;
	}
	memset(out, 0, (size_t)nb * sizeof(*out));
	json_array_foreach(readings, i, e) {
		assert_int_equal(clock_parse(&at, json_string_value(json_object_get(e, "at"))), 0);
		if (at < from || at > to)
			continue;
		v = json_number_value(json_object_get(e, "value"));
		k = (at - origin) / width;
		assert_true(k < nb);
		if (out[k].n == 0 || v < out[k].min)
			out[k].min = v;
		if (out[k].n == 0 || v > out[k].max)
			out[k].max = v;
		out[k].n++;
		out[k].sum += v;
	}
	*origin_out = (time_t)origin;
	*width_out = width;
}

static void
series_check(struct db *db, const json_t *readings, time_t from, time_t to, int points)
{
	struct ref_bucket want[2048];
	json_t *out = NULL, *p;
	int64_t width, n, total = 0;
	time_t origin, at;
	size_t i = 0;
	int k;

	series_reference(want, 2048, readings, from, to, points, &origin, &width);
	assert_int_equal(metric_series(&out, db, FX_ORG, "MET-1", from, to, points), 0);
	assert_true(json_is_true(json_object_get(out, "downsampled")));
	assert_true(json_array_size(json_object_get(out, "points")) <= (size_t)points);
	for (k = 0; k < 2048; k++) {
		if (want[k].n == 0)
			continue;
		p = json_array_get(json_object_get(out, "points"), i++);
		assert_non_null(p);
		assert_int_equal(clock_parse(&at, json_string_value(json_object_get(p, "at"))), 0);
		assert_int_equal((at - origin) / width, k);
		n = json_integer_value(json_object_get(p, "n"));
		assert_int_equal(n, want[k].n);
		total += n;
		assert_true(fabs(json_real_value(json_object_get(p, "value")) -
		    want[k].sum / (double)want[k].n) < 1e-9);
		assert_true(json_real_value(json_object_get(p, "min")) == want[k].min);
		assert_true(json_real_value(json_object_get(p, "max")) == want[k].max);
	}
	assert_int_equal(i, json_array_size(json_object_get(out, "points")));
	assert_int_equal(json_integer_value(json_object_get(out, "count")), total);
	json_decref(out);
}

/*
 * Charts over long ranges read hourly roll-ups: every point must still be
 * exactly the readings' own, for buckets of whole hours (a range of weeks
 * in 40 points), for buckets that split hours (30 days in 400 points: the
 * part-hours come from the readings), and with ends that fall mid-hour.
 * Readings arrive out of order and repeated, in several pushes.
 */
static void
test_metric__series_from_rollups_is_exact(void **state)
{
	struct db *db = *state;
	json_t *all = json_array(), *b, *out = NULL;
	char t[CLOCK_RFC3339_LEN];
	int i, j;

	/* Every 7 minutes for 40 days, pushed newest first in 3 batches. */
	for (j = 2; j >= 0; j--) {
		b = json_array();
		for (i = j * 3000; i < (j + 1) * 3000 && i < 8228; i++) {
			clock_format(t, T0 + (time_t)i * 420);
			json_array_append_new(b, json_pack("{s:s, s:f}", "at", t, "value",
			    sin(i / 50.0) * 10 + (i % 13) / 7.0));
		}
		json_array_extend(all, b);
		assert_int_equal(metric_readings_push(&out, db, FX_ORG, &fx_bob, "MET-1", b), 0);
		json_decref(out);
		/* The same batch again stores nothing and changes no roll-up. */
		assert_int_equal(metric_readings_push(&out, db, FX_ORG, &fx_bob, "MET-1", b), 0);
		assert_int_equal(json_integer_value(json_object_get(out, "stored")), 0);
		json_decref(out);
		json_decref(b);
	}
	series_check(db, all, T0, T0 + 40 * 86400 - 1, 40);
	series_check(db, all, T0 + 1234, T0 + 39 * 86400 + 777, 40);
	series_check(db, all, T0 + 1234, T0 + 30 * 86400 + 777, 400);
	series_check(db, all, T0 + 59, T0 + 10 * 86400, 100);
	series_check(db, all, T0 - 86400 * 3, T0 + 41 * 86400, 7);
	/* The roll-ups and batches verify, and a changed roll-up does not. */
	assert_int_equal(metric_verify_derived(db, FX_ORG), 0);
	assert_int_equal(count_sql(db, "SELECT count(*) FROM metric_batches"), 3);
	assert_int_equal(db_exec(db, "UPDATE metric_hours SET max = max + 1 WHERE hour = "
	    "(SELECT min(hour) FROM metric_hours)"), 0);
	assert_int_equal(metric_verify_derived(db, FX_ORG), AIMS_EVERIFY);
	json_decref(all);
}

static void
test_metric__series_downsamples_long_ranges(void **state)
{
	struct db *db = *state;
	json_t *b = batch(T0, 5000, 60, 0.95), *out = NULL, *pts, *p;
	double lo = 1e9, hi = -1e9;
	size_t i;

	assert_int_equal(metric_readings_push(&out, db, FX_ORG, &fx_bob, "MET-1", b), 0);
	json_decref(out);
	assert_int_equal(metric_series(&out, db, FX_ORG, "MET-1", T0, T0 + 5000 * 60, 100), 0);
	assert_true(json_is_true(json_object_get(out, "downsampled")));
	assert_int_equal(json_integer_value(json_object_get(out, "count")), 5000);
	pts = json_object_get(out, "points");
	assert_true(json_array_size(pts) <= 100 && json_array_size(pts) >= 95);
	json_array_foreach(pts, i, p) {
		double mn = json_real_value(json_object_get(p, "min"));
		double mx = json_real_value(json_object_get(p, "max"));
		double av = json_real_value(json_object_get(p, "value"));

		assert_true(mn <= av && av <= mx);
		lo = mn < lo ? mn : lo;
		hi = mx > hi ? mx : hi;
	}
	/* The envelope keeps the extremes the mean would hide. */
	assert_true(lo == 0.95 && hi > 1.048 && hi < 1.0495);
	json_decref(out);
	/* A short range is every reading as it is. */
	assert_int_equal(metric_series(&out, db, FX_ORG, "MET-1", T0, T0 + 9 * 60, 100), 0);
	assert_false(json_is_true(json_object_get(out, "downsampled")));
	assert_int_equal(json_array_size(json_object_get(out, "points")), 10);
	json_decref(out);
	json_decref(b);
}

static void
test_metric__staleness_and_state(void **state)
{
	struct db *db = *state;
	json_t *b = json_pack("[{s:s, s:f}]", "at", "2026-03-01T00:00:00Z", "value", 0.91);
	json_t *out = NULL, *m;

	assert_int_equal(metric_status(&out, db, FX_ORG, "AIS-1", NULL, T0), 0);
	m = json_array_get(out, 0);
	assert_string_equal(json_string_value(json_object_get(m, "state")), "none");
	assert_true(json_is_true(json_object_get(m, "stale")));
	json_decref(out);
	assert_int_equal(metric_readings_push(&out, db, FX_ORG, &fx_bob, "MET-1", b), 0);
	json_decref(out);
	/* Within the hour's interval: fresh; past it: stale. */
	assert_int_equal(metric_status(&out, db, FX_ORG, NULL, NULL, T0 + 3600), 0);
	m = json_array_get(out, 0);
	assert_false(json_is_true(json_object_get(m, "stale")));
	assert_string_equal(json_string_value(json_object_get(m, "state")), "warn");
	json_decref(out);
	assert_int_equal(metric_status(&out, db, FX_ORG, NULL, NULL, T0 + 3601), 0);
	assert_true(json_is_true(json_object_get(json_array_get(out, 0), "stale")));
	json_decref(out);
	/* The other organisation sees none of it. */
	assert_int_equal(metric_status(&out, db, FX_OTHER_ORG, NULL, NULL, T0), 0);
	assert_int_equal(json_array_size(out), 0);
	json_decref(out);
	json_decref(b);
}

static void
test_metric__breach_flags_risks_and_needs_its_kind(void **state)
{
	struct db *db = *state;
	json_t *b = json_pack("[{s:s, s:f}]", "at", "2026-03-01T00:00:00Z", "value", 0.5);
	json_t *out = NULL, *risk = NULL;

	assert_int_equal(fx_create(NULL, db, FX_ORG, &fx_bob, "risks",
	    "{\"title\": \"Drift\", \"ai_systems\": [\"AIS-1\"], \"likelihood\": 2, \"impact\": 2,"
	    " \"next_review\": \"2099-01-01\"}"), 0);
	assert_int_equal(metric_readings_push(&out, db, FX_ORG, &fx_bob, "MET-1", b), 0);
	assert_int_equal(json_integer_value(json_object_get(out, "breaches")), 1);
	assert_true(json_is_null(json_object_get(out, "opened")));
	json_decref(out);
	assert_int_equal(record_get(&risk, db, FX_ORG, record_kind_find("risks"), "RISK-1"), 0);
	assert_string_not_equal(json_string_value(json_object_get(risk, "next_review")),
	    "2099-01-01");
	json_decref(risk);
	/* A breach threshold in the wrong order for the direction is refused. */
	assert_int_equal(fx_create(NULL, db, FX_ORG, &fx_bob, "metrics",
	    "{\"title\": \"Latency\", \"ai_system\": \"AIS-1\", \"direction\": \"lower_is_better\","
	    " \"warn\": \"500\", \"breach\": \"300\", \"interval_hours\": 1, \"on_breach\": \"none\"}"),
	    AIMS_EINVALID);
	assert_string_equal(aims_error_field(), "warn");
	json_decref(b);
}

static void
test_metric__breach_opens_then_adds_to_a_nonconformity(void **state)
{
	struct db *db = *state;
	json_t *b1 = json_pack("[{s:s, s:f}]", "at", "2026-03-01T00:00:00Z", "value", 0.5);
	json_t *b2 = json_pack("[{s:s, s:f}]", "at", "2026-03-01T01:00:00Z", "value", 0.4);
	json_t *out = NULL, *nc = NULL;

	assert_int_equal(fx_create(NULL, db, FX_ORG, &fx_bob, "metrics",
	    "{\"title\": \"Recall\", \"ai_system\": \"AIS-1\", \"direction\": "
	    "\"higher_is_better\", \"breach\": \"0.8\", \"interval_hours\": 1,"
	    " \"on_breach\": \"nonconformity\", \"requirements\": [\"9.1\", \"A.6.2.6\"]}"), 0);
	assert_int_equal(metric_readings_push(&out, db, FX_ORG, &fx_bob, "MET-2", b1), 0);
	assert_string_equal(json_string_value(json_object_get(out, "opened")), "NC-1");
	json_decref(out);
	assert_int_equal(metric_readings_push(&out, db, FX_ORG, &fx_bob, "MET-2", b2), 0);
	assert_string_equal(json_string_value(json_object_get(out, "opened")), "NC-1");
	json_decref(out);
	assert_int_equal(record_get(&nc, db, FX_ORG, record_kind_find("nonconformities"), "NC-1"),
	    0);
	assert_string_equal(json_string_value(json_object_get(nc, "source")), "monitoring");
	assert_int_equal(json_array_size(json_object_get(nc, "requirements")), 2);
	assert_non_null(strstr(json_string_value(json_object_get(nc, "description")), "0.4"));
	json_decref(nc);
	json_decref(b1);
	json_decref(b2);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
		    test_metric__push_is_idempotent_and_one_ledger_entry_per_batch, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_metric__bad_element_names_index_and_stores_nothing, setup, teardown),
		cmocka_unit_test(test_metric__values_are_kept_exactly),
		cmocka_unit_test(test_metric__format_matches_the_search),
		cmocka_unit_test_setup_teardown(test_metric__series_from_rollups_is_exact, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_metric__series_downsamples_long_ranges, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_metric__staleness_and_state, setup, teardown),
		cmocka_unit_test_setup_teardown(test_metric__breach_flags_risks_and_needs_its_kind,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_metric__breach_opens_then_adds_to_a_nonconformity, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
