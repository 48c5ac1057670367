/*
 * test_xls.c - the .xls reader (xls.h) on the BIFF8 workbooks that
 * LibreOffice made in tests/data/intake/workbooks (make.py there).
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "vet/sheet.h"
#include "vet/xls.h"

#define WB VET_TEST_DATA "/intake/workbooks/"

Test(xls, ledger_as_libreoffice_wrote_it)
{
	struct vet_xls *x;
	struct vet_sheet_row r;
	struct vet_error e;
	int rc;

	cr_assert_eq(vet_xls_open(&x, WB "ledger.xls", 1 << 20, &e), 0, "%s",
	    e.msg);
	cr_assert_eq(vet_xls_nsheets(x), 3);
	cr_assert_str_eq(vet_xls_sheet_name(x, 1), "幸福社区");
	cr_assert_eq(vet_xls_sheet_open(x, 1, &e), 0);
	cr_assert_eq(vet_xls_next(x, &r, &e), 1);
	cr_assert_eq(r.line, 1);
	cr_assert_eq(r.n, 1);
	cr_assert_eq(vet_xls_next(x, &r, &e), 1);
	cr_assert_eq(r.line, 3, "the blank row 2 is not given");
	cr_assert_eq(r.kind[8], VET_CELL_DATE);
	cr_assert_eq(r.cells[8].n, 10);
	cr_assert_eq(memcmp(r.cells[8].p, "2026-09-30", 10), 0);
	cr_assert_eq(vet_xls_next(x, &r, &e), 1);	/* header */
	cr_assert_eq(vet_xls_next(x, &r, &e), 1);
	cr_assert_eq(r.line, 5);
	cr_assert_eq(memcmp(r.cells[3].p, "1993-01-30", 10), 0);
	cr_assert_eq(r.kind[4], VET_CELL_NUMBER);
	cr_assert_eq(r.cells[4].n, 11);
	cr_assert_eq(memcmp(r.cells[4].p, "15453836370", 11), 0);
	cr_assert_eq(vet_xls_next(x, &r, &e), 1);
	cr_assert_eq(r.kind[0], VET_CELL_NUMBER, "the id Excel kept as a "
	    "number");
	while ((rc = vet_xls_next(x, &r, &e)) > 0)
		;
	cr_assert_eq(rc, 0);
	cr_assert_eq(r.line, 8);
	vet_xls_close(x);
}

Test(xls, not_a_workbook)
{
	struct vet_xls *x;
	struct vet_error e;

	cr_assert_eq(vet_xls_open(&x, WB "ledger.xlsx", 1 << 20, &e),
	    VET_EDATA);
	cr_assert_null(x);
	cr_assert_eq(vet_xls_open(&x, WB "no-such.xls", 1 << 20, &e),
	    VET_EDATA);
}

/*
 * The reader runs in a child process (xls.c): what the parent does when
 * that child crashes, loops, or sends what is not a workbook.  The fake
 * children below stand for a freexl that a crafted file took over.
 */
#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../../lib/xls_impl.h"

#define HOSTILE "damaged or hostile .xls (its reader failed)"

static void
put(int fd, int type, const void *p, size_t n)
{
	unsigned char h[5] = { (unsigned char)type, (unsigned char)n,
	    (unsigned char)(n >> 8), (unsigned char)(n >> 16),
	    (unsigned char)(n >> 24) };

	if (write(fd, h, 5) != 5 || (n > 0 && write(fd, p, n) != (ssize_t)n))
		_exit(9);
}

/* A book of one sheet "s", as the real child starts. */
static void
put_book(int fd)
{
	unsigned char one[4] = { 1, 0, 0, 0 };

	put(fd, 'B', one, 4);
	put(fd, 'N', "s", 1);
}

static void
wait_request(int fd)
{
	unsigned char b[4];
	size_t got = 0;
	ssize_t k;

	while (got < 4 && (k = read(fd, b + got, 4 - got)) > 0)
		got += (size_t)k;
}

static void
crash_at_open(int fd, const char *path, size_t max, void *arg)
{
	raise(SIGSEGV);
}

static void
loop_forever(int fd, const char *path, size_t max, void *arg)
{
	volatile unsigned long n = 0;

	for (;;)
		n++;
}

