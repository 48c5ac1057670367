/*
 * cli.c - the shared command-line frame of the vet-* programs (cli.h).
 */
#include <sys/stat.h>

#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "vet/cli.h"
#include "vet/json.h"
#include "vet/mask.h"
#include "vet/utf8.h"

/* How many reject messages go to stderr before they are only counted. */
#define SHOWN_MAX 20

static void progress_clear(struct vet_cli *);

static const char *const base64 =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

void
vet_cli_init(struct vet_cli *c, const char *prog, const char *usage)
{
	memset(c, 0, offsetof(struct vet_cli, tally));
	c->prog = prog;
	c->usage = usage;
	c->max_record = VET_DEFAULT_MAX_RECORD;
	vet_buf_init(&c->scratch);
}

/* Severity order of exit codes, so the worst one wins. */
static int
rank(int code)
{
	switch (code) {
	case VET_EXIT_OK:
		return 0;
	case VET_EXIT_FINDINGS:
		return 1;
	case VET_EXIT_DATA:
		return 2;
	case VET_EXIT_NOINPUT:
		return 3;
	case VET_EXIT_CONFIG:
		return 4;
	case VET_EXIT_USAGE:
		return 5;
	case VET_EXIT_IOERR:
		return 6;
	default:
		return 7;
	}
}

void
vet_cli_status(struct vet_cli *c, int code)
{
	if (rank(code) > rank(c->status))
		c->status = code;
}

/* Prints prog: [where: ]text to stderr with ids and phones masked. */
static void
emit_str(struct vet_cli *c, const char *where, const char *msg)
{
	struct vet_buf *b = &c->scratch;
	int e = 0;

	progress_clear(c);
	vet_buf_reset(b);
	e |= vet_buf_addstr(b, c->prog) < 0;
	e |= vet_buf_addstr(b, ": ") < 0;
	if (where != NULL)
		e |= vet_buf_addstr(b, where) < 0;
	e |= vet_buf_addstr(b, msg) < 0;
	e |= vet_buf_addch(b, '\n') < 0;
	if (e) {
		fprintf(stderr, "%s: out of memory\n", c->prog);
		return;
	}
	/* Mask into a second buffer made from the first. */
	{
		struct vet_buf m = VET_BUF_INIT;

		if (vet_mask_text(&m, b->data, b->len) == 0 && m.data != NULL)
			fwrite(m.data, 1, m.len, stderr);
		else
			fprintf(stderr, "%s: out of memory\n", c->prog);
		vet_buf_release(&m);
	}
}

static void
emit(struct vet_cli *c, const char *where, const char *fmt, va_list ap)
{
	char msg[1024];

	vsnprintf(msg, sizeof msg, fmt, ap);
	emit_str(c, where, msg);
}

static void
where_line(struct vet_cli *c, char *out, size_t n)
{
	if (c->src != NULL && c->lineno > 0)
		snprintf(out, n, "%s:%ld: ", c->src, c->lineno);
	else if (c->src != NULL)
		snprintf(out, n, "%s: ", c->src);
	else
		out[0] = '\0';
}

void
vet_cli_warn(struct vet_cli *c, const char *fmt, ...)
{
	char where[320];
	va_list ap;

	where_line(c, where, sizeof where);
	va_start(ap, fmt);
	emit(c, where, fmt, ap);
	va_end(ap);
}

void
vet_cli_error(struct vet_cli *c, const char *fmt, ...)
{
	char where[320];
	va_list ap;

	where_line(c, where, sizeof where);
	va_start(ap, fmt);
	emit(c, where, fmt, ap);
	va_end(ap);
	vet_cli_status(c, VET_EXIT_DATA);
}

void
vet_cli_note(struct vet_cli *c, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	emit(c, NULL, fmt, ap);
	va_end(ap);
}

static void
note_plain(struct vet_cli *c, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	emit(c, NULL, fmt, ap);
	va_end(ap);
}

void
vet_cli_print_error(struct vet_cli *c, const struct vet_error *e)
{
	char text[1100];

	vet_error_format(e, text, sizeof text);
	note_plain(c, "%s", text);
}

_Noreturn void
vet_cli_usage(struct vet_cli *c)
{
	fputs(c->usage, stderr);
	exit(VET_EXIT_USAGE);
}

_Noreturn void
vet_cli_usage_error(struct vet_cli *c, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	emit(c, NULL, fmt, ap);
	va_end(ap);
	fprintf(stderr, "Try '%s --help' for more information.\n", c->prog);
	exit(VET_EXIT_USAGE);
}

