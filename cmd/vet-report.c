/*
 * vet-report - the quarterly report (季度报表, SPEC 3): classified veterans
 * in, one report out (text, md, csv, json, html or an xlsx workbook), or a
 * partial aggregate that --merge turns into the same report.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "vet/buf.h"
#include "vet/cli.h"
#include "vet/date.h"
#include "vet/error.h"
#include "vet/io.h"
#include "vet/policy.h"
#include "vet/record.h"
#include "vet/report.h"

static const char usage[] =
	"usage: vet-report [--quarter Q | --from DATE --to DATE] [--as-of DATE]\n"
	"                  [--by district|street|community] "
	"[--format text|md|csv|json|html|xlsx]\n"
	"                  [--lang zh|en] [--events FILE] [--findings FILE] "
	"[--jobs FILE]\n"
	"                  [--compare FILE] [--min-cell N] [--no-bom] "
	"[--partial] [--policy FILE]\n"
	"                  [-o FILE] [-z] [--rejects FILE] [--stats] "
	"[--max-record SIZE] [FILE...]\n"
	"       vet-report --merge [options] PARTIAL...\n"
	"       vet-report --help | --version\n"
	"Reads classified veterans (JSON Lines) and writes the quarterly "
	"report.\n"
	"      --quarter Q       2026Q3, previous or current (default: the "
	"quarter of --as-of)\n"
	"      --from DATE, --to DATE  any period instead of a quarter\n"
	"      --as-of DATE      the day of the report (default: today)\n"
	"      --by GROUP        district (default), street or community\n"
	"      --format F        text (default), md, csv, json, html or xlsx\n"
	"      --lang L          zh (default) or en\n"
	"      --events FILE     events (contacts, consultations, job fairs, "
	"training, referrals)\n"
	"      --findings FILE   vet-audit findings, counted per check\n"
	"      --jobs FILE       posts (kind job): post supply per district, "
	"post_type of referrals\n"
	"      --compare FILE    the previous --format json report: change per "
	"category, rate and link\n"
	"      --min-cell N      suppress groups of fewer than N veterans "
	"(default 1)\n"
	"      --no-bom          csv without the UTF-8 byte-order mark\n"
	"      --partial         write a mergeable partial aggregate instead\n"
	"      --merge           the inputs are partials: combine them\n"
	"      --policy FILE     policy file (default: the built-in Beijing "
	"2023 policy)\n"
	VET_CLI_USAGE_COMMON;

enum {
	OPT_QUARTER = VET_OPT_FIRST_TOOL,
	OPT_FROM, OPT_TO, OPT_AS_OF, OPT_BY, OPT_FORMAT, OPT_LANG, OPT_EVENTS,
	OPT_FINDINGS, OPT_JOBS, OPT_COMPARE, OPT_MIN_CELL, OPT_NO_BOM, OPT_PARTIAL,
	OPT_MERGE, OPT_POLICY
};

static const struct option opts[] = {
	VET_CLI_LONGOPTS,
	{ "quarter", required_argument, NULL, OPT_QUARTER },
	{ "from", required_argument, NULL, OPT_FROM },
	{ "to", required_argument, NULL, OPT_TO },
	{ "as-of", required_argument, NULL, OPT_AS_OF },
	{ "by", required_argument, NULL, OPT_BY },
	{ "format", required_argument, NULL, OPT_FORMAT },
	{ "lang", required_argument, NULL, OPT_LANG },
	{ "events", required_argument, NULL, OPT_EVENTS },
	{ "findings", required_argument, NULL, OPT_FINDINGS },
	{ "jobs", required_argument, NULL, OPT_JOBS },
	{ "compare", required_argument, NULL, OPT_COMPARE },
	{ "min-cell", required_argument, NULL, OPT_MIN_CELL },
	{ "no-bom", no_argument, NULL, OPT_NO_BOM },
	{ "partial", no_argument, NULL, OPT_PARTIAL },
	{ "merge", no_argument, NULL, OPT_MERGE },
	{ "policy", required_argument, NULL, OPT_POLICY },
	{ NULL, 0, NULL, 0 }
};

static int
pick(const char *arg, const char *const *names)
{
	int i;

	for (i = 0; names[i]; i++)
		if (strcmp(arg, names[i]) == 0)
			return i;
	return -1;
}

/*
 * The side files (--events, --findings) go into the report record by
 * record; a bad line is rejected whole like a bad veteran, named by its
 * file and line (vet_cli_read_side).
 */