/* arg: the bytes of the first frame after the book, a row frame. */
struct raw { const unsigned char *p; size_t n; int then_crash; };

static void
book_then_raw(int fd, const char *path, size_t max, void *arg)
{
	const struct raw *r = arg;

	put_book(fd);
	wait_request(fd);
	if (write(fd, r->p, r->n) != (ssize_t)r->n)
		_exit(9);
	if (r->then_crash)
		raise(SIGSEGV);
	_exit(0);
}

static void
silent(int fd, const char *path, size_t max, void *arg)
{
	for (;;)
		pause();
}

/* Ends its half of the socket and lingers. */
static void
lingers(int fd, const char *path, size_t max, void *arg)
{
	shutdown(fd, SHUT_WR);
	for (;;)
		pause();
}

static void
cannot_write(int fd, const char *path, size_t max, void *arg)
{
	_exit(3);
}

/* freexl after a failed allocation of its own: glibc's iconv asserts on
 * the NULL it is handed (abort), or freexl writes through it (a fault),
 * with errno still ENOMEM. */
static void
abort_short_of_memory(int fd, const char *path, size_t max, void *arg)
{
	errno = ENOMEM;
	abort();
}

static void
fault_short_of_memory(int fd, const char *path, size_t max, void *arg)
{
	errno = ENOMEM;
	raise(SIGSEGV);
	_exit(0);
}

static void
abort_otherwise(int fd, const char *path, size_t max, void *arg)
{
	errno = EINVAL;
	abort();
}

static void
assert_hostile(int rc, const struct vet_error *e)
{
	cr_assert_eq(rc, VET_EDATA, "%d %s", rc, e->msg);
	cr_assert_str_eq(e->msg, HOSTILE);
	cr_assert(vet_xls_failed(e));
}

static int
nfds(void)
{
	DIR *d = opendir("/proc/self/fd");
	int n = 0;

	cr_assert_not_null(d);
	while (readdir(d) != NULL)
		n++;
	closedir(d);
	return n;
}

Test(xls_child, a_crash_at_open_is_hostile)
{
	struct vet_xls *x;
	struct vet_error e;

	assert_hostile(vet_xls__spawn(&x, "f.xls", 1 << 20, crash_at_open,
	    NULL, NULL, &e), &e);
	cr_assert_null(x);
}

Test(xls_child, a_crash_short_of_memory_is_out_of_memory)
{
	struct vet_xls *x;
	struct vet_error e;

	cr_assert_eq(vet_xls__spawn(&x, "f.xls", 1 << 20,
	    abort_short_of_memory, NULL, NULL, &e), VET_ENOMEM, "%s", e.msg);
	cr_assert_str_eq(e.msg, "out of memory");
	cr_assert_null(x);
	cr_assert_eq(vet_xls__spawn(&x, "f.xls", 1 << 20,
	    fault_short_of_memory, NULL, NULL, &e), VET_ENOMEM, "%s", e.msg);
	cr_assert_str_eq(e.msg, "out of memory");
	/* Any other abort is the reader's failure, as before. */
	assert_hostile(vet_xls__spawn(&x, "f.xls", 1 << 20, abort_otherwise,
	    NULL, NULL, &e), &e);
}

Test(xls_child, a_loop_is_stopped_by_its_cpu_limit)
{
	struct vet_xls_limits lim = { 0, 1 };
	struct vet_xls *x;
	struct vet_error e;

	assert_hostile(vet_xls__spawn(&x, "f.xls", 1 << 20, loop_forever,
	    NULL, &lim, &e), &e);
}

Test(xls_child, a_child_blocked_in_silence_is_given_up_on)
{
	/* Blocked, it uses no CPU: twice its CPU limit of silence ends it. */
	struct vet_xls_limits lim = { 0, 1 };
	struct vet_xls *x;
	struct vet_error e;

	assert_hostile(vet_xls__spawn(&x, "f.xls", 1 << 20, silent, NULL,
	    &lim, &e), &e);
	assert_hostile(vet_xls__spawn(&x, "f.xls", 1 << 20, lingers, NULL,
	    &lim, &e), &e);
	cr_assert_eq(waitpid(-1, NULL, WNOHANG), -1, "a child is left");
}

