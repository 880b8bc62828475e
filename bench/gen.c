/*
 * gen.c - generates a large organisation through the core record functions
 * (the same validation, indexes, versions and ledger events as the API),
 * then measures record_get() and record_list() in-process on it.
 *
 *   build/rel/bench/gen [--db PATH] [--ai-systems N] [--risks N] [--evidence N]
 *                       [--batch N] [--calls N] [--mmap MB] [--reads-only]
 *
 * Records are created in transactions of --batch creates each, signed into
 * the ledger with a fixed benchmark key. The output is Markdown: the
 * generation times and database size, then p50/p99 of each read scenario
 * over --calls calls; with --mmap the reads run again with SQLite's
 * mmap_size set, to compare with the store's default page cache.
 * --reads-only measures the reads again on a database generated before
 * with the same counts. --no-reads generates only; --serve-key writes the
 * benchmark's signing key beside the database so that `aims serve` runs on
 * it and `aims verify` passes.
 * --pages N then creates N more risks, one per transaction and then 16 per
 * transaction (each under a savepoint, as the server's writer does), and
 * reads the WAL frames each commit wrote: pages per create, and which
 * table or index each page belongs to (SQLite's dbstat).
 */
#include <getopt.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/member.h"
#include "core/org.h"
#include "core/record.h"
#include "ledger/ledger.h"
#include "store/db.h"
#include "util/buf.h"
#include "util/clock.h"
#include "util/error.h"

#define GEN_USERS	20
#define GEN_MEASURES	500
#define GEN_WORDS	16

struct gen {
	struct db	*db;
	int64_t		 org;
	int		 ai, risks, evidence, batch, calls, mmap_mb, reads_only;
	int		 no_reads;	/* generate only (the HTTP benchmarks read) */
	int		 serve_key;	/* write a key file so that `aims serve` runs on it */
	int		 pages;		/* measure the pages N more creates write */
	uint64_t	 rng;
	json_t		*controls;	/* Annex A ids */
	json_t		*sources;	/* Annex C risk sources */
	json_t		*objectives;	/* Annex C objectives */
};

static const struct actor gen_actor = { 1, "user:owner1@bench.example", ROLE_ADMIN };

static const char *const words[GEN_WORDS] = {
	"drift", "bias", "privacy", "robustness", "fairness", "latency", "hallucination",
	"poisoning", "leakage", "oversight", "explainability", "availability", "security",
	"provenance", "consent", "accuracy",
};
static const char *const stages[] = {
	"inception", "design_development", "verification_validation", "deployment",
	"operation_monitoring", "re_evaluation", "retirement",
};
static const char *const categories[] = {
	"high_risk", "limited", "minimal", "gpai", "not_assessed",
};

static uint64_t
gen_rand(struct gen *g)
{
	g->rng ^= g->rng << 13;
	g->rng ^= g->rng >> 7;
	g->rng ^= g->rng << 17;
	return g->rng;
}

static int
gen_pick(struct gen *g, int n)
{
	return (int)(gen_rand(g) % (uint64_t)n);
}

static void
die(const char *what)
{
	fprintf(stderr, "gen: %s: %s (field %s)\n", what, aims_error_message(),
	    aims_error_field());
	exit(1);
}

static void
gen_catalog_ids(json_t **out, struct db *db, const char *kind)
{
	struct db_stmt *st;

	*out = json_array();
	/* ISO/IEC 42001's: the crosswalk catalogs have controls of their own. */
	if (db_prepare(&st, db, "SELECT id FROM requirements WHERE framework = 'iso42001'"
	    " AND kind = ? ORDER BY position") != 0)
		die("catalog");
	db_bind_text(st, 1, kind);
	while (db_step(st) == DB_ROW)
		json_array_append_new(*out, json_string(db_column_text(st, 0)));
	db_done(st);
	if (json_array_size(*out) == 0) {
		fprintf(stderr, "gen: the catalog has no '%s' requirements\n", kind);
		exit(1);
	}
}

/* The organisation and its members: tenancy rows, written directly. */
static void
gen_org(struct gen *g)
{
	char sql[512], email[64];
	int i;

	/* As `aims org create` makes it: its ledger entry and setup records, so verify passes. */
	if (org_create(&g->org, g->db, &gen_actor, "bench", "Bench Org") != 0 || g->org != 1)
		die("org");
	for (i = 1; i <= GEN_USERS; i++) {
		snprintf(sql, sizeof(sql), "INSERT INTO users (id, email, display_name, password_hash, "
		    "created_at, updated_at) VALUES (%d, 'owner%d@bench.example', 'Owner %d', 'x', "
		    "'2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z')", i, i, i);
		if (db_exec(g->db, sql) != 0)
			die("users");
		/* A membership is a change of the organisation: through core, with its entry. */
		snprintf(email, sizeof(email), "owner%d@bench.example", i);
		if (member_add(g->db, &gen_actor, g->org, email, ROLE_MANAGER) != 0)
			die("membership");
	}
}