static int
side_event(void *ctx, const struct vet_record *rec, struct vet_span line,
    struct vet_error *err)
{
	return vet_report_add_event(ctx, rec, err);
}

static int
side_job(void *ctx, const struct vet_record *rec, struct vet_span line,
    struct vet_error *err)
{
	return vet_report_add_job(ctx, rec, err);
}

static int
side_finding(void *ctx, const struct vet_record *rec, struct vet_span line,
    struct vet_error *err)
{
	return vet_report_add_finding(ctx, rec, err);
}

/*
 * --merge: each operand (standard input when none) is read whole, so that
 * a partial re-serialised over several lines (jq .) still merges and an
 * empty file, a part lost, ends the run.  A partial that does not fit
 * would make a wrong report: stop rather than skip it.  Returns the
 * partials merged, counted as read.
 */
static long long
merge_partials(struct vet_cli *cli, struct vet_report *r, int nargs,
    char **args)
{
	static char *dash[] = { "-" };
	struct vet_buf text = VET_BUF_INIT;
	struct vet_error err;
	long long n, total = 0;
	int i;

	if (nargs == 0) {
		nargs = 1;
		args = dash;
	}
	for (i = 0; i < nargs; i++) {
		vet_buf_reset(&text);
		vet_error_clear(&err);
		if (vet_input_slurp(args[i], &text, &err) < 0 ||
		    vet_report_merge_text(r, text.data, text.len, &n,
		    &err) < 0) {
			if (err.file[0] == '\0')
				snprintf(err.file, sizeof err.file, "%s",
				    strcmp(args[i], "-") == 0 ? "<stdin>" :
				    args[i]);
			vet_buf_release(&text);
			vet_cli_die(cli, &err);
		}
		total += n;
		cli->nread += n;
	}
	vet_buf_release(&text);
	return total;
}

