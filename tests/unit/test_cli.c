/*
 * Unit tests for cli.c: sizes, the rejects stream, the input loop over
 * several files, masking of messages, and exit statuses.
 */
#include <criterion/criterion.h>
#include <criterion/redirect.h>

#include <sys/stat.h>
#include <sys/wait.h>

#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include "vet/cli.h"
#include "vet/date.h"
#include "vet/policy.h"
#include "vet/reconcile.h"
#include "vet/record.h"

static char dir[64];

static void
setup(void)
{
	strcpy(dir, "/tmp/vet-test-cli.XXXXXX");
	cr_assert_not_null(mkdtemp(dir));
}

static void
teardown(void)
{
	char cmd[128];

	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	cr_assert_eq(system(cmd), 0);
}

static char *
path(const char *name)
{
	static char p[8][128];
	static int k;

	k = (k + 1) % 8;
	snprintf(p[k], sizeof p[k], "%s/%s", dir, name);
	return p[k];
}

static void
write_file(const char *name, const char *data, size_t n)
{
	FILE *f = fopen(path(name), "wb");

	cr_assert_not_null(f);
	cr_assert_eq(fwrite(data, 1, n, f), n);
	cr_assert_eq(fclose(f), 0);
}

static char *
read_file(const char *name)
{
	static char buf[1 << 16];
	FILE *f = fopen(path(name), "rb");
	size_t n;

	cr_assert_not_null(f, "%s missing", name);
	n = fread(buf, 1, sizeof buf - 1, f);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

/*
 * Runs fn in a child with stderr sent to the file "err"; returns the wait
 * status.  Tests of what exits use it, so that teardown still runs.
 */
static int run_child(void (*fn)(void));

TestSuite(cli, .init = setup, .fini = teardown);

Test(cli, parse_size_suffixes)
{
	size_t v;

	cr_assert_eq(vet_cli_parse_size("10", &v), 0);
	cr_assert_eq(v, 10);
	cr_assert_eq(vet_cli_parse_size("64M", &v), 0);
	cr_assert_eq(v, (size_t)64 << 20);
	cr_assert_eq(vet_cli_parse_size("1k", &v), 0);
	cr_assert_eq(v, 1024);
	cr_assert_eq(vet_cli_parse_size("2GiB", &v), 0);
	cr_assert_eq(v, (size_t)2 << 30);
	cr_assert_eq(vet_cli_parse_size("0", &v), VET_EUSAGE);
	cr_assert_eq(vet_cli_parse_size("-1", &v), VET_EUSAGE);
	cr_assert_eq(vet_cli_parse_size("5X", &v), VET_EUSAGE);
	cr_assert_eq(vet_cli_parse_size("", &v), VET_EUSAGE);
	cr_assert_eq(vet_cli_parse_size("99999999999999999999", &v),
	    VET_EUSAGE);
}

/*
 * True when the base64 text at s, up to its closing quote, decodes to the
 * n bytes of want.
 */
static int
decoded_is(const char *s, const char *want, size_t n)
{
	static const char b64[] =
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	unsigned long v = 0;
	size_t got = 0;
	int bits = 0;
	const char *q;

	for (; *s != '"' && *s != '\0'; s++) {
		if (*s == '=')
			continue;
		if ((q = strchr(b64, *s)) == NULL)
			return 0;
		v = v << 6 | (unsigned long)(q - b64);
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			if (got >= n || (char)(v >> bits & 0xff) != want[got])
				return 0;
			got++;
		}
	}
	return *s == '"' && got == n;
}

Test(cli, rejects_keep_the_record_whole)
{
	struct vet_cli c;
	const char *errs[] = { "unknown district '火星区'", "bad date" };

	vet_cli_init(&c, "vet-test", "usage\n");
	c.out_path = path("out");
	c.rejects_path = path("rej");
	vet_cli_start(&c, 0, NULL);
	c.src = "in.csv";
	c.lineno = 3;
	cr_redirect_stderr();
	vet_cli_reject(&c, "a,\"b\"\\,c", 8, errs, 2);
	c.lineno = 4;
	vet_cli_reject1(&c, "x\xff", 2, "invalid UTF-8");
	cr_assert_eq(vet_cli_finish(&c), VET_EXIT_DATA);
	cr_assert_str_eq(read_file("rej"),
	    "{\"line\":3,\"source\":\"in.csv\",\"errors\":[\"unknown district "
	    "'火星区'\",\"bad date\"],\"raw\":\"a,\\\"b\\\"\\\\,c\"}\n"
	    "{\"line\":4,\"source\":\"in.csv\",\"errors\":[\"invalid UTF-8\"],"
	    "\"raw_base64\":\"eP8=\"}\n");
	cr_assert_eq(c.nrejected, 2);
}

Test(cli, input_loop_over_files_counts_and_reports_missing)
{
	struct vet_cli c;
	struct vet_span line;
	char *args[3];
	int n = 0;

	write_file("a", "1\n2\n", 4);
	write_file("b", "3", 1);
	args[0] = path("a");
	args[1] = path("missing");
	args[2] = path("b");
	vet_cli_init(&c, "vet-test", "usage\n");
	c.out_path = path("out");
	vet_cli_start(&c, 3, args);
	cr_redirect_stderr();
	while (vet_cli_next_line(&c, &line) > 0) {
		n++;
		if (n == 3) {
			cr_assert_eq(c.lineno, 1);
			cr_assert_str_eq(c.src, path("b"));
		}
		vet_cli_write(&c, line.p, line.n, 1);
	}
	cr_assert_eq(n, 3);
	cr_assert_eq(vet_cli_finish(&c), VET_EXIT_NOINPUT);
	cr_assert_eq(c.nread, 3);
	cr_assert_eq(c.nwritten, 3);
	cr_assert_str_eq(read_file("out"), "123");
}

