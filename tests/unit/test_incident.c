/*
 * test_incident.c - the EU AI Act reporting clock of an incident
 * (core/incident.h) and where a record stands against its deadline
 * (record_deadline_state()).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "core/incident.h"
#include "core/record.h"
#include "util/clock.h"
#include "util/error.h"

#define DAY	(24 * 60 * 60)

static time_t
at(const char *s)
{
	time_t t = 0;

	assert_int_equal(clock_parse(&t, s), 0);
	return t;
}

static void
expect_due(const char *kind, const char *role, time_t aware, time_t want, const char *to)
{
	const char *got_to = NULL;
	time_t due = 0;

	assert_true(incident_report_due(&due, &got_to, true, kind, role, aware));
	assert_int_equal((long long)due, (long long)want);
	assert_non_null(got_to);
	assert_non_null(strstr(got_to, to));
}

static void
test_incident__provider_deadlines_follow_art_73(void **state)
{
	time_t aware = at("2026-03-02T09:30:00Z");

	(void)state;
	/* Art. 73(4): a death, 10 days. */
	expect_due("death", "provider", aware, aware + 10 * DAY, "market surveillance");
	/* Art. 73(3): widespread infringement or critical infrastructure, 2 days. */
	expect_due("widespread_infringement", "provider", aware, aware + 2 * DAY,
	    "market surveillance");
	expect_due("critical_infrastructure", "provider", aware, aware + 2 * DAY,
	    "market surveillance");
	/* Art. 73(2): any other serious incident, 15 days. */
	expect_due("health", "provider", aware, aware + 15 * DAY, "market surveillance");
	expect_due("fundamental_rights", "provider", aware, aware + 15 * DAY,
	    "market surveillance");
	expect_due("property_environment", "provider", aware, aware + 15 * DAY,
	    "market surveillance");
	assert_int_equal((long long)(at("2026-03-12T09:30:00Z") - aware), 10LL * DAY);
}

static void
test_incident__deployer_informs_the_provider_at_once(void **state)
{
	time_t aware = at("2026-12-31T23:59:59Z");

	(void)state;
	expect_due("death", "deployer", aware, aware, "provider");
	expect_due("property_environment", "deployer", aware, aware, "provider");
}

static void
test_incident__nothing_due_unless_serious_and_known(void **state)
{
	const char *to = "unchanged";
	time_t due = 0;

	(void)state;
	assert_false(incident_report_due(&due, &to, false, "death", "provider", 0));
	assert_null(to);
	assert_false(incident_report_due(&due, &to, true, NULL, "provider", 0));
	assert_false(incident_report_due(&due, &to, true, "death", NULL, 0));
	assert_false(incident_report_due(&due, &to, true, "flood", "provider", 0));
	assert_false(incident_report_due(&due, &to, true, "death", "importer", 0));
	assert_null(to);
}

static void
test_incident__deadline_state(void **state)
{
	const struct record_kind *k = record_kind_find("incidents");
	json_t *rec = json_pack("{s:s}", "report_due", "2026-03-04T09:30:00Z");
	time_t due, met;

	(void)state;
	assert_non_null(k);
	assert_non_null(k->deadline);
	assert_int_equal(record_deadline_state(k, rec, at("2026-03-04T09:30:00Z"), &due, &met),
	    RECORD_DEADLINE_OPEN);
	assert_int_equal(record_deadline_state(k, rec, at("2026-03-04T09:30:01Z"), &due, &met),
	    RECORD_DEADLINE_MISSED);
	json_object_set_new(rec, "reported_at", json_string("2026-03-04T09:30:00Z"));
	assert_int_equal(record_deadline_state(k, rec, at("2027-01-01T00:00:00Z"), &due, &met),
	    RECORD_DEADLINE_MET);
	json_object_set_new(rec, "reported_at", json_string("2026-03-05T00:00:00Z"));
	assert_int_equal(record_deadline_state(k, rec, 0, &due, &met), RECORD_DEADLINE_LATE);
	assert_int_equal((long long)(met - due), 14 * 3600 + 30 * 60);
	json_object_del(rec, "report_due");
	assert_int_equal(record_deadline_state(k, rec, 0, &due, &met), RECORD_DEADLINE_NONE);
	assert_int_equal(record_deadline_state(record_kind_find("risks"), rec, 0, &due, &met),
	    RECORD_DEADLINE_NONE);
	json_decref(rec);
}

/* record_kind_check() refuses a deadline that is not a read-only date-time met by one. */
static void
test_incident__deadline_declaration_is_checked(void **state)
{
	const struct record_kind *k = record_kind_find("incidents");
	static const struct record_deadline on_date = {
		.field = "occurred_at", .met_by = "reported_at", .what = "Report",
	};
	static const struct record_deadline met_by_text = {
		.field = "report_due", .met_by = "title", .what = "Report",
	};
	static const struct record_deadline no_what = {
		.field = "report_due", .met_by = "reported_at",
	};
	struct record_kind bad;

	(void)state;
	assert_int_equal(record_kind_check(k), 0);
	bad = *k;
	bad.deadline = &on_date;	/* not read-only */
	assert_int_equal(record_kind_check(&bad), AIMS_EINVALID);
	bad.deadline = &met_by_text;
	assert_int_equal(record_kind_check(&bad), AIMS_EINVALID);
	bad.deadline = &no_what;
	assert_int_equal(record_kind_check(&bad), AIMS_EINVALID);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_incident__provider_deadlines_follow_art_73),
		cmocka_unit_test(test_incident__deployer_informs_the_provider_at_once),
		cmocka_unit_test(test_incident__nothing_due_unless_serious_and_known),
		cmocka_unit_test(test_incident__deadline_state),
		cmocka_unit_test(test_incident__deadline_declaration_is_checked),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
