/*
 * cli_extract.c - vet-reconcile's --extract read into the reconciler
 * (cli.h vet_cli_read_extract): a cli-layer file, since its bad records are
 * rejected and counted through the cli like any side file's.
 */
#include <string.h>

#include "vet/cli.h"
#include "vet/encoding.h"
#include "vet/intake.h"
#include "vet/io.h"
#include "vet/mapping.h"
#include "vet/reconcile.h"

/* The diff records are written out once this many bytes are gathered. */
#define DIFF_CHUNK 65536

/* The extract being read: the request and the cli it reports through. */
struct extract {
	struct vet_cli *cli;
	const struct vet_cli_extract *x;
};

/* One line of a JSON Lines extract joins the reconciler. */
static int
json_line(void *ctx, struct vet_span line, struct vet_error *err)
{
	struct extract *e = ctx;
	int k;

	k = vet_reconcile_extract(e->x->rc, line.p, line.n, e->x->diff, err);
	if (k < 0)
		return k;
	vet_cli_flush_to(e->cli, e->x->slot, e->x->diff, DIFF_CHUNK);
	return 0;
}

/*
 * Whether the extract is JSON Lines, by its first bytes as vet-intake
 * tells (gzip is looked through).  Standard input cannot be read twice:
 * "-" is taken as JSON Lines.
 */
static int
is_jsonl(struct vet_cli *c, const char *path)
{
	struct vet_input *in;
	struct vet_error err;
	char buf[4096];
	size_t n = 0;
	long k;

	if (strcmp(path, "-") == 0)
		return 1;
	vet_error_clear(&err);
	if (vet_input_open(&in, path, &err) < 0)
		vet_cli_die(c, &err);
	while (n < sizeof buf && (k = vet_input_read(in, buf + n,
	    sizeof buf - n, &err)) > 0)
		n += (size_t)k;
	vet_input_close(in);
	/* A read error is reported when the extract is read for real. */
	return vet_intake_detect_format(buf, n) == VET_INTAKE_JSONL;
}

/* Each record of a CSV extract, as vet-intake made it, joins rc. */
static int
table_sink(void *ctx, const char *rec, size_t n, const char *raw,
    size_t rawn)
{
	struct extract *e = ctx;
	struct vet_error err;
	int k;

	vet_error_clear(&err);
	k = vet_reconcile_extract(e->x->rc, rec, n, e->x->diff, &err);
	if (k == VET_EDATA) {
		vet_cli_reject1(e->cli, raw, rawn, err.msg);
		return 1;
	}
	if (k < 0)
		return k;
	vet_cli_flush_to(e->cli, e->x->slot, e->x->diff, DIFF_CHUNK);
	return 0;
}

/*
 * A CSV or TSV extract (SPEC: "mapped like intake input") goes through the
 * intake of vet-intake --kind extract, with the built-in mapping and
 * --map, but with ids kept as they came: a mistyped id must reach the
 * join to be reported as a probable match, not be rejected on the way.
 * Rows the intake refuses are rejected, and every row counts on the
 * extract's --stats line, as the lines of a JSON Lines extract do.
 */
static void
read_table(struct extract *e)
{
	struct vet_cli *c = e->cli;
	struct vet_mapping map;
	struct vet_intake t;
	struct vet_intake_run run;
	struct vet_input *in;
	struct vet_error err;

	vet_error_clear(&err);
	if (vet_mapping_init(&map, VET_KIND_EXTRACT) < 0)
		vet_cli_nomem(c);
	vet_cli_load_map(c, &map, e->x->map);
	if (vet_intake_init(&t, &map, e->x->policy, e->x->as_of) < 0 ||
	    vet_intake_run_init(&run, c, &t, VET_INTAKE_AUTO, VET_ENC_AUTO, 0,
	    &err) < 0)
		vet_cli_nomem(c);
	t.raw_id = 1;
	run.sink = table_sink;
	run.sink_ctx = e;
	if (vet_input_open(&in, e->x->path, &err) < 0)
		vet_cli_die(c, &err);
	c->src = vet_input_name(in);
	if (vet_intake_run_input(&run, in, &err) < 0)
		vet_cli_die(c, &err);
	/* The intake said what it could not read. */
	if (run.read_failed) {
		vet_error_set(&err, VET_EDATA, c->src, 0, 0, "the extract "
		    "could not be read whole: nothing reconciled");
		vet_cli_die(c, &err);
	}
	vet_input_close(in);
	vet_intake_run_release(&run);
	vet_intake_release(&t);
	vet_mapping_release(&map);
	c->src = NULL;
	c->lineno = 0;
}

void
vet_cli_read_extract(struct vet_cli *c, const struct vet_cli_extract *x)
{
	struct extract e = { c, x };

	vet_cli_side_begin(c, "extract");
	/* A mapping is honoured whatever the extract's format: the intake
	 * reads JSON Lines too, and renames its keys as it does a header. */
	if (x->map == NULL && is_jsonl(c, x->path))
		vet_cli_read_side_lines(c, x->path, json_line, &e);
	else
		read_table(&e);
	vet_cli_side_end(c);
}