Test(cli, long_line_is_rejected_whole_and_counted)
{
	struct vet_cli c;
	struct vet_span line;
	char data[4000], want[4200];
	char *args[1];
	size_t i;

	memcpy(data, "ok\n", 3);
	/* A multi-byte character cut by the reader's chunks must survive. */
	for (i = 3; i + 3 <= 3000; i += 3)
		memcpy(data + i, "区", 3);
	memcpy(data + i, "\nok2\n", 5);
	write_file("in", data, i + 5);

	vet_cli_init(&c, "vet-test", "usage\n");
	c.out_path = path("out");
	c.rejects_path = path("rej");
	c.max_record = 100;
	args[0] = path("in");
	vet_cli_start(&c, 1, args);
	cr_redirect_stderr();
	while (vet_cli_next_line(&c, &line) > 0)
		vet_cli_write(&c, line.p, line.n, 1);
	cr_assert_eq(vet_cli_finish(&c), VET_EXIT_DATA);
	cr_assert_eq(c.nread, 3);
	cr_assert_eq(c.nwritten, 2);
	cr_assert_eq(c.nrejected, 1);
	snprintf(want, sizeof want, "{\"line\":2,\"source\":\"%s\",\"errors\":"
	    "[\"record longer than --max-record (100 bytes)\"],"
	    "\"raw_base64\":\"", path("in"));
	cr_assert_eq(strncmp(read_file("rej"), want, strlen(want)), 0);
	cr_assert(decoded_is(read_file("rej") + strlen(want), data + 3, i - 3),
	    "the long line is not kept whole");
}

Test(cli, messages_mask_ids_and_phones)
{
	struct vet_cli c;

	vet_cli_init(&c, "vet-test", "usage\n");
	c.src = "x.jsonl";
	c.lineno = 7;
	cr_redirect_stderr();
	vet_cli_warn(&c, "duplicate id '%s', phone %s", "11010519491231002X",
	    "13812345678");
	cr_assert_eq(vet_cli_finish(&c), 0);
	cr_assert_stderr_eq_str("vet-test: x.jsonl:7: duplicate id "
	    "'110105********002X', phone 138****5678\n");
}

Test(cli, full_disk_exits_74)
{
	struct vet_cli c;

	if (access("/dev/full", W_OK) != 0)
		cr_skip_test("no /dev/full");
	vet_cli_init(&c, "vet-test", "usage\n");
	c.out_path = "/dev/full";
	vet_cli_start(&c, 0, NULL);
	cr_redirect_stderr();
	vet_cli_write(&c, "{}\n", 3, 1);
	cr_assert_eq(vet_cli_finish(&c), VET_EXIT_IOERR);
}

Test(cli, worst_status_wins)
{
	struct vet_cli c;

	vet_cli_init(&c, "vet-test", "usage\n");
	vet_cli_status(&c, VET_EXIT_FINDINGS);
	vet_cli_status(&c, VET_EXIT_DATA);
	vet_cli_status(&c, VET_EXIT_FINDINGS);
	cr_assert_eq(c.status, VET_EXIT_DATA);
	vet_cli_status(&c, VET_EXIT_IOERR);
	vet_cli_status(&c, VET_EXIT_NOINPUT);
	cr_assert_eq(c.status, VET_EXIT_IOERR);
}

static void
bad_max_record_is_usage_error_child(void)
{
	struct vet_cli c;

	vet_cli_init(&c, "vet-test", "usage\n");
	vet_cli_option(&c, VET_OPT_MAX_RECORD, "lots");
	_exit(0);
}

Test(cli, bad_max_record_is_usage_error)
{
	int st = run_child(bad_max_record_is_usage_error_child);

	cr_assert(WIFEXITED(st) && WEXITSTATUS(st) == VET_EXIT_USAGE,
	    "status %#x", st);
}

Test(cli, streamed_reject_joins_split_characters)
{
	struct vet_cli c;
	const char *e = "record longer than --max-record (4 bytes)";
	const char *raw = "a区b\xe5\x8c";	/* ends in a cut character */

	vet_cli_init(&c, "vet-test", "usage\n");
	c.out_path = path("out");
	c.rejects_path = path("rej");
	vet_cli_start(&c, 0, NULL);
	c.src = "s.csv";
	c.lineno = 9;
	cr_redirect_stderr();
	vet_cli_reject_begin(&c, &e, 1);
	vet_cli_reject_chunk(&c, raw, 2);	/* "a" and half of 区 */
	vet_cli_reject_chunk(&c, raw + 2, 1);
	vet_cli_reject_chunk(&c, raw + 3, 1);	/* the rest of 区 */
	vet_cli_reject_chunk(&c, raw + 4, 3);
	vet_cli_reject_end(&c);
	vet_cli_count_read(&c);
	cr_assert_eq(vet_cli_finish(&c), VET_EXIT_DATA);
	cr_assert_eq(c.nrejected, 1);
	cr_assert_eq(c.nread, 1);
	cr_assert_str_eq(read_file("rej"), "{\"line\":9,\"source\":\"s.csv\","
	    "\"errors\":[\"record longer than --max-record (4 bytes)\"],"
	    "\"raw_base64\":\"YeWMumLljA==\"}\n");
}

Test(cli, parser_errors_carry_their_column)
{
	struct vet_cli c;
	struct vet_error e;

	vet_cli_init(&c, "vet-test", "usage\n");
	c.out_path = path("out");
	c.rejects_path = path("rej");
	vet_cli_start(&c, 0, NULL);
	c.src = "in.jsonl";
	c.lineno = 2;
	vet_error_set(&e, VET_EDATA, NULL, 0, 5, "expected ':' after key");
	cr_redirect_stderr();
	vet_cli_reject_err(&c, "{\"a\"}", 5, &e);
	cr_assert_eq(vet_cli_finish(&c), VET_EXIT_DATA);
	cr_assert_str_eq(read_file("rej"), "{\"line\":2,\"source\":\"in.jsonl\","
	    "\"errors\":[\"expected ':' after key (column 5)\"],"
	    "\"raw\":\"{\\\"a\\\"}\"}\n");
	cr_assert_stderr_eq_str("vet-test: in.jsonl:2:5: expected ':' after key\n");
}

Test(cli, blank_lines_hold_no_record)
{
	struct vet_cli c;
	struct vet_span line;
	char *args[1];
	int n = 0;

	write_file("b", "\n{}\r\n \t\r\n\n{}\n\n", 14);
	args[0] = path("b");
	vet_cli_init(&c, "vet-test", "usage\n");
	c.out_path = path("out");
	vet_cli_start(&c, 1, args);
	while (vet_cli_next_line(&c, &line) > 0) {
		n++;
		cr_assert_eq(c.lineno, n == 1 ? 2 : 5, "line numbers still "
		    "count the blank lines");
	}
	cr_assert_eq(n, 2);
	cr_assert_eq(vet_cli_finish(&c), 0);
	cr_assert_eq(c.nread, 2);
}

