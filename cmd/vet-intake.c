/*
 * vet-intake - raw station and bureau exports (CSV, TSV, JSON Lines; UTF-8,
 * GBK/GB18030 or UTF-16; .xlsx and .xls workbooks) to canonical JSON Lines
 * records (SPEC 3 vet-intake).
 *
 * Options, then the mapping, the policy and the intake, then each input
 * opened with vet_input_open() (gzip is transparent) and read by the input
 * loop of intake.h (struct vet_intake_run), which holds all the logic.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "vet/cli.h"
#include "vet/date.h"
#include "vet/encoding.h"
#include "vet/intake.h"
#include "vet/io.h"
#include "vet/mapping.h"
#include "vet/policy.h"

static const char usage[] =
    "usage: vet-intake [options] [FILE...]\n"
    "\n"
    "Turns station and bureau exports (CSV, TSV or JSON Lines in UTF-8,\n"
    "GBK/GB18030 or UTF-16; .xlsx and .xls workbooks) into canonical JSON\n"
    "Lines records.\n"
    "\n"
    "  -k, --kind KIND       veteran (default), job, event, extract, or raw\n"
    "                        (headers mapped by --map only, cells as strings)\n"
    "  -f, --format FMT      auto (default: by content), csv, tsv or jsonl\n"
    "  -e, --encoding ENC    auto (default), utf-8, gbk, gb18030, utf-16le or\n"
    "                        utf-16be\n"
    "      --sheet NAME|N|all  the workbook sheet to read (default: the first\n"
    "                        visible one); all: every visible one\n"
    "      --header-row N    the header is row N (default: the first of the\n"
    "                        first 20 rows with 3 known column names)\n"
    "  -m, --map FILE        YAML mapping of more headers and values\n"
    "  -p, --policy FILE     policy whose districts are accepted\n"
    "                        (default: the built-in Beijing policy)\n"
    "      --dedupe          keep one record per id, the latest by\n"
    "                        last_contact_date; reject the others\n"
    "      --as-of DATE      reference date for birth dates (default today)\n"
    "  -j, --threads N       threads for the records, 1 to 8 (default: the\n"
    "                        CPUs online, at most 4, for a workbook or past\n"
    "                        64 KiB of other input;\n"
    "                        1 with --dedupe)\n"
    VET_CLI_USAGE_COMMON;

enum {
	OPT_DEDUPE = VET_OPT_FIRST_TOOL,
	OPT_SHEET,
	OPT_HEADER_ROW
};

static const struct option opts[] = {
	VET_CLI_LONGOPTS,
	{ "kind", required_argument, NULL, 'k' },
	{ "format", required_argument, NULL, 'f' },
	{ "encoding", required_argument, NULL, 'e' },
	{ "map", required_argument, NULL, 'm' },
	VET_CLI_OPT_POLICY,
	{ "dedupe", no_argument, NULL, OPT_DEDUPE },
	VET_CLI_OPT_AS_OF,
	{ "threads", required_argument, NULL, 'j' },
	{ "sheet", required_argument, NULL, OPT_SHEET },
	{ "header-row", required_argument, NULL, OPT_HEADER_ROW },
	{ NULL, 0, NULL, 0 }
};

/* Each input, as the intake reads it. */
static int
take_input(void *ctx, struct vet_input *in, struct vet_error *err)
{
	return vet_intake_run_input(ctx, in, err);
}

/* What the options ask for besides the common and shared ones. */
struct args {
	enum vet_kind kind;
	enum vet_intake_format fmt;
	enum vet_encoding enc;
	const char *map, *sheet;
	long header_row;
	int dedupe, threads, threads_given;
};

static void
options(struct vet_cli *cli, int argc, char **argv, struct args *a)
{
	long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	int c;

	a->threads = ncpu > 4 ? 4 : ncpu > 1 ? (int)ncpu : 1;
	while ((c = getopt_long(argc, argv, VET_CLI_SHORTOPTS "k:f:e:m:p:j:",
	    opts, NULL)) != -1) {
		if (vet_cli_option(cli, c, optarg))
			continue;
		switch (c) {
		case 'k':
			if (vet_kind_parse(optarg, &a->kind) < 0)
				vet_cli_usage_error(cli, "unknown kind '%s'",
				    optarg);
			break;
		case 'f':
			if (vet_intake_format_parse(optarg, &a->fmt) < 0)
				vet_cli_usage_error(cli, "unknown format '%s'",
				    optarg);
			break;
		case 'e':
			if (vet_encoding_parse(optarg, &a->enc) < 0)
				vet_cli_usage_error(cli,
				    "unknown encoding '%s'", optarg);
			break;
		case 'm':
			a->map = optarg;
			break;
		case 'p':
			cli->opt.policy = optarg;
			break;
		case OPT_DEDUPE:
			a->dedupe = 1;
			break;
		case 'j':
			a->threads = (int)vet_cli_int(cli, "--threads", optarg,
			    1, VET_INTAKE_MAX_THREADS);
			a->threads_given = 1;
			break;
		case OPT_SHEET:
			if (*optarg == '\0')
				vet_cli_usage_error(cli, "empty --sheet");
			a->sheet = optarg;
			break;
		case OPT_HEADER_ROW:
			a->header_row = (long)vet_cli_int(cli, "--header-row",
			    optarg, 1, 1048576);
			break;
		default:
			vet_cli_usage(cli);
		}
	}
	if (a->dedupe && a->kind != VET_KIND_VETERAN &&
	    a->kind != VET_KIND_EXTRACT)
		vet_cli_usage_error(cli, "--dedupe needs --kind veteran or "
		    "extract (records keyed by id)");
}

int
main(int argc, char **argv)
{
	static struct vet_cli cli;	/* see cli.h: not on the stack */
	struct args a = { VET_KIND_VETERAN, VET_INTAKE_AUTO, VET_ENC_AUTO,
	    NULL, NULL, 0, 0, 1, 0 };
	struct vet_mapping map;
	struct vet_policy *pol = NULL;
	struct vet_intake t;
	struct vet_intake_run run;
	struct vet_error err;
	vet_day today;

	vet_cli_init(&cli, "vet-intake", usage);
	options(&cli, argc, argv, &a);
	today = vet_cli_as_of(&cli, cli.opt.as_of);

	vet_error_clear(&err);
	if (vet_mapping_init(&map, a.kind) < 0)
		vet_cli_nomem(&cli);
	vet_cli_load_map(&cli, &map, a.map);
	if (a.kind != VET_KIND_RAW)
		pol = vet_cli_load_policy(&cli, cli.opt.policy);
	if (vet_intake_init(&t, &map, pol, today) < 0)
		vet_cli_nomem(&cli);

	vet_cli_input(&cli, "--map", a.map);
	vet_cli_input(&cli, "--policy", cli.opt.policy);
	vet_cli_start(&cli, argc - optind, argv + optind);
	if (vet_intake_run_init(&run, &cli, &t, a.fmt, a.enc, a.dedupe,
	    &err) < 0)
		vet_cli_die(&cli, &err);
	run.threads = a.threads;
	run.threads_always = a.threads_given;
	run.sheet = a.sheet;
	run.header_row = a.header_row;
	vet_cli_each_input(&cli, take_input, &run);
	if (vet_intake_run_finish(&run, &err) < 0)
		vet_cli_die(&cli, &err);
	vet_intake_run_release(&run);
	vet_intake_release(&t);
	vet_mapping_release(&map);
	vet_policy_free(pol);
	return vet_cli_finish(&cli);
}