static void
gen_create(struct gen *g, const char *kind, json_t *in)
{
	json_t *rec = NULL;

	if (record_create(&rec, g->db, g->org, &gen_actor, record_kind_find(kind), in) != 0)
		die(kind);
	json_decref(rec);
	json_decref(in);
}

static json_t *
gen_ai_system(struct gen *g, int i)
{
	char name[64], purpose[128];
	const char *category;
	bool in_scope;

	snprintf(name, sizeof(name), "AI system %d", i);
	snprintf(purpose, sizeof(purpose), "Handles %s and %s for product line %d",
	    words[gen_pick(g, GEN_WORDS)], words[gen_pick(g, GEN_WORDS)], i % 97);
	category = categories[gen_pick(g, 5)];
	/* One in ten is left out of the scope, with its reason; a high-risk one never is. */
	in_scope = gen_pick(g, 10) != 0 || strcmp(category, "high_risk") == 0;

	return json_pack("{s:s, s:s, s:s, s:s, s:s, s:b, s:s*, s:[{s:s, s:s, s:s}]}", "name",
	    name, "purpose", purpose, "owner", "owner1@bench.example", "lifecycle_stage",
	    stages[gen_pick(g, 7)], "eu_ai_act_category", category, "in_scope", in_scope,
	    "scope_justification", in_scope ? NULL : "A retired internal prototype with no users "
	    "or decisions depending on it", "components", "kind", "model", "name", "model",
	    "version", "1");
}

static json_t *
gen_risk(struct gen *g, int i)
{
	char title[128], owner[64], ais[2][32], mea[32];

	snprintf(title, sizeof(title), "Risk %d: %s in %s", i, words[gen_pick(g, GEN_WORDS)],
	    words[gen_pick(g, GEN_WORDS)]);
	snprintf(owner, sizeof(owner), "owner%d@bench.example", 1 + gen_pick(g, GEN_USERS));
	snprintf(ais[0], sizeof(ais[0]), "AIS-%d", 1 + gen_pick(g, g->ai));
	snprintf(ais[1], sizeof(ais[1]), "AIS-%d", 1 + gen_pick(g, g->ai));
	if (strcmp(ais[0], ais[1]) == 0)
		ais[1][0] = '\0';
	snprintf(mea, sizeof(mea), "MEA-%d", 1 + gen_pick(g, GEN_MEASURES));
	return json_pack("{s:s, s:s, s:[s, s*], s:s, s:s, s:i, s:i, s:{s:s, s:[s], s:[s], s:i, s:i}}",
	    "title", title, "owner", owner, "ai_systems", ais[0], ais[1][0] ? ais[1] : NULL,
	    "risk_source", json_string_value(json_array_get(g->sources,
	    (size_t)gen_pick(g, (int)json_array_size(g->sources)))),
	    "objective", json_string_value(json_array_get(g->objectives,
	    (size_t)gen_pick(g, (int)json_array_size(g->objectives)))),
	    "likelihood", 1 + gen_pick(g, 5), "impact", 1 + gen_pick(g, 5),
	    "treatment", "option", "modify", "controls", json_string_value(json_array_get(
	    g->controls, (size_t)gen_pick(g, (int)json_array_size(g->controls)))),
	    "measures", mea, "residual_likelihood", 1, "residual_impact", 1 + gen_pick(g, 3));
}

static json_t *
gen_evidence(struct gen *g, int i)
{
	char title[128], url[128], risk[32], ais[32];

	snprintf(title, sizeof(title), "Evidence %d: %s report", i, words[gen_pick(g, GEN_WORDS)]);
	snprintf(url, sizeof(url), "https://ci.bench.example/runs/%d", i);
	snprintf(risk, sizeof(risk), "RISK-%d", 1 + gen_pick(g, g->risks));
	snprintf(ais, sizeof(ais), "AIS-%d", 1 + gen_pick(g, g->ai));
	return json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:[s], s:[s], s:[s]}", "title", title,
	    "kind", "link", "url", url, "source", gen_pick(g, 2) ? "ci" : "monitoring",
	    "collected_at", "2026-02-01T12:00:00Z", "valid_until", "2027-02-01",
	    "requirements", json_string_value(json_array_get(g->controls,
	    (size_t)gen_pick(g, (int)json_array_size(g->controls)))), "risks", risk,
	    "ai_systems", ais);
}

