/*
 * cli.h - what every vet-* program shares: the common options, the input
 * loop over the named files, the rejects stream, --stats, messages and
 * exit codes (SPEC 3).  The only lib module that prints or exits.
 *
 * Ownership: struct vet_cli is caller storage (usually on main's stack);
 * it owns the input, output and rejects streams it opens, and
 * vet_cli_finish() or vet_cli_die() releases them.  Strings passed in
 * (prog, usage, option arguments) must outlive it.
 *
 * A tool's main() is:
 *
 *	struct vet_cli cli;
 *	vet_cli_init(&cli, "vet-classify", usage);
 *	while ((c = getopt_long(argc, argv, VET_CLI_SHORTOPTS "p:", opts, NULL)) != -1)
 *		if (!vet_cli_option(&cli, c, optarg))
 *			switch (c) { ... default: vet_cli_usage(&cli); }
 *	vet_cli_start(&cli, argc - optind, argv + optind);
 *	while (vet_cli_next_line(&cli, &line) > 0) {
 *		... vet_cli_reject(&cli, line.p, line.n, why) or vet_cli_write(...)
 *	}
 *	return vet_cli_finish(&cli);
 *
 * with VET_CLI_LONGOPTS at the head of its struct option array.
 */
#ifndef VET_CLI_H
#define VET_CLI_H

#include <getopt.h>
#include <stddef.h>

#include "vet/buf.h"
#include "vet/date.h"
#include "vet/error.h"
#include "vet/io.h"

/* Exit codes, SPEC 3. */
enum {
	VET_EXIT_OK = 0,
	VET_EXIT_FINDINGS = 1,
	VET_EXIT_USAGE = 64,
	VET_EXIT_DATA = 65,
	VET_EXIT_NOINPUT = 66,
	VET_EXIT_SOFTWARE = 70,
	VET_EXIT_IOERR = 74,
	VET_EXIT_CONFIG = 78
};

/* Long-only option values of the common options. */
enum {
	VET_OPT_REJECTS = 0x1000,
	VET_OPT_STATS,
	VET_OPT_MAX_RECORD,
	VET_OPT_VERSION,
	/* Options several tools take alike: a tool lists the entries it
	 * takes (VET_CLI_OPT_POLICY, ...) and vet_cli_option() keeps
	 * their values in c->opt. */
	VET_OPT_POLICY = 0x1010,
	VET_OPT_AS_OF,
	VET_OPT_EVENTS,
	VET_OPT_FINDINGS,
	VET_OPT_QUARTER,
	VET_OPT_LANG,
	VET_OPT_UNMASK,
	VET_OPT_NO_BOM,
	VET_OPT_FIRST_TOOL = 0x1100	/* tools number their own from here */
};

#define VET_CLI_OPT_POLICY \
	{ "policy", required_argument, NULL, VET_OPT_POLICY }
#define VET_CLI_OPT_AS_OF \
	{ "as-of", required_argument, NULL, VET_OPT_AS_OF }
#define VET_CLI_OPT_EVENTS \
	{ "events", required_argument, NULL, VET_OPT_EVENTS }
#define VET_CLI_OPT_FINDINGS \
	{ "findings", required_argument, NULL, VET_OPT_FINDINGS }
#define VET_CLI_OPT_QUARTER \
	{ "quarter", required_argument, NULL, VET_OPT_QUARTER }
#define VET_CLI_OPT_LANG \
	{ "lang", required_argument, NULL, VET_OPT_LANG }
#define VET_CLI_OPT_UNMASK \
	{ "unmask", no_argument, NULL, VET_OPT_UNMASK }
#define VET_CLI_OPT_NO_BOM \
	{ "no-bom", no_argument, NULL, VET_OPT_NO_BOM }

/*
 * The values of the shared options, as given (NULL or 0 when not): the
 * tool decides what their absence means, and parses --as-of with
 * vet_cli_as_of() where it needs the day, so that a bad date is told
 * with one message.  --lang is checked as it is read (zh or en).
 */
struct vet_cli_opts {
	const char *policy;	/* --policy FILE */
	const char *as_of;	/* --as-of DATE */
	const char *events;	/* --events FILE */
	const char *findings;	/* --findings FILE */
	const char *quarter;	/* --quarter Q */
	const char *lang;	/* --lang zh|en */
	int unmask;		/* --unmask */
	int no_bom;		/* --no-bom */
};

