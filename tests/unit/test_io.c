/*
 * Unit tests for io.c: gzip detection, multi-member and truncated streams,
 * line splitting with the size limit, and complete-or-absent output.
 */
#define _GNU_SOURCE	/* F_GETPIPE_SZ */
#include <criterion/criterion.h>

#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include "vet/io.h"

static char dir[64];

static void
setup(void)
{
	strcpy(dir, "/tmp/vet-test-io.XXXXXX");
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
	static char p[4][128];
	static int k;

	k = (k + 1) % 4;
	snprintf(p[k], sizeof p[k], "%s/%s", dir, name);
	return p[k];
}

static void
write_file(const char *name, const void *data, size_t n)
{
	FILE *f = fopen(path(name), "wb");

	cr_assert_not_null(f);
	cr_assert_eq(fwrite(data, 1, n, f), n);
	cr_assert_eq(fclose(f), 0);
}

/* gzip-compresses data with zlib into out, returning the size. */
static size_t
gzip_bytes(const char *data, size_t n, unsigned char *out, size_t cap)
{
	z_stream zs;

	memset(&zs, 0, sizeof zs);
	cr_assert_eq(deflateInit2(&zs, 6, Z_DEFLATED, 15 + 16, 8,
	    Z_DEFAULT_STRATEGY), Z_OK);
	zs.next_in = (unsigned char *)data;
	zs.avail_in = (uInt)n;
	zs.next_out = out;
	zs.avail_out = (uInt)cap;
	cr_assert_eq(deflate(&zs, Z_FINISH), Z_STREAM_END);
	deflateEnd(&zs);
	return cap - zs.avail_out;
}

/* Reads all lines of a file into one string joined by '|'. */
static int
read_lines(const char *name, size_t max, char *out, size_t cap,
    struct vet_error *err)
{
	struct vet_input *in;
	struct vet_span line;
	size_t len = 0;
	int r;

	out[0] = '\0';
	r = vet_input_open(&in, path(name), err);
	if (r < 0)
		return r;
	while ((r = vet_input_line(in, &line, max, NULL, NULL, err)) > 0) {
		if (r == VET_LINE_LONG)
			len += (size_t)snprintf(out + len, cap - len, "<long>|");
		else
			len += (size_t)snprintf(out + len, cap - len, "%.*s|",
			    (int)line.n, line.p);
	}
	vet_input_close(in);
	return r;
}

TestSuite(io, .init = setup, .fini = teardown);

Test(io, plain_lines_and_final_line_without_newline)
{
	char got[256];
	struct vet_error err;

	write_file("a", "one\ntwo\r\n\nthree", 15);
	cr_assert_eq(read_lines("a", 1000, got, sizeof got, &err), 0);
	cr_assert_str_eq(got, "one|two\r||three|");
}

Test(io, empty_file_has_no_lines)
{
	char got[64];
	struct vet_error err;

	write_file("e", "", 0);
	cr_assert_eq(read_lines("e", 1000, got, sizeof got, &err), 0);
	cr_assert_str_eq(got, "");
}

Test(io, gzip_detected_by_magic_not_name)
{
	unsigned char z[256];
	size_t n = gzip_bytes("a\nb\n", 4, z, sizeof z);
	char got[64];
	struct vet_error err;

	write_file("plain.txt", z, n);
	cr_assert_eq(read_lines("plain.txt", 1000, got, sizeof got, &err), 0);
	cr_assert_str_eq(got, "a|b|");
}

Test(io, gzip_multi_member)
{
	unsigned char z[512];
	size_t n = gzip_bytes("a\nb", 3, z, sizeof z);

	n += gzip_bytes("c\nd\n", 4, z + n, sizeof z - n);
	char got[64];
	struct vet_error err;

	write_file("m.gz", z, n);
	cr_assert_eq(read_lines("m.gz", 1000, got, sizeof got, &err), 0);
	cr_assert_str_eq(got, "a|bc|d|");
}

Test(io, gzip_truncated_is_an_error)
{
	char data[4096];
	unsigned char z[8192];
	size_t n, i;
	char got[8192];
	struct vet_error err;

	for (i = 0; i < sizeof data; i++)
		data[i] = (char)('a' + i * 7 % 26);
	n = gzip_bytes(data, sizeof data, z, sizeof z);
	write_file("t.gz", z, n - 9);
	vet_error_clear(&err);
	cr_assert_eq(read_lines("t.gz", 100000, got, sizeof got, &err),
	    VET_EDATA);
	cr_assert(strstr(err.msg, "truncated") != NULL, "%s", err.msg);
}