static json_t *
gen_measure(struct gen *g, int i)
{
	char title[64];

	snprintf(title, sizeof(title), "Measure %d: %s control", i, words[gen_pick(g, GEN_WORDS)]);
	return json_pack("{s:s, s:s, s:s}", "title", title, "status", "implemented", "owner",
	    "owner2@bench.example");
}

typedef json_t *(*gen_fn)(struct gen *g, int i);

static double
gen_kind(struct gen *g, const char *kind, int n, gen_fn fn)
{
	int64_t t0 = clock_mono_usec();
	int i;

	for (i = 1; i <= n; i++) {
		if ((i - 1) % g->batch == 0 && db_begin(g->db) != 0)
			die("begin");
		gen_create(g, kind, fn(g, i));
		if ((i % g->batch == 0 || i == n) && db_commit(g->db) != 0)
			die("commit");
		if (i % 50000 == 0)
			fprintf(stderr, "gen: %s %d/%d\n", kind, i, n);
	}
	return (double)(clock_mono_usec() - t0) / 1e6;
}

static int
cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return (x > y) - (x < y);
}

struct scenario {
	const char	*name;
	const char	*kind;
	int		 get;		/* 1: record_get of a random ref */
	const char	*prefix;
	int		 max;
	struct record_query q;
	const char	*filter_prefix;	/* filter value = prefix + random number */
};

static void
gen_measure_one(struct gen *g, const struct scenario *s, int64_t *us)
{
	const struct record_kind *k = record_kind_find(s->kind);
	struct record_query q = s->q;
	char ref[64], fval[64];
	json_t *out = NULL;
	char *next = NULL;
	int64_t t0, total;
	int rc;

	if (s->get)
		snprintf(ref, sizeof(ref), "%s-%d", s->prefix, 1 + gen_pick(g, s->max));
	if (s->filter_prefix) {
		snprintf(fval, sizeof(fval), "%s-%d", s->filter_prefix, 1 + gen_pick(g, g->ai));
		q.filter_values[0] = fval;
	}
	t0 = clock_mono_usec();
	rc = s->get ? record_get(&out, g->db, g->org, k, ref) :
	    record_list(&out, &next, &total, g->db, g->org, k, &q);
	*us = clock_mono_usec() - t0;
	if (rc != 0)
		die(s->name);
	json_decref(out);
	free(next);
}

static void
gen_scenario(struct gen *g, const struct scenario *s)
{
	int64_t *us = calloc((size_t)g->calls, sizeof(*us));
	int i;

	for (i = 0; i < g->calls; i++)
		gen_measure_one(g, s, &us[i]);
	qsort(us, (size_t)g->calls, sizeof(*us), cmp_i64);
	printf("| %s | %d | %.3f | %.3f | %.3f |\n", s->name, g->calls,
	    (double)us[g->calls / 2] / 1000.0, (double)us[g->calls * 99 / 100] / 1000.0,
	    (double)us[g->calls - 1] / 1000.0);
	free(us);
}

