/*
 * vet-audit - 责任落实 (SPEC 3): checks, for a period as of a day, that the
 * services the policy mandates happened, and writes one finding per
 * breach.  Exit 1 when there are findings, like diff.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vet/audit.h"
#include "vet/buf.h"
#include "vet/cli.h"
#include "vet/date.h"
#include "vet/error.h"
#include "vet/policy.h"
#include "vet/record.h"

static const char usage[] =
	"usage: vet-audit [--as-of DATE] [--quarter YYYYQn | --month YYYY-MM | "
	"--year YYYY]\n"
	"                 [--events FILE] [--policy FILE] [-o FILE] [-z] "
	"[--rejects FILE]\n"
	"                 [--due] [--stats] [--max-record SIZE] [FILE...]\n"
	"       vet-audit --help | --version\n"
	"Reads classified veterans (vet-classify output) and writes one "
	"finding per\nbreach of a duty in the period as of --as-of.\n"
	"      --as-of DATE      audit as of DATE, YYYY-MM-DD (default: "
	"today)\n"
	"      --quarter YYYYQn  the period (default: the quarter containing "
	"--as-of);\n"
	"                        previous: the quarter before it\n"
	"      --month YYYY-MM   a month as the period\n"
	"      --year YYYY       a calendar year as the period\n"
	"      --events FILE     the event log (contacts, consultations, job "
	"fairs)\n"
	"      --due             also write the duties still open (severity "
	"due)\n"
	"      --policy FILE     policy file (default: the built-in Beijing "
	"2023 policy)\n"
	VET_CLI_USAGE_COMMON
	"Exit status: 0 no findings, 1 findings, 65 records rejected.\n";

enum {
	OPT_MONTH = VET_OPT_FIRST_TOOL,
	OPT_YEAR,
	OPT_DUE
};

static const struct option opts[] = {
	VET_CLI_LONGOPTS,
	VET_CLI_OPT_AS_OF,
	VET_CLI_OPT_QUARTER,
	{ "month", required_argument, NULL, OPT_MONTH },
	{ "year", required_argument, NULL, OPT_YEAR },
	VET_CLI_OPT_EVENTS,
	VET_CLI_OPT_POLICY,
	{ "due", no_argument, NULL, OPT_DUE },
	{ NULL, 0, NULL, 0 }
};

/*
 * Reads the event log into the audit (vet_cli_read_side).  A bad event (not
 * a JSON object, or lacking what its type needs) is rejected like a bad
 * veteran: reported as FILE:LINE, written whole to --rejects with the
 * events file as its source, counted, and the exit becomes 65.  Events
 * count on their own --stats line.  A log that cannot be read to its end
 * (truncated gzip, I/O error) ends the run with no output: audited against
 * part of the log, every duty after the cut would look missed.
 */
static int
add_event(void *ctx, const struct vet_record *rec, struct vet_span line,
    struct vet_error *err)
{
	return vet_audit_add_event(ctx, rec, err);
}

/* Writes the findings gathered in out, if any. */
static void
write_findings(struct vet_cli *cli, const struct vet_buf *out)
{
	if (out->len > 0)
		vet_cli_write(cli, out->data, out->len, 0);
}

int
main(int argc, char **argv)
{
	static struct vet_cli cli;	/* see cli.h: not on the stack */
	struct vet_audit_period pd;
	struct vet_audit *a;
	struct vet_policy *p;
	struct vet_record rec;
	struct vet_error err;
	struct vet_buf out = VET_BUF_INIT;
	struct vet_span line;
	const char *month = NULL, *year = NULL, *events;
	size_t nfound = 0;
	vet_day as_of;
	int c, rc, due = 0;

	vet_cli_init(&cli, "vet-audit", usage);
	while ((c = getopt_long(argc, argv, VET_CLI_SHORTOPTS, opts,
	    NULL)) != -1)
		if (!vet_cli_option(&cli, c, optarg))
			switch (c) {
			case OPT_MONTH:
				month = optarg;
				break;
			case OPT_YEAR:
				year = optarg;
				break;
			case OPT_DUE:
				due = 1;
				break;
			default:
				vet_cli_usage(&cli);
			}
	as_of = vet_cli_as_of(&cli, cli.opt.as_of);
	events = cli.opt.events;
	/* Both on standard input, the events would swallow the veterans and
	 * every veteran would be rejected as an event without a type. */
	vet_cli_stdin_once(&cli, &events, 1, argc - optind, argv + optind,
	    "--events - needs the veterans in files, not on standard input");
	vet_error_clear(&err);
	if (vet_audit_period_parse(&pd, cli.opt.quarter, month, year, as_of,
	    &err) < 0)
		vet_cli_usage_error(&cli, "%s", err.msg);

	p = vet_cli_load_policy(&cli, cli.opt.policy);
	if (vet_audit_new(&a, p, &pd, as_of, events != NULL, &err) < 0)
		vet_cli_die(&cli, &err);
	vet_audit_set_due(a, due);
	vet_cli_input(&cli, "--events", events);
	vet_cli_input(&cli, "--policy", cli.opt.policy);
	vet_cli_start(&cli, argc - optind, argv + optind);
	if (events != NULL)
		vet_cli_read_side(&cli, events, add_event, a);
	else
		vet_cli_note(&cli, "no --events: monthly_contact, "
		    "quarterly_consultation and job_fairs not checked");

	vet_record_init(&rec);
	while (vet_cli_next_record(&cli, &rec, &line, VET_CLI_ID_ONCE)) {
		vet_buf_reset(&out);
		rc = vet_audit_veteran(a, &rec, &out, &nfound, &err);
		if (vet_cli_took(&cli, rc, line, &err))
			write_findings(&cli, &out);
	}
	vet_buf_reset(&out);
	if (vet_audit_districts(a, &out, &nfound, &err) < 0)
		vet_cli_die(&cli, &err);
	write_findings(&cli, &out);
	/* Findings are the records written, one line each; due findings
	 * are written but are no breach, so they leave the exit alone. */
	cli.nwritten = (long long)(nfound + vet_audit_ndue(a));
	if (nfound > 0)
		vet_cli_status(&cli, VET_EXIT_FINDINGS);
	vet_record_release(&rec);
	vet_buf_release(&out);
	vet_audit_free(a);
	vet_policy_free(p);
	return vet_cli_finish(&cli);
}