static void
rejects_same_file_as_output_is_usage_error_child(void)
{
	struct vet_cli c;
	char other[160];

	vet_cli_init(&c, "vet-test", "usage\n");
	c.out_path = path("o.jsonl");
	/* The same file spelt another way. */
	snprintf(other, sizeof other, "%s/./o.jsonl", dir);
	c.rejects_path = other;
	vet_cli_start(&c, 0, NULL);
	_exit(0);
}

Test(cli, rejects_same_file_as_output_is_usage_error)
{
	int st = run_child(rejects_same_file_as_output_is_usage_error_child);

	cr_assert(WIFEXITED(st) && WEXITSTATUS(st) == VET_EXIT_USAGE,
	    "status %#x", st);
}

static void
rejects_same_existing_file_as_output_is_usage_error_child(void)
{
	struct vet_cli c;

	write_file("e.jsonl", "", 0);
	cr_assert_eq(link(path("e.jsonl"), path("hard.jsonl")), 0);
	vet_cli_init(&c, "vet-test", "usage\n");
	c.out_path = path("e.jsonl");
	c.rejects_path = path("hard.jsonl");
	vet_cli_start(&c, 0, NULL);
	_exit(0);
}

Test(cli, rejects_same_existing_file_as_output_is_usage_error)
{
	int st;

	st = run_child(
	    rejects_same_existing_file_as_output_is_usage_error_child);

	cr_assert(WIFEXITED(st) && WEXITSTATUS(st) == VET_EXIT_USAGE,
	    "status %#x", st);
}

static void
rejects_on_stdout_with_output_on_stdout_is_usage_error_child(void)
{
	struct vet_cli c;

	vet_cli_init(&c, "vet-test", "usage\n");
	c.rejects_path = "-";
	vet_cli_start(&c, 0, NULL);
	_exit(0);
}

Test(cli, rejects_on_stdout_with_output_on_stdout_is_usage_error)
{
	int st;

	st = run_child(
	    rejects_on_stdout_with_output_on_stdout_is_usage_error_child);

	cr_assert(WIFEXITED(st) && WEXITSTATUS(st) == VET_EXIT_USAGE,
	    "status %#x", st);
}

Test(cli, rejects_and_output_may_both_be_dev_null)
{
	struct vet_cli c;

	vet_cli_init(&c, "vet-test", "usage\n");
	c.out_path = "/dev/null";
	c.rejects_path = "/dev/null";
	vet_cli_start(&c, 0, NULL);
	vet_cli_write(&c, "{}\n", 3, 1);
	cr_assert_eq(vet_cli_finish(&c), 0);
}

static int
run_child(void (*fn)(void))
{
	pid_t pid;
	int st, fd;

	fflush(NULL);
	pid = fork();
	cr_assert_geq(pid, 0);
	if (pid == 0) {
		fd = open(path("err"), O_WRONLY | O_CREAT | O_TRUNC, 0600);
		if (fd < 0 || dup2(fd, STDERR_FILENO) < 0)
			_exit(99);
		close(fd);
		fn();
		_exit(98);
	}
	cr_assert_eq(waitpid(pid, &st, 0), pid);
	return st;
}

static void
killed_mid_run(void)
{
	struct vet_cli c;

	vet_cli_init(&c, "vet-test", "usage\n");
	c.out_path = path("out.jsonl");
	c.rejects_path = path("rej.jsonl");
	vet_cli_start(&c, 0, NULL);
	vet_cli_write(&c, "{}\n", 3, 1);
	vet_cli_reject1(&c, "x", 1, "bad");
	raise(SIGTERM);
}

Test(cli, killed_run_leaves_no_file_behind)
{
	char cmd[256];
	int st = run_child(killed_mid_run);

	cr_assert(WIFSIGNALED(st) && WTERMSIG(st) == SIGTERM,
	    "status %#x", st);
	unlink(path("err"));
	snprintf(cmd, sizeof cmd, "test -z \"$(ls -A '%s')\"", dir);
	cr_assert_eq(system(cmd), 0, "files were left behind");
}

static void
write_to_closed_pipe(void)
{
	struct vet_cli c;
	char line[4096];
	int fds[2], i;

	if (pipe(fds) < 0 || dup2(fds[1], STDOUT_FILENO) < 0)
		_exit(97);
	close(fds[0]);
	close(fds[1]);
	/* As under a parent that ignores SIGPIPE: write gets EPIPE. */
	signal(SIGPIPE, SIG_IGN);
	memset(line, 'a', sizeof line - 1);
	line[sizeof line - 1] = '\n';
	vet_cli_init(&c, "vet-test", "usage\n");
	c.stats = 1;
	vet_cli_start(&c, 0, NULL);
	for (i = 0; i < 1000; i++)
		vet_cli_write(&c, line, sizeof line, 1);
	exit(vet_cli_finish(&c));
}

Test(cli, closed_pipe_is_quiet)
{
	int st = run_child(write_to_closed_pipe);

	cr_assert(WIFEXITED(st), "status %#x", st);
	cr_assert_eq(WEXITSTATUS(st), VET_EXIT_IOERR);
	/* Nothing from the program (a sanitizer runtime may add its own
	 * notes about the forked child, which are not ours). */
	cr_assert_null(strstr(read_file("err"), "vet-test"), "%s",
	    read_file("err"));
}

static void
exit_mid_run(void)
{
	struct vet_cli c;

	vet_cli_init(&c, "vet-test", "usage\n");
	c.out_path = path("out.jsonl");
	c.rejects_path = path("rej.jsonl");
	vet_cli_start(&c, 0, NULL);
	vet_cli_write(&c, "{}\n", 3, 1);
	exit(VET_EXIT_CONFIG);
}