Test(io, gzip_trailing_garbage_is_an_error)
{
	unsigned char z[256];
	size_t n = gzip_bytes("a\n", 2, z, sizeof z);
	char got[64];
	struct vet_error err;

	memcpy(z + n, "junk", 4);
	write_file("g.gz", z, n + 4);
	cr_assert_eq(read_lines("g.gz", 1000, got, sizeof got, &err),
	    VET_EDATA);
}

Test(io, gzip_corrupt_is_an_error)
{
	unsigned char z[256];
	size_t n = gzip_bytes("hello hello hello\n", 18, z, sizeof z);
	char got[64];
	struct vet_error err;

	z[12] ^= 0xff;
	z[13] ^= 0xff;
	write_file("c.gz", z, n);
	cr_assert_lt(read_lines("c.gz", 1000, got, sizeof got, &err), 0);
}

struct sink_state {
	size_t total;
	int calls;
};

static int
count_sink(void *ctx, const char *p, size_t n)
{
	struct sink_state *s = ctx;
	size_t i;

	for (i = 0; i < n; i++)
		cr_assert_eq(p[i], 'x');
	s->total += n;
	s->calls++;
	return 0;
}

Test(io, long_line_streamed_to_sink_not_held)
{
	size_t big = 5u * 1024 * 1024, i;
	char *data = malloc(big + 16);
	struct vet_input *in;
	struct vet_span line;
	struct sink_state s = { 0, 0 };
	struct vet_error err;

	cr_assert_not_null(data);
	memcpy(data, "ok\n", 3);
	for (i = 3; i < big + 3; i++)
		data[i] = 'x';
	memcpy(data + big + 3, "\nend\n", 5);
	write_file("long", data, big + 8);
	free(data);

	cr_assert_eq(vet_input_open(&in, path("long"), &err), 0);
	cr_assert_eq(vet_input_line(in, &line, 1000, count_sink, &s, &err),
	    VET_LINE_OK);
	cr_assert_eq(line.n, 2);
	cr_assert_eq(vet_input_line(in, &line, 1000, count_sink, &s, &err),
	    VET_LINE_LONG);
	cr_assert_eq(s.total, big);
	cr_assert_gt(s.calls, 1, "the line should arrive in chunks");
	cr_assert_eq(vet_input_lineno(in), 2);
	cr_assert_eq(vet_input_line(in, &line, 1000, count_sink, &s, &err),
	    VET_LINE_OK);
	cr_assert_eq(line.n, 3);
	cr_assert_eq(memcmp(line.p, "end", 3), 0);
	cr_assert_eq(vet_input_lineno(in), 3);
	cr_assert_eq(vet_input_line(in, &line, 1000, count_sink, &s, &err),
	    VET_LINE_EOF);
	vet_input_close(in);
}

Test(io, line_just_at_limit_is_kept)
{
	char got[64];
	struct vet_error err;

	write_file("l", "abcde\nabcdef\n", 13);
	cr_assert_eq(read_lines("l", 5, got, sizeof got, &err), 0);
	cr_assert_str_eq(got, "abcde|<long>|");
}

Test(io, missing_input_is_enoent)
{
	struct vet_input *in;
	struct vet_error err;

	cr_assert_eq(vet_input_open(&in, path("nope"), &err), VET_ENOENT);
	cr_assert(strstr(err.msg, "cannot open") != NULL);
}

Test(io, slurp_reads_gzip)
{
	unsigned char z[256];
	size_t n = gzip_bytes("key: value\n", 11, z, sizeof z);
	struct vet_buf b = VET_BUF_INIT;
	struct vet_error err;

	write_file("s", z, n);
	cr_assert_eq(vet_input_slurp(path("s"), &b, &err), 0);
	cr_assert_str_eq(b.data, "key: value\n");
	vet_buf_release(&b);
}