#define VET_CLI_SHORTOPTS "ho:z"
#define VET_CLI_LONGOPTS \
	{ "help", no_argument, NULL, 'h' }, \
	{ "output", required_argument, NULL, 'o' }, \
	{ "gzip", no_argument, NULL, 'z' }, \
	{ "rejects", required_argument, NULL, VET_OPT_REJECTS }, \
	{ "stats", no_argument, NULL, VET_OPT_STATS }, \
	{ "max-record", required_argument, NULL, VET_OPT_MAX_RECORD }, \
	{ "version", no_argument, NULL, VET_OPT_VERSION }

/* The usage lines of the common options, for a tool's --help text. */
#define VET_CLI_USAGE_COMMON \
	"  -o, --output FILE     write to FILE (complete or absent) instead of stdout\n" \
	"  -z, --gzip            write gzip (also when FILE ends in .gz)\n" \
	"      --rejects FILE    write rejected records to FILE as JSON Lines\n" \
	"      --stats           print records read, written and rejected on stderr\n" \
	"      --max-record SIZE reject records longer than SIZE (default 64M)\n" \
	"  -h, --help            print this help and exit\n" \
	"      --version         print the version and exit\n"

#define VET_DEFAULT_MAX_RECORD ((size_t)64 << 20)

/* Side inputs and extra outputs a tool may declare (vet_cli_input). */
#define VET_CLI_MAX_FILES 16

struct vet_cli_file {
	const char *opt;	/* the option that named it, "--events" */
	const char *path;
};

/*
 * The counts of one side file (--events, --jobs, --extract, ...), for the
 * line of its own --stats gives it: "NAME: read N, rejected N" and, after
 * them, the tool's own counts of that file ("used 1266, unmatched 0").
 */
struct vet_cli_tally {
	const char *name;	/* "events": the option without its dashes */
	long long nread, nrejected;
	char more[128];		/* ", used 3, unmatched 0", or "" */
};

/* Reasons counted apart, and the bytes one keeps. */
#define VET_CLI_MAX_REASONS 32
#define VET_CLI_REASON_MAX 96

/*
 * A tool's main() keeps its struct vet_cli in static storage: 7 KiB on
 * main's frame put every frame below it two fresh stack pages deeper.
 */
struct vet_cli {
	const char *prog;
	const char *usage;	/* full --help text */

	/* common options */
	const char *out_path;	/* NULL: stdout */
	int gzip;
	const char *rejects_path;
	int stats;
	size_t max_record;
	struct vet_cli_opts opt;	/* the shared options */

	/* inputs: the operands, or "-" */
	char **inputs;
	int ninputs;
	int cur;
	struct vet_input *in;
	const char *src;	/* name of the current input */
	long lineno;		/* line number of the current line in src */

	struct vet_output *out;
	struct vet_output *rej;
	/* files declared besides the operands, -o and --rejects */
	struct vet_cli_file side[VET_CLI_MAX_FILES];
	int nside;
	struct vet_cli_file extra[VET_CLI_MAX_FILES];
	struct vet_output *extra_out[VET_CLI_MAX_FILES];
	int nextra;
	/* the main stream: read = written + rejected for a one-to-one tool */
	long long nread, nwritten, nrejected;
	/* the side files, counted apart from the main stream (SPEC 3):
	 * tally[0, ntally) */
	int ntally;
	struct vet_cli_tally *counting;	/* NULL: the main stream */
	long long nshown;	/* reject messages printed */
	int status;		/* worst exit code so far */
	int progress;		/* stderr is a terminal: show progress */
	int progress_shown;	/* a progress line is on the screen */
	double t0, tlast;	/* start and last progress time, seconds */
	/* a streamed reject in progress */
	char rj_carry[4];	/* bytes of a base64 group cut by a chunk */
	size_t rj_ncarry;
	int rj_open;
	char rj_first[160];	/* its first error, for the message */
	struct vet_buf scratch;
	/* Rejects by reason (vet_cli_reason), for --stats: the first
	 * VET_CLI_MAX_REASONS reasons in the order they came,
	 * reasons[0, nreasons), the rest counted together. */
	int nreasons;
	long long nother_reasons;

