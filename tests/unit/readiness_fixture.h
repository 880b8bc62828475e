/*
 * readiness_fixture.h - test set-up for the readiness, SoA and export tests:
 * a fresh database with two organisations and the compiled-in catalogs, the
 * ISO/IEC 42001 requirement tree as the tests expect it (clauses 4-10, Annex
 * A areas and controls), and helpers that write records, with the links the
 * record engine keeps, as raw SQL rows of its tables: the checks are tested
 * on exact states (approved, accepted, scored, expired) without the
 * workflows that lead there. test_readiness_records.c goes through
 * record_create() instead.
 */
#ifndef TEST_READINESS_FIXTURE_H
#define TEST_READINESS_FIXTURE_H

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/catalog.h"
#include "store/db.h"
#include "util/error.h"

#define FX_ORG		1
#define FX_OTHER_ORG	2
#define FX_NOW		"2026-03-01T10:00:00Z"

/* id, kind, parent (NULL at the top), title; in catalog order. */
static const char *const fx_reqs[][4] = {
	{ "4", "clause", NULL, "Context of the organization" },
	{ "4.1", "clause", "4", "Understanding the organization and its context" },
	{ "4.2", "clause", "4", "Needs and expectations of interested parties" },
	{ "4.3", "clause", "4", "Scope of the AI management system" },
	{ "4.4", "clause", "4", "AI management system" },
	{ "5", "clause", NULL, "Leadership" },
	{ "5.1", "clause", "5", "Leadership and commitment" },
	{ "5.2", "clause", "5", "AI policy" },
	{ "5.3", "clause", "5", "Roles, responsibilities and authorities" },
	{ "6", "clause", NULL, "Planning" },
	{ "6.1", "clause", "6", "Actions to address risks and opportunities" },
	{ "6.1.1", "clause", "6.1", "General" },
	{ "6.1.2", "clause", "6.1", "AI risk assessment" },
	{ "6.1.3", "clause", "6.1", "AI risk treatment" },
	{ "6.1.4", "clause", "6.1", "AI system impact assessment" },
	{ "6.2", "clause", "6", "AI objectives and planning to achieve them" },
	{ "6.3", "clause", "6", "Planning of changes" },
	{ "7", "clause", NULL, "Support" },
	{ "7.1", "clause", "7", "Resources" },
	{ "7.2", "clause", "7", "Competence" },
	{ "7.3", "clause", "7", "Awareness" },
	{ "7.4", "clause", "7", "Communication" },
	{ "7.5", "clause", "7", "Documented information" },
	{ "7.5.1", "clause", "7.5", "General" },
	{ "7.5.2", "clause", "7.5", "Creating and updating documented information" },
	{ "7.5.3", "clause", "7.5", "Control of documented information" },
	{ "8", "clause", NULL, "Operation" },
	{ "8.1", "clause", "8", "Operational planning and control" },
	{ "8.2", "clause", "8", "AI risk assessment" },
	{ "8.3", "clause", "8", "AI risk treatment" },
	{ "8.4", "clause", "8", "AI system impact assessment" },
	{ "9", "clause", NULL, "Performance evaluation" },
	{ "9.1", "clause", "9", "Monitoring, measurement, analysis and evaluation" },
	{ "9.2", "clause", "9", "Internal audit" },
	{ "9.2.1", "clause", "9.2", "General" },
	{ "9.2.2", "clause", "9.2", "Internal audit programme" },
	{ "9.3", "clause", "9", "Management review" },
	{ "9.3.1", "clause", "9.3", "General" },
	{ "9.3.2", "clause", "9.3", "Management review inputs" },
	{ "9.3.3", "clause", "9.3", "Management review results" },
	{ "10", "clause", NULL, "Improvement" },
	{ "10.1", "clause", "10", "Continual improvement" },
	{ "10.2", "clause", "10", "Nonconformity and corrective action" },
	{ "A.2", "area", NULL, "Policies related to AI" },
	{ "A.2.2", "control", "A.2", "AI policy" },
	{ "A.2.3", "control", "A.2", "Alignment with other organizational policies" },
	{ "A.2.4", "control", "A.2", "Review of the AI policy" },
	{ "A.3", "area", NULL, "Internal organization" },
	{ "A.3.2", "control", "A.3", "AI roles and responsibilities" },
	{ "A.3.3", "control", "A.3", "Reporting of concerns" },
	{ "A.4", "area", NULL, "Resources for AI systems" },
	{ "A.4.2", "control", "A.4", "Resource documentation" },
	{ "A.4.3", "control", "A.4", "Data resources" },
	{ "A.4.4", "control", "A.4", "Tooling resources" },
	{ "A.4.5", "control", "A.4", "System and computing resources" },
	{ "A.4.6", "control", "A.4", "Human resources" },
	{ "A.5", "area", NULL, "Assessing impacts of AI systems" },
	{ "A.5.2", "control", "A.5", "AI system impact assessment process" },
	{ "A.5.3", "control", "A.5", "Documentation of AI system impact assessments" },
	{ "A.5.4", "control", "A.5", "Assessing AI system impact on individuals or groups" },
	{ "A.5.5", "control", "A.5", "Assessing societal impacts of AI systems" },
	{ "A.6", "area", NULL, "AI system life cycle" },
	{ "A.6.1", "area", "A.6", "Management guidance for AI system development" },
	{ "A.6.1.2", "control", "A.6.1", "Objectives for responsible development" },
	{ "A.6.1.3", "control", "A.6.1", "Processes for responsible design and development" },
	{ "A.6.2", "area", "A.6", "AI system life cycle" },
	{ "A.6.2.2", "control", "A.6.2", "AI system requirements and specification" },
	{ "A.6.2.3", "control", "A.6.2", "Documentation of design and development" },
	{ "A.6.2.4", "control", "A.6.2", "Verification and validation" },
	{ "A.6.2.5", "control", "A.6.2", "Deployment" },
	{ "A.6.2.6", "control", "A.6.2", "Operation and monitoring" },
	{ "A.6.2.7", "control", "A.6.2", "Technical documentation" },
	{ "A.6.2.8", "control", "A.6.2", "Recording of event logs" },
	{ "A.7", "area", NULL, "Data for AI systems" },
	{ "A.7.2", "control", "A.7", "Data for development and enhancement" },
	{ "A.7.3", "control", "A.7", "Acquisition of data" },
	{ "A.7.4", "control", "A.7", "Quality of data" },
	{ "A.7.5", "control", "A.7", "Data provenance" },
	{ "A.7.6", "control", "A.7", "Data preparation" },
	{ "A.8", "area", NULL, "Information for interested parties" },
	{ "A.8.2", "control", "A.8", "System documentation and information for users" },
	{ "A.8.3", "control", "A.8", "External reporting" },
	{ "A.8.4", "control", "A.8", "Communication of incidents" },
	{ "A.8.5", "control", "A.8", "Information for interested parties" },
	{ "A.9", "area", NULL, "Use of AI systems" },
	{ "A.9.2", "control", "A.9", "Processes for responsible use" },
	{ "A.9.3", "control", "A.9", "Objectives for responsible use" },
	{ "A.9.4", "control", "A.9", "Intended use of the AI system" },
	{ "A.10", "area", NULL, "Third-party and customer relationships" },
	{ "A.10.2", "control", "A.10", "Allocating responsibilities" },
	{ "A.10.3", "control", "A.10", "Suppliers" },
	{ "A.10.4", "control", "A.10", "Customers" },
	{ "C.3.1", "risk-source", NULL, "Complexity of environment" },
};
#define FX_NREQS	(sizeof(fx_reqs) / sizeof(fx_reqs[0]))