int
main(int argc, char **argv)
{
	static const char *const bys[] = { "district", "street", "community",
	    NULL };
	static const char *const fmts[] = { "text", "md", "csv", "json",
	    "html", "xlsx", NULL };
	static const char *const langs[] = { "zh", "en", NULL };
	struct vet_cli cli;
	struct vet_report_fmt f = { VET_REPORT_TEXT, "zh", 1, 1 };
	struct vet_report_schema schema;
	struct vet_report_period pd;
	struct vet_report *r;
	struct vet_policy *policy;
	struct vet_record rec;
	struct vet_error err;
	struct vet_span line;
	struct vet_buf out = VET_BUF_INIT, cmp = VET_BUF_INIT;
	const char *quarter = NULL, *from = NULL, *to = NULL, *events = NULL,
	    *findings = NULL, *jobs = NULL, *compare = NULL, *policy_file = NULL;
	int c, by = VET_REPORT_BY_DISTRICT, partial = 0, merge = 0,
	    format_given = 0, rc;
	vet_day as_of = vet_date_today();
	long long counted = 0;

	vet_cli_init(&cli, "vet-report", usage);
	while ((c = getopt_long(argc, argv, VET_CLI_SHORTOPTS, opts,
	    NULL)) != -1) {
		if (vet_cli_option(&cli, c, optarg))
			continue;
		switch (c) {
		case OPT_QUARTER:
			quarter = optarg;
			break;
		case OPT_FROM:
			from = optarg;
			break;
		case OPT_TO:
			to = optarg;
			break;
		case OPT_AS_OF:
			as_of = vet_cli_as_of(&cli, optarg);
			break;
		case OPT_BY:
			if ((by = pick(optarg, bys)) < 0)
				vet_cli_usage_error(&cli, "bad --by '%s' (want "
				    "district, street or community)", optarg);
			break;
		case OPT_FORMAT:
			if ((rc = pick(optarg, fmts)) < 0)
				vet_cli_usage_error(&cli, "bad --format '%s' "
				    "(want text, md, csv, json, html or xlsx)",
				    optarg);
			f.format = (enum vet_report_format)rc;
			format_given = 1;
			break;
		case OPT_LANG:
			if (pick(optarg, langs) < 0)
				vet_cli_usage_error(&cli, "bad --lang '%s' "
				    "(want zh or en)", optarg);
			f.lang = optarg;
			break;
		case OPT_EVENTS:
			events = optarg;
			break;
		case OPT_FINDINGS:
			findings = optarg;
			break;
		case OPT_JOBS:
			jobs = optarg;
			break;
		case OPT_COMPARE:
			compare = optarg;
			break;
		case OPT_MIN_CELL:
			f.min_cell = vet_cli_int(&cli, "--min-cell", optarg, 1,
			    1000000000L);
			break;
		case OPT_NO_BOM:
			f.bom = 0;
			break;
		case OPT_PARTIAL:
			partial = 1;
			break;
		case OPT_MERGE:
			merge = 1;
			break;
		case OPT_POLICY:
			policy_file = optarg;
			break;
		default:
			vet_cli_usage(&cli);
		}
	}
	if (merge && (events || findings || jobs))
		vet_cli_usage_error(&cli, "--events, --findings and --jobs go "
		    "with the runs that write the partials, not with --merge");
	if (partial && (format_given || compare || f.lang != langs[0] ||
	    f.min_cell != 1 || !f.bom))
		vet_cli_usage_error(&cli, "--partial writes an aggregate, not "
		    "a report: --format, --lang, --compare, --min-cell and "
		    "--no-bom go with the final run");

	/* A workbook is bytes for a file, not for a screen. */
	if (f.format == VET_REPORT_XLSX && !partial &&
	    (cli.out_path == NULL || strcmp(cli.out_path, "-") == 0) &&
	    isatty(STDOUT_FILENO))
		vet_cli_usage_error(&cli, "--format xlsx writes a workbook: "
		    "name it with -o FILE.xlsx or redirect standard output");

	vet_error_clear(&err);
	if (vet_report_period_parse(&pd, quarter, from, to, as_of, &err) < 0)
		vet_cli_usage_error(&cli, "%s", err.msg);
	policy = vet_cli_load_policy(&cli, policy_file);
	if (vet_report_schema_from_policy(&schema, policy, as_of, &err) < 0)
		vet_cli_die(&cli, &err);
	if (vet_report_new(&r, &schema, &pd, by, &err) < 0)
		vet_cli_die(&cli, &err);
	vet_report_expect(r, events != NULL, findings != NULL);
	vet_cli_input(&cli, "--events", events);
	vet_cli_input(&cli, "--findings", findings);
	vet_cli_input(&cli, "--jobs", jobs);
	vet_cli_input(&cli, "--compare", compare);
	vet_cli_input(&cli, "--policy", policy_file);
	vet_cli_start(&cli, argc - optind, argv + optind);
	/* Posts before events: a referral takes its post_type from its
	 * post when it has none of its own. */
	if (jobs)
		vet_cli_read_side(&cli, jobs, side_job, r);
	if (events)
		vet_cli_read_side(&cli, events, side_event, r);
	if (findings)
		vet_cli_read_side(&cli, findings, side_finding, r);
	if (compare) {
		if (vet_input_slurp(compare, &cmp, &err) < 0)
			vet_cli_die(&cli, &err);
		if (vet_report_set_compare(r, cmp.data, cmp.len, &err) < 0) {
			snprintf(err.file, sizeof err.file, "%s", compare);
			vet_cli_die(&cli, &err);
		}
		vet_buf_release(&cmp);
	}

	vet_record_init(&rec);
	if (merge)
		counted = merge_partials(&cli, r, argc - optind, argv + optind);
	while (!merge && vet_cli_next_line(&cli, &line) > 0) {
		vet_error_clear(&err);
		if (vet_record_parse(&rec, line.p, line.n, &err) < 0 ||
		    vet_record_once(&rec, "id", line.p, &err) < 0) {
			if (err.status != VET_EDATA)
				vet_cli_die(&cli, &err);
			vet_cli_reject1(&cli, line.p, line.n, err.msg);
			continue;
		}
		if ((rc = vet_report_add(r, &rec, &err)) < 0) {
			if (rc != VET_EDATA)
				vet_cli_die(&cli, &err);
			vet_cli_reject1(&cli, line.p, line.n, err.msg);
		} else
			counted++;
	}
	vet_record_release(&rec);

	vet_error_clear(&err);
	if (partial)
		rc = vet_report_write_partial(r, &out);
	else
		rc = vet_report_format(r, &f, &out, &err);
	if (rc < 0) {
		if (rc == VET_ENOMEM || err.msg[0] == '\0')
			vet_error_set(&err, rc, NULL, 0, 0, "out of memory");
		vet_cli_die(&cli, &err);
	}
	/* Many records make one report: --stats counts as written the
	 * records (or partials) the report counts, so that read = written +
	 * rejected holds here too. */
	vet_cli_write(&cli, out.data, out.len, 0);
	cli.nwritten = counted;
	vet_buf_release(&out);
	vet_report_free(r);
	vet_report_schema_release(&schema);
	vet_policy_free(policy);
	return vet_cli_finish(&cli);
}