Test(io, output_is_renamed_into_place_only_on_commit)
{
	struct vet_output *o;
	struct vet_error err;
	struct stat st;
	char cmd[256];

	cr_assert_eq(vet_output_open(&o, path("out"), 0, &err), 0);
	cr_assert_eq(vet_output_write(o, "hello\n", 6, &err), 0);
	cr_assert_neq(stat(path("out"), &st), 0, "target must not exist yet");
	cr_assert_eq(vet_output_close(o, 1, &err), 0);
	cr_assert_eq(stat(path("out"), &st), 0);
	cr_assert_eq(st.st_size, 6);

	/* An aborted output leaves the old file and no temporary. */
	cr_assert_eq(vet_output_open(&o, path("out"), 0, &err), 0);
	cr_assert_eq(vet_output_write(o, "partial", 7, &err), 0);
	cr_assert_eq(vet_output_close(o, 0, &err), 0);
	cr_assert_eq(stat(path("out"), &st), 0);
	cr_assert_eq(st.st_size, 6);
	snprintf(cmd, sizeof cmd, "test $(ls '%s' | wc -l) -eq 1", dir);
	cr_assert_eq(system(cmd), 0, "a temporary file was left behind");
}

Test(io, gzip_output_by_name_round_trips)
{
	struct vet_output *o;
	struct vet_buf b = VET_BUF_INIT;
	struct vet_error err;
	char big[100000];
	size_t i;

	for (i = 0; i < sizeof big; i++)
		big[i] = (char)('a' + i % 26);
	cr_assert_eq(vet_output_open(&o, path("x.gz"), 0, &err), 0);
	cr_assert_eq(vet_output_write(o, big, sizeof big, &err), 0);
	cr_assert_eq(vet_output_write(o, "!", 1, &err), 0);
	cr_assert_eq(vet_output_close(o, 1, &err), 0);
	cr_assert_eq(vet_input_slurp(path("x.gz"), &b, &err), 0);
	cr_assert_eq(b.len, sizeof big + 1);
	cr_assert_eq(memcmp(b.data, big, sizeof big), 0);
	cr_assert_eq(b.data[sizeof big], '!');
	vet_buf_release(&b);
}

Test(io, full_disk_is_eio)
{
	struct vet_output *o;
	struct vet_error err;
	char chunk[4096] = { 0 };
	int i, r = 0;

	if (access("/dev/full", W_OK) != 0)
		cr_skip_test("no /dev/full");
	cr_assert_eq(vet_output_open(&o, "/dev/full", 0, &err), 0);
	for (i = 0; i < 200 && r == 0; i++)
		r = vet_output_write(o, chunk, sizeof chunk, &err);
	if (r == 0)
		r = vet_output_close(o, 1, &err);
	else
		vet_output_close(o, 1, NULL);
	cr_assert_eq(r, VET_EIO);
	cr_assert(strstr(err.msg, "No space left") != NULL, "%s", err.msg);
}

Test(io, gzip_corrupt_late_still_delivers_the_lines_before)
{
	static char data[200000];
	static unsigned char z[300000];
	static char got[400000];
	struct vet_error err;
	unsigned long x = 12345;
	size_t n, i;

	/* Random letters, so the compressed stream is long and the damage
	 * near its end comes well after the first lines. */
	for (i = 0; i < sizeof data; i++) {
		x = x * 6364136223846793005UL + 1442695040888963407UL;
		data[i] = i % 64 == 63 ? '\n' : (char)('a' + (x >> 33) % 26);
	}
	n = gzip_bytes(data, sizeof data, z, sizeof z);
	z[n * 3 / 4] ^= 0x55;
	write_file("late.gz", z, n);
	vet_error_clear(&err);
	cr_assert_lt(read_lines("late.gz", 100000, got, sizeof got, &err), 0);
	cr_assert_eq(err.status, VET_EDATA);
	cr_assert_eq(strncmp(got, data, 63), 0,
	    "the lines before the damage are lost: '%.40s'", got);
}

Test(io, directory_input_cannot_be_opened)
{
	struct vet_input *in;
	struct vet_error err;

	vet_error_clear(&err);
	cr_assert_eq(vet_input_open(&in, dir, &err), VET_ENOENT);
	cr_assert_null(in);
	cr_assert(strstr(err.msg, "directory") != NULL, "%s", err.msg);
}