int
vet_cli_parse_size(const char *s, size_t *out)
{
	char *end;
	unsigned long long v;
	unsigned shift = 0;

	if (s == NULL || *s < '0' || *s > '9')
		return VET_EUSAGE;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno != 0)
		return VET_EUSAGE;
	switch (*end) {
	case '\0':
		break;
	case 'k': case 'K':
		shift = 10;
		break;
	case 'm': case 'M':
		shift = 20;
		break;
	case 'g': case 'G':
		shift = 30;
		break;
	default:
		return VET_EUSAGE;
	}
	if (*end != '\0' && end[1] != '\0' && strcmp(end + 1, "iB") != 0 &&
	    strcmp(end + 1, "B") != 0)
		return VET_EUSAGE;
	if (v == 0 || v > (SIZE_MAX >> shift) >> 1)
		return VET_EUSAGE;
	*out = (size_t)(v << shift);
	return 0;
}

static void
discard_outputs(struct vet_cli *c)
{
	int i;

	vet_output_close(c->out, 0, NULL);
	vet_output_close(c->rej, 0, NULL);
	c->out = c->rej = NULL;
	for (i = 0; i < c->nextra; i++) {
		vet_output_close(c->extra_out[i], 0, NULL);
		c->extra_out[i] = NULL;
	}
}

/*
 * The reader of a pipe went away (with SIGPIPE ignored, so write() said
 * EPIPE): nothing is wrong with the data, so say nothing; the exit status
 * still tells the caller the output is incomplete.
 */
_Noreturn static void
closed_pipe(struct vet_cli *c)
{
	discard_outputs(c);
	vet_input_close(c->in);
	c->in = NULL;
	exit(VET_EXIT_IOERR);
}

_Noreturn void
vet_cli_die(struct vet_cli *c, const struct vet_error *e)
{
	struct vet_error unset;

	/*
	 * A failure whose error was never filled (a library path that
	 * forgot) must not end the run with status 0 and an empty message:
	 * fault injection found such a path (an allocation in vet-export's
	 * CSV header), so it is an internal error here whatever the path.
	 */
	if (e->status == VET_OK) {
		vet_error_clear(&unset);
		vet_error_set(&unset, VET_EINTERNAL, NULL, 0, 0,
		    "internal error: a failure without a message");
		e = &unset;
	}
	vet_cli_print_error(c, e);
	discard_outputs(c);
	vet_input_close(c->in);
	c->in = NULL;
	exit(vet_status_exit(e->status));
}

_Noreturn void
vet_cli_abort_status(struct vet_cli *c, int code)
{
	discard_outputs(c);
	vet_input_close(c->in);
	c->in = NULL;
	fflush(stderr);
	exit(code);
}

_Noreturn void
vet_cli_abort(struct vet_cli *c)
{
	vet_cli_abort_status(c, c->status != VET_EXIT_OK ? c->status :
	    VET_EXIT_SOFTWARE);
}

static char *stdin_only[] = { "-" };

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/*
 * A progress line, only when stderr is a terminal and the run has taken
 * more than two seconds: cron mail and pipelines into files stay clean.
 */
static void
progress(struct vet_cli *c)
{
	double t = now();

	if (t - c->t0 < 2.0 || t - c->tlast < 0.5)
		return;
	c->tlast = t;
	c->progress_shown = 1;
	fprintf(stderr, "\r%s: %lld records read, %lld rejected, %.0f/s",
	    c->prog, c->nread, c->nrejected, (double)c->nread / (t - c->t0));
}

static void
progress_clear(struct vet_cli *c)
{
	if (c->progress_shown) {
		fputs("\r\033[K", stderr);
		c->progress_shown = 0;
	}
}

/*
 * A terminating signal must not leave the temporary files of the outputs
 * behind: they are removed and the signal raised again with its default
 * action, so the caller sees the program killed by it.
 */
static void
on_signal(int sig)
{
	vet_output_unlink_temps();
	signal(sig, SIG_DFL);
	raise(sig);
}

static void
catch_signals(void)
{
	static const int sigs[] = { SIGHUP, SIGINT, SIGTERM, SIGPIPE };
	static int registered;
	struct sigaction sa, old;
	size_t i;

	/* A tool that calls exit() between start and finish (a bad side
	 * file found late) must not leave temporaries either; after finish
	 * there are none to remove. */
	if (!registered && atexit(vet_output_unlink_temps) == 0)
		registered = 1;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	for (i = 0; i < sizeof sigs / sizeof sigs[0]; i++) {
		/* A signal ignored by whoever started us (nohup, a parent
		 * that ignores SIGPIPE) stays ignored. */
		if (sigaction(sigs[i], NULL, &old) == 0 &&
		    old.sa_handler != SIG_IGN)
			sigaction(sigs[i], &sa, NULL);
	}
}

static int
is_stdout(const char *p)
{
	return p == NULL || strcmp(p, "-") == 0;
}

/*
 * The canonical name of a file that need not exist yet: its directory's
 * real path and its last component.  0, or -1 when the directory cannot
 * be resolved.
 */