Test(cli, exit_between_start_and_finish_leaves_no_file_behind)
{
	char cmd[256];
	int st = run_child(exit_mid_run);

	cr_assert(WIFEXITED(st) && WEXITSTATUS(st) == VET_EXIT_CONFIG,
	    "status %#x", st);
	unlink(path("err"));
	snprintf(cmd, sizeof cmd, "test -z \"$(ls -A '%s')\"", dir);
	cr_assert_eq(system(cmd), 0, "files were left behind");
}

Test(cli, read_error_discards_the_outputs)
{
	struct vet_cli c;
	struct vet_span line;
	char *args[2];
	int n = 0;

	/* Reading /proc/self/mem at offset 0 fails with EIO. */
	if (access("/proc/self/mem", R_OK) != 0)
		cr_skip_test("no /proc/self/mem");
	write_file("a", "1\n2\n", 4);
	args[0] = path("a");
	args[1] = "/proc/self/mem";
	vet_cli_init(&c, "vet-test", "usage\n");
	c.out_path = path("out");
	c.rejects_path = path("rej");
	vet_cli_start(&c, 2, args);
	cr_redirect_stderr();
	while (vet_cli_next_line(&c, &line) > 0) {
		n++;
		vet_cli_write(&c, line.p, line.n, 1);
	}
	cr_assert_eq(n, 2);
	cr_assert_eq(vet_cli_finish(&c), VET_EXIT_IOERR);
	cr_assert_neq(access(path("out"), F_OK), 0, "a partial output was "
	    "committed");
	cr_assert_neq(access(path("rej"), F_OK), 0);
}

/* Writes data gzip-compressed to name, cut to all but its last cut bytes. */
static void
write_gzip_cut(const char *name, const char *data, size_t n, size_t cut)
{
	gzFile z = gzopen(path(name), "wb");
	struct stat st;

	cr_assert_not_null(z);
	cr_assert_eq(gzwrite(z, data, (unsigned)n), (int)n);
	cr_assert_eq(gzclose(z), Z_OK);
	cr_assert_eq(stat(path(name), &st), 0);
	cr_assert_eq(truncate(path(name), st.st_size - (off_t)cut), 0);
}

Test(cli, truncated_gzip_rejects_the_record_it_cuts)
{
	static char data[200000];
	struct vet_cli c;
	struct vet_span line;
	unsigned long x = 7;
	char *args[1];
	size_t i;

	/* Random lines, so that the damage lands in the last one. */
	for (i = 0; i < sizeof data; i++) {
		x = x * 6364136223846793005UL + 1442695040888963407UL;
		data[i] = i % 100 == 99 ? '\n' : (char)('a' + (x >> 33) % 26);
	}
	write_gzip_cut("t.gz", data, sizeof data, 40);
	vet_cli_init(&c, "vet-test", "usage\n");
	c.out_path = path("out");
	c.rejects_path = path("rej");
	args[0] = path("t.gz");
	vet_cli_start(&c, 1, args);
	cr_redirect_stderr();
	while (vet_cli_next_line(&c, &line) > 0)
		vet_cli_write(&c, line.p, line.n, 1);
	cr_assert_eq(vet_cli_finish(&c), VET_EXIT_DATA);
	cr_assert_eq(c.nrejected, 1);
	cr_assert_eq(c.nread, c.nwritten + c.nrejected);
	cr_assert(strstr(read_file("rej"), "\"errors\":[\"record cut short: "
	    "truncated gzip stream\"]") != NULL, "%s", read_file("rej"));
}

Test(cli, truncated_gzip_in_a_long_line_keeps_the_rejects_valid)
{
	static char data[300000];
	struct vet_cli c;
	struct vet_span line;
	unsigned long x = 11;
	struct vet_buf b = VET_BUF_INIT;
	struct vet_error err;
	char *args[2];
	const char *r;
	size_t i;

	memcpy(data, "ok\n", 3);
	for (i = 3; i < sizeof data; i++) {
		x = x * 6364136223846793005UL + 1442695040888963407UL;
		data[i] = (char)('a' + (x >> 33) % 26);
	}
	write_gzip_cut("long.gz", data, sizeof data, 40);
	write_file("next", "after\n", 6);
	vet_cli_init(&c, "vet-test", "usage\n");
	c.out_path = path("out");
	c.rejects_path = path("rej");
	c.max_record = 100;
	args[0] = path("long.gz");
	args[1] = path("next");
	vet_cli_start(&c, 2, args);
	cr_redirect_stderr();
	while (vet_cli_next_line(&c, &line) > 0)
		vet_cli_reject1(&c, line.p, line.n, "bad");
	cr_assert_eq(vet_cli_finish(&c), VET_EXIT_DATA);
	cr_assert_eq(c.nread, 3);
	cr_assert_eq(c.nrejected, 3);
	/* Three whole JSON lines: the long one closed before the next. */
	cr_assert_eq(vet_input_slurp(path("rej"), &b, &err), 0);
	r = vet_buf_str(&b);
	cr_assert(strstr(r, "\"}\n{\"line\":1,\"source\":\"") != NULL,
	    "the long record was left open");
	cr_assert_eq(r[b.len - 1], '\n');
	vet_buf_release(&b);
}

/* A side file: fn takes "ok" records, refuses others; bad lines go whole
 * to the rejects with the side file's name and line. */
static int
side_fn(void *ctx, const struct vet_record *rec, struct vet_span line,
    struct vet_error *err)
{
	int *n = ctx;

	if (line.n < 8 || memcmp(line.p, "{\"ok\":1", 7) != 0)
		return vet_error_set(err, VET_EDATA, NULL, 0, 0, "not ok");
	++*n;
	return 0;
}