Test(xls_child, a_crash_half_way_ends_the_sheet_and_the_reader)
{
	/* A row frame cut after its head, then the child dies. */
	static const unsigned char cut[] = { 'R', 40, 0, 0, 0, 1, 0, 0, 0 };
	struct raw r = { cut, sizeof cut, 1 };
	struct vet_xls *x;
	struct vet_sheet_row row;
	struct vet_error e;

	cr_assert_eq(vet_xls__spawn(&x, "f.xls", 1 << 20, book_then_raw, &r,
	    NULL, &e), 0, "%s", e.msg);
	cr_assert_eq(vet_xls_nsheets(x), 1);
	cr_assert_str_eq(vet_xls_sheet_name(x, 0), "s");
	/* The sheet's first frame is read as it opens. */
	assert_hostile(vet_xls_sheet_open(x, 0, &e), &e);
	/* And so it stays. */
	assert_hostile(vet_xls_next(x, &row, &e), &e);
	assert_hostile(vet_xls_sheet_open(x, 0, &e), &e);
	vet_xls_close(x);
}

/* Runs a book whose sheet's first frame is f (n bytes); the result of
 * reading that sheet. */
static int
sheet_of(const unsigned char *f, size_t n, struct vet_sheet_row *row,
    struct vet_error *e, struct vet_xls **xp)
{
	struct raw r = { f, n, 0 };
	int rc;

	cr_assert_eq(vet_xls__spawn(xp, "f.xls", 64, book_then_raw, &r, NULL,
	    e), 0, "%s", e->msg);
	if ((rc = vet_xls_sheet_open(*xp, 0, e)) < 0)
		return rc;
	return vet_xls_next(*xp, row, e);
}

Test(xls_child, frames_that_are_not_rows_are_refused)
{
	/* Each a row frame: line 2, one cell of kind 1 and 2 bytes "ab",
	 * and then one thing wrong. */
#define ROW(line, ncell, nb, kind, len, c0, c1) { 'R', 14, 0, 0, 0, \
	line, 0, 0, 0, ncell, 0, nb, kind, len, 0, 0, 0, c0, c1 }
	static const unsigned char good[] = ROW(2, 1, 0, 1, 2, 'a', 'b');
	static const unsigned char bad[][19] = {
		ROW(0, 1, 0, 1, 2, 'a', 'b'),		/* line 0 */
		ROW(2, 2, 0, 1, 2, 'a', 'b'),		/* a cell missing */
		ROW(2, 1, 3, 1, 2, 'a', 'b'),		/* bad text too long */
		ROW(2, 1, 0, 9, 2, 'a', 'b'),		/* no such kind */
		ROW(2, 1, 0, 1, 3, 'a', 'b'),		/* cell past the end */
		ROW(2, 1, 0, 1, 2, 0xC3, 'b'),		/* invalid UTF-8 */
		ROW(2, 1, 0, 1, 1, 'a', 'b'),		/* a byte left over */
	};
	/* A length no row can have: refused before it is read. */
	static const unsigned char huge[] = { 'R', 0xF0, 0xFF, 0xFF, 0xFF };
	static const unsigned char what[] = { 'Q', 0, 0, 0, 0 };
	struct vet_xls *x;
	struct vet_sheet_row row;
	struct vet_error e;
	size_t i;

	cr_assert_eq(sheet_of(good, sizeof good, &row, &e, &x), 1, "%s",
	    e.msg);
	cr_assert_eq(row.line, 2);
	cr_assert_eq(row.n, 1);
	cr_assert_eq(row.kind[0], VET_CELL_TEXT);
	cr_assert_eq(memcmp(row.cells[0].p, "ab", 2), 0);
	cr_assert_null(row.bad);
	vet_xls_close(x);
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		assert_hostile(sheet_of(bad[i], sizeof bad[i], &row, &e, &x),
		    &e);
		vet_xls_close(x);
	}
	assert_hostile(sheet_of(huge, sizeof huge, &row, &e, &x), &e);
	vet_xls_close(x);
	assert_hostile(sheet_of(what, sizeof what, &row, &e, &x), &e);
	vet_xls_close(x);
#undef ROW
}