static int
canonical(const char *p, char *out, size_t n)
{
	char dir[PATH_MAX], real[PATH_MAX];
	const char *slash = strrchr(p, '/'), *base;
	size_t k;

	if (slash == NULL) {
		strcpy(dir, ".");
		base = p;
	} else {
		k = slash == p ? 1 : (size_t)(slash - p);
		if (k >= sizeof dir)
			return -1;
		memcpy(dir, p, k);
		dir[k] = '\0';
		base = slash + 1;
	}
	if (realpath(dir, real) == NULL)
		return -1;
	if ((size_t)snprintf(out, n, "%s/%s", real, base) >= n)
		return -1;
	return 0;
}

/*
 * Whether p exists, with its status in st; "-" and NULL are the descriptor
 * dashfd (standard input for an input, standard output for an output).
 */
static int
file_stat(const char *p, int dashfd, struct stat *st)
{
	if (p == NULL || strcmp(p, "-") == 0)
		return fstat(dashfd, st) == 0;
	return stat(p, st) == 0;
}

/*
 * Whether a and b, neither of which exists yet, name one file.  Apart, so
 * that the 9 KiB of its buffers are on the stack only when it runs: in
 * same_file() they pushed every frame below it two pages deeper.
 */
static __attribute__((noinline)) int
same_path(const char *a, const char *b)
{
	char ca[PATH_MAX + NAME_MAX + 2], cb[sizeof ca];

	return canonical(a, ca, sizeof ca) == 0 &&
	    canonical(b, cb, sizeof cb) == 0 && strcmp(ca, cb) == 0;
}

/*
 * True when a (an output, "-" or NULL standard output) and b (an input
 * when bfd is 0, another output when it is 1) are the same file: the same
 * regular file by device and inode, or, when neither exists yet, the same
 * path once its directory is resolved.  Devices such as /dev/null may be
 * shared; two outputs on standard output may not.
 */
static int
same_file(const char *a, const char *b, int bfd)
{
	struct stat sa, sb;
	int ea, eb;

	if (bfd == 1 && is_stdout(a) && is_stdout(b))
		return 1;
	ea = file_stat(a, 1, &sa);
	eb = file_stat(b, bfd, &sb);
	if (ea && eb)
		return S_ISREG(sa.st_mode) && sa.st_dev == sb.st_dev &&
		    sa.st_ino == sb.st_ino;
	if (ea || eb || is_stdout(a) || is_stdout(b))
		return 0;
	if (strcmp(a, b) == 0)
		return 1;
	return same_path(a, b);
}

void
vet_cli_input(struct vet_cli *c, const char *opt, const char *path)
{
	if (path == NULL)
		return;
	if (c->nside == VET_CLI_MAX_FILES)
		vet_cli_usage_error(c, "too many files for %s", opt);
	c->side[c->nside].opt = opt;
	c->side[c->nside].path = path;
	c->nside++;
}

int
vet_cli_output(struct vet_cli *c, const char *opt, const char *path)
{
	if (path == NULL)
		return -1;
	if (c->nextra == VET_CLI_MAX_FILES)
		vet_cli_usage_error(c, "too many files for %s", opt);
	c->extra[c->nextra].opt = opt;
	c->extra[c->nextra].path = path;
	c->extra_out[c->nextra] = NULL;
	return c->nextra++;
}

/*
 * Refuses an output that names an input or another output (cli.h).  The
 * outputs are -o (standard output when absent), --rejects and the extras;
 * the inputs the operands (standard input when none) and the side inputs.
 */
static void
check_files(struct vet_cli *c, int nargs, char **args)
{
	struct vet_cli_file outs[VET_CLI_MAX_FILES + 2];
	static char *dash[] = { "-" };
	int nout = 0, i, j;

	outs[nout].opt = "-o";
	outs[nout++].path = c->out_path;
	if (c->rejects_path != NULL) {
		outs[nout].opt = "--rejects";
		outs[nout++].path = c->rejects_path;
	}
	for (i = 0; i < c->nextra; i++)
		outs[nout++] = c->extra[i];
	if (nargs == 0) {
		nargs = 1;
		args = dash;
	}
	for (i = 0; i < nout; i++) {
		const char *o = outs[i].path;
		const char *shown = o != NULL ? o : "<stdout>";

		for (j = 0; j < i; j++)
			if (same_file(o, outs[j].path, 1))
				vet_cli_usage_error(c, "'%s' is both %s and %s",
				    shown, outs[j].opt, outs[i].opt);
		for (j = 0; j < nargs; j++)
			if (same_file(o, args[j], 0))
				vet_cli_usage_error(c, "'%s' is both %s and an "
				    "input: it would be replaced", shown,
				    outs[i].opt);
		for (j = 0; j < c->nside; j++)
			if (same_file(o, c->side[j].path, 0))
				vet_cli_usage_error(c, "'%s' is both %s and %s: "
				    "it would be replaced", shown,
				    outs[i].opt, c->side[j].opt);
	}
}