Test(cli, side_file_rejects_bad_lines)
{
	static const char side[] = "{\"ok\":1}\n\n[2]\n{\"ok\":2}\n"
	    "{\"ok\":1} \r\n{\"ok\":\n";
	struct vet_cli c;
	int taken = 0;

	write_file("side", side, sizeof side - 1);
	vet_cli_init(&c, "vet-test", "usage\n");
	c.out_path = path("out");
	c.rejects_path = path("rej");
	vet_cli_start(&c, 0, NULL);
	cr_redirect_stderr();
	vet_cli_read_side(&c, path("side"), side_fn, &taken);
	cr_assert_eq(taken, 2);
	/* Counted on the side file's own tally, not the main stream's. */
	cr_assert_eq(c.nread, 0);
	cr_assert_eq(c.nrejected, 0);
	cr_assert_eq(c.ntally, 1);
	cr_assert_str_eq(c.tally[0].name, "side");
	cr_assert_eq(c.tally[0].nread, 5);
	cr_assert_eq(c.tally[0].nrejected, 3);
	cr_assert_null(c.counting);
	cr_assert_null(c.src);
	cr_assert_eq(vet_cli_finish(&c), VET_EXIT_DATA);
	cr_assert(strstr(read_file("rej"), "\"line\":3,") != NULL);
	cr_assert(strstr(read_file("rej"), "\"line\":4,\"source\":") != NULL);
	cr_assert(strstr(read_file("rej"), "\"line\":6,") != NULL);
	cr_assert(strstr(read_file("rej"), "\"errors\":[\"not ok\"]") !=
	    NULL);
}

/*
 * --stats (SPEC 3): the side files each on a line of their own, named by
 * the option that declared them, with the tool's counts after; the main
 * stream's read is its own records only, so read = written + rejected.
 */
Test(cli, stats_count_side_files_on_their_own_lines)
{
	static const char side[] = "{\"ok\":1}\n[2]\n{\"ok\":1}\n";
	static const char in[] = "{\"a\":1}\n{\"a\":2}\n";
	struct vet_cli c;
	struct vet_span line;
	char *args[1];
	int taken = 0;

	write_file("ev", side, sizeof side - 1);
	write_file("in", in, sizeof in - 1);
	/* Short names in the messages (each test is its own process). */
	cr_assert_eq(chdir(path("")), 0);
	/* vet_cli_init() leaves the tallies and reasons to be written when
	 * counted in: storage that held anything before must not show. */
	memset(&c, 0xA5, sizeof c);
	vet_cli_init(&c, "vet-test", "usage\n");
	c.stats = 1;
	c.out_path = "out";
	args[0] = "in";
	vet_cli_input(&c, "--events", "ev");
	vet_cli_start(&c, 1, args);
	cr_redirect_stderr();
	vet_cli_read_side(&c, "ev", side_fn, &taken);
	/* A side file read through the main loop, as vet-match's --jobs. */
	vet_cli_side_begin(&c, "jobs");
	vet_cli_count_read(&c);
	vet_cli_side_end(&c);
	vet_cli_side_note(&c, "events", "used %d", taken);
	vet_cli_side_note(&c, "events", "unmatched %d", 0);
	vet_cli_side_note(&c, "nothing", "ignored %d", 1);
	cr_assert_eq(vet_cli_next_line(&c, &line), 1);
	vet_cli_write(&c, line.p, line.n, 1);
	cr_assert_eq(vet_cli_next_line(&c, &line), 1);
	vet_cli_reject1(&c, line.p, line.n, "bad");
	cr_assert_eq(vet_cli_next_line(&c, &line), 0);
	cr_assert_eq(vet_cli_finish(&c), VET_EXIT_DATA);
	fflush(stderr);
	cr_assert_stderr_eq_str("vet-test: ev:2:1: record is not a JSON object\n"
	    "vet-test: in:2: bad\n"
	    "vet-test: events: read 3, rejected 1, used 2, unmatched 0\n"
	    "vet-test: jobs: read 1, rejected 0\n"
	    "vet-test: read 2, written 1, rejected 1\n"
	    "vet-test:   rejected: record is not a JSON object 1\n"
	    "vet-test:   rejected: bad 1\n");
}

Test(cli, extra_output_is_committed_or_discarded_with_the_main_one)
{
	struct vet_cli c;
	struct vet_span line;
	char *args[2];
	int slot;

	if (access("/proc/self/mem", R_OK) != 0)
		cr_skip_test("no /proc/self/mem");
	write_file("a", "1\n", 2);
	args[0] = path("a");
	vet_cli_init(&c, "vet-test", "usage\n");
	c.out_path = path("out");
	slot = vet_cli_output(&c, "--diff", path("diff"));
	cr_assert_eq(slot, 0);
	vet_cli_start(&c, 1, args);
	while (vet_cli_next_line(&c, &line) > 0) {
		vet_cli_write(&c, line.p, line.n, 1);
		vet_cli_write_to(&c, slot, "d\n", 2);
	}
	cr_assert_eq(vet_cli_finish(&c), 0);
	cr_assert_str_eq(read_file("diff"), "d\n");
	unlink(path("out"));
	unlink(path("diff"));

	/* A read error (74): neither the output nor the extra one. */
	args[1] = "/proc/self/mem";
	vet_cli_init(&c, "vet-test", "usage\n");
	c.out_path = path("out");
	slot = vet_cli_output(&c, "--diff", path("diff"));
	vet_cli_start(&c, 2, args);
	cr_redirect_stderr();
	while (vet_cli_next_line(&c, &line) > 0)
		vet_cli_write_to(&c, slot, "d\n", 2);
	cr_assert_eq(vet_cli_finish(&c), VET_EXIT_IOERR);
	cr_assert_neq(access(path("out"), F_OK), 0);
	cr_assert_neq(access(path("diff"), F_OK), 0, "--diff committed "
	    "after a failed run");
}

Test(cli, a_failing_extra_output_commits_no_other)
{
	struct vet_cli c;
	int slot;

	if (access("/dev/full", W_OK) != 0)
		cr_skip_test("no /dev/full");
	vet_cli_init(&c, "vet-test", "usage\n");
	c.out_path = path("out");
	c.rejects_path = path("rej");
	slot = vet_cli_output(&c, "--diff", "/dev/full");
	vet_cli_start(&c, 0, NULL);
	cr_redirect_stderr();
	vet_cli_write(&c, "{}\n", 3, 1);
	vet_cli_write_to(&c, slot, "d\n", 2);
	cr_assert_eq(vet_cli_finish(&c), VET_EXIT_IOERR);
	cr_assert_neq(access(path("out"), F_OK), 0, "the output was "
	    "committed though --diff failed");
	cr_assert_neq(access(path("rej"), F_OK), 0);
}

static void
output_names_side_input_child(void)
{
	struct vet_cli c;

	write_file("ev.jsonl", "{}\n", 3);
	vet_cli_init(&c, "vet-test", "usage\n");
	vet_cli_input(&c, "--events", path("ev.jsonl"));
	c.out_path = path("ev.jsonl");
	vet_cli_start(&c, 0, NULL);
	_exit(0);
}

