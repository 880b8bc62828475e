/* test_perm.c - unit tests for src/core/perm.c: the permission table and its document. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "core/perm.h"
#include "util/buf.h"
#include "util/mem.h"

static void
test_perm__viewer_only_reads(void **state)
{
	int k, a;

	(void)state;
	for (k = 0; k < PERM_KIND_COUNT; k++)
		for (a = PERM_WRITE; a < PERM_ACTION_COUNT; a++)
			assert_false(perm_allows(ROLE_VIEWER, (enum perm_action)a, (enum perm_kind)k));
	assert_true(perm_allows(ROLE_VIEWER, PERM_READ, PERM_KIND_OPERATIONAL));
	assert_true(perm_allows(ROLE_VIEWER, PERM_READ, PERM_KIND_LEDGER));
	assert_false(perm_allows(ROLE_VIEWER, PERM_READ, PERM_KIND_TOKEN));
}

static void
test_perm__nobody_without_a_role(void **state)
{
	int k, a;

	(void)state;
	for (k = 0; k < PERM_KIND_COUNT; k++)
		for (a = 0; a < PERM_ACTION_COUNT; a++)
			assert_false(perm_allows(ROLE_NONE, (enum perm_action)a, (enum perm_kind)k));
	assert_false(perm_allows((enum role)99, PERM_READ, PERM_KIND_ORG));
	assert_false(perm_allows(ROLE_ADMIN, PERM_ACTION_COUNT, PERM_KIND_ORG));
	assert_false(perm_allows(ROLE_ADMIN, PERM_READ, PERM_KIND_COUNT));
}

static void
test_perm__auditor_writes_audits_only(void **state)
{
	(void)state;
	assert_true(perm_allows(ROLE_AUDITOR, PERM_WRITE, PERM_KIND_AUDIT));
	assert_false(perm_allows(ROLE_AUDITOR, PERM_WRITE, PERM_KIND_OPERATIONAL));
	assert_false(perm_allows(ROLE_AUDITOR, PERM_WRITE, PERM_KIND_GOVERNANCE));
	assert_true(perm_allows(ROLE_AUDITOR, PERM_READ, PERM_KIND_GOVERNANCE));
	assert_false(perm_allows(ROLE_CONTRIBUTOR, PERM_WRITE, PERM_KIND_AUDIT));
}

static void
test_perm__contributor_and_manager(void **state)
{
	(void)state;
	assert_true(perm_allows(ROLE_CONTRIBUTOR, PERM_WRITE, PERM_KIND_OPERATIONAL));
	assert_false(perm_allows(ROLE_CONTRIBUTOR, PERM_APPROVE, PERM_KIND_OPERATIONAL));
	assert_false(perm_allows(ROLE_CONTRIBUTOR, PERM_WRITE, PERM_KIND_MEMBERSHIP));
	assert_true(perm_allows(ROLE_MANAGER, PERM_WRITE, PERM_KIND_GOVERNANCE));
	assert_true(perm_allows(ROLE_MANAGER, PERM_WRITE, PERM_KIND_MEMBERSHIP));
	assert_false(perm_allows(ROLE_MANAGER, PERM_ADMIN, PERM_KIND_ORG));
	assert_true(perm_allows(ROLE_ADMIN, PERM_ADMIN, PERM_KIND_ORG));
}

static void
test_perm__roles_are_monotonic(void **state)
{
	int k, a, r;

	(void)state;
	/* A higher role may do everything a lower one may, except auditor-only audit work. */
	for (k = 0; k < PERM_KIND_COUNT; k++)
		for (a = 0; a < PERM_ACTION_COUNT; a++)
			for (r = ROLE_VIEWER; r < ROLE_ADMIN; r++) {
				if (k == PERM_KIND_AUDIT && r == ROLE_AUDITOR)
					continue;
				if (perm_allows((enum role)r, (enum perm_action)a, (enum perm_kind)k))
					assert_true(perm_allows((enum role)(r + 1),
					    (enum perm_action)a, (enum perm_kind)k));
			}
}

static void
test_perm__assign_no_higher_than_own(void **state)
{
	(void)state;
	assert_true(perm_may_assign(ROLE_ADMIN, ROLE_ADMIN));
	assert_true(perm_may_assign(ROLE_MANAGER, ROLE_MANAGER));
	assert_false(perm_may_assign(ROLE_MANAGER, ROLE_ADMIN));
	assert_true(perm_may_assign(ROLE_CONTRIBUTOR, ROLE_VIEWER));
	assert_false(perm_may_assign(ROLE_CONTRIBUTOR, ROLE_MANAGER));
	assert_false(perm_may_assign(ROLE_ADMIN, ROLE_NONE));
	/* Auditor writes audits, which a contributor may not: not a lower role. */
	assert_false(perm_may_assign(ROLE_CONTRIBUTOR, ROLE_AUDITOR));
	assert_false(perm_may_assign(ROLE_AUDITOR, ROLE_CONTRIBUTOR));
	assert_true(perm_may_assign(ROLE_AUDITOR, ROLE_VIEWER));
	assert_true(perm_may_assign(ROLE_MANAGER, ROLE_AUDITOR));
}