static inline void
fx_exec(struct db *db, const char *sql)
{
	if (db_exec(db, sql) != 0) {
		fprintf(stderr, "fixture SQL failed: %s\n", aims_error_message());
		abort();
	}
}

/* The compiled-in catalogs, as `aims init` loads them. */
static inline void
fx_catalog(struct db *db)
{
	int n = 0;

	if (catalog_load_builtin(db, &n) != 0 || n < 1) {
		fprintf(stderr, "fixture catalog: %s\n", aims_error_message());
		abort();
	}
}

/* A fresh database with orgs 1 (acme) and 2 (other) and the catalog. */
static inline struct db *
fx_open(void)
{
	struct db *db = NULL;

	setenv("AIMS_FAKE_NOW", FX_NOW, 1);
	unlink("fx.db");
	unlink("fx.db-wal");
	unlink("fx.db-shm");
	if (db_open(&db, "fx.db", DB_OPEN_CREATE) != 0) {
		fprintf(stderr, "fixture: %s\n", aims_error_message());
		abort();
	}
	fx_catalog(db);
	fx_exec(db, "INSERT INTO orgs (id, slug, name, created_at, updated_at) VALUES "
	    "(1, 'acme', 'Acme AI', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z'), "
	    "(2, 'other', 'Other Org', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z')");
	return db;
}

static inline void
fx_link(struct db *db, int64_t org, const char *from_kind, const char *from_ref,
    const char *field, const char *to_kind, const char *to_ref)
{
	struct db_stmt *st;

	if (db_prepare(&st, db, "INSERT INTO record_links (org_id, from_kind, from_ref, field, "
	    "to_kind, to_ref) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING") != 0)
		abort();
	db_bind_int64(st, 1, org);
	db_bind_text(st, 2, from_kind);
	db_bind_text(st, 3, from_ref);
	db_bind_text(st, 4, field);
	db_bind_text(st, 5, to_kind);
	db_bind_text(st, 6, to_ref);
	if (db_step(st) != DB_DONE)
		abort();
	db_done(st);
}

/* Reference fields the record engine turns into links: field, target kind. */
static const char *const fx_link_fields[][2] = {
	{ "ai_systems", "ai-systems" }, { "ai_system", "ai-systems" },
	{ "measures", "measures" }, { "requirements", "requirement" },
	{ "requirement", "requirement" },
	{ "treatment.measures", "measures" }, { "treatment.controls", "requirement" },
};