Test(xls_child, a_row_longer_than_the_limit_is_refused)
{
	/* max_row is 64 (sheet_of): a cell of 65 bytes. */
	unsigned char f[5 + 7 + 5 + 65];
	struct vet_xls *x;
	struct vet_sheet_row row;
	struct vet_error e;

	memset(f, 'a', sizeof f);
	memcpy(f, "R\x4d\0\0\0" "\x01\0\0\0\x01\0\0" "\x01\x41\0\0\0", 17);
	assert_hostile(sheet_of(f, sizeof f, &row, &e, &x), &e);
	vet_xls_close(x);
}

Test(xls_child, a_child_that_cannot_write_is_an_io_error)
{
	struct vet_xls *x;
	struct vet_error e;

	cr_assert_eq(vet_xls__spawn(&x, "f.xls", 1 << 20, cannot_write, NULL,
	    NULL, &e), VET_EIO);
	cr_assert(vet_xls_failed(&e));
}

/* Sends its limits as the sheet's name: "AS CPU CORE". */
static void
tell_limits(int fd, const char *path, size_t max, void *arg)
{
	unsigned char one[4] = { 1, 0, 0, 0 };
	struct rlimit as, cpu, core;
	char s[96];
	int n;

	getrlimit(RLIMIT_AS, &as);
	getrlimit(RLIMIT_CPU, &cpu);
	getrlimit(RLIMIT_CORE, &core);
	n = snprintf(s, sizeof s, "%llu %llu %llu",
	    as.rlim_cur == RLIM_INFINITY ? 0ULL :
	    (unsigned long long)as.rlim_cur,
	    (unsigned long long)cpu.rlim_cur,
	    (unsigned long long)core.rlim_cur);
	put(fd, 'B', one, 4);
	put(fd, 'N', s, (size_t)n);
	_exit(0);
}

Test(xls_child, the_child_runs_with_bounded_resources)
{
	struct vet_xls *x;
	struct vet_error e;
	unsigned long long as, cpu, core;

	cr_assert_eq(vet_xls__spawn(&x, "f.xls", 1 << 20, tell_limits, NULL,
	    NULL, &e), 0, "%s", e.msg);
	cr_assert_eq(sscanf(vet_xls_sheet_name(x, 0), "%llu %llu %llu", &as,
	    &cpu, &core), 3);
	cr_assert_eq(cpu, 120);
	cr_assert_eq(core, 0);
	/* Not under the sanitizers: they reserve terabytes of address
	 * space. */
#if !defined(__SANITIZE_ADDRESS__)
	cr_assert_eq(as, 2ULL << 30);
#endif
	vet_xls_close(x);
}

Test(xls_child, no_descriptor_or_child_is_left)
{
	struct vet_xls *x;
	struct vet_sheet_row r;
	struct vet_error e;
	int before = nfds(), i;

	for (i = 0; i < 20; i++) {
		cr_assert_eq(vet_xls_open(&x, WB "ledger.xls", 1 << 20, &e), 0,
		    "%s", e.msg);
		/* Sheet 2 read in part, then sheet 1: the rest of 2 is
		 * drained, and a half-read sheet is left at close. */
		cr_assert_eq(vet_xls_sheet_open(x, 1, &e), 0, "%s", e.msg);
		cr_assert_eq(vet_xls_next(x, &r, &e), 1);
		cr_assert_eq(vet_xls_sheet_open(x, 0, &e), 0, "%s", e.msg);
		cr_assert_eq(vet_xls_next(x, &r, &e), 1);
		cr_assert_eq(r.line, 1);
		vet_xls_close(x);
	}
	cr_assert_eq(nfds(), before);
	cr_assert_eq(waitpid(-1, NULL, WNOHANG), -1, "a child is left");
}

Test(xls_child, the_crash_freexl_has_is_contained)
{
	struct vet_xls *x;
	struct vet_error e;
	const char *p = VET_TEST_DATA "/../fuzz/known/"
	    "xls-freexl-iconv-underflow.xls";

	/* Under AddressSanitizer the child reports freexl's read out of
	 * bounds and dies; without, freexl refuses the text: either way
	 * a data error, and this process goes on. */
	cr_assert_eq(vet_xls_open(&x, p, 1 << 20, &e), VET_EDATA);
	cr_assert_null(x);
}