	/* Last, and not cleared by vet_cli_init(): an entry is written
	 * when it is counted in, so that a run which counts none never
	 * touches these 6 KiB (two pages of the stack of every tool). */
	struct vet_cli_tally tally[VET_CLI_MAX_FILES];
	struct vet_cli_reason {
		char text[VET_CLI_REASON_MAX];
		long long n;
	} reasons[VET_CLI_MAX_REASONS];
};

void vet_cli_init(struct vet_cli *c, const char *prog, const char *usage);

/*
 * The reason of a reject message, for counting (SPEC 3 vet-intake
 * "--stats also prints the count of each rejection reason"): msg with
 * each quoted value left out (a quoted field name of the schema stays,
 * so "unknown value 'x' in field 'sex'" is "unknown value in field
 * 'sex'"), empty parentheses a quote leaves dropped, and every number
 * that stands alone written N.  So the reason holds no id, phone or name.
 * Written to out (size bytes, NUL-terminated, cut at a character
 * boundary); returns its length.
 */
size_t vet_cli_reason(const char *msg, char *out, size_t size);

/*
 * Handles a common or a shared option (VET_CLI_OPT_*, into c->opt): returns
 * 1 when opt was one (it may exit for --help, --version, a bad
 * --max-record or --lang), 0 when it is the tool's own.
 */
int vet_cli_option(struct vet_cli *c, int opt, const char *arg);

