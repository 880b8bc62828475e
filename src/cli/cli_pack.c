/*
 * cli_pack.c - 'aims pack': writes an organisation's audit pack, the zip a
 * certification body verifies offline with 'aims verify --pack' or its own
 * verifier (docs/pack.md). The file appears whole or not at all: it is
 * written beside its name, synced, then renamed.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "core/evidence.h"
#include "io/pack.h"
#include "ledger/ledger.h"
#include "ledger/note.h"
#include "store/db.h"
#include "util/buf.h"
#include "util/error.h"
#include "util/mem.h"

static const char pack_usage[] =
    "usage: aims pack --org SLUG --out FILE.zip [--since DATE] [--requirements IDS]\n"
    "                 [--db PATH]\n"
    "Writes the organisation's audit pack: the records in scope with every version it\n"
    "cites, the published SoA, the evidence files, the readiness report, and for every\n"
    "cited version its ledger entry, the salt that opens its commitment and an\n"
    "inclusion proof to a signed checkpoint; the checkpoints with the consistency\n"
    "proof between them, the public key, and a manifest of every file's SHA-256.\n"
    "Anyone checks it offline with 'aims verify --pack FILE' (docs/pack.md).\n"
    "  --org SLUG            the organisation\n"
    "  --out FILE            the zip to write (replaced whole, or left as it was)\n"
    "  --since DATE          cite every version written since DATE (YYYY-MM-DD or\n"
    "                        RFC 3339) and the current one of every record; default:\n"
    "                        every version\n"
    "  --requirements IDS    only records linked to these requirements (comma-separated\n"
    "                        ids, e.g. A.6.2.6,6.1.2); the SoA is always whole\n"
    "  --db PATH             database file (default $AIMS_DB or ./aims.db)\n"
    "Exit codes: 0 written, 1 failure, 2 usage error.\n";

/* Splits "a,b,c" in place into at most PACK_REQUIREMENTS_MAX ids. */
static int
pack_split(const char **out, size_t *n, char *list)
{
	char *p, *save = NULL;

	*n = 0;
	for (p = strtok_r(list, ",", &save); p; p = strtok_r(NULL, ",", &save)) {
		while (*p == ' ')
			p++;
		if (*p == '\0')
			continue;
		if (*n == PACK_REQUIREMENTS_MAX)
			return cli_usage_error("pack", "--requirements takes at most %d ids",
			    PACK_REQUIREMENTS_MAX);
		out[(*n)++] = p;
	}
	if (*n == 0)
		return cli_usage_error("pack", "--requirements needs at least one id");
	return CLI_OK;
}

int
cmd_pack(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "org", required_argument, NULL, 'o' },
		{ "out", required_argument, NULL, 'O' },
		{ "since", required_argument, NULL, 's' },
		{ "requirements", required_argument, NULL, 'r' },
		{ "db", required_argument, NULL, 'd' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *path = cli_default_db(), *slug = NULL, *out = NULL;
	const char *reqs[PACK_REQUIREMENTS_MAX];
	struct pack_options po = { 0 };
	struct pack_stats st;
	struct note_verifier key;
	struct buf tmp = BUF_INIT;
	struct db *db = NULL;
	char *data_dir = NULL, *reqlist = NULL;
	int64_t org_id;
	int c, fd = -1, rc = CLI_FAIL;

	optind = 1;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'o': slug = optarg; break;
		case 'O': out = optarg; break;
		case 's': po.since = optarg; break;
		case 'r': free(reqlist); reqlist = xstrdup(optarg); break;
		case 'd': path = optarg; break;
		case 'h': fputs(pack_usage, stdout); rc = CLI_OK; goto done;
		default: rc = cli_usage_error("pack", "bad option"); goto done;
		}
	}
	if (optind != argc) {
		rc = cli_usage_error("pack", "unexpected argument '%s'", argv[optind]);
		goto done;
	}
	if (slug == NULL || out == NULL) {
		rc = cli_usage_error("pack", "--org SLUG and --out FILE are required");
		goto done;
	}
	if (reqlist) {
		if ((rc = pack_split(reqs, &po.nrequirements, reqlist)) != CLI_OK)
			goto done;
		po.requirements = reqs;
		rc = CLI_FAIL;
	}
	if (cli_open_db(&db, path, 0) != CLI_OK || cli_org_id(&org_id, db, slug, "pack") != CLI_OK)
		goto done;
	if (ledger_pubkey_load_db(&key, path) != 0) {
		rc = cli_fail("pack");
		goto done;
	}
	evidence_data_dir(&data_dir, path);
	buf_printf(&tmp, "%s.tmp-%ld", out, (long)getpid());
	if ((fd = open(buf_str(&tmp), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644)) < 0) {
		aims_error_set(AIMS_ERROR, "out", "cannot create %s: %s", buf_str(&tmp),
		    strerror(errno));
		rc = cli_fail("pack");
		goto done;
	}
	if (pack_write(&st, fd, db, data_dir, org_id, &po, &key) != 0) {
		rc = cli_fail("pack");
		goto done;
	}
	if (fsync(fd) != 0 || close(fd) != 0 || rename(buf_str(&tmp), out) != 0) {
		fd = -1;
		aims_error_set(AIMS_ERROR, "out", "cannot write %s: %s", out, strerror(errno));
		rc = cli_fail("pack");
		goto done;
	}
	fd = -1;
	printf("wrote %s: %lld record version%s, %lld evidence file%s, %lld checkpoint%s "
	    "(log of %llu entries), %lld files, %llu bytes before compression\n", out,
	    (long long)st.records, st.records == 1 ? "" : "s", (long long)st.evidence,
	    st.evidence == 1 ? "" : "s", (long long)st.checkpoints, st.checkpoints == 1 ? "" : "s",
	    (unsigned long long)st.tree_size, (long long)st.files, (unsigned long long)st.bytes);
	rc = CLI_OK;
done:
	if (fd >= 0) {
		close(fd);
		unlink(buf_str(&tmp));
	} else if (rc != CLI_OK && tmp.len > 0)
		unlink(buf_str(&tmp));
	buf_free(&tmp);
	free(reqlist);
	free(data_dir);
	db_close(db);
	return rc;
}