void
vet_cli_set_inputs(struct vet_cli *c, int nargs, char **args)
{
	vet_input_close(c->in);
	c->in = NULL;
	if (nargs > 0) {
		c->inputs = args;
		c->ninputs = nargs;
	} else {
		c->inputs = stdin_only;
		c->ninputs = 1;
	}
	c->cur = -1;
	c->src = NULL;
	c->lineno = 0;
}

void
vet_cli_start(struct vet_cli *c, int nargs, char **args)
{
	struct vet_error err;

	int i;

	check_files(c, nargs, args);
	vet_cli_set_inputs(c, nargs, args);
	c->progress = isatty(STDERR_FILENO);
	/* The clock only for a progress line: reading it maps two pages,
	 * a tenth of what a one-record run of a pipeline costs above exec. */
	c->t0 = c->tlast = c->progress ? now() : 0;
	/* Only an output named on the command line has a temporary file
	 * to remove (io.h); standard output has none, and a run that
	 * writes there keeps the default actions and their eight calls. */
	if (!is_stdout(c->out_path) || c->rejects_path != NULL ||
	    c->nextra > 0)
		catch_signals();
	vet_error_clear(&err);
	if (vet_output_open(&c->out, c->out_path, c->gzip, &err) < 0)
		vet_cli_die(c, &err);
	if (c->rejects_path != NULL &&
	    vet_output_open(&c->rej, c->rejects_path, 0, &err) < 0)
		vet_cli_die(c, &err);
	for (i = 0; i < c->nextra; i++)
		if (vet_output_open(&c->extra_out[i], c->extra[i].path, 0,
		    &err) < 0)
			vet_cli_die(c, &err);
}

void
vet_cli_write_to(struct vet_cli *c, int slot, const void *p, size_t n)
{
	struct vet_output *o;
	struct vet_error err;

	if (slot < 0 || slot >= c->nextra || n == 0)
		return;
	o = c->extra_out[slot];
	if (vet_output_write(o, p, n, &err) < 0) {
		if (vet_output_errno(o) == EPIPE)
			closed_pipe(c);
		vet_cli_die(c, &err);
	}
}

void
vet_cli_flush_to(struct vet_cli *c, int slot, struct vet_buf *b, size_t min)
{
	if (b->len < min)
		return;
	vet_cli_write_to(c, slot, b->data, b->len);
	vet_buf_reset(b);
}

/* Writes to the rejects stream; a failure there is as bad as on stdout. */
static void
rej_write(struct vet_cli *c, const void *p, size_t n)
{
	struct vet_error err;

	if (c->rej == NULL)
		return;
	if (vet_output_write(c->rej, p, n, &err) < 0) {
		if (vet_output_errno(c->rej) == EPIPE)
			closed_pipe(c);
		vet_cli_die(c, &err);
	}
}

_Noreturn void
vet_cli_nomem(struct vet_cli *c)
{
	struct vet_error err;

	vet_error_nomem(&err);
	vet_cli_die(c, &err);
}

/* Begins a reject record: its line, source and errors, up to the raw text. */
static void
rej_begin(struct vet_cli *c, const char *const *errors, size_t nerr)
{
	struct vet_buf *b = &c->scratch;
	const char *src = c->src != NULL ? c->src : "";
	size_t i;

	int e = 0;

	vet_buf_reset(b);
	e |= vet_buf_addf(b, "{\"line\":%ld,\"source\":", c->lineno) < 0;
	e |= vet_json_add_string(b, src, strlen(src)) < 0;
	e |= vet_buf_addstr(b, ",\"errors\":[") < 0;
	for (i = 0; i < nerr; i++) {
		if (i > 0)
			e |= vet_buf_addch(b, ',') < 0;
		e |= vet_json_add_string(b, errors[i], strlen(errors[i])) < 0;
	}
	e |= vet_buf_addch(b, ']') < 0;
	/* A reject record is written whole or the run ends. */
	if (e)
		vet_cli_nomem(c);
	rej_write(c, b->data, b->len);
}

/*
 * The bytes valid UTF-8 text takes once escaped as a JSON string, without
 * its quotes (the escapes of vet_json_add_string).
 */
static size_t
escaped_len(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t k = n, i;

	for (i = 0; i < n; i++) {
		if (p[i] == '"' || p[i] == '\\' || p[i] == '\b' ||
		    p[i] == '\f' || p[i] == '\n' || p[i] == '\r' ||
		    p[i] == '\t')
			k += 1;
		else if (p[i] < 0x20)
			k += 5;
	}
	return k;
}

