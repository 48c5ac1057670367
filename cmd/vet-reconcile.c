/*
 * vet-reconcile - 数据比对 (SPEC 3): joins the ledger with a bureau's extract
 * on id, writes the ledger (changed only by --apply) and, with --diff, the
 * differences; exit 1 when there are any.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vet/buf.h"
#include "vet/cli.h"
#include "vet/date.h"
#include "vet/error.h"
#include "vet/encoding.h"
#include "vet/intake.h"
#include "vet/io.h"
#include "vet/mapping.h"
#include "vet/policy.h"
#include "vet/reconcile.h"

static const char usage[] =
	"usage: vet-reconcile --extract FILE [options] [FILE...]\n"
	"Joins the ledger (veteran records, JSON Lines) with a bureau's extract "
	"on id,\nwrites the ledger records and, with --diff, the differences.\n"
	"      --extract FILE      the bureau's extract: JSON Lines, or CSV or TSV\n"
	"                          read as vet-intake --kind extract reads it (gzip\n"
	"                          too); required\n"
	"      --map FILE          YAML mapping of the extract's headers and values\n"
	"      --source BUREAU     hr (default), market or tax\n"
	"      --apply             take the bureau's value of the fields it is "
	"the\n"
	"                          authority for, recorded in 'reconciled'\n"
	"      --diff FILE         write the diff records to FILE\n"
	"      --as-of DATE        date of the 'reconciled' entries, YYYY-MM-DD "
	"(default:\n"
	"                          today)\n"
	"      --policy FILE       policy file (default: the built-in Beijing "
	"2023 policy)\n"
	VET_CLI_USAGE_COMMON;

enum {
	OPT_EXTRACT = VET_OPT_FIRST_TOOL,
	OPT_SOURCE,
	OPT_APPLY,
	OPT_DIFF,
	OPT_AS_OF,
	OPT_POLICY,
	OPT_MAP
};

static const struct option opts[] = {
	VET_CLI_LONGOPTS,
	{ "extract", required_argument, NULL, OPT_EXTRACT },
	{ "source", required_argument, NULL, OPT_SOURCE },
	{ "apply", no_argument, NULL, OPT_APPLY },
	{ "diff", required_argument, NULL, OPT_DIFF },
	{ "as-of", required_argument, NULL, OPT_AS_OF },
	{ "policy", required_argument, NULL, OPT_POLICY },
	{ "map", required_argument, NULL, OPT_MAP },
	{ NULL, 0, NULL, 0 }
};

/* What the run holds besides the cli.  The cli commits or discards the
 * --diff output with the ledger. */
struct run {
	struct vet_cli cli;
	int diff;			/* the cli's slot of --diff, or -1 */
	struct vet_input *in;		/* the extract while it is read */
	struct vet_buf dbuf;
	struct vet_reconcile *rc;	/* while a CSV extract is read */
};

/* Writes out the diff records gathered so far. */
static void
flush_diff(struct run *r)
{
	vet_cli_write_to(&r->cli, r->diff, r->dbuf.data, r->dbuf.len);
	vet_buf_reset(&r->dbuf);
}

/* Sink of an extract line above --max-record: rejected by length. */
static int
long_sink(void *ctx, const char *p, size_t n)
{
	struct run *r = ctx;

	if (!r->cli.rj_open) {
		char msg[96];
		const char *e = msg;

		snprintf(msg, sizeof msg, "record longer than --max-record "
		    "(%zu bytes)", r->cli.max_record);
		r->cli.lineno = vet_input_lineno(r->in);
		vet_cli_reject_begin(&r->cli, &e, 1);
	}
	vet_cli_reject_chunk(&r->cli, p, n);
	return 0;
}

/*
 * Reads the whole extract into rc.  Its bad records are rejected like the
 * ledger's, named by the extract's file and line; its records count on
 * the extract's own --stats line, so that the main stream keeps read =
 * written + rejected (SPEC 3).  A read error ends the
 * run: reconciling against part of an extract would report everyone after
 * the fault as only in the ledger.
 */
