/*
 * vet-export - 导出表格 (SPEC 3): JSON Lines records of any kind to a sheet
 * a person opens, an xlsx workbook or a CSV file for Excel and WPS, with
 * Chinese headers and labels; a rejects file to a sheet of rows to fix.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "vet/cli.h"
#include "vet/date.h"
#include "vet/error.h"
#include "vet/export.h"
#include "vet/policy.h"
#include "vet/record.h"

static const char usage[] =
	"usage: vet-export [--format xlsx|csv] [--kind KIND] [--lang zh|en] "
	"[--unmask]\n"
	"                  [--fields LIST] [--header FILE] [--no-bom] "
	"[--policy FILE]\n"
	"                  [--as-of DATE] [-o FILE] [--rejects FILE] [--stats] "
	"[FILE...]\n"
	"       vet-export --help | --version\n"
	"Writes JSON Lines records as a sheet: an xlsx workbook or CSV for "
	"Excel and WPS.\n"
	"      --format F        xlsx (default) or csv (UTF-8 with a "
	"byte-order mark)\n"
	"      --kind KIND       auto (default), veteran, job, event, finding,\n"
	"                        recommendation, diff or reject\n"
	"      --lang L          zh (default): Chinese headers and words; en: "
	"field names, codes\n"
	"      --unmask          ids and phones in full (default: masked)\n"
	"      --fields LIST     the columns, comma-separated, in order\n"
	"      --header FILE     rejects of a CSV: the header row from FILE "
	"(default: source)\n"
	"      --no-bom          csv without the UTF-8 byte-order mark\n"
	"      --policy FILE     labels of categories, measures and checks "
	"(default: built-in)\n"
	"      --as-of DATE      the workbook's date (default: today)\n"
	VET_CLI_USAGE_COMMON;

enum {
	OPT_FORMAT = VET_OPT_FIRST_TOOL,
	OPT_KIND, OPT_LANG, OPT_UNMASK, OPT_FIELDS, OPT_HEADER, OPT_NO_BOM,
	OPT_POLICY, OPT_AS_OF
};

static const struct option opts[] = {
	VET_CLI_LONGOPTS,
	{ "format", required_argument, NULL, OPT_FORMAT },
	{ "kind", required_argument, NULL, OPT_KIND },
	{ "lang", required_argument, NULL, OPT_LANG },
	{ "unmask", no_argument, NULL, OPT_UNMASK },
	{ "fields", required_argument, NULL, OPT_FIELDS },
	{ "header", required_argument, NULL, OPT_HEADER },
	{ "no-bom", no_argument, NULL, OPT_NO_BOM },
	{ "policy", required_argument, NULL, OPT_POLICY },
	{ "as-of", required_argument, NULL, OPT_AS_OF },
	{ NULL, 0, NULL, 0 }
};

/* The export's bytes go out through the common output (-o: complete or
 * absent); a write failure ends the run with 74 there. */
static int
sink(void *ctx, const char *p, size_t n)
{
	vet_cli_write(ctx, p, n, 0);
	return 0;
}