Test(io, output_through_symlink_replaces_its_target_and_keeps_the_link)
{
	struct vet_output *o;
	struct vet_buf b = VET_BUF_INIT;
	struct vet_error err;
	struct stat st;

	write_file("target", "old\n", 4);
	cr_assert_eq(symlink("target", path("link")), 0);
	cr_assert_eq(vet_output_open(&o, path("link"), 0, &err), 0);
	cr_assert_eq(vet_output_write(o, "new\n", 4, &err), 0);
	cr_assert_eq(vet_output_close(o, 1, &err), 0);
	cr_assert_eq(lstat(path("link"), &st), 0);
	cr_assert(S_ISLNK(st.st_mode), "the link was replaced by a file");
	cr_assert_eq(vet_input_slurp(path("target"), &b, &err), 0);
	cr_assert_str_eq(b.data, "new\n");
	vet_buf_release(&b);
}

Test(io, output_through_dangling_symlink_creates_its_target)
{
	struct vet_output *o;
	struct vet_error err;
	struct stat st;

	cr_assert_eq(symlink("made", path("dangling")), 0);
	cr_assert_eq(vet_output_open(&o, path("dangling"), 0, &err), 0);
	cr_assert_eq(vet_output_write(o, "x\n", 2, &err), 0);
	cr_assert_eq(vet_output_close(o, 1, &err), 0);
	cr_assert_eq(lstat(path("dangling"), &st), 0);
	cr_assert(S_ISLNK(st.st_mode));
	cr_assert_eq(stat(path("made"), &st), 0);
	cr_assert_eq(st.st_size, 2);
}

Test(io, replaced_file_keeps_its_mode)
{
	struct vet_output *o;
	struct vet_error err;
	struct stat st;

	write_file("m", "old\n", 4);
	cr_assert_eq(chmod(path("m"), 0640), 0);
	cr_assert_eq(vet_output_open(&o, path("m"), 0, &err), 0);
	cr_assert_eq(vet_output_write(o, "new\n", 4, &err), 0);
	cr_assert_eq(vet_output_close(o, 1, &err), 0);
	cr_assert_eq(stat(path("m"), &st), 0);
	cr_assert_eq(st.st_mode & 07777, 0640, "mode %o", st.st_mode & 07777);
}

Test(io, read_only_file_is_not_replaced)
{
	struct vet_output *o;
	struct vet_buf b = VET_BUF_INIT;
	struct vet_error err;

	write_file("ro", "keep\n", 5);
	cr_assert_eq(chmod(path("ro"), 0444), 0);
	if (access(path("ro"), W_OK) == 0)
		cr_skip_test("running with privileges that ignore modes");
	vet_error_clear(&err);
	cr_assert_eq(vet_output_open(&o, path("ro"), 0, &err), VET_EIO);
	cr_assert(strstr(err.msg, "Permission denied") != NULL, "%s",
	    err.msg);
	cr_assert_eq(vet_input_slurp(path("ro"), &b, &err), 0);
	cr_assert_str_eq(b.data, "keep\n");
	vet_buf_release(&b);
}

Test(io, broken_pipe_is_remembered)
{
	struct vet_output *o;
	struct vet_error err;
	int fds[2], saved;
	void (*old)(int);

	cr_assert_eq(pipe(fds), 0);
	close(fds[0]);
	saved = dup(STDOUT_FILENO);
	cr_assert_eq(dup2(fds[1], STDOUT_FILENO), STDOUT_FILENO);
	close(fds[1]);
	old = signal(SIGPIPE, SIG_IGN);
	cr_assert_eq(vet_output_open(&o, NULL, 0, &err), 0);
	cr_assert_eq(vet_output_errno(o), 0);
	cr_assert_eq(vet_output_write(o, "x\n", 2, &err), 0);
	cr_assert_eq(vet_output_flush(o, &err), VET_EIO);
	cr_assert_eq(vet_output_errno(o), EPIPE);
	vet_output_close(o, 0, NULL);
	signal(SIGPIPE, old);
	dup2(saved, STDOUT_FILENO);
	close(saved);
}

Test(io, unlink_temps_removes_uncommitted_files)
{
	struct vet_output *o;
	struct vet_error err;
	char cmd[256];

	cr_assert_eq(vet_output_open(&o, path("t"), 0, &err), 0);
	cr_assert_eq(vet_output_write(o, "x\n", 2, &err), 0);
	cr_assert_eq(vet_output_flush(o, &err), 0);
	vet_output_unlink_temps();
	snprintf(cmd, sizeof cmd, "test -z \"$(ls -A '%s')\"", dir);
	cr_assert_eq(system(cmd), 0, "a temporary file is left");
	cr_assert_eq(vet_output_close(o, 0, &err), 0);
}