static void
load_extract(struct run *r, struct vet_reconcile *rc, const char *path)
{
	struct vet_error err;
	struct vet_span line;
	int k;

	vet_error_clear(&err);
	if (vet_input_open(&r->in, path, &err) < 0)
		vet_cli_die(&r->cli, &err);
	r->cli.src = vet_input_name(r->in);
	for (;;) {
		vet_error_clear(&err);
		k = vet_input_line(r->in, &line, r->cli.max_record, long_sink,
		    r, &err);
		r->cli.lineno = vet_input_lineno(r->in);
		if (k == VET_LINE_EOF)
			break;
		if (k == VET_LINE_LONG) {
			if (!r->cli.rj_open)
				long_sink(r, "", 0);
			vet_cli_reject_end(&r->cli);
			vet_cli_count_read(&r->cli);
			continue;
		}
		if (k < 0)
			vet_cli_die(&r->cli, &err);
		/* Blank lines hold no record, in the extract as in the
		 * ledger (vet_cli_next_line). */
		if (vet_cli_blank(line.p, line.n))
			continue;
		vet_error_clear(&err);
		k = vet_reconcile_extract(rc, line.p, line.n, &r->dbuf, &err);
		if (k == VET_EDATA)
			vet_cli_reject_err(&r->cli, line.p, line.n, &err);
		else if (k < 0)
			vet_cli_die(&r->cli, &err);
		vet_cli_count_read(&r->cli);
		if (r->dbuf.len >= 65536)
			flush_diff(r);
	}
	vet_input_close(r->in);
	r->in = NULL;
	r->cli.src = NULL;
	r->cli.lineno = 0;
}

/*
 * Whether the extract is JSON Lines, by its first bytes as vet-intake
 * tells (gzip is looked through).  Standard input cannot be read twice:
 * "-" is taken as JSON Lines.
 */
static int
extract_is_jsonl(struct run *r, const char *path)
{
	struct vet_error err;
	char buf[4096];
	size_t n = 0;
	long k;

	if (strcmp(path, "-") == 0)
		return 1;
	vet_error_clear(&err);
	if (vet_input_open(&r->in, path, &err) < 0)
		vet_cli_die(&r->cli, &err);
	while (n < sizeof buf && (k = vet_input_read(r->in, buf + n,
	    sizeof buf - n, &err)) > 0)
		n += (size_t)k;
	vet_input_close(r->in);
	r->in = NULL;
	/* A read error is reported when the extract is read for real. */
	return vet_intake_detect_format(buf, n) == VET_INTAKE_JSONL;
}

/* Each record of a CSV extract, as vet-intake made it, joins rc. */
static int
table_sink(void *ctx, const char *rec, size_t n, const char *raw,
    size_t rawn)
{
	struct run *r = ctx;
	struct vet_error err;
	int k;

	vet_error_clear(&err);
	k = vet_reconcile_extract(r->rc, rec, n, &r->dbuf, &err);
	if (k == VET_EDATA) {
		vet_cli_reject1(&r->cli, raw, rawn, err.msg);
		return 1;
	}
	if (k < 0)
		return k;
	if (r->dbuf.len >= 65536)
		flush_diff(r);
	return 0;
}

/*
 * Reads a CSV or TSV extract (SPEC: "mapped like intake input") through
 * the intake of vet-intake --kind extract, with the built-in mapping and
 * --map, but with ids kept as they came: a mistyped id must reach the
 * join to be reported as a probable match, not be rejected on the way.
 * Rows the intake refuses are rejected, and every row counts on the
 * extract's --stats line, as the lines of a JSON Lines extract do.
 */
static void
load_extract_table(struct run *r, struct vet_reconcile *rc,
    const struct vet_policy *p, vet_day as_of, const char *path,
    const char *map_path)
{
	struct vet_mapping map;
	struct vet_intake t;
	struct vet_intake_run run;
	struct vet_error err;
	int k;

	vet_error_clear(&err);
	if (vet_mapping_init(&map, VET_KIND_EXTRACT) < 0) {
		vet_error_set(&err, VET_ENOMEM, NULL, 0, 0, "out of memory");
		vet_cli_die(&r->cli, &err);
	}
	vet_cli_load_map(&r->cli, &map, map_path);
	if (vet_intake_init(&t, &map, p, as_of) < 0 ||
	    vet_intake_run_init(&run, &r->cli, &t, VET_INTAKE_AUTO,
	    VET_ENC_AUTO, 0, &err) < 0) {
		vet_error_set(&err, VET_ENOMEM, NULL, 0, 0, "out of memory");
		vet_cli_die(&r->cli, &err);
	}
	t.raw_id = 1;
	run.sink = table_sink;
	run.sink_ctx = r;
	r->rc = rc;
	if (vet_input_open(&r->in, path, &err) < 0)
		vet_cli_die(&r->cli, &err);
	r->cli.src = vet_input_name(r->in);
	k = vet_intake_run_input(&run, r->in, &err);
	if (k < 0)
		vet_cli_die(&r->cli, &err);
	/* The intake said what it could not read; an extract read only in
	 * part would report everyone after the fault as only in the ledger. */
	if (run.read_failed) {
		vet_error_set(&err, VET_EDATA, r->cli.src, 0, 0, "the extract "
		    "could not be read whole: nothing reconciled");
		vet_cli_die(&r->cli, &err);
	}
	vet_input_close(r->in);
	r->in = NULL;
	vet_intake_run_release(&run);
	vet_intake_release(&t);
	vet_mapping_release(&map);
	r->rc = NULL;
	r->cli.src = NULL;
	r->cli.lineno = 0;
}