/*
 * Base64 of n bytes (a multiple of 3 unless last) written to the rejects
 * in pieces, so that memory stays flat whatever n is.
 */
static void
rej_base64(struct vet_cli *c, const unsigned char *p, size_t n, int last)
{
	enum { PIECE = 3 * 4096 };
	char out[PIECE / 3 * 4 + 4];
	size_t i, k, m;
	unsigned v;

	while (n > 0) {
		m = n > PIECE ? PIECE : n;
		for (i = 0, k = 0; i + 2 < m; i += 3) {
			v = (unsigned)p[i] << 16 | (unsigned)p[i + 1] << 8 |
			    p[i + 2];
			out[k++] = base64[v >> 18 & 63];
			out[k++] = base64[v >> 12 & 63];
			out[k++] = base64[v >> 6 & 63];
			out[k++] = base64[v & 63];
		}
		if (i < m && last) {
			v = (unsigned)p[i] << 16;
			if (i + 1 < m)
				v |= (unsigned)p[i + 1] << 8;
			out[k++] = base64[v >> 18 & 63];
			out[k++] = base64[v >> 12 & 63];
			out[k++] = i + 1 < m ? base64[v >> 6 & 63] : '=';
			out[k++] = '=';
			i = m;
		}
		rej_write(c, out, k);
		p += i;
		n -= i;
		if (i < m)
			break;
	}
}

/*
 * Ends a reject record with its raw bytes (SPEC 3): "raw" when they are
 * valid UTF-8 and escaping costs at most 1.4 times their length (plus a
 * little, so that a short row of quoted cells stays readable), else
 * "raw_base64", which costs 4/3.  So the rejects never grow beyond about
 * 1.4 times what they keep, a line of NULs (6 bytes each as \u0000)
 * included.  A record above --max-record is always "raw_base64", as when
 * it is streamed (vet_cli_reject_begin), so that where the reader's
 * buffer happened to end does not change the rejects file.
 */
static int
readable(struct vet_cli *c, const char *text, size_t n)
{
	return n <= c->max_record && vet_utf8_valid(text, n) &&
	    escaped_len(text, n) <= n + n / 5 * 2 + 16;
}

/* "raw" as text, and the encoding its bytes came in when not UTF-8. */
static void
rej_text(struct vet_cli *c, const char *text, size_t n, const char *enc)
{
	struct vet_buf *b = &c->scratch;

	vet_buf_reset(b);
	if (vet_buf_addstr(b, ",\"raw\":") < 0 ||
	    vet_json_add_string(b, text, n) < 0 ||
	    (enc != NULL && (vet_buf_addstr(b, ",\"encoding\":") < 0 ||
	    vet_json_add_string(b, enc, strlen(enc)) < 0)) ||
	    vet_buf_addstr(b, "}\n") < 0)
		vet_cli_nomem(c);
	rej_write(c, b->data, b->len);
}

static void
rej_body(struct vet_cli *c, const char *raw, size_t n)
{
	if (readable(c, raw, n)) {
		rej_text(c, raw, n, NULL);
		return;
	}
	rej_write(c, ",\"raw_base64\":\"", 15);
	rej_base64(c, (const unsigned char *)raw, n, 1);
	rej_write(c, "\"}\n", 3);
}

/* A reject counts on the side file being read, or on the main stream. */
static void
add_reject(struct vet_cli *c)
{
	if (c->counting != NULL)
		c->counting->nrejected++;
	else
		c->nrejected++;
}

/* All the records rejected, main stream and side files. */
static long long
all_rejected(const struct vet_cli *c)
{
	long long n = c->nrejected;
	int i;

	for (i = 0; i < c->ntally; i++)
		n += c->tally[i].nrejected;
	return n;
}

/* One more reject for the reason of its first error (--stats). */
static void
count_reason(struct vet_cli *c, const char *first)
{
	char text[VET_CLI_REASON_MAX];
	int i;

	vet_cli_reason(first, text, sizeof text);
	for (i = 0; i < c->nreasons; i++)
		if (strcmp(c->reasons[i].text, text) == 0) {
			c->reasons[i].n++;
			return;
		}
	if (c->nreasons == VET_CLI_MAX_REASONS) {
		c->nother_reasons++;
		return;
	}
	memcpy(c->reasons[c->nreasons].text, text, sizeof text);
	c->reasons[c->nreasons++].n = 1;
}

/*
 * The lines after "read N, written N, rejected N": one per reason, the
 * most frequent first (the order they first came in on a tie), so that
 * the line to act on is on top.
 */