int
main(int argc, char **argv)
{
	struct vet_cli cli;
	struct vet_export_opts o;
	struct vet_export_stats st;
	struct vet_export *x;
	struct vet_policy *policy;
	struct vet_record rec;
	struct vet_error err;
	struct vet_span line;
	const char *policy_file = NULL;
	long long taken = 0;
	size_t i;
	int c, rc;

	memset(&o, 0, sizeof o);
	o.format = VET_EXPORT_XLSX;
	o.bom = 1;
	o.created = vet_date_today();
	vet_cli_init(&cli, "vet-export", usage);
	while ((c = getopt_long(argc, argv, VET_CLI_SHORTOPTS, opts,
	    NULL)) != -1) {
		if (vet_cli_option(&cli, c, optarg))
			continue;
		switch (c) {
		case OPT_FORMAT:
			if (strcmp(optarg, "xlsx") == 0)
				o.format = VET_EXPORT_XLSX;
			else if (strcmp(optarg, "csv") == 0)
				o.format = VET_EXPORT_CSV;
			else
				vet_cli_usage_error(&cli, "bad --format '%s' "
				    "(want xlsx or csv)", optarg);
			break;
		case OPT_KIND:
			if (vet_export_kind_parse(optarg, &o.kind) < 0)
				vet_cli_usage_error(&cli, "bad --kind '%s' "
				    "(want auto, veteran, job, event, finding, "
				    "recommendation, diff or reject)", optarg);
			break;
		case OPT_LANG:
			if (strcmp(optarg, "zh") != 0 &&
			    strcmp(optarg, "en") != 0)
				vet_cli_usage_error(&cli, "bad --lang '%s' "
				    "(want zh or en)", optarg);
			o.lang = optarg;
			break;
		case OPT_UNMASK:
			o.unmask = 1;
			break;
		case OPT_FIELDS:
			o.fields = optarg;
			break;
		case OPT_HEADER:
			o.header_file = optarg;
			break;
		case OPT_NO_BOM:
			o.bom = 0;
			break;
		case OPT_POLICY:
			policy_file = optarg;
			break;
		case OPT_AS_OF:
			if (vet_date_parse(optarg, strlen(optarg),
			    &o.created) < 0)
				vet_cli_usage_error(&cli, "bad --as-of '%s' "
				    "(want YYYY-MM-DD)", optarg);
			break;
		default:
			vet_cli_usage(&cli);
		}
	}
	if (o.format == VET_EXPORT_XLSX && !o.bom)
		vet_cli_usage_error(&cli, "--no-bom goes with --format csv");
	/* A workbook is bytes for a file, not for a screen. */
	if (o.format == VET_EXPORT_XLSX && (cli.out_path == NULL ||
	    strcmp(cli.out_path, "-") == 0) && isatty(STDOUT_FILENO))
		vet_cli_usage_error(&cli, "--format xlsx writes a workbook: "
		    "name it with -o FILE.xlsx or redirect standard output");

	vet_error_clear(&err);
	if (vet_policy_load(&policy, policy_file, &err) < 0) {
		if (err.status == VET_ENOENT)
			err.status = VET_ECONFIG;
		vet_cli_die(&cli, &err);
	}
	o.policy = policy;
	vet_cli_input(&cli, "--header", o.header_file);
	vet_cli_input(&cli, "--policy", policy_file);
	vet_cli_start(&cli, argc - optind, argv + optind);
	if ((rc = vet_export_new(&x, &o, sink, &cli, &err)) < 0) {
		if (rc == VET_EUSAGE)
			vet_cli_usage_error(&cli, "%s", err.msg);
		vet_cli_die(&cli, &err);
	}
	vet_record_init(&rec);
	while (vet_cli_next_line(&cli, &line) > 0) {
		vet_error_clear(&err);
		if (vet_record_parse(&rec, line.p, line.n, &err) < 0) {
			if (err.status != VET_EDATA)
				vet_cli_die(&cli, &err);
			vet_cli_reject_err(&cli, line.p, line.n, &err);
			continue;
		}
		if ((rc = vet_export_add(x, &rec, line.p, line.n, &err)) < 0) {
			if (rc != VET_EDATA)
				vet_cli_die(&cli, &err);
			vet_cli_reject1(&cli, line.p, line.n, err.msg);
			continue;
		}
		taken++;
	}
	vet_record_release(&rec);
	vet_error_clear(&err);
	if (vet_export_finish(x, &err) < 0)
		vet_cli_die(&cli, &err);
	vet_export_stats(x, &st);
	for (i = 1; i < st.nsheets && i < 16; i++)
		vet_cli_note(&cli, "more than %d rows: continued on sheet '%s'",
		    1048575, st.sheet[i]);
	if (st.cut > 0)
		vet_cli_note(&cli, "%lld cells longer than 32767 characters "
		    "(what a cell holds) were cut and marked", st.cut);
	if (st.fields_ignored)
		vet_cli_note(&cli, "--fields does not apply to the rows of a "
		    "CSV rejects file: they keep the source's columns");
	/* One record, one row: written counts the records taken. */
	cli.nwritten = taken;
	vet_export_free(x);
	vet_policy_free(policy);
	return vet_cli_finish(&cli);
}
