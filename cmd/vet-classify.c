/*
 * vet-classify - 分析研判、分类施策 (SPEC 3): applies the policy's categories,
 * priority and measures to veteran records and says for each which rule
 * and which clause put it there.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vet/buf.h"
#include "vet/classify.h"
#include "vet/cli.h"
#include "vet/date.h"
#include "vet/error.h"
#include "vet/policy.h"

static const char usage[] =
	"usage: vet-classify [options] [FILE...]\n"
	"       vet-classify --check-policy FILE\n"
	"       vet-classify --dump-policy\n"
	"Reads veteran records (JSON Lines) and appends age, working_age, "
	"categories,\npriority, measures, reasons, policy and as_of.\n"
	"      --policy FILE       policy file (default: the built-in Beijing "
	"2023 policy)\n"
	"      --as-of DATE        classify as of DATE, YYYY-MM-DD (default: "
	"today)\n"
	"      --check-policy FILE load FILE and run its tests; exit 1 when one "
	"fails\n"
	"      --dump-policy       print the built-in policy (YAML) and exit\n"
	VET_CLI_USAGE_COMMON;

enum {
	OPT_POLICY = VET_OPT_FIRST_TOOL,
	OPT_AS_OF,
	OPT_CHECK,
	OPT_DUMP
};

static const struct option opts[] = {
	VET_CLI_LONGOPTS,
	{ "policy", required_argument, NULL, OPT_POLICY },
	{ "as-of", required_argument, NULL, OPT_AS_OF },
	{ "check-policy", required_argument, NULL, OPT_CHECK },
	{ "dump-policy", no_argument, NULL, OPT_DUMP },
	{ NULL, 0, NULL, 0 }
};

static struct vet_policy *
load(struct vet_cli *cli, const char *file)
{
	struct vet_policy *p;
	struct vet_error err;

	vet_error_clear(&err);
	if (vet_policy_load(&p, file, &err) < 0) {
		/* A policy file that cannot be opened is a bad policy (78,
		 * as vet-intake --policy), not an unreadable input (66). */
		if (err.status == VET_ENOENT)
			err.status = VET_ECONFIG;
		vet_cli_print_error(cli, &err);
		exit(vet_status_exit(err.status));
	}
	return p;
}

static int
check_policy(struct vet_cli *cli, const char *file)
{
	struct vet_policy *p = load(cli, file);
	struct vet_buf report = VET_BUF_INIT;
	struct vet_error err;
	const char *line;
	size_t passed, failed, n;

	vet_error_clear(&err);
	if (vet_policy_run_tests(p, &report, &passed, &failed, &err) < 0) {
		vet_cli_print_error(cli, &err);
		vet_buf_release(&report);
		vet_policy_free(p);
		return vet_status_exit(err.status);
	}
	/* Each failure is a message like any other (SPEC 3): it starts
	 * with the program's name. */
	for (line = vet_buf_str(&report); *line != '\0'; line += n) {
		n = strcspn(line, "\n");
		fprintf(stderr, "%s: %.*s\n", cli->prog, (int)n, line);
		if (line[n] == '\n')
			n++;
	}
	printf("%s: %zu passed, %zu failed\n", vet_policy_id(p), passed,
	    failed);
	vet_buf_release(&report);
	vet_policy_free(p);
	if (fflush(stdout) != 0 || ferror(stdout))
		return VET_EXIT_IOERR;
	return failed > 0 ? VET_EXIT_FINDINGS : VET_EXIT_OK;
}

int
main(int argc, char **argv)
{
	struct vet_cli cli;
	struct vet_classifier cl;
	struct vet_policy *p;
	struct vet_error err;
	struct vet_buf out = VET_BUF_INIT;
	struct vet_span line;
	const char *policy = NULL, *as_of_arg = NULL, *check = NULL;
	vet_day as_of;
	int c, dump = 0, rc;

	vet_cli_init(&cli, "vet-classify", usage);
	while ((c = getopt_long(argc, argv, VET_CLI_SHORTOPTS, opts,
	    NULL)) != -1)
		if (!vet_cli_option(&cli, c, optarg))
			switch (c) {
			case OPT_POLICY:
				policy = optarg;
				break;
			case OPT_AS_OF:
				as_of_arg = optarg;
				break;
			case OPT_CHECK:
				check = optarg;
				break;
			case OPT_DUMP:
				dump = 1;
				break;
			default:
				vet_cli_usage(&cli);
			}
	if (dump) {
		if (optind < argc || check != NULL)
			vet_cli_usage_error(&cli, "--dump-policy takes no "
			    "input");
		fwrite(vet_policy_builtin_yaml, 1, vet_policy_builtin_len,
		    stdout);
		return fflush(stdout) != 0 || ferror(stdout) ?
		    VET_EXIT_IOERR : VET_EXIT_OK;
	}
	if (check != NULL) {
		if (optind < argc)
			vet_cli_usage_error(&cli, "--check-policy takes no "
			    "input");
		return check_policy(&cli, check);
	}
	if (as_of_arg == NULL)
		as_of = vet_date_today();
	else if (vet_date_parse(as_of_arg, strlen(as_of_arg), &as_of) != 0)
		vet_cli_usage_error(&cli, "invalid date '%s' for --as-of "
		    "(YYYY-MM-DD)", as_of_arg);

	p = load(&cli, policy);
	vet_error_clear(&err);
	if (vet_classify_init(&cl, p, as_of, &err) < 0) {
		vet_cli_print_error(&cli, &err);
		vet_policy_free(p);
		return vet_status_exit(err.status);
	}
	vet_cli_start(&cli, argc - optind, argv + optind);
	while (vet_cli_next_line(&cli, &line) > 0) {
		vet_buf_reset(&out);
		rc = vet_classify_line(&cl, line.p, line.n, &out, &err);
		if (rc == VET_EDATA) {
			vet_cli_reject1(&cli, line.p, line.n, err.msg);
			continue;
		}
		if (rc < 0)
			vet_cli_die(&cli, &err);
		vet_cli_write(&cli, out.data, out.len, 1);
	}
	vet_buf_release(&out);
	vet_classify_release(&cl);
	vet_policy_free(p);
	return vet_cli_finish(&cli);
}