static void
print_reasons(struct vet_cli *c)
{
	int done[VET_CLI_MAX_REASONS] = { 0 };
	int i, best, k;

	for (k = 0; k < c->nreasons; k++) {
		best = -1;
		for (i = 0; i < c->nreasons; i++)
			if (!done[i] && (best < 0 ||
			    c->reasons[i].n > c->reasons[best].n))
				best = i;
		done[best] = 1;
		note_plain(c, "  rejected: %s %lld", c->reasons[best].text,
		    c->reasons[best].n);
	}
	if (c->nother_reasons > 0)
		note_plain(c, "  rejected: other reasons %lld",
		    c->nother_reasons);
}

static void
count_reject(struct vet_cli *c, const char *first)
{
	add_reject(c);
	count_reason(c, first);
	vet_cli_status(c, VET_EXIT_DATA);
	if (c->nshown < SHOWN_MAX) {
		c->nshown++;
		vet_cli_warn(c, "%s", first);
	}
}

void
vet_cli_reject(struct vet_cli *c, const char *raw, size_t n,
    const char *const *errors, size_t nerr)
{
	if (c->rej != NULL) {
		rej_begin(c, errors, nerr);
		rej_body(c, raw, n);
	}
	count_reject(c, nerr > 0 ? errors[0] : "rejected");
}

void
vet_cli_reject_text(struct vet_cli *c, const char *raw, size_t rn,
    const char *text, size_t tn, const char *encoding,
    const char *const *errors, size_t nerr)
{
	if (c->rej != NULL) {
		rej_begin(c, errors, nerr);
		if (rn <= c->max_record && readable(c, text, tn))
			rej_text(c, text, tn, encoding);
		else
			rej_body(c, raw, rn);
	}
	count_reject(c, nerr > 0 ? errors[0] : "rejected");
}

void
vet_cli_reject1(struct vet_cli *c, const char *raw, size_t n,
    const char *error)
{
	vet_cli_reject(c, raw, n, &error, 1);
}

/*
 * A record rejected for its length is kept in "raw_base64" (SPEC 3): its
 * bytes are not known whole when its first chunk is written, and base64
 * keeps any bytes (invalid UTF-8 cut anywhere, NULs) at 4/3 of their size.
 * rj_carry holds the one or two bytes a chunk leaves of a 3-byte group.
 */
void
vet_cli_reject_begin(struct vet_cli *c, const char *const *errors,
    size_t nerr)
{
	snprintf(c->rj_first, sizeof c->rj_first, "%s",
	    nerr > 0 ? errors[0] : "rejected");
	c->rj_open = 1;
	c->rj_ncarry = 0;
	if (c->rej != NULL) {
		rej_begin(c, errors, nerr);
		rej_write(c, ",\"raw_base64\":\"", 15);
	}
}

void
vet_cli_reject_chunk(struct vet_cli *c, const char *p, size_t n)
{
	size_t k;

	if (c->rej == NULL || !c->rj_open)
		return;
	while (c->rj_ncarry > 0 && c->rj_ncarry < 3 && n > 0) {
		c->rj_carry[c->rj_ncarry++] = *p++;
		n--;
	}
	if (c->rj_ncarry < 3 && c->rj_ncarry > 0)
		return;		/* n is used up */
	if (c->rj_ncarry == 3) {
		rej_base64(c, (const unsigned char *)c->rj_carry, 3, 0);
		c->rj_ncarry = 0;
	}
	k = n - n % 3;
	rej_base64(c, (const unsigned char *)p, k, 0);
	memcpy(c->rj_carry, p + k, n - k);
	c->rj_ncarry = n - k;
}

void
vet_cli_reject_end(struct vet_cli *c)
{
	if (!c->rj_open)
		return;
	if (c->rej != NULL) {
		rej_base64(c, (const unsigned char *)c->rj_carry,
		    c->rj_ncarry, 1);
		rej_write(c, "\"}\n", 3);
	}
	c->rj_open = 0;
	c->rj_ncarry = 0;
	count_reject(c, c->rj_first);
}

void
vet_cli_count_read(struct vet_cli *c)
{
	if (c->counting != NULL)
		c->counting->nread++;
	else if ((++c->nread & 0xffff) == 0 && c->progress)
		progress(c);
}

void
vet_cli_side_begin(struct vet_cli *c, const char *name)
{
	int i;

	for (i = 0; i < c->ntally; i++)
		if (strcmp(c->tally[i].name, name) == 0)
			break;
	if (i == c->ntally) {
		/* Past the last slot the names share it: the counts stay
		 * right in the total, only the line names the first. */
		if (c->ntally == VET_CLI_MAX_FILES)
			i = VET_CLI_MAX_FILES - 1;
		else {
			c->tally[i].name = name;
			c->tally[i].nread = c->tally[i].nrejected = 0;
			c->tally[i].more[0] = '\0';
			c->ntally++;
		}
	}
	c->counting = &c->tally[i];
}

