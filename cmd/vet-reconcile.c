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
	OPT_MAP
};

static const struct option opts[] = {
	VET_CLI_LONGOPTS,
	{ "extract", required_argument, NULL, OPT_EXTRACT },
	{ "source", required_argument, NULL, OPT_SOURCE },
	{ "apply", no_argument, NULL, OPT_APPLY },
	{ "diff", required_argument, NULL, OPT_DIFF },
	VET_CLI_OPT_AS_OF,
	VET_CLI_OPT_POLICY,
	{ "map", required_argument, NULL, OPT_MAP },
	{ NULL, 0, NULL, 0 }
};

/* The options: the extract and the mapping into x; returns --source. */
static const char *
options(struct vet_cli *cli, int argc, char **argv,
    struct vet_cli_extract *x, int *apply, const char **diff)
{
	const char *source = "hr";
	int c;

	while ((c = getopt_long(argc, argv, VET_CLI_SHORTOPTS, opts,
	    NULL)) != -1)
		if (!vet_cli_option(cli, c, optarg))
			switch (c) {
			case OPT_EXTRACT:
				x->path = optarg;
				break;
			case OPT_SOURCE:
				source = optarg;
				break;
			case OPT_APPLY:
				*apply = 1;
				break;
			case OPT_DIFF:
				*diff = optarg;
				break;
			case OPT_MAP:
				x->map = optarg;
				break;
			default:
				vet_cli_usage(cli);
			}
	if (x->path == NULL)
		vet_cli_usage_error(cli, "--extract FILE is required");
	if (strcmp(source, "hr") != 0 && strcmp(source, "market") != 0 &&
	    strcmp(source, "tax") != 0)
		vet_cli_usage_error(cli, "unknown source '%s' for --source "
		    "(hr, market or tax)", source);
	x->as_of = vet_cli_as_of(cli, cli->opt.as_of);
	return source;
}

/* The findings: exit 1 when there are any, and their --stats line. */
static void
tell_counts(struct vet_cli *cli, const struct vet_reconcile *rc)
{
	struct vet_reconcile_counts n;

	vet_reconcile_counts(rc, &n);
	if (n.only_in_ledger + n.only_in_extract + n.conflict +
	    n.probable_match + n.duplicate + n.contradiction > 0)
		vet_cli_status(cli, VET_EXIT_FINDINGS);
	vet_cli_side_note(cli, "extract", "fields applied %lld", n.applied);
	if (cli->stats)
		vet_cli_note(cli, "diff: only_in_ledger %lld, "
		    "only_in_extract %lld, conflict %lld, probable_match %lld, "
		    "duplicate %lld, contradiction %lld", n.only_in_ledger,
		    n.only_in_extract, n.conflict, n.probable_match,
		    n.duplicate, n.contradiction);
}

int
main(int argc, char **argv)
{
	static struct vet_cli cli;	/* see cli.h: not on the stack */
	struct vet_cli_extract x = { NULL, NULL, 0, NULL, NULL, -1, NULL };
	struct vet_policy *p;
	struct vet_error err;
	struct vet_buf out = VET_BUF_INIT, diff = VET_BUF_INIT;
	struct vet_span line;
	const char *source, *diff_path = NULL;
	int apply = 0, k;

	vet_cli_init(&cli, "vet-reconcile", usage);
	source = options(&cli, argc, argv, &x, &apply, &diff_path);

	x.policy = p = vet_cli_load_policy(&cli, cli.opt.policy);
	vet_error_clear(&err);
	if (vet_reconcile_init(&x.rc, x.policy, source, x.as_of, apply,
	    &err) < 0)
		vet_cli_die(&cli, &err);
	vet_cli_input(&cli, "--extract", x.path);
	vet_cli_input(&cli, "--map", x.map);
	vet_cli_input(&cli, "--policy", cli.opt.policy);
	x.slot = vet_cli_output(&cli, "--diff", diff_path);
	x.diff = &diff;
	vet_cli_start(&cli, argc - optind, argv + optind);
	vet_cli_read_extract(&cli, &x);

	while (vet_cli_next_line(&cli, &line) > 0) {
		vet_buf_reset(&out);
		vet_error_clear(&err);
		k = vet_reconcile_line(x.rc, line.p, line.n, &out, &diff, &err);
		if (!vet_cli_took_at(&cli, k, line, &err))
			continue;
		vet_cli_write(&cli, out.data, out.len, 1);
		vet_cli_flush_to(&cli, x.slot, &diff, 65536);
	}
	do {
		if ((k = vet_reconcile_end(x.rc, &diff, &err)) < 0)
			vet_cli_die(&cli, &err);
		vet_cli_flush_to(&cli, x.slot, &diff, 0);
	} while (k > 0);

	tell_counts(&cli, x.rc);
	vet_buf_release(&out);
	vet_buf_release(&diff);
	vet_reconcile_release(x.rc);
	vet_policy_free(p);
	return vet_cli_finish(&cli);
}