static inline void
fx_links_of(struct db *db, int64_t org, const char *kind, const char *ref, const json_t *data)
{
	const json_t *v, *item;
	char path[64];
	size_t i, j;

	for (i = 0; i < sizeof(fx_link_fields) / sizeof(fx_link_fields[0]); i++) {
		const char *f = fx_link_fields[i][0], *dot = strchr(f, '.');

		if (dot) {
			snprintf(path, sizeof(path), "%.*s", (int)(dot - f), f);
			v = json_object_get(json_object_get(data, path), dot + 1);
		} else
			v = json_object_get(data, f);
		if (json_is_string(v))
			fx_link(db, org, kind, ref, f, fx_link_fields[i][1], json_string_value(v));
		json_array_foreach(v, j, item)
			fx_link(db, org, kind, ref, f, fx_link_fields[i][1], json_string_value(item));
	}
}

static inline void
fx_clear_links(struct db *db, int64_t org, const char *kind, const char *ref)
{
	struct db_stmt *st;

	if (db_prepare(&st, db, "DELETE FROM record_links WHERE org_id = ? AND from_kind = ? "
	    "AND from_ref = ?") != 0)
		abort();
	db_bind_int64(st, 1, org);
	db_bind_text(st, 2, kind);
	db_bind_text(st, 3, ref);
	db_step(st);
	db_done(st);
}

/*
 * Creates or replaces record `ref` of `kind` with the fields in json (text).
 * Its number is the digits after the last '-' (or a running number).
 */
static inline void
fx_put_org(struct db *db, int64_t org, const char *kind, const char *ref, const char *json)
{
	static int64_t next_num = 100000;
	json_error_t jerr;
	json_t *data = json_loads(json, 0, &jerr);
	const char *dash = strrchr(ref, '-'), *s;
	struct db_stmt *st;
	int64_t num = dash ? atoll(dash + 1) : 0;
	char *text;

	if (data == NULL) {
		fprintf(stderr, "fixture JSON: %s: %s\n", json, jerr.text);
		abort();
	}
	if (num <= 0)
		num = next_num++;
	text = json_dumps(data, JSON_COMPACT | JSON_SORT_KEYS);
	if (db_prepare(&st, db, "INSERT INTO records (org_id, kind, num, ref, version, title, "
	    "status, owner, data, created_at, updated_at, created_by, updated_by) "
	    "VALUES (?, ?, ?, ?, 1, ?, ?, ?, ?, '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z', "
	    "'cli', 'cli') ON CONFLICT (org_id, kind, ref) DO UPDATE SET "
	    "version = records.version + 1, title = excluded.title, status = excluded.status, "
	    "owner = excluded.owner, data = excluded.data") != 0)
		abort();
	db_bind_int64(st, 1, org);
	db_bind_text(st, 2, kind);
	db_bind_int64(st, 3, num);
	db_bind_text(st, 4, ref);
	s = json_string_value(json_object_get(data, "title"));
	if (s == NULL)
		s = json_string_value(json_object_get(data, "name"));
	if (s == NULL)
		s = json_string_value(json_object_get(data, "role_name"));
	db_bind_text(st, 5, s ? s : ref);
	s = json_string_value(json_object_get(data, "status"));
	db_bind_text(st, 6, s ? s : "");
	s = json_string_value(json_object_get(data, "owner"));
	db_bind_text(st, 7, s ? s : "");
	db_bind_text(st, 8, text);
	if (db_step(st) != DB_DONE) {
		fprintf(stderr, "fixture insert: %s\n", aims_error_message());
		abort();
	}
	db_done(st);
	fx_clear_links(db, org, kind, ref);
	fx_links_of(db, org, kind, ref, data);
	free(text);
	json_decref(data);
}

static inline void
fx_put(struct db *db, const char *kind, const char *ref, const char *json)
{
	fx_put_org(db, FX_ORG, kind, ref, json);
}

static inline void
fx_retire(struct db *db, const char *kind, const char *ref)
{
	struct db_stmt *st;

	if (db_prepare(&st, db, "UPDATE records SET retired = 1 WHERE org_id = 1 AND kind = ? "
	    "AND ref = ?") != 0)
		abort();
	db_bind_text(st, 1, kind);
	db_bind_text(st, 2, ref);
	db_step(st);
	db_done(st);
}

/* The SoA entries every organisation starts with: one per control, undecided. */
static inline void
fx_soa_init(struct db *db, int64_t org)
{
	char json[256];
	size_t i;

	for (i = 0; i < FX_NREQS; i++) {
		if (strcmp(fx_reqs[i][1], "control") != 0)
			continue;
		snprintf(json, sizeof(json), "{\"control\": \"%s\", \"title\": \"%s\", "
		    "\"status\": \"not_started\"}", fx_reqs[i][0], fx_reqs[i][3]);
		fx_put_org(db, org, "soa", fx_reqs[i][0], json);
	}
}

#endif