static void
gen_reads(struct gen *g)
{
	const struct scenario sc[] = {
		{ "record_get risk", "risks", 1, "RISK", g->risks, { 0 }, NULL },
		{ "record_get evidence", "evidence", 1, "EV", g->evidence, { 0 }, NULL },
		{ "record_get AI system", "ai-systems", 1, "AIS", g->ai, { 0 }, NULL },
		{ "list risks, first page (50, -updated_at, with total)", "risks", 0, NULL, 0,
		    { .limit = 50 }, NULL },
		{ "list risks sorted by -inherent_score", "risks", 0, NULL, 0,
		    { .limit = 50, .sort = "-inherent_score" }, NULL },
		{ "list risks filtered by owner", "risks", 0, NULL, 0,
		    { .limit = 50, .nfilters = 1, .filter_names = { "owner" },
		    .filter_values = { "owner7@bench.example" } }, NULL },
		{ "list risks filtered by AI system", "risks", 0, NULL, 0,
		    { .limit = 50, .nfilters = 1, .filter_names = { "ai_systems" } }, "AIS" },
		{ "list risks, a heat-map cell (likelihood 4 and impact 5)", "risks", 0, NULL, 0,
		    { .limit = 50, .nfilters = 2, .filter_names = { "likelihood", "impact" },
		    .filter_values = { "4", "5" } }, NULL },
		{ "list risks, a heat-map cell sorted by -inherent_score", "risks", 0, NULL, 0,
		    { .limit = 50, .sort = "-inherent_score", .nfilters = 2,
		    .filter_names = { "likelihood", "impact" }, .filter_values = { "4", "5" } },
		    NULL },
		{ "list risks, search q=hallucination (1 in 8 risks)", "risks", 0, NULL, 0,
		    { .limit = 50, .q = "hallucination" }, NULL },
		{ "list risks, search q=\"risk 4242\"", "risks", 0, NULL, 0,
		    { .limit = 50, .q = "risk 4242" }, NULL },
		{ "list evidence, first page", "evidence", 0, NULL, 0, { .limit = 50 }, NULL },
		{ "list evidence filtered by AI system", "evidence", 0, NULL, 0,
		    { .limit = 50, .nfilters = 1, .filter_names = { "ai_systems" } }, "AIS" },
		{ "list SoA (38 entries)", "soa", 0, NULL, 0, { .limit = 100 }, NULL },
	};
	size_t i;

	printf("\n| read (in-process) | calls | p50 ms | p99 ms | max ms |\n"
	    "| --- | ---: | ---: | ---: | ---: |\n");
	for (i = 0; i < sizeof(sc) / sizeof(sc[0]); i++)
		gen_scenario(g, &sc[i]);
}

static void
gen_reads_all(struct gen *g)
{
	char sql[64];

	printf("\nreads with the store's settings\n");
	gen_reads(g);
	if (g->mmap_mb > 0) {
		snprintf(sql, sizeof(sql), "PRAGMA mmap_size=%lld", (long long)g->mmap_mb << 20);
		if (db_exec(g->db, sql) != 0)
			die("mmap");
		printf("\nthe same reads with mmap_size %d MB\n", g->mmap_mb);
		gen_reads(g);
	}
}

static long long
file_size(const char *path)
{
	struct stat sb;

	return stat(path, &sb) == 0 ? (long long)sb.st_size : 0;
}

static void
gen_parse(struct gen *g, const char **path, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "db", required_argument, NULL, 'd' }, { "ai-systems", required_argument, NULL, 'a' },
		{ "risks", required_argument, NULL, 'r' }, { "evidence", required_argument, NULL, 'e' },
		{ "batch", required_argument, NULL, 'b' }, { "calls", required_argument, NULL, 'c' },
		{ "mmap", required_argument, NULL, 'm' }, { "reads-only", no_argument, NULL, 'R' },
		{ "no-reads", no_argument, NULL, 'N' }, { "serve-key", no_argument, NULL, 'K' },
		{ "pages", required_argument, NULL, 'P' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'd': *path = optarg; break;
		case 'a': g->ai = atoi(optarg); break;
		case 'r': g->risks = atoi(optarg); break;
		case 'e': g->evidence = atoi(optarg); break;
		case 'b': g->batch = atoi(optarg); break;
		case 'c': g->calls = atoi(optarg); break;
		case 'm': g->mmap_mb = atoi(optarg); break;
		case 'R': g->reads_only = 1; break;
		case 'N': g->no_reads = 1; break;
		case 'K': g->serve_key = 1; break;
		case 'P': g->pages = atoi(optarg); break;
		default:
			fprintf(stderr, "usage: gen [--db PATH] [--ai-systems N] [--risks N] "
			    "[--evidence N] [--batch N] [--calls N] [--mmap MB] [--reads-only] "
			    "[--no-reads] [--serve-key] [--pages N]\n");
			exit(2);
		}
	}
	if (g->ai < 1 || g->risks < 1 || g->evidence < 1 || g->batch < 1 || g->calls < 100) {
		fprintf(stderr, "gen: counts must be positive, --calls at least 100\n");
		exit(2);
	}
}

#define GEN_PAGES_GROUP		16	/* creates per transaction, as under 16 writers */
#define GEN_PAGES_NAMES		256	/* tables and indexes told apart */

struct gen_pages {
	int64_t		 frames, commits, bytes;
	char		*name[GEN_PAGES_NAMES];
	int64_t		 count[GEN_PAGES_NAMES];
	int		 nnames;
	json_t		*pages;		/* page number -> frames written, this run */
};

static int64_t
file_size_of(const char *path)
{
	struct stat sb;

	return stat(path, &sb) == 0 ? (int64_t)sb.st_size : 0;
}