/* Prints the usage to stderr and exits 64. */
_Noreturn void vet_cli_usage(struct vet_cli *c);
/* Prints "prog: MSG" and the hint to try --help, exits 64. */
_Noreturn void vet_cli_usage_error(struct vet_cli *c, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/*
 * Declares a file the tool reads besides its operands (--events FILE,
 * --policy FILE, ...; opt names the option for messages), so that
 * vet_cli_start() can refuse an output that would replace it.  A NULL
 * path is ignored.  Call before vet_cli_start().
 */
void vet_cli_input(struct vet_cli *c, const char *opt, const char *path);

/*
 * Declares an extra output (--diff FILE): vet_cli_start() opens it with the
 * others, vet_cli_write_to() writes it, and vet_cli_finish() commits it
 * with the main output and the rejects, or discards them all, and
 * vet_cli_die() discards it.  Returns its slot for vet_cli_write_to(), or
 * -1 when path is NULL (nothing to write; vet_cli_write_to ignores -1).
 * Call before vet_cli_start().
 */
int vet_cli_output(struct vet_cli *c, const char *opt, const char *path);

/* Writes to the extra output of slot; on a failure reports and exits 74. */
void vet_cli_write_to(struct vet_cli *c, int slot, const void *p, size_t n);
/*
 * Writes b to the extra output of slot and empties it, once it holds at
 * least min bytes (0: whatever it holds), so that a tool gathers what it
 * writes there in b and memory stays bounded.
 */
void vet_cli_flush_to(struct vet_cli *c, int slot, struct vet_buf *b,
    size_t min);

/*
 * Takes the operands as inputs (none: standard input) and opens the output,
 * the rejects stream and the extra outputs.  First, before anything is read
 * or written, it refuses (exit 64) an output that is the same file as an
 * input (an operand, standard input, a declared side input) or as another
 * output: the same device and inode, or for files that do not exist yet
 * the same path once resolved; the rename of the output would replace the
 * input.  Devices (/dev/null) may be shared.  Exits 74 when an output
 * cannot be opened.
 */
void vet_cli_start(struct vet_cli *c, int nargs, char **args);

/*
 * Points the input loop at another list of files (none: standard input),
 * closing the current one: a tool that reads a side file (--jobs) through
 * the loop first, so its bad lines are rejected and counted like any
 * record, then turns the loop to its operands.
 */
void vet_cli_set_inputs(struct vet_cli *c, int nargs, char **args);

/*
 * The next line of the inputs, in order, skipping blank lines (nothing
 * but spaces, tabs and CRs), which hold no record.  Counts it as read and sets
 * c->src and c->lineno.  A line above --max-record is rejected here (streamed
 * to the rejects file, counted) and skipped.  An input that cannot be opened
 * is reported and skipped (exit 66 at the end); a read error (truncated
 * gzip, I/O) is reported, ends that input and makes the exit 74 or 65.
 * Returns 1 with a line, 0 when all inputs are done.
 */
int vet_cli_next_line(struct vet_cli *c, struct vet_span *line);

/*
 * Rejects the current record: writes {"line","source","errors","raw"} to the
 * rejects stream with the record kept byte for byte: "raw" (a JSON string)
 * when it is valid UTF-8 and escaping costs at most about 1.4 times its
 * length, else "raw_base64" (SPEC 3), counts it, and prints
 * "prog: SRC:LINE: ERR" (masked) for the first few.  nerr >= 1.
 */
void vet_cli_reject(struct vet_cli *c, const char *raw, size_t n,
    const char *const *errors, size_t nerr);
/*
 * The same for a record read in another encoding (SPEC 3: GBK rows too,
 * with "encoding" so that the original bytes can be rebuilt): raw, rn are
 * its bytes, text, tn their UTF-8 decoding, which the caller has checked
 * encodes back to raw in encoding (vet_decoder_reverses()).  Writes
 * "raw" as text and "encoding" after it, or, when text is not valid UTF-8
 * or escapes too long, "raw_base64" of raw as vet_cli_reject() does.
 */
void vet_cli_reject_text(struct vet_cli *c, const char *raw, size_t rn,
    const char *text, size_t tn, const char *encoding,
    const char *const *errors, size_t nerr);
/* The same with one error. */
void vet_cli_reject1(struct vet_cli *c, const char *raw, size_t n,
    const char *error);
/*
 * The same with the error of a parser: when e->col is known the message is
 * "prog: SRC:LINE:COL: MSG" and the rejects entry "MSG (column COL)".
 */
void vet_cli_reject_err(struct vet_cli *c, const char *raw, size_t n,
    const struct vet_error *e);

/*
 * A reject whose raw text arrives in pieces, for a record too long to hold
 * in memory: _begin writes the line, source and errors; _chunk appends raw
 * bytes, in any pieces; _end closes the record, counts it and prints the
 * first error like vet_cli_reject.  The bytes are kept as "raw_base64",
 * whatever they are, with memory flat however long the record.
 */
void vet_cli_reject_begin(struct vet_cli *c, const char *const *errors,
    size_t nerr);
void vet_cli_reject_chunk(struct vet_cli *c, const char *p, size_t n);
void vet_cli_reject_end(struct vet_cli *c);

/*
 * Counts one record read, for tools that run their own input loop (CSV
 * input), and keeps the progress line going.
 */
void vet_cli_count_read(struct vet_cli *c);

/*
 * Side files are counted apart from the main stream: between
 * vet_cli_side_begin() and vet_cli_side_end() every record read and
 * rejected (vet_cli_next_line, vet_cli_count_read, vet_cli_reject*) counts
 * on the tally of name ("jobs", "extract"; a string that outlives c),
 * made on first use, and --stats prints it on a line of its own before
 * the main stream's: "prog: jobs: read 60, rejected 0".  vet_cli_read_side
 * does this itself.  More than VET_CLI_MAX_FILES names share the last one.
 */
void vet_cli_side_begin(struct vet_cli *c, const char *name);
void vet_cli_side_end(struct vet_cli *c);
/*
 * Adds the tool's own counts to the --stats line of side file name, after
 * its read and rejected: fmt is like "used %lld, unmatched %lld".  Does
 * nothing when name was never begun.  Text past 120 bytes is cut.
 */
void vet_cli_side_note(struct vet_cli *c, const char *name,
    const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* Writes bytes of output (usually one record line) and counts a record
 * written when count is true.  On a write failure, reports and exits 74. */
void vet_cli_write(struct vet_cli *c, const void *p, size_t n, int count);

/*
 * Messages on stderr, masked (mask.h).  _warn and _error are about the
 * current input line: "prog: SRC:LINE: MSG"; _note is "prog: MSG".
 * _error also raises the exit status to at least 65.
 */
void vet_cli_warn(struct vet_cli *c, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void vet_cli_error(struct vet_cli *c, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void vet_cli_note(struct vet_cli *c, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Prints a struct vet_error as "prog: FILE:LINE:COL: MSG", masked. */
void vet_cli_print_error(struct vet_cli *c, const struct vet_error *e);

/* Raises the exit status to code when code is worse than the current one. */
void vet_cli_status(struct vet_cli *c, int code);

/*
 * Ends the run: closes and commits the output, the rejects and the extra
 * outputs, prints --stats, returns the exit status (65 when anything was
 * rejected, 74 on a write failure, ...).  When an input could not be read
 * to its end (74) or memory ran out (70), the outputs are discarded
 * instead: they would miss records that were neither written nor
 * rejected.  The outputs are committed all or none as far as rename()
 * allows: each is flushed and synced first and any failure there
 * discards them all; only a rename that fails after another succeeded
 * (the disk cannot fill then) leaves the earlier ones in place.
 * A failed write to standard error makes the exit 74.
 */
int vet_cli_finish(struct vet_cli *c);

/*
 * Releases what c holds for a run that ends without vet_cli_start() and
 * vet_cli_finish(), such as vet-classify --check-policy: the buffer its
 * messages are built in.  c may still print afterwards; it then takes the
 * buffer again.
 */
void vet_cli_release(struct vet_cli *c);

/* Reports e, discards the uncommitted outputs and exits with the exit code
 * of e->status. */
_Noreturn void vet_cli_die(struct vet_cli *c, const struct vet_error *e);

/* Discards the uncommitted outputs and exits with the exit status so far,
 * for a failure already reported (an input that could not be read). */
_Noreturn void vet_cli_abort(struct vet_cli *c);
/* The same with the exit code given. */
_Noreturn void vet_cli_abort_status(struct vet_cli *c, int code);

/* Reports "out of memory", discards the outputs and exits 70. */
_Noreturn void vet_cli_nomem(struct vet_cli *c);

/* True when a line holds nothing but spaces, tabs and CRs: no record. */
int vet_cli_blank(const char *p, size_t n);

/*
 * Reads a side file of JSON Lines (--events, --findings, ...) whole, after
 * vet_cli_start(), handing each record to fn with its line; ctx is fn's.
 * A line that is not a JSON object, or that fn refuses with VET_EDATA
 * (err->msg saying why), is rejected whole like a bad record of the main
 * input, named by the side file and its line; a line above --max-record
 * is streamed to the rejects, never held.  Blank lines hold no record.
 * Its lines count on the side file's own --stats tally, named by the option
 * it was declared with (vet_cli_input: "--events" counts as "events"), never
 * on the main stream's: read (taken or rejected) and rejected.  Declare it
 * first; an undeclared path counts as "side".  A side file that cannot be opened or read
 * to its end (truncated gzip, I/O error), or an fn failure other than
 * VET_EDATA, ends the run through vet_cli_die(): what was built on part
 * of a side file would be wrong.
 */
struct vet_policy;
struct vet_record;
typedef int (*vet_cli_side_fn)(void *ctx, const struct vet_record *rec,
    struct vet_span line, struct vet_error *err);
void vet_cli_read_side(struct vet_cli *c, const char *path,
    vet_cli_side_fn fn, void *ctx);
/*
 * The same for a side file whose lines the tool parses itself (the
 * extract of vet-reconcile): fn gets each line that is not blank, and a
 * VET_EDATA from it rejects the line with err's message and, when
 * err->col is known, its column (vet_cli_reject_err).
 */
typedef int (*vet_cli_line_fn)(void *ctx, struct vet_span line,
    struct vet_error *err);
void vet_cli_read_side_lines(struct vet_cli *c, const char *path,
    vet_cli_line_fn fn, void *ctx);

/*
 * The record loop of the tools that take JSON records (cli_record.c).
 * vet_cli_next_record() is vet_cli_next_line() with each line parsed into
 * rec (vet_record_parse): a line that is no JSON object is rejected
 * (with its column, or without when flags has VET_CLI_NO_COLUMN, as
 * vet-report has always told it) and skipped; with VET_CLI_ID_ONCE a
 * record whose "id" is given twice is too.  Out of memory ends the run.
 * Returns 1 with a record, 0 when the inputs are done.
 */
#define VET_CLI_ID_ONCE 1
#define VET_CLI_NO_COLUMN 2
int vet_cli_next_record(struct vet_cli *c, struct vet_record *rec,
    struct vet_span *line, int flags);
/*
 * What became of the current record, from the status rc of the tool's
 * call on it: 1 when it was taken (rc >= 0); 0 when rc is VET_EDATA, the
 * record rejected with err's message (vet_cli_took) or with its message
 * and column (vet_cli_took_at, for calls that parse the line); any other
 * failure ends the run (vet_cli_die).
 */
int vet_cli_took(struct vet_cli *c, int rc, struct vet_span line,
    const struct vet_error *err);
int vet_cli_took_at(struct vet_cli *c, int rc, struct vet_span line,
    const struct vet_error *err);

/*
 * For a tool that reads its operands itself (vet-intake's tables): opens
 * each input in turn (none: standard input) and hands it to fn with
 * c->src set; one that cannot be opened is reported and skipped (exit 66
 * at the end, 70 when memory ran out), and a failure of fn ends the run
 * (vet_cli_die).  Call after vet_cli_start().
 */
struct vet_input;
typedef int (*vet_cli_input_fn)(void *ctx, struct vet_input *in,
    struct vet_error *err);
void vet_cli_each_input(struct vet_cli *c, vet_cli_input_fn fn, void *ctx);

/*
 * For a tool whose inputs are documents, not lines (vet-report --merge):
 * reads each input whole in turn (none: standard input) and hands it to
 * fn, which returns the records it took, counted as read, or a failure,
 * which ends the run (vet_cli_die, err naming the input when fn named no
 * file), as does an input that cannot be read whole.  Returns the records
 * taken.  Call after vet_cli_start().
 */
typedef long long (*vet_cli_text_fn)(void *ctx, const char *p, size_t n,
    struct vet_error *err);
long long vet_cli_each_whole(struct vet_cli *c, vet_cli_text_fn fn,
    void *ctx);

/*
 * Shared option checks.  _pick: the index of arg in names (a NULL-ended
 * list), else the usage error "bad OPT 'ARG' (want a, b or c)".
 * _workbook: a workbook is bytes for a file, not for a screen; a usage
 * error when -o names no file and standard output is a terminal.
 * _stdin_once: of the side files side[0..nside) (NULL: not given) and the
 * operands (none: standard input) at most one may be standard input,
 * else the usage error msg; nothing is checked when no side file is "-".
 */
int vet_cli_pick(struct vet_cli *c, const char *opt, const char *arg,
    const char *const *names);
void vet_cli_workbook(struct vet_cli *c);
void vet_cli_stdin_once(struct vet_cli *c, const char *const *side,
    int nside, int nargs, char **args, const char *msg);

/*
 * vet-reconcile's --extract (cli_extract.c), read whole into x->rc after
 * vet_cli_start(): JSON Lines line by line, or, when it is CSV or TSV or
 * a mapping (x->map) is given, through the intake of vet-intake --kind
 * extract with ids kept as typed.  Its bad records are rejected like the
 * ledger's, named by the extract's file and line, and counted on the
 * "extract" --stats line; the diff records it makes (duplicates) are
 * gathered in x->diff and written to the extra output x->slot as they
 * grow.  An extract that cannot be read whole ends the run: reconciled
 * against part of it, everyone after the fault would be only in the
 * ledger.
 */
struct vet_reconcile;
struct vet_cli_extract {
	struct vet_reconcile *rc;
	const struct vet_policy *policy;
	vet_day as_of;
	const char *path;	/* --extract FILE */
	const char *map;	/* --map FILE, or NULL */
	int slot;		/* the --diff output (vet_cli_output), or -1 */
	struct vet_buf *diff;
};
void vet_cli_read_extract(struct vet_cli *c, const struct vet_cli_extract *x);

/*
 * Option values every tool parses alike (cli_opt.c).  _as_of: --as-of DATE
 * (NULL: today); a bad date is a usage error (64) with one message in all
 * tools.  _int: a decimal integer from min to max, digits only (no sign,
 * no overflow: -j 4294967297 is refused, not taken as 1); else a usage
 * error naming opt.
 */
vet_day vet_cli_as_of(struct vet_cli *c, const char *arg);
long long vet_cli_int(struct vet_cli *c, const char *opt, const char *arg,
    long long min, long long max);

/*
 * Loads the policy (NULL: the built-in one) or merges a mapping file into
 * map (path NULL: nothing to do).  A file that cannot be read as one
 * (missing, over VET_SLURP_MAX, bad gzip) or that is refused exits 78 with
 * the message; an I/O error 74; out of memory 70.  Call before
 * vet_cli_start() (nothing is written yet).  On failure map is released.
 */
struct vet_policy;
struct vet_mapping;
struct vet_policy *vet_cli_load_policy(struct vet_cli *c, const char *path);
void vet_cli_load_map(struct vet_cli *c, struct vet_mapping *map,
    const char *path);

/* Parses a size with an optional K, M or G suffix.  0 or VET_EUSAGE. */
int vet_cli_parse_size(const char *s, size_t *out);

#endif
