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
	"      --events FILE       take the facts the event log speaks for "
	"from FILE\n"
	"      --check-policy FILE load FILE and run its tests; exit 1 when one "
	"fails\n"
	"      --dump-policy       print the built-in policy (YAML) and exit\n"
	VET_CLI_USAGE_COMMON;

enum {
	OPT_CHECK = VET_OPT_FIRST_TOOL,
	OPT_DUMP
};

static const struct option opts[] = {
	VET_CLI_LONGOPTS,
	VET_CLI_OPT_POLICY,
	VET_CLI_OPT_AS_OF,
	{ "check-policy", required_argument, NULL, OPT_CHECK },
	{ "dump-policy", no_argument, NULL, OPT_DUMP },
	VET_CLI_OPT_EVENTS,
	{ NULL, 0, NULL, 0 }
};

static int
check_policy(struct vet_cli *cli, const char *file)
{
	struct vet_policy *p = vet_cli_load_policy(cli, file);
	struct vet_buf report = VET_BUF_INIT;
	struct vet_error err;
	const char *line;
	size_t passed, failed, n;

	vet_error_clear(&err);
	if (vet_policy_run_tests(p, &report, &passed, &failed, &err) < 0)
		vet_cli_die(cli, &err);
	/* Each failure is a message like any other (SPEC 3): it starts
	 * with the program's name and is masked, a test's name too. */
	for (line = vet_buf_str(&report); *line != '\0'; line += n) {
		n = strcspn(line, "\n");
		vet_cli_note(cli, "%.*s", (int)n, line);
		if (line[n] == '\n')
			n++;
	}
	printf("%s: %zu passed, %zu failed\n", vet_policy_id(p), passed,
	    failed);
	vet_buf_release(&report);
	vet_policy_free(p);
	vet_cli_release(cli);
	if (fflush(stdout) != 0 || ferror(stdout) || ferror(stderr))
		return VET_EXIT_IOERR;
	return failed > 0 ? VET_EXIT_FINDINGS : VET_EXIT_OK;
}

/* The events read and taken, for --stats. */
struct events {
	struct vet_event_index *x;
	unsigned long long taken;
};

static int
take_event(void *ctx, const struct vet_record *rec, struct vet_span line,
    struct vet_error *err)
{
	struct events *ev = ctx;
	int rc = vet_event_index_add_record(ev->x, rec, err);

	ev->taken += rc == 0;
	return rc;
}

/*
 * --events (SPEC 2.3): the log is read whole into the index first; a bad
 * event is rejected with its line (exit 65) and the veterans are still
 * classified.  Rejected events count as records read and rejected.
 */
static void
read_events(struct vet_cli *cli, struct events *ev, const char *path,
    int argc, char **argv)
{
	/* Both on standard input, the events would swallow the veterans. */
	vet_cli_stdin_once(cli, &path, 1, argc, argv, "--events - needs the "
	    "veterans in files, not on standard input");
	vet_cli_read_side(cli, path, take_event, ev);
}

int
main(int argc, char **argv)
{
	static struct vet_cli cli;	/* see cli.h: not on the stack */
	struct vet_classifier cl;
	struct vet_policy *p;
	struct vet_error err;
	struct vet_buf out = VET_BUF_INIT;
	struct vet_span line;
	const char *check = NULL, *events;
	struct events ev = { NULL, 0 };
	unsigned long long used, unmatched, other;
	vet_day as_of;
	int c, dump = 0, rc;

	vet_cli_init(&cli, "vet-classify", usage);
	while ((c = getopt_long(argc, argv, VET_CLI_SHORTOPTS, opts,
	    NULL)) != -1)
		if (!vet_cli_option(&cli, c, optarg))
			switch (c) {
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
	as_of = vet_cli_as_of(&cli, cli.opt.as_of);
	events = cli.opt.events;

	p = vet_cli_load_policy(&cli, cli.opt.policy);
	vet_error_clear(&err);
	if (vet_classify_init(&cl, p, as_of, &err) < 0 ||
	    (events != NULL && vet_event_index_new(&ev.x, p, as_of,
	    &err) < 0))
		vet_cli_die(&cli, &err);
	vet_cli_input(&cli, "--events", events);
	vet_cli_input(&cli, "--policy", cli.opt.policy);
	vet_cli_start(&cli, argc - optind, argv + optind);
	if (events != NULL) {
		read_events(&cli, &ev, events, argc - optind, argv + optind);
		vet_classify_set_events(&cl, ev.x);
	}
	while (vet_cli_next_line(&cli, &line) > 0) {
		vet_buf_reset(&out);
		rc = vet_classify_line(&cl, line.p, line.n, &out, &err);
		if (vet_cli_took(&cli, rc, line, &err))
			vet_cli_write(&cli, out.data, out.len, 1);
	}
	if (ev.x != NULL) {
		vet_event_index_stats(ev.x, &used, &unmatched, &other);
		vet_cli_side_note(&cli, "events", "used %llu, unmatched %llu",
		    used, unmatched);
	}
	vet_buf_release(&out);
	vet_classify_release(&cl);
	vet_event_index_free(ev.x);
	vet_policy_free(p);
	return vet_cli_finish(&cli);
}