/* covers is exactly "every allowed (action, kind) of b is allowed to a". */
static void
test_perm__covers_is_a_superset_test(void **state)
{
	int a, b, k, act, want;

	(void)state;
	for (a = ROLE_NONE; a <= ROLE_ADMIN; a++)
		for (b = ROLE_NONE; b <= ROLE_ADMIN; b++) {
			want = 1;
			for (k = 0; k < PERM_KIND_COUNT; k++)
				for (act = 0; act < PERM_ACTION_COUNT; act++)
					if (perm_allows((enum role)b, (enum perm_action)act,
					    (enum perm_kind)k) && !perm_allows((enum role)a,
					    (enum perm_action)act, (enum perm_kind)k))
						want = 0;
			assert_int_equal(perm_role_covers((enum role)a, (enum role)b), want);
		}
}

static void
test_perm__meet_of_two_roles(void **state)
{
	int a, b;

	(void)state;
	assert_int_equal(perm_role_meet(ROLE_MANAGER, ROLE_CONTRIBUTOR), ROLE_CONTRIBUTOR);
	assert_int_equal(perm_role_meet(ROLE_CONTRIBUTOR, ROLE_ADMIN), ROLE_CONTRIBUTOR);
	assert_int_equal(perm_role_meet(ROLE_AUDITOR, ROLE_CONTRIBUTOR), ROLE_VIEWER);
	assert_int_equal(perm_role_meet(ROLE_CONTRIBUTOR, ROLE_AUDITOR), ROLE_VIEWER);
	assert_int_equal(perm_role_meet(ROLE_ADMIN, ROLE_NONE), ROLE_NONE);
	/* Whatever the pair, the meet is under both. */
	for (a = ROLE_NONE; a <= ROLE_ADMIN; a++)
		for (b = ROLE_NONE; b <= ROLE_ADMIN; b++) {
			assert_true(perm_role_covers((enum role)a,
			    perm_role_meet((enum role)a, (enum role)b)));
			assert_true(perm_role_covers((enum role)b,
			    perm_role_meet((enum role)a, (enum role)b)));
		}
}

static void
test_perm__kind_names_parse(void **state)
{
	enum perm_kind k;
	int i;

	(void)state;
	for (i = 0; i < PERM_KIND_COUNT; i++) {
		assert_int_equal(perm_kind_parse(&k, perm_kind_name((enum perm_kind)i)), 0);
		assert_int_equal(k, i);
	}
	assert_true(perm_kind_parse(&k, "records") < 0);
}

/* docs/permissions.md must be exactly what the table generates. */
static void
test_perm__document_is_up_to_date(void **state)
{
	struct buf want = BUF_INIT;
	char path[4096], *have;
	const char *src = getenv("AIMS_SRC");
	FILE *f;
	long n;

	(void)state;
	perm_write_markdown(&want);
	snprintf(path, sizeof(path), "%s/docs/permissions.md", src ? src : ".");
	f = fopen(path, "rb");
	if (f == NULL)
		fail_msg("cannot open %s: regenerate it with AIMS_WRITE_DOCS=1", path);
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	have = xmalloc((size_t)n + 1);
	assert_int_equal(fread(have, 1, (size_t)n, f), (size_t)n);
	have[n] = '\0';
	fclose(f);
	if (strcmp(have, buf_str(&want)) != 0) {
		if (getenv("AIMS_WRITE_DOCS") != NULL && (f = fopen(path, "wb")) != NULL) {
			fputs(buf_str(&want), f);
			fclose(f);
		}
		fail_msg("docs/permissions.md is out of date: run "
		    "'AIMS_WRITE_DOCS=1 make unit' to regenerate it");
	}
	free(have);
	buf_free(&want);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_perm__viewer_only_reads),
		cmocka_unit_test(test_perm__nobody_without_a_role),
		cmocka_unit_test(test_perm__auditor_writes_audits_only),
		cmocka_unit_test(test_perm__contributor_and_manager),
		cmocka_unit_test(test_perm__roles_are_monotonic),
		cmocka_unit_test(test_perm__assign_no_higher_than_own),
		cmocka_unit_test(test_perm__covers_is_a_superset_test),
		cmocka_unit_test(test_perm__meet_of_two_roles),
		cmocka_unit_test(test_perm__kind_names_parse),
		cmocka_unit_test(test_perm__document_is_up_to_date),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