static uint32_t
be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* Counts the frames the WAL gained from offset from: one per page written. */
static void
gen_pages_read(struct gen_pages *gp, const char *wal, int64_t from)
{
	unsigned char hdr[32], fh[24];
	char key[24];
	FILE *f = fopen(wal, "rb");
	uint32_t psize;
	json_t *n;

	if (f == NULL || fread(hdr, 1, sizeof(hdr), f) != sizeof(hdr))
		die("wal header");
	psize = be32(hdr + 8);
	if (from < 32)
		from = 32;
	if (fseek(f, (long)from, SEEK_SET) != 0)
		die("wal seek");
	while (fread(fh, 1, sizeof(fh), f) == sizeof(fh)) {
		snprintf(key, sizeof(key), "%u", be32(fh));
		n = json_object_get(gp->pages, key);
		json_object_set_new(gp->pages, key, json_integer(n ? json_integer_value(n) + 1 : 1));
		gp->frames++;
		gp->bytes += (int64_t)sizeof(fh) + psize;
		if (fseek(f, (long)psize, SEEK_CUR) != 0)
			break;
	}
	fclose(f);
}

/* Names each page counted by the table or index it belongs to now. */
static void
gen_pages_name(struct gen_pages *gp, struct db *db)
{
	struct db_stmt *st;
	const char *name;
	char key[24];
	json_t *n;
	int i;

	if (db_prepare(&st, db, "SELECT name, pageno FROM dbstat") != 0)
		die("dbstat (SQLite built without it?)");
	while (db_step(st) == DB_ROW) {
		snprintf(key, sizeof(key), "%lld", (long long)db_column_int64(st, 1));
		if ((n = json_object_get(gp->pages, key)) == NULL)
			continue;
		name = db_column_text(st, 0);
		for (i = 0; i < gp->nnames && strcmp(gp->name[i], name) != 0; i++)
			;
		if (i == gp->nnames && gp->nnames < GEN_PAGES_NAMES)
			gp->name[gp->nnames++] = strdup(name);
		if (i < gp->nnames)
			gp->count[i] += json_integer_value(n);
		json_object_del(gp->pages, key);
	}
	db_done(st);
}

/* Creates n risks, group per transaction; returns the WAL figures. */
static void
gen_pages_run(struct gen_pages *gp, struct gen *g, const char *wal, int n, int group, int base)
{
	int64_t from;
	json_t *in, *out;
	int i, j, rc;

	memset(gp, 0, sizeof(*gp));
	gp->pages = json_object();
	for (i = 0; i < n; i += group) {
		from = file_size_of(wal);
		if (db_begin(g->db) != 0)
			die("begin");
		for (j = 0; j < group && i + j < n; j++) {
			in = gen_risk(g, base + i + j);
			if (db_savepoint_begin(g->db) != 0)
				die("savepoint");
			rc = record_create(&out, g->db, g->org, &gen_actor,
			    record_kind_find("risks"), in);
			if (db_savepoint_end(g->db, rc) != 0)
				die("create");
			json_decref(out);
			json_decref(in);
		}
		if (db_commit(g->db) != 0)
			die("commit");
		gp->commits++;
		gen_pages_read(gp, wal, from);
	}
	gen_pages_name(gp, g->db);
	json_decref(gp->pages);
}

static void
gen_pages_print(const struct gen_pages *one, const struct gen_pages *grp, int n)
{
	int i;

	printf("\npages written per create (WAL frames), %d risks each way\n\n", n);
	printf("| creates per commit | commits | pages per create | KB per create |\n"
	    "| ---: | ---: | ---: | ---: |\n");
	printf("| 1 | %lld | %.1f | %.1f |\n", (long long)one->commits,
	    (double)one->frames / n, (double)one->bytes / n / 1024);
	printf("| %d | %lld | %.1f | %.1f |\n", GEN_PAGES_GROUP, (long long)grp->commits,
	    (double)grp->frames / n, (double)grp->bytes / n / 1024);
	printf("\n| table or index | pages per create, 1 per commit | %d per commit |\n"
	    "| --- | ---: | ---: |\n", GEN_PAGES_GROUP);
	for (i = 0; i < one->nnames; i++) {
		int j;
		int64_t c2 = 0;

		for (j = 0; j < grp->nnames; j++)
			if (strcmp(grp->name[j], one->name[i]) == 0)
				c2 = grp->count[j];
		printf("| %s | %.2f | %.2f |\n", one->name[i], (double)one->count[i] / n,
		    (double)c2 / n);
	}
}