void
vet_cli_side_end(struct vet_cli *c)
{
	c->counting = NULL;
}

void
vet_cli_side_note(struct vet_cli *c, const char *name, const char *fmt, ...)
{
	struct vet_cli_tally *t = NULL;
	va_list ap;
	size_t n;
	int i;

	for (i = 0; i < c->ntally; i++)
		if (strcmp(c->tally[i].name, name) == 0)
			t = &c->tally[i];
	if (t == NULL)
		return;
	n = strlen(t->more);
	if (n + 3 >= sizeof t->more)
		return;
	t->more[n++] = ',';
	t->more[n++] = ' ';
	t->more[n] = '\0';
	va_start(ap, fmt);
	vsnprintf(t->more + n, sizeof t->more - n, fmt, ap);
	va_end(ap);
}

void
vet_cli_reject_err(struct vet_cli *c, const char *raw, size_t n,
    const struct vet_error *e)
{
	char text[sizeof e->msg + 32];
	const char *t = text;

	if (e->col <= 0) {
		vet_cli_reject1(c, raw, n, e->msg);
		return;
	}
	snprintf(text, sizeof text, "%s (column %ld)", e->msg, e->col);
	if (c->rej != NULL) {
		rej_begin(c, &t, 1);
		rej_body(c, raw, n);
	}
	add_reject(c);
	count_reason(c, e->msg);
	vet_cli_status(c, VET_EXIT_DATA);
	if (c->nshown < SHOWN_MAX) {
		char where[320];

		c->nshown++;
		snprintf(where, sizeof where, "%s:%ld:%ld: ",
		    c->src != NULL ? c->src : "", c->lineno, e->col);
		emit_str(c, where, e->msg);
	}
}

/* Sink of an over-long line: the reject is begun at its first chunk. */
static int
long_sink(void *ctx, const char *p, size_t n)
{
	struct vet_cli *c = ctx;

	if (!c->rj_open) {
		char msg[96];
		const char *e = msg;

		snprintf(msg, sizeof msg, "record longer than --max-record "
		    "(%zu bytes)", c->max_record);
		/* The reader counts the line before it hands it over. */
		c->lineno = vet_input_lineno(c->in);
		vet_cli_reject_begin(c, &e, 1);
	}
	vet_cli_reject_chunk(c, p, n);
	return 0;
}

int
vet_cli_blank(const char *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (p[i] != ' ' && p[i] != '\t' && p[i] != '\r')
			return 0;
	return 1;
}

static void
input_failed(struct vet_cli *c, struct vet_error *err)
{
	struct vet_span part;
	char msg[sizeof err->msg + 32];

	vet_cli_print_error(c, err);
	vet_cli_status(c, err->status == VET_EIO ? VET_EXIT_IOERR :
	    err->status == VET_ENOMEM || err->status == VET_EINTERNAL ?
	    VET_EXIT_SOFTWARE : VET_EXIT_DATA);
	/*
	 * The record the input ended in does not silently disappear: a line
	 * above --max-record being streamed to the rejects is closed there
	 * (else the rejects file would hold half a JSON line), and the start
	 * of an ordinary line is rejected with what cut it.
	 */
	if (c->rj_open) {
		vet_cli_count_read(c);
		vet_cli_reject_end(c);
	} else if (err->status != VET_ENOMEM) {
		vet_input_pending(c->in, &part);
		if (part.n > 0 && !vet_cli_blank(part.p, part.n)) {
			c->lineno = vet_input_lineno(c->in) + 1;
			snprintf(msg, sizeof msg, "record cut short: %s",
			    err->msg);
			vet_cli_count_read(c);
			vet_cli_reject1(c, part.p, part.n, msg);
		}
	}
	vet_input_close(c->in);
	c->in = NULL;
}

int
vet_cli_next_line(struct vet_cli *c, struct vet_span *line)
{
	struct vet_error err;
	int r;

	for (;;) {
		if (c->in == NULL) {
			if (++c->cur >= c->ninputs)
				return 0;
			vet_error_clear(&err);
			if (vet_input_open(&c->in, c->inputs[c->cur],
			    &err) < 0) {
				vet_cli_print_error(c, &err);
				/* Out of memory is no missing input: it
				 * discards the outputs (vet_cli_finish). */
				vet_cli_status(c, err.status == VET_ENOMEM ?
				    VET_EXIT_SOFTWARE : VET_EXIT_NOINPUT);
				c->in = NULL;
				continue;
			}
			c->src = vet_input_name(c->in);
			c->lineno = 0;
		}
		vet_error_clear(&err);
		r = vet_input_line(c->in, line, c->max_record, long_sink, c,
		    &err);
		c->lineno = vet_input_lineno(c->in);
		if (r == VET_LINE_OK) {
			/* A blank line holds no record: skip it uncounted,
			 * as a trailing empty line after the last record
			 * is common. */
			if (vet_cli_blank(line->p, line->n))
				continue;
			vet_cli_count_read(c);
			return 1;
		}
		if (r == VET_LINE_LONG) {
			vet_cli_count_read(c);
			if (!c->rj_open)
				long_sink(c, "", 0);
			vet_cli_reject_end(c);
			continue;
		}
		if (r == VET_LINE_EOF) {
			vet_input_close(c->in);
			c->in = NULL;
			continue;
		}
		input_failed(c, &err);
	}
}