/* Issue 18 item 8: what a SIGKILL leaves is found by its fixed prefix,
 * as the man pages' FILES say (find DIR -name '.vet-tmp.*'). */
Test(io, a_temporary_has_the_documented_prefix)
{
	struct vet_output *o;
	struct vet_error err;
	char cmd[512];

	cr_assert_eq(vet_output_open(&o, path("p"), 0, &err), 0);
	cr_assert_eq(vet_output_write(o, "x\n", 2, &err), 0);
	cr_assert_eq(vet_output_flush(o, &err), 0);
	snprintf(cmd, sizeof cmd, "test \"$(cd '%s' && find . -name "
	    "'.vet-tmp.*' | wc -l)\" -eq 1 && test -z \"$(cd '%s' && "
	    "ls)\"", dir, dir);
	cr_assert_eq(system(cmd), 0, "no one .vet-tmp.XXXXXX beside the "
	    "target, or something else");
	cr_assert_eq(vet_output_close(o, 0, &err), 0);
}

Test(io, slurp_refuses_an_endless_file)
{
	struct vet_buf b = VET_BUF_INIT;
	struct vet_error err;

	if (access("/dev/zero", R_OK) != 0)
		cr_skip_test("no /dev/zero");
	vet_error_clear(&err);
	cr_assert_eq(vet_input_slurp("/dev/zero", &b, &err), VET_EDATA);
	cr_assert(strstr(err.msg, "larger than") != NULL, "%s", err.msg);
	cr_assert_leq(b.cap, 2 * VET_SLURP_MAX);
	vet_buf_release(&b);
}

Test(io, dev_fd_output_writes_the_descriptor_as_opened)
{
	struct vet_output *o;
	struct vet_buf b = VET_BUF_INIT;
	struct vet_error err;
	struct stat st;
	char name[32];
	int fd;

	write_file("log", "old\n", 4);
	fd = open(path("log"), O_WRONLY | O_APPEND);
	cr_assert_geq(fd, 0);
	snprintf(name, sizeof name, "/dev/fd/%d", fd);
	if (stat(name, &st) != 0)
		cr_skip_test("no /dev/fd");
	cr_assert_eq(vet_output_open(&o, name, 0, &err), 0);
	cr_assert_eq(vet_output_write(o, "new\n", 4, &err), 0);
	cr_assert_eq(vet_output_close(o, 1, &err), 0);
	cr_assert_geq(fcntl(fd, F_GETFD), 0, "the caller's descriptor was "
	    "closed");
	close(fd);
	cr_assert_eq(vet_input_slurp(path("log"), &b, &err), 0);
	cr_assert_str_eq(b.data, "old\nnew\n");
	vet_buf_release(&b);
}

/*
 * A quarter's pipeline on two cores took 4.1 s with the kernel's 64 KiB
 * pipes and 2.6 s with 1 MiB ones: both ends widen a pipe they are given.
 */
static long
pipe_max(void)
{
	FILE *f = fopen("/proc/sys/fs/pipe-max-size", "r");
	long v = 0;

	cr_assert_not_null(f);
	cr_assert_eq(fscanf(f, "%ld", &v), 1);
	fclose(f);
	return v < 1024 * 1024 ? v : 1024 * 1024;
}

Test(io, stdout_pipe_is_widened)
{
	struct vet_output *o;
	struct vet_error err;
	int p[2], saved;

	cr_assert_eq(pipe(p), 0);
	cr_assert_eq(fcntl(p[1], F_GETPIPE_SZ), 65536);
	saved = dup(STDOUT_FILENO);
	cr_assert_eq(dup2(p[1], STDOUT_FILENO), STDOUT_FILENO);
	cr_assert_eq(vet_output_open(&o, NULL, 0, &err), 0);
	cr_expect_eq(fcntl(p[1], F_GETPIPE_SZ), pipe_max());
	vet_output_close(o, 0, &err);
	dup2(saved, STDOUT_FILENO);
	close(saved);
}

Test(io, stdin_pipe_is_widened)
{
	struct vet_input *in;
	struct vet_error err;
	int p[2], saved;

	cr_assert_eq(pipe(p), 0);
	saved = dup(STDIN_FILENO);
	cr_assert_eq(dup2(p[0], STDIN_FILENO), STDIN_FILENO);
	cr_assert_eq(vet_input_open(&in, NULL, &err), 0);
	cr_expect_eq(fcntl(p[0], F_GETPIPE_SZ), pipe_max());
	vet_input_close(in);
	dup2(saved, STDIN_FILENO);
	close(saved);
}