int
main(int argc, char **argv)
{
	struct run r;
	struct vet_reconcile *rc;
	struct vet_reconcile_counts n;
	struct vet_policy *p;
	struct vet_error err;
	struct vet_buf out = VET_BUF_INIT;
	struct vet_span line;
	const char *extract = NULL, *source = "hr", *diff = NULL;
	const char *as_of_arg = NULL, *policy = NULL, *map_path = NULL;
	vet_day as_of;
	int c, apply = 0, k;

	memset(&r, 0, sizeof r);
	vet_buf_init(&r.dbuf);
	vet_cli_init(&r.cli, "vet-reconcile", usage);
	while ((c = getopt_long(argc, argv, VET_CLI_SHORTOPTS, opts,
	    NULL)) != -1)
		if (!vet_cli_option(&r.cli, c, optarg))
			switch (c) {
			case OPT_EXTRACT:
				extract = optarg;
				break;
			case OPT_SOURCE:
				source = optarg;
				break;
			case OPT_APPLY:
				apply = 1;
				break;
			case OPT_DIFF:
				diff = optarg;
				break;
			case OPT_AS_OF:
				as_of_arg = optarg;
				break;
			case OPT_POLICY:
				policy = optarg;
				break;
			case OPT_MAP:
				map_path = optarg;
				break;
			default:
				vet_cli_usage(&r.cli);
			}
	if (extract == NULL)
		vet_cli_usage_error(&r.cli, "--extract FILE is required");
	if (strcmp(source, "hr") != 0 && strcmp(source, "market") != 0 &&
	    strcmp(source, "tax") != 0)
		vet_cli_usage_error(&r.cli, "unknown source '%s' for --source "
		    "(hr, market or tax)", source);
	as_of = vet_cli_as_of(&r.cli, as_of_arg);

	p = vet_cli_load_policy(&r.cli, policy);
	vet_error_clear(&err);
	if (vet_reconcile_init(&rc, p, source, as_of, apply, &err) < 0) {
		vet_cli_print_error(&r.cli, &err);
		vet_policy_free(p);
		return vet_status_exit(err.status);
	}
	vet_cli_input(&r.cli, "--extract", extract);
	vet_cli_input(&r.cli, "--map", map_path);
	vet_cli_input(&r.cli, "--policy", policy);
	r.diff = vet_cli_output(&r.cli, "--diff", diff);
	vet_cli_start(&r.cli, argc - optind, argv + optind);
	/* A mapping is honoured whatever the extract's format: the intake
	 * reads JSON Lines too, and renames its keys as it does a header. */
	vet_cli_side_begin(&r.cli, "extract");
	if (map_path == NULL && extract_is_jsonl(&r, extract))
		load_extract(&r, rc, extract);
	else
		load_extract_table(&r, rc, p, as_of, extract, map_path);
	vet_cli_side_end(&r.cli);

	while (vet_cli_next_line(&r.cli, &line) > 0) {
		vet_buf_reset(&out);
		vet_error_clear(&err);
		k = vet_reconcile_line(rc, line.p, line.n, &out, &r.dbuf, &err);
		if (k == VET_EDATA) {
			vet_cli_reject_err(&r.cli, line.p, line.n, &err);
			continue;
		}
		if (k < 0)
			vet_cli_die(&r.cli, &err);
		vet_cli_write(&r.cli, out.data, out.len, 1);
		if (r.dbuf.len >= 65536)
			flush_diff(&r);
	}
	do {
		if ((k = vet_reconcile_end(rc, &r.dbuf, &err)) < 0)
			vet_cli_die(&r.cli, &err);
		flush_diff(&r);
	} while (k > 0);

	vet_reconcile_counts(rc, &n);
	if (n.only_in_ledger + n.only_in_extract + n.conflict +
	    n.probable_match + n.duplicate + n.contradiction > 0)
		vet_cli_status(&r.cli, VET_EXIT_FINDINGS);
	vet_cli_side_note(&r.cli, "extract", "fields applied %lld", n.applied);
	if (r.cli.stats) {
		vet_cli_note(&r.cli, "diff: only_in_ledger %lld, "
		    "only_in_extract %lld, conflict %lld, probable_match %lld, "
		    "duplicate %lld, contradiction %lld", n.only_in_ledger,
		    n.only_in_extract, n.conflict, n.probable_match,
		    n.duplicate, n.contradiction);
	}
	vet_buf_release(&out);
	vet_buf_release(&r.dbuf);
	vet_reconcile_release(rc);
	vet_policy_free(p);
	return vet_cli_finish(&r.cli);
}