Test(cli, output_naming_a_side_input_is_usage_error)
{
	int st = run_child(output_names_side_input_child);

	cr_assert(WIFEXITED(st) && WEXITSTATUS(st) == VET_EXIT_USAGE,
	    "status %#x", st);
	cr_assert_str_eq(read_file("ev.jsonl"), "{}\n");
	cr_assert_not_null(strstr(read_file("err"), "' is both -o and "
	    "--events: it would be replaced\n"));
}

static void
two_extra_outputs_child(void)
{
	struct vet_cli c;

	vet_cli_init(&c, "vet-test", "usage\n");
	c.out_path = path("o");
	vet_cli_output(&c, "--diff", path("d"));
	vet_cli_output(&c, "--other", path("./d"));
	vet_cli_start(&c, 0, NULL);
	_exit(0);
}

Test(cli, two_outputs_naming_one_new_file_is_usage_error)
{
	int st = run_child(two_extra_outputs_child);

	cr_assert(WIFEXITED(st) && WEXITSTATUS(st) == VET_EXIT_USAGE,
	    "status %#x", st);
	cr_assert_neq(access(path("d"), F_OK), 0);
}

static void
stderr_full_child(void)
{
	struct vet_cli c;
	int fd = open("/dev/full", O_WRONLY);

	if (fd < 0 || dup2(fd, STDERR_FILENO) < 0)
		_exit(99);
	vet_cli_init(&c, "vet-test", "usage\n");
	c.out_path = "/dev/null";
	c.stats = 1;
	vet_cli_start(&c, 0, NULL);
	_exit(vet_cli_finish(&c));
}

Test(cli, a_failed_write_to_stderr_exits_74)
{
	int st;

	if (access("/dev/full", W_OK) != 0)
		cr_skip_test("no /dev/full");
	st = run_child(stderr_full_child);
	cr_assert(WIFEXITED(st) && WEXITSTATUS(st) == VET_EXIT_IOERR,
	    "status %#x", st);
}

Test(cli, rejects_stay_bounded_whatever_the_bytes)
{
	static char nul[30000], quotes[3000], text[3000];
	struct vet_cli c;
	struct stat st;
	const char *want;
	size_t i;

	for (i = 0; i < sizeof quotes; i++)
		quotes[i] = i % 2 ? '"' : '\\';
	for (i = 0; i + 3 <= sizeof text; i += 3)
		memcpy(text + i, "区", 3);
	vet_cli_init(&c, "vet-test", "usage\n");
	c.out_path = path("out");
	c.rejects_path = path("rej");
	vet_cli_start(&c, 0, NULL);
	cr_redirect_stderr();
	/* NULs escape to 6 bytes each, quotes and backslashes to 2: both
	 * go to base64, 4/3. */
	vet_cli_reject1(&c, nul, sizeof nul, "NUL");
	vet_cli_reject1(&c, quotes, sizeof quotes, "quotes");
	vet_cli_reject1(&c, text, sizeof text, "text");
	cr_assert_eq(vet_cli_finish(&c), VET_EXIT_DATA);
	cr_assert_eq(stat(path("rej"), &st), 0);
	cr_assert_leq(st.st_size, (sizeof nul + sizeof quotes + sizeof text) *
	    14 / 10, "%lld bytes", (long long)st.st_size);
	want = strstr(read_file("rej"), "\"raw_base64\":\"");
	cr_assert_not_null(want);
	cr_assert(decoded_is(want + 14, nul, sizeof nul));
	/* Text that escapes cheaply stays readable. */
	cr_assert_not_null(strstr(read_file("rej"), "\"raw\":\"区区区"));
}

Test(cli, streamed_reject_in_any_pieces_decodes_whole)
{
	static char data[10007];
	const char *e = "long";
	struct vet_cli c;
	char *r;
	size_t i, k;
	unsigned long x = 1;

	for (i = 0; i < sizeof data; i++) {
		x = x * 1103515245 + 12345;
		data[i] = (char)(x >> 16);
	}
	vet_cli_init(&c, "vet-test", "usage\n");
	c.out_path = path("out");
	c.rejects_path = path("rej");
	vet_cli_start(&c, 0, NULL);
	cr_redirect_stderr();
	vet_cli_reject_begin(&c, &e, 1);
	for (i = 0; i < sizeof data; i += k) {
		x = x * 1103515245 + 12345;
		k = (x >> 16) % 7;
		if (k > sizeof data - i)
			k = sizeof data - i;
		vet_cli_reject_chunk(&c, data + i, k);
	}
	vet_cli_reject_end(&c);
	cr_assert_eq(vet_cli_finish(&c), VET_EXIT_DATA);
	r = strstr(read_file("rej"), "\"raw_base64\":\"");
	cr_assert_not_null(r);
	cr_assert(decoded_is(r + 14, data, sizeof data));
}

/* The reason a reject is counted under by --stats: values out, the field
 * it is about and the words in. */
Test(cli, reject_reasons_leave_values_out)
{
	static const char *const rows[][2] = {
		{ "unknown district '燕郊镇'", "unknown district" },
		{ "bad check character in id '110105********1233'",
		    "bad check character in id" },
		{ "id was turned into a number by a spreadsheet "
		    "('1.10105E+17')",
		    "id was turned into a number by a spreadsheet" },
		{ "sex 'F' contradicts id", "sex contradicts id" },
		{ "birth_date '1990-01-02' contradicts the birth date in id",
		    "birth_date contradicts the birth date in id" },
		{ "unparseable date '去年春天' in field 'discharge_date'",
		    "unparseable date in field 'discharge_date'" },
		{ "missing required field 'name'",
		    "missing required field 'name'" },
		{ "not a yes/no value 'o'brien' in field "
		    "'unemployment_registered'", "not a yes/no value in "
		    "field 'unemployment_registered'" },
		{ "ragged row (5 fields, header has 7)",
		    "ragged row (N fields, header has N)" },
		{ "invalid UTF-8 at byte offset 1234",
		    "invalid UTF-8 at byte offset N" },
		{ "invalid GB18030 at byte offset 77",
		    "invalid GB18030 at byte offset N" },
		{ "duplicate id '110105********123X': the record on line 12 "
		    "is kept", "duplicate id: the record on line N is kept" },
		{ "invalid literal, expected 'null'",
		    "invalid literal, expected 'null'" },
		{ "expected ',' or '}' in object",
		    "expected ',' or '}' in object" },
		{ "a quote 'never closed", "a quote 'never closed" },
	};
	char out[VET_CLI_REASON_MAX];
	size_t i, n;

	for (i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		n = vet_cli_reason(rows[i][0], out, sizeof out);
		cr_expect_str_eq(out, rows[i][1], "row %zu", i);
		cr_expect_eq(n, strlen(rows[i][1]));
	}
}