void
vet_cli_write(struct vet_cli *c, const void *p, size_t n, int count)
{
	struct vet_error err;

	if (vet_output_write(c->out, p, n, &err) < 0) {
		if (vet_output_errno(c->out) == EPIPE)
			closed_pipe(c);
		vet_cli_die(c, &err);
	}
	if (count)
		c->nwritten++;
}

/* Closes one output, committed or discarded; a failure makes the exit 74. */
static void
close_output(struct vet_cli *c, struct vet_output *o, int commit)
{
	struct vet_error err;

	vet_error_clear(&err);
	if (vet_output_close(o, commit, &err) < 0) {
		vet_cli_print_error(c, &err);
		vet_cli_status(c, VET_EXIT_IOERR);
	}
}

/*
 * The outputs committed all or none (cli.h): after a failure to read an
 * input (74) or to allocate (70) the records that were not read are
 * neither written nor rejected, so the outputs would look complete and
 * not be: they are discarded, as when a write fails.  Rejected records
 * (65) and a missing input (66) are accounted for and keep the outputs.
 */
static void
close_outputs(struct vet_cli *c)
{
	struct vet_error err;
	int commit, i;

	commit = c->status != VET_EXIT_IOERR && c->status != VET_EXIT_SOFTWARE;
	if (!commit) {
		if (c->out_path != NULL && !is_stdout(c->out_path))
			vet_cli_note(c, "%s: not written", c->out_path);
		for (i = 0; i < c->nextra; i++)
			if (!is_stdout(c->extra[i].path))
				vet_cli_note(c, "%s: not written",
				    c->extra[i].path);
	}
	/* All or none: every output flushed and synced before any is
	 * renamed into place, the main output last of all. */
	for (i = -2; commit && i < c->nextra; i++) {
		struct vet_output *o = i == -2 ? c->rej : i == -1 ? c->out :
		    c->extra_out[i];

		vet_error_clear(&err);
		if (vet_output_ready(o, &err) < 0) {
			vet_cli_print_error(c, &err);
			vet_cli_status(c, VET_EXIT_IOERR);
			commit = 0;
		}
	}
	close_output(c, c->rej, commit);
	c->rej = NULL;
	for (i = 0; i < c->nextra; i++) {
		close_output(c, c->extra_out[i], commit);
		c->extra_out[i] = NULL;
	}
	close_output(c, c->out, commit);
	c->out = NULL;
}

/* --stats: the side files first, each on its own line, then the main
 * stream: its read never includes theirs (SPEC 3). */
static void
print_stats(struct vet_cli *c)
{
	int i;

	for (i = 0; i < c->ntally; i++)
		note_plain(c, "%s: read %lld, rejected %lld%s",
		    c->tally[i].name, c->tally[i].nread,
		    c->tally[i].nrejected, c->tally[i].more);
	note_plain(c, "read %lld, written %lld, rejected %lld",
	    c->nread, c->nwritten, c->nrejected);
	print_reasons(c);
}

int
vet_cli_finish(struct vet_cli *c)
{
	vet_input_close(c->in);
	c->in = NULL;
	progress_clear(c);
	if (all_rejected(c) > c->nshown)
		vet_cli_note(c, "%lld more rejected records not shown%s",
		    all_rejected(c) - c->nshown,
		    c->rej != NULL ? "" : " (use --rejects FILE to keep them)");
	/* The last buffered bytes are where a closed pipe usually shows. */
	if ((c->out != NULL && vet_output_flush(c->out, NULL) < 0 &&
	    vet_output_errno(c->out) == EPIPE) ||
	    (c->rej != NULL && vet_output_flush(c->rej, NULL) < 0 &&
	    vet_output_errno(c->rej) == EPIPE))
		closed_pipe(c);
	close_outputs(c);
	if (c->stats)
		print_stats(c);
	/* stderr is unbuffered: a failed message shows in ferror() only. */
	if (fflush(stderr) != 0 || ferror(stderr))
		vet_cli_status(c, VET_EXIT_IOERR);
	vet_buf_release(&c->scratch);
	return c->status;
}

void
vet_cli_release(struct vet_cli *c)
{
	vet_buf_release(&c->scratch);
}