/* ---- the buffers of a small file (io.c: in->small) --------------------- */

/*
 * A file under a chunk gets buffers of its size at open; one that grows
 * after the open is still read whole, its long lines too, in the order
 * written.
 */
Test(io, small_file_that_grows_after_open_is_read_whole)
{
	struct vet_input *in;
	struct vet_span line;
	struct vet_error err;
	char big[40000];
	FILE *f;
	size_t n = 0, bytes = 0;
	int i, r;

	write_file("g", "first\n", 6);
	cr_assert_eq(vet_input_open(&in, path("g"), &err), 0, "%s", err.msg);
	memset(big, 'x', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	f = fopen(path("g"), "ab");
	cr_assert_not_null(f);
	for (i = 0; i < 8; i++)
		fprintf(f, "%d%s\n", i, big);
	fputs("last", f);
	cr_assert_eq(fclose(f), 0);
	while ((r = vet_input_line(in, &line, 1 << 20, NULL, NULL, &err)) >
	    0) {
		cr_assert_eq(r, VET_LINE_OK);
		if (n == 0)
			cr_assert(line.n == 5 && memcmp(line.p, "first", 5) == 0);
		else if (n <= 8)
			cr_assert(line.n == sizeof big &&
			    line.p[0] == (char)('0' + n - 1) &&
			    line.p[sizeof big - 1] == 'x', "line %zu", n);
		else
			cr_assert(line.n == 4 && memcmp(line.p, "last", 4) == 0);
		bytes += line.n;
		n++;
	}
	cr_assert_eq(r, 0, "%s", err.msg);
	cr_assert_eq(n, 10);
	cr_assert_eq(bytes, 5 + 8 * sizeof big + 4);
	vet_input_close(in);
}

/* A small gzip file that expands to far more than its buffers: the lines
 * come whole. */
Test(io, small_gzip_that_expands_is_read_whole)
{
	static char text[600000];
	static unsigned char z[65536];
	struct vet_input *in;
	struct vet_span line;
	struct vet_error err;
	size_t i, n, lines = 0;
	int r;

	for (i = 0; i < sizeof text; i++)
		text[i] = (i + 1) % 1000 == 0 ? '\n' : 'a';
	n = gzip_bytes(text, sizeof text, z, sizeof z);
	cr_assert_lt(n, 8192);
	write_file("z", z, n);
	cr_assert_eq(vet_input_open(&in, path("z"), &err), 0, "%s", err.msg);
	while ((r = vet_input_line(in, &line, 1 << 20, NULL, NULL, &err)) >
	    0) {
		cr_assert_eq(line.n, 999);
		lines++;
	}
	cr_assert_eq(r, 0, "%s", err.msg);
	cr_assert_eq(lines, sizeof text / 1000);
	vet_input_close(in);
}

/* An output written a byte, then a block, at a time: the buffer that grows
 * from a small start loses and reorders nothing. */
Test(io, output_buffer_grows_without_losing_a_byte)
{
	static char block[100000], back[1 << 20];
	struct vet_output *o;
	struct vet_error err;
	FILE *f;
	size_t i, n = 0, k;

	for (i = 0; i < sizeof block; i++)
		block[i] = (char)('a' + i % 26);
	cr_assert_eq(vet_output_open(&o, path("out"), 0, &err), 0, "%s",
	    err.msg);
	for (i = 0; i < 9; i++) {
		cr_assert_eq(vet_output_write(o, "#", 1, &err), 0);
		cr_assert_eq(vet_output_write(o, block, sizeof block, &err), 0);
	}
	cr_assert_eq(vet_output_close(o, 1, &err), 0, "%s", err.msg);
	f = fopen(path("out"), "rb");
	cr_assert_not_null(f);
	n = fread(back, 1, sizeof back, f);
	fclose(f);
	cr_assert_eq(n, 9 * (1 + sizeof block));
	for (i = 0; i < 9; i++) {
		k = i * (1 + sizeof block);
		cr_assert_eq(back[k], '#');
		cr_assert(memcmp(back + k + 1, block, sizeof block) == 0);
	}
}
