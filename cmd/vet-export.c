/*
 * vet-export - 导出表格 (SPEC 3): JSON Lines records of any kind to a sheet
 * a person opens, an xlsx workbook or a CSV file for Excel and WPS, with
 * Chinese headers and labels; a rejects file to a sheet of rows to fix.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "vet/cli.h"
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
	OPT_KIND, OPT_FIELDS, OPT_HEADER
};

static const struct option opts[] = {
	VET_CLI_LONGOPTS,
	{ "format", required_argument, NULL, OPT_FORMAT },
	{ "kind", required_argument, NULL, OPT_KIND },
	VET_CLI_OPT_LANG,
	VET_CLI_OPT_UNMASK,
	{ "fields", required_argument, NULL, OPT_FIELDS },
	{ "header", required_argument, NULL, OPT_HEADER },
	VET_CLI_OPT_NO_BOM,
	VET_CLI_OPT_POLICY,
	VET_CLI_OPT_AS_OF,
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

/* The options of the sheet, the shared ones taken from the cli. */
static void
options(struct vet_cli *cli, int argc, char **argv, struct vet_export_opts *o)
{
	static const char *const formats[] = { "xlsx", "csv", NULL };
	int c;

	memset(o, 0, sizeof *o);
	o->format = VET_EXPORT_XLSX;
	while ((c = getopt_long(argc, argv, VET_CLI_SHORTOPTS, opts,
	    NULL)) != -1) {
		if (vet_cli_option(cli, c, optarg))
			continue;
		switch (c) {
		case OPT_FORMAT:
			o->format = vet_cli_pick(cli, "--format", optarg,
			    formats) == 0 ? VET_EXPORT_XLSX : VET_EXPORT_CSV;
			break;
		case OPT_KIND:
			if (vet_export_kind_parse(optarg, &o->kind) < 0)
				vet_cli_usage_error(cli, "bad --kind '%s' "
				    "(want auto, veteran, job, event, finding, "
				    "recommendation, diff or reject)", optarg);
			break;
		case OPT_FIELDS:
			o->fields = optarg;
			break;
		case OPT_HEADER:
			o->header_file = optarg;
			break;
		default:
			vet_cli_usage(cli);
		}
	}
	o->lang = cli->opt.lang;
	o->unmask = cli->opt.unmask;
	o->bom = !cli->opt.no_bom;
	o->created = vet_cli_as_of(cli, cli->opt.as_of);
}

/* What the sheet had to do that a reader should know. */
static void
report_stats(struct vet_cli *cli, const struct vet_export *x)
{
	struct vet_export_stats st;
	size_t i;

	vet_export_stats(x, &st);
	for (i = 1; i < st.nsheets && i < 16; i++)
		vet_cli_note(cli, "more than %d rows: continued on sheet '%s'",
		    1048575, st.sheet[i]);
	if (st.cut > 0)
		vet_cli_note(cli, "%lld cells longer than 32767 characters "
		    "(what a cell holds) were cut and marked", st.cut);
	if (st.fields_ignored)
		vet_cli_note(cli, "--fields does not apply to the rows of a "
		    "CSV rejects file: they keep the source's columns");
}

int
main(int argc, char **argv)
{
	static struct vet_cli cli;	/* see cli.h: not on the stack */
	struct vet_export_opts o;
	struct vet_export *x;
	struct vet_policy *policy;
	struct vet_record rec;
	struct vet_error err;
	struct vet_span line;
	long long taken = 0;
	int rc;

	vet_cli_init(&cli, "vet-export", usage);
	options(&cli, argc, argv, &o);
	if (o.format == VET_EXPORT_XLSX && !o.bom)
		vet_cli_usage_error(&cli, "--no-bom goes with --format csv");
	if (o.format == VET_EXPORT_XLSX)
		vet_cli_workbook(&cli);

	o.policy = policy = vet_cli_load_policy(&cli, cli.opt.policy);
	vet_cli_input(&cli, "--header", o.header_file);
	vet_cli_input(&cli, "--policy", cli.opt.policy);
	vet_cli_start(&cli, argc - optind, argv + optind);
	vet_error_clear(&err);
	if ((rc = vet_export_new(&x, &o, sink, &cli, &err)) < 0) {
		if (rc == VET_EUSAGE)
			vet_cli_usage_error(&cli, "%s", err.msg);
		vet_cli_die(&cli, &err);
	}
	vet_record_init(&rec);
	while (vet_cli_next_record(&cli, &rec, &line, 0)) {
		vet_error_clear(&err);
		rc = vet_export_add(x, &rec, line.p, line.n, &err);
		taken += vet_cli_took(&cli, rc, line, &err);
	}
	vet_record_release(&rec);
	vet_error_clear(&err);
	if (vet_export_finish(x, &err) < 0)
		vet_cli_die(&cli, &err);
	report_stats(&cli, x);
	/* One record, one row: written counts the records taken. */
	cli.nwritten = taken;
	vet_export_free(x);
	vet_policy_free(policy);
	return vet_cli_finish(&cli);
}