/* A reason cut to fit is cut between characters, never inside one. */
Test(cli, reject_reason_cut_at_a_character)
{
	char out[8];

	/* "未知字段" is 12 bytes: 7 fit, so two characters (6 bytes). */
	cr_expect_eq(vet_cli_reason("未知字段", out, sizeof out), 6);
	cr_expect_str_eq(out, "未知");
	cr_expect_eq(vet_cli_reason("x", out, 1), 0);
	cr_expect_str_eq(out, "");
}

/* ---- shared options, the record loop, the extract (cli_opt.c,
 * cli_record.c, cli_extract.c) ------------------------------------------ */

static void
bad_lang_child(void)
{
	struct vet_cli c;

	vet_cli_init(&c, "vet-test", "usage\n");
	vet_cli_option(&c, VET_OPT_LANG, "fr");
}

static void
bad_pick_child(void)
{
	static const char *const bys[] = { "district", "street", "community",
	    NULL };
	struct vet_cli c;

	vet_cli_init(&c, "vet-test", "usage\n");
	vet_cli_pick(&c, "--by", "town", bys);
}

/* The options several tools take are kept in c.opt, as given; --lang is
 * checked as it is read, with the words vet_cli_pick() gives everywhere. */
Test(cli, shared_options_kept_and_checked)
{
	static const char *const two[] = { "xlsx", "csv", NULL };
	struct vet_cli c;
	int st;

	vet_cli_init(&c, "vet-test", "usage\n");
	cr_assert_eq(vet_cli_option(&c, VET_OPT_POLICY, "p.yaml"), 1);
	cr_assert_eq(vet_cli_option(&c, VET_OPT_AS_OF, "2026-09-30"), 1);
	cr_assert_eq(vet_cli_option(&c, VET_OPT_EVENTS, "ev"), 1);
	cr_assert_eq(vet_cli_option(&c, VET_OPT_LANG, "en"), 1);
	cr_assert_eq(vet_cli_option(&c, VET_OPT_UNMASK, NULL), 1);
	cr_assert_eq(vet_cli_option(&c, VET_OPT_FIRST_TOOL, "x"), 0);
	cr_assert_str_eq(c.opt.policy, "p.yaml");
	cr_assert_str_eq(c.opt.as_of, "2026-09-30");
	cr_assert_str_eq(c.opt.events, "ev");
	cr_assert_str_eq(c.opt.lang, "en");
	cr_assert_eq(c.opt.unmask, 1);
	cr_assert_null(c.opt.findings);
	cr_assert_eq(c.opt.no_bom, 0);
	cr_assert_eq(vet_cli_pick(&c, "--format", "csv", two), 1);

	st = run_child(bad_lang_child);
	cr_assert(WIFEXITED(st) && WEXITSTATUS(st) == VET_EXIT_USAGE);
	cr_assert(strstr(read_file("err"), "vet-test: bad --lang 'fr' (want "
	    "zh or en)\n") != NULL, "%s", read_file("err"));
	st = run_child(bad_pick_child);
	cr_assert(WIFEXITED(st) && WEXITSTATUS(st) == VET_EXIT_USAGE);
	cr_assert(strstr(read_file("err"), "vet-test: bad --by 'town' (want "
	    "district, street or community)\n") != NULL, "%s",
	    read_file("err"));
	vet_cli_release(&c);
}

static void
two_stdins_child(void)
{
	static const char *side[] = { NULL, "-" };
	struct vet_cli c;

	vet_cli_init(&c, "vet-test", "usage\n");
	vet_cli_stdin_once(&c, side, 2, 0, NULL, "two on stdin");
}

Test(cli, one_input_at_most_on_stdin)
{
	static const char *side[] = { "ev", "-" };
	static char *files[] = { "a.jsonl" };
	static char *dash[] = { "a.jsonl", "-" };
	struct vet_cli c;
	int st;

	vet_cli_init(&c, "vet-test", "usage\n");
	/* Nothing on stdin but the one side file: allowed. */
	vet_cli_stdin_once(&c, side, 2, 1, files, "no");
	side[1] = NULL;
	vet_cli_stdin_once(&c, side, 2, 0, NULL, "no");
	vet_cli_stdin_once(&c, side, 2, 2, dash, "no");
	st = run_child(two_stdins_child);
	cr_assert(WIFEXITED(st) && WEXITSTATUS(st) == VET_EXIT_USAGE);
	cr_assert(strstr(read_file("err"), "vet-test: two on stdin\n") !=
	    NULL);
	vet_cli_release(&c);
}

/*
 * The record loop: bad JSON and an id given twice are rejected with their
 * column (or without, VET_CLI_NO_COLUMN); vet_cli_took() rejects what the
 * tool refuses with its message alone and counts nothing twice.
 */
static void
record_loop(int flags, const char *rejects)
{
	static const char in[] = "{\"id\":\"1\"}\n{\"id\":\n"
	    "{\"id\":\"2\",\"id\":\"3\"}\n{\"id\":\"bad\"}\n\n{\"id\":\"4\"}\n";
	struct vet_cli c;
	struct vet_record rec;
	struct vet_error err;
	struct vet_span line;
	char *args[1];
	int took = 0, rc;

	write_file("in", in, sizeof in - 1);
	args[0] = path("in");
	vet_cli_init(&c, "vet-test", "usage\n");
	c.out_path = path("out");
	c.rejects_path = path(rejects);
	vet_cli_start(&c, 1, args);
	vet_record_init(&rec);
	while (vet_cli_next_record(&c, &rec, &line, flags)) {
		vet_error_clear(&err);
		rc = vet_record_get(&rec, "id")->val.n == 5 ?
		    vet_error_set(&err, VET_EDATA, NULL, 0, 3, "refused") : 0;
		took += vet_cli_took(&c, rc, line, &err);
	}
	vet_record_release(&rec);
	cr_assert_eq(c.nread, 5);
	cr_assert_eq(took, flags & VET_CLI_ID_ONCE ? 2 : 3);
	cr_assert_eq(c.nrejected, flags & VET_CLI_ID_ONCE ? 3 : 2);
	cr_assert_eq(vet_cli_finish(&c), VET_EXIT_DATA);
}