static void
gen_pages(struct gen *g, const char *path)
{
	struct gen_pages one, grp;
	char wal[1024];
	int i;

	snprintf(wal, sizeof(wal), "%s-wal", path);
	/* Every frame of the runs stays in the WAL to be counted. */
	if (db_exec(g->db, "PRAGMA wal_checkpoint(TRUNCATE)") != 0 ||
	    db_exec(g->db, "PRAGMA wal_autocheckpoint=0") != 0)
		die("wal");
	gen_pages_run(&one, g, wal, g->pages, 1, g->risks + 1);
	gen_pages_run(&grp, g, wal, g->pages, GEN_PAGES_GROUP, g->risks + 1 + g->pages);
	gen_pages_print(&one, &grp, g->pages);
	for (i = 0; i < one.nnames; i++)
		free(one.name[i]);
	for (i = 0; i < grp.nnames; i++)
		free(grp.name[i]);
	db_exec(g->db, "PRAGMA wal_autocheckpoint=1000");
}

int
main(int argc, char **argv)
{
	struct gen g = { .ai = 5000, .risks = 50000, .evidence = 500000, .batch = 1000,
	    .calls = 5000, .rng = 0x9e3779b97f4a7c15ULL };
	static const uint8_t seed[32] = { 'b', 'e', 'n', 'c', 'h' };
	const char *path = "bench-gen.db";
	struct ledger_key *key = NULL;
	char wal[1024];
	double t_ai, t_me, t_ri, t_ev;
	int64_t t0;

	gen_parse(&g, &path, argc, argv);
	if (sodium_init() < 0)
		die("libsodium");
	snprintf(wal, sizeof(wal), "%s-wal", path);
	if (!g.reads_only) {
		unlink(path);
		unlink(wal);
	}
	if (db_open(&g.db, path, g.reads_only ? 0 : DB_OPEN_CREATE) != 0)
		die("open");
	if (g.reads_only) {
		g.org = 1;
		gen_reads_all(&g);
		db_close(g.db);
		return 0;
	}
	if (ledger_key_from_seed(&key, "bench", seed) != 0)
		die("ledger key");
	ledger_key_use(key);
	t0 = clock_mono_usec();
	gen_org(&g);
	gen_catalog_ids(&g.controls, g.db, "control");
	gen_catalog_ids(&g.sources, g.db, "risk-source");
	gen_catalog_ids(&g.objectives, g.db, "objective");
	t_me = gen_kind(&g, "measures", GEN_MEASURES, gen_measure);
	t_ai = gen_kind(&g, "ai-systems", g.ai, gen_ai_system);
	t_ri = gen_kind(&g, "risks", g.risks, gen_risk);
	t_ev = gen_kind(&g, "evidence", g.evidence, gen_evidence);
	db_exec(g.db, "PRAGMA wal_checkpoint(TRUNCATE)");
	printf("| generated | records | seconds | records/s |\n| --- | ---: | ---: | ---: |\n");
	printf("| measures | %d | %.1f | %.0f |\n", GEN_MEASURES, t_me, GEN_MEASURES / t_me);
	printf("| AI systems | %d | %.1f | %.0f |\n", g.ai, t_ai, g.ai / t_ai);
	printf("| risks | %d | %.1f | %.0f |\n", g.risks, t_ri, g.risks / t_ri);
	printf("| evidence | %d | %.1f | %.0f |\n", g.evidence, t_ev, g.evidence / t_ev);
	printf("| **total** | %d | %.1f | |\n", GEN_MEASURES + g.ai + g.risks + g.evidence,
	    (double)(clock_mono_usec() - t0) / 1e6);
	printf("\ndatabase: %.1f MB (%s, after a WAL checkpoint)\n",
	    (double)file_size(path) / 1e6, path);
	if (!g.no_reads)
		gen_reads_all(&g);
	if (g.pages > 0)
		gen_pages(&g, path);
	/*
	 * The key beside the database, for the HTTP benchmarks (bench/records.sh):
	 * the server refuses to change anything without one. It is the benchmark
	 * key that signed the generated checkpoints, so `aims verify` passes on
	 * the database (a new key there failed it at the first checkpoint).
	 */
	if (g.serve_key && ledger_key_store(path, key) != 0)
		die("key file");
	json_decref(g.controls);
	json_decref(g.sources);
	json_decref(g.objectives);
	db_close(g.db);
	ledger_key_use(NULL);
	ledger_key_free(key);
	return 0;
}