Test(cli, record_loop_rejects_what_is_no_record)
{
	cr_redirect_stderr();
	record_loop(VET_CLI_ID_ONCE, "rej1");
	cr_assert(strstr(read_file("rej1"), "\"line\":2,") != NULL);
	cr_assert(strstr(read_file("rej1"), "(column ") != NULL);
	cr_assert(strstr(read_file("rej1"), "\"errors\":[\"field 'id' given "
	    "twice (column 11)\"]") != NULL, "%s", read_file("rej1"));
	/* The tool's refusal has its message alone, column or not. */
	cr_assert(strstr(read_file("rej1"), "\"errors\":[\"refused\"]") !=
	    NULL);
	record_loop(VET_CLI_NO_COLUMN, "rej2");
	cr_assert(strstr(read_file("rej2"), "(column ") == NULL, "%s",
	    read_file("rej2"));
	cr_assert(strstr(read_file("rej2"), "given twice") == NULL);
}

static long long
count_lines(void *ctx, const char *p, size_t n, struct vet_error *err)
{
	long long k = 0;
	size_t i;

	if (n == 0)
		return vet_error_set(err, VET_EDATA, NULL, 0, 0, "empty");
	for (i = 0; i < n; i++)
		k += p[i] == '\n';
	return k;
}

static void
empty_whole_child(void)
{
	struct vet_cli c;
	char *args[2];

	args[0] = path("w1");
	args[1] = path("w0");
	vet_cli_init(&c, "vet-test", "usage\n");
	c.out_path = path("wout0");
	vet_cli_start(&c, 2, args);
	vet_cli_each_whole(&c, count_lines, NULL);
	exit(0);
}

/* Inputs read whole (vet-report --merge): what fn takes counts as read,
 * and a refusal ends the run naming the input. */
Test(cli, whole_inputs_each_handed_over)
{
	struct vet_cli c;
	char *args[2];
	int st;

	write_file("w1", "a\nb\n", 4);
	write_file("w2", "{\n}\n\n", 5);
	write_file("w0", "", 0);
	args[0] = path("w1");
	args[1] = path("w2");
	vet_cli_init(&c, "vet-test", "usage\n");
	c.out_path = path("wout");
	vet_cli_start(&c, 2, args);
	cr_assert_eq(vet_cli_each_whole(&c, count_lines, NULL), 5);
	cr_assert_eq(c.nread, 5);
	cr_assert_eq(vet_cli_finish(&c), VET_EXIT_OK);
	st = run_child(empty_whole_child);
	cr_assert(WIFEXITED(st) && WEXITSTATUS(st) == VET_EXIT_DATA);
	cr_assert(strstr(read_file("err"), "w0: empty\n") != NULL, "%s",
	    read_file("err"));
	cr_assert_eq(access(path("wout0"), F_OK), -1);
}

/*
 * vet-reconcile's extract, JSON Lines or CSV: its records join the
 * reconciler, a duplicate goes to --diff, a bad line is rejected and
 * everything counts on the "extract" line, not the main stream.
 */
static void
read_extract(const char *name, const char *text, long long nread,
    long long nrej)
{
	struct vet_cli c;
	struct vet_cli_extract x;
	struct vet_reconcile_counts n;
	struct vet_policy *p;
	struct vet_error err;
	struct vet_buf diff = VET_BUF_INIT;

	write_file(name, text, strlen(text));
	cr_assert_eq(vet_policy_load(&p, NULL, &err), 0);
	memset(&x, 0, sizeof x);
	x.policy = p;
	vet_date_parse("2026-09-30", 10, &x.as_of);
	x.path = path(name);
	x.diff = &diff;
	cr_assert_eq(vet_reconcile_init(&x.rc, p, "hr", x.as_of, 0, &err), 0);
	vet_cli_init(&c, "vet-test", "usage\n");
	c.out_path = path("out");
	vet_cli_input(&c, "--extract", x.path);
	x.slot = vet_cli_output(&c, "--diff", path("diff"));
	vet_cli_start(&c, 0, NULL);
	vet_cli_read_extract(&c, &x);
	vet_cli_flush_to(&c, x.slot, &diff, 0);
	vet_reconcile_counts(x.rc, &n);
	cr_assert_eq(n.extract_records, 2, "%s", name);
	cr_assert_eq(n.duplicate, 1, "%s", name);
	cr_assert_eq(c.nread, 0);
	cr_assert_eq(c.ntally, 1);
	cr_assert_str_eq(c.tally[0].name, "extract");
	cr_assert_eq(c.tally[0].nread, nread, "%s", name);
	cr_assert_eq(c.tally[0].nrejected, nrej, "%s", name);
	cr_assert_null(c.counting);
	cr_assert_eq(vet_cli_finish(&c), nrej > 0 ? VET_EXIT_DATA :
	    VET_EXIT_OK);
	cr_assert(strstr(read_file("diff"), "\"diff\":\"duplicate\"") !=
	    NULL, "%s", read_file("diff"));
	vet_buf_release(&diff);
	vet_reconcile_release(x.rc);
	vet_policy_free(p);
}

Test(cli, extract_read_as_jsonl_or_csv)
{
	cr_redirect_stderr();
	read_extract("ex.jsonl", "{\"id\":\"110105199001011232\"}\n\n"
	    "{\"id\":\"110101198001010010\"}\n[1]\n"
	    "{\"id\":\"110105199001011232\"}\n", 4, 1);
	read_extract("ex.csv", "身份证号,姓名\n110105199001011232,甲\n"
	    "110101198001010010,乙\n110105199001011232,甲\n", 3, 0);
}
