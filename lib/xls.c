/*
 * xls.c - the .xls reader run apart (xls.h, xls_impl.h).
 *
 * libfreexl 1.0.6 reads out of bounds in freexl_open() on a crafted file
 * (tests/fuzz/known/README), and an .xls reaches vet-intake from anyone.
 * So freexl and the cell walk (xls_read.c) run in a child process, forked
 * without exec, with its address space, CPU time and core dumps bounded;
 * it sends the workbook to this process over a socket in
 * small frames, and this process trusts none of them: every length is
 * bounded before it is read, every row checked as a row (inside the
 * sheet, in order, cells no longer than the limit, valid UTF-8).  A child
 * that dies by a signal, exceeds a limit or writes a frame that is not one
 * is "damaged or hostile .xls (its reader failed)"; vet_xls_failed() tells
 * the caller that such an error ends the run.
 *
 * The frames (VET_XLS_F_*, each a type byte, a 32-bit little-endian
 * length and the payload):
 *   B  u32 n: the workbook opened, with n sheets; n frames N follow
 *   N  a sheet name
 *   E  u8 status, message: the workbook cannot be opened (as the
 *      in-process reader says: not BIFF8, encrypted, ...); the child ends
 *   e  u8 status, message: the sheet asked for failed (at its start or
 *      half way); the child waits for the next request
 *   R  u32 line, u16 n, u8 k, k bytes of the row's "bad" text, then n
 *      cells of u8 kind, u32 length and the text
 *   Z  the sheet asked for ended
 * The parent asks for a sheet with its index, u32, on the same socket;
 * closing the socket ends the child.  Statuses are 1 out of memory, 2 I/O,
 * 3 data.
 *
 * Ownership as in xls.h; the child is reaped by vet_xls_close() (killed
 * first: it may be half way through a sheet nobody reads).
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <freexl.h>

#include "vet/buf.h"
#include "vet/error.h"
#include "vet/sheet.h"
#include "vet/utf8.h"
#include "vet/xls.h"
#include "freexl_impl.h"
#include "xls_impl.h"

/* The failure of the reader itself, whatever the file. */
#define HOSTILE "damaged or hostile .xls (its reader failed)"
#define CHANNEL "the .xls reader's channel failed"

/*
 * Limits.  A BIFF8 sheet has at most 65536 rows of 256 cells; freexl holds
 * the active sheet's cells (16 bytes each, 256 MiB for the largest) and
 * the shared strings (at most the file's size again), so 2 GiB is several
 * times what a real workbook needs.  A real 65536-row sheet takes about a
 * second of CPU; two minutes is a loop.
 */
#define AS_LIMIT (2ULL << 30)
#define CPU_LIMIT 120
/* Sheets of a workbook (freexl counts them in 16 bits), a name's bytes
 * (31 characters in Excel), a message's, a row's "bad" text. */
#define MAX_SHEETS 65535
#define MAX_NAME 1024
#define MAX_MSG 400
#define MAX_BAD 255
#define MAX_ROWS 65536
#define MAX_COLS 256
#define ROW_HEAD 7
#define CELL_HEAD 5

/* Child exit statuses: what it could not say in a frame. */
enum { CHILD_OK, CHILD_EIO = 3, CHILD_NOMEM = 4, CHILD_LIMIT = 5 };

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define SANITIZED 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer) || \
    __has_feature(memory_sanitizer)
#define SANITIZED 1
#endif
#endif

struct vet_xls {
	int fd;			/* the socket; -1 once closed */
	pid_t pid;		/* the child; 0 once reaped */
	size_t max_row;
	int quiet_ms;		/* the longest silence of a live child */
	char **names;
	size_t nsheets;
	int active;		/* a sheet was asked for and has not ended */
	int pend;		/* the type of a frame read ahead, or 0 */
	size_t pend_len;
	long last;		/* the line of its last row */
	int failed;		/* the reader failed: err holds why */
	struct vet_error why;
	unsigned char *frame;	/* the payload of the last frame */
	size_t cap;
	struct vet_span spans[MAX_COLS];
	unsigned char kinds[MAX_COLS];
	char bad[MAX_BAD + 1];
	unsigned char in[65536];	/* read ahead from the socket */
	size_t ioff, ilen;
};

static uint32_t
le32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	    (uint32_t)p[3] << 24;
}

static void
put32(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)v;
	p[1] = (unsigned char)(v >> 8);
	p[2] = (unsigned char)(v >> 16);
	p[3] = (unsigned char)(v >> 24);
}

/* ---- the child ---------------------------------------------------- */

struct wbuf {
	int fd;
	size_t n;
	unsigned char b[65536];
};

static void
w_flush(struct wbuf *w)
{
	size_t off = 0;
	ssize_t k;

	while (off < w->n) {
		if ((k = write(w->fd, w->b + off, w->n - off)) < 0) {
			if (errno == EINTR)
				continue;
			_exit(CHILD_EIO);
		}
		off += (size_t)k;
	}
	w->n = 0;
}

static void
w_add(struct wbuf *w, const void *p, size_t n)
{
	const unsigned char *s = p;
	size_t k;

	while (n > 0) {
		if (w->n == sizeof w->b)
			w_flush(w);
		k = sizeof w->b - w->n;
		if (k > n)
			k = n;
		memcpy(w->b + w->n, s, k);
		w->n += k;
		s += k;
		n -= k;
	}
}

static void
w_head(struct wbuf *w, int type, size_t len)
{
	unsigned char h[VET_XLS_FRAME_HEAD];

	h[0] = (unsigned char)type;
	put32(h + 1, (uint32_t)len);
	w_add(w, h, sizeof h);
}

/* Whether an allocation failed against the address-space limit rather
 * than a machine out of memory: the child's mapping is near the limit. */
static int
near_limit(void)
{
	struct rlimit rl;
	unsigned long long pages = 0;
	char b[64];
	ssize_t n;
	int fd, i;

	if (getrlimit(RLIMIT_AS, &rl) != 0 || rl.rlim_cur == RLIM_INFINITY)
		return 0;
	/* No stdio: it would allocate, and memory is what is short. */
	if ((fd = open("/proc/self/statm", O_RDONLY)) < 0)
		return 0;
	n = read(fd, b, sizeof b - 1);
	close(fd);
	for (i = 0; i < n && b[i] >= '0' && b[i] <= '9'; i++)
		pages = pages * 10 + (unsigned long long)(b[i] - '0');
	return pages * (unsigned long long)sysconf(_SC_PAGESIZE) +
	    (256ULL << 20) >= (unsigned long long)rl.rlim_cur;
}

static void
w_error(struct wbuf *w, int type, int status, const char *msg)
{
	size_t n = strlen(msg);
	unsigned char s;

	if (status == VET_ENOMEM && near_limit())
		_exit(CHILD_LIMIT);
	s = status == VET_ENOMEM ? 1 : status == VET_EIO ? 2 : 3;
	if (n > MAX_MSG)
		n = vet_utf8_valid_prefix(msg, MAX_MSG);
	w_head(w, type, 1 + n);
	w_add(w, &s, 1);
	w_add(w, msg, n);
}

static void
w_row(struct wbuf *w, const struct vet_sheet_row *r)
{
	unsigned char h[ROW_HEAD], c[CELL_HEAD];
	size_t i, len, nb = 0;

	if (r->bad != NULL)
		nb = vet_utf8_valid_prefix(r->bad, strlen(r->bad) > MAX_BAD ?
		    MAX_BAD : strlen(r->bad));
	len = ROW_HEAD + nb;
	for (i = 0; i < r->n; i++)
		len += CELL_HEAD + r->cells[i].n;
	w_head(w, VET_XLS_F_ROW, len);
	put32(h, (uint32_t)r->line);
	h[4] = (unsigned char)r->n;
	h[5] = (unsigned char)(r->n >> 8);
	h[6] = (unsigned char)nb;
	w_add(w, h, sizeof h);
	w_add(w, r->bad, nb);
	for (i = 0; i < r->n; i++) {
		c[0] = r->kind[i];
		put32(c + 1, (uint32_t)r->cells[i].n);
		w_add(w, c, sizeof c);
		w_add(w, r->cells[i].p, r->cells[i].n);
	}
}

/* The request of the parent: 1 and *i, 0 when it closed the socket. */
static int
w_request(struct wbuf *w, uint32_t *i)
{
	unsigned char b[4];
	size_t got = 0;
	ssize_t k;

	while (got < sizeof b) {
		if ((k = read(w->fd, b + got, sizeof b - got)) < 0) {
			if (errno == EINTR)
				continue;
			_exit(CHILD_EIO);
		}
		if (k == 0)
			return 0;
		got += (size_t)k;
	}
	*i = le32(b);
	return 1;
}

void
vet_xls__serve(int fd, const char *path, size_t max_row, void *arg)
{
	static struct wbuf w;
	struct vet_xls_read *r;
	struct vet_sheet_row row;
	struct vet_error e;
	unsigned char n4[4];
	const char *name;
	uint32_t i;
	size_t k, n;
	int rc;

	w.fd = fd;
	vet_error_clear(&e);
	if ((rc = vet_xls__read_open(&r, path, max_row, &e)) < 0) {
		w_error(&w, VET_XLS_F_FAIL, rc, e.msg);
		w_flush(&w);
		_exit(CHILD_OK);
	}
	n = vet_xls__read_nsheets(r);
	put32(n4, (uint32_t)n);
	w_head(&w, VET_XLS_F_BOOK, 4);
	w_add(&w, n4, 4);
	for (i = 0; i < n; i++) {
		name = vet_xls__read_sheet_name(r, i);
		k = strlen(name);
		k = vet_utf8_valid_prefix(name, k > MAX_NAME ? MAX_NAME : k);
		w_head(&w, VET_XLS_F_NAME, k);
		w_add(&w, name, k);
	}
	w_flush(&w);
	while (w_request(&w, &i)) {
		vet_error_clear(&e);
		if ((rc = vet_xls__read_sheet_open(r, i, &e)) < 0) {
			w_error(&w, VET_XLS_F_SERR, rc, e.msg);
			w_flush(&w);
			continue;
		}
		while ((rc = vet_xls__read_next(r, &row, &e)) > 0)
			w_row(&w, &row);
		if (rc < 0)
			w_error(&w, VET_XLS_F_SERR, rc, e.msg);
		else
			w_head(&w, VET_XLS_F_END, 0);
		w_flush(&w);
	}
	/* No vet_xls__read_close(): _exit() returns the memory. */
	_exit(CHILD_OK);
}

/*
 * freexl does not check every allocation: it hands the NULL of a failed
 * one to iconv(), whose assertion aborts, or writes through it.  An abort
 * or a fault while errno says ENOMEM is that (or the address-space limit,
 * as w_error() tells them apart) and is said so by the exit status; any
 * other is given back to the handler it had (the default, or the
 * sanitizer's report), and the child dies by it as before.  Only
 * async-signal-safe calls: near_limit() is open, read and close.
 */
static const int crash_sigs[] = { SIGABRT, SIGSEGV, SIGBUS };
static struct sigaction crash_old[sizeof crash_sigs / sizeof crash_sigs[0]];

static void
child_crash(int sig)
{
	size_t i;

	if (errno == ENOMEM)
		_exit(near_limit() ? CHILD_LIMIT : CHILD_NOMEM);
	for (i = 0; i < sizeof crash_sigs / sizeof crash_sigs[0]; i++)
		if (crash_sigs[i] == sig)
			sigaction(sig, &crash_old[i], NULL);
	/* Pending until this returns, for a signal that was raise()d and
	 * would not come again as a fault does. */
	raise(sig);
}

static void
child_limits(const struct vet_xls_limits *lim)
{
	static const int sigs[] = { SIGHUP, SIGINT, SIGTERM, SIGPIPE,
	    SIGQUIT };
	struct sigaction sa;
	struct rlimit rl;
	size_t i;

	/*
	 * The parent's handlers remove its temporary files: the child
	 * leaves that to the parent, and dies by these signals as they
	 * come (SIGPIPE: the parent has gone).
	 */
	for (i = 0; i < sizeof sigs / sizeof sigs[0]; i++)
		signal(sigs[i], SIG_DFL);
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = child_crash;
	sigemptyset(&sa.sa_mask);
	for (i = 0; i < sizeof crash_sigs / sizeof crash_sigs[0]; i++)
		sigaction(crash_sigs[i], &sa, &crash_old[i]);
	/* A crash must not leave a core of the workbook's personal data. */
	rl.rlim_cur = rl.rlim_max = 0;
	setrlimit(RLIMIT_CORE, &rl);
	rl.rlim_cur = lim->cpu_seconds;
	rl.rlim_max = lim->cpu_seconds + 5;
	setrlimit(RLIMIT_CPU, &rl);
#ifndef SANITIZED
	if (lim->as_bytes > 0) {
		rl.rlim_cur = rl.rlim_max = lim->as_bytes;
		setrlimit(RLIMIT_AS, &rl);
	}
#endif
}

/* ---- the parent ---------------------------------------------------- */

static const char *const fatal_msgs[] = { HOSTILE, CHANNEL };

int
vet_xls_failed(const struct vet_error *e)
{
	size_t i, k;

	for (i = 0; i < sizeof fatal_msgs / sizeof fatal_msgs[0]; i++) {
		k = strlen(fatal_msgs[i]);
		if (strncmp(e->msg, fatal_msgs[i], k) == 0)
			return 1;
	}
	return 0;
}

/* Kills (when still there) and reaps the child; its wait status, or -1. */
static int
reap(struct vet_xls *x, int kill_it)
{
	int st = -1;

	if (x->pid <= 0)
		return -1;
	if (kill_it)
		kill(x->pid, SIGKILL);
	while (waitpid(x->pid, &st, 0) < 0 && errno == EINTR)
		;
	x->pid = 0;
	return st;
}

/*
 * The reader failed: why is kept, the child killed, and every later call
 * answers the same.  Returns the status.
 */
static int
fail(struct vet_xls *x, int status, const char *msg, struct vet_error *err)
{
	if (!x->failed) {
		x->failed = 1;
		vet_error_set(&x->why, status, NULL, 0, 0, "%s", msg);
		reap(x, 1);
	}
	if (err != NULL)
		*err = x->why;
	return x->why.status;
}

static int
hostile(struct vet_xls *x, struct vet_error *err)
{
	return fail(x, VET_EDATA, HOSTILE, err);
}

static int settle(struct vet_xls *, int *);

/* The stream ended where a frame was due: why, as the child's end says. */
static int
ended(struct vet_xls *x, struct vet_error *err)
{
	int st;

	if (x->failed)
		return fail(x, 0, NULL, err);
	/* EOF: the child has closed its end, so it should be exiting; one
	 * that lingers is killed (and is not one to trust). */
	st = -1;
	if (x->pid > 0 && settle(x, &st) < 0)
		st = reap(x, 1);
	if (st != -1 && WIFEXITED(st) && WEXITSTATUS(st) == CHILD_EIO)
		return fail(x, VET_EIO, CHANNEL ": it cannot write (an I/O "
		    "error)", err);
	if (st != -1 && WIFEXITED(st) && WEXITSTATUS(st) == CHILD_NOMEM)
		return fail(x, VET_ENOMEM, "out of memory", err);
	return hostile(x, err);
}

/* n bytes from the socket into p: 0, 1 at EOF, or a failure. */
static int
get(struct vet_xls *x, void *p, size_t n, struct vet_error *err)
{
	unsigned char *d = p;
	struct pollfd pfd = { x->fd, POLLIN, 0 };
	size_t k;
	ssize_t got;
	char msg[160];

	while (n > 0) {
		if (x->ioff == x->ilen) {
			/* A child that neither writes nor ends (blocked, so
			 * its CPU limit never comes) is given twice that
			 * limit in silence. */
			if ((got = poll(&pfd, 1, x->quiet_ms)) == 0)
				return hostile(x, err);
			if (got < 0 && errno == EINTR)
				continue;
			got = read(x->fd, x->in, sizeof x->in);
			if (got < 0 && errno == EINTR)
				continue;
			if (got < 0) {
				snprintf(msg, sizeof msg, CHANNEL ": %s",
				    strerror(errno));
				return fail(x, VET_EIO, msg, err);
			}
			if (got == 0)
				return 1;
			x->ioff = 0;
			x->ilen = (size_t)got;
		}
		k = x->ilen - x->ioff;
		if (k > n)
			k = n;
		memcpy(d, x->in + x->ioff, k);
		x->ioff += k;
		d += k;
		n -= k;
	}
	return 0;
}

/*
 * The next frame, its payload in x->frame: its type (> 0) and *len, or a
 * failure.  A payload over max is not read: the child is not one.
 */
static int
frame(struct vet_xls *x, size_t max, size_t *len, struct vet_error *err)
{
	unsigned char h[VET_XLS_FRAME_HEAD];
	unsigned char *p;
	size_t n;
	int rc;

	if (x->failed)
		return fail(x, 0, NULL, err);
	if ((rc = get(x, h, sizeof h, err)) != 0)
		return rc < 0 ? rc : ended(x, err);
	n = le32(h + 1);
	if (n > max)
		return hostile(x, err);
	if (n > x->cap) {
		if ((p = realloc(x->frame, n)) == NULL)
			return fail(x, VET_ENOMEM, "out of memory", err);
		x->frame = p;
		x->cap = n;
	}
	if ((rc = get(x, x->frame, n, err)) != 0)
		return rc < 0 ? rc : ended(x, err);
	*len = n;
	return h[0];
}

/* The error a frame E or e carries, as the child's reader said it. */
static int
told(struct vet_xls *x, size_t n, struct vet_error *err)
{
	static const int st[] = { 0, VET_ENOMEM, VET_EIO, VET_EDATA };
	size_t i;

	if (n < 1 || x->frame[0] < 1 || x->frame[0] > 3 ||
	    vet_utf8_valid_prefix((char *)x->frame + 1, n - 1) != n - 1)
		return hostile(x, err);
	for (i = 1; i < n; i++)
		if (x->frame[i] < 0x20 || x->frame[i] == 0x7f)
			return hostile(x, err);
	return vet_error_set(err, st[x->frame[0]], NULL, 0, 0, "%.*s",
	    (int)(n - 1), (char *)x->frame + 1);
}

static int
book(struct vet_xls *x, struct vet_error *err)
{
	size_t n, i, len;
	int t;

	if ((t = frame(x, MAX_MSG + 1, &len, err)) < 0)
		return t;
	if (t == VET_XLS_F_FAIL)
		return told(x, len, err);
	if (t != VET_XLS_F_BOOK || len != 4 || (n = le32(x->frame)) == 0 ||
	    n > MAX_SHEETS)
		return hostile(x, err);
	if ((x->names = calloc(n, sizeof *x->names)) == NULL)
		return fail(x, VET_ENOMEM, "out of memory", err);
	for (i = 0; i < n; i++) {
		if ((t = frame(x, MAX_NAME, &len, err)) < 0)
			return t;
		if (t != VET_XLS_F_NAME || vet_utf8_valid_prefix(
		    (char *)x->frame, len) != len ||
		    memchr(x->frame, '\0', len) != NULL)
			return hostile(x, err);
		if ((x->names[i] = malloc(len + 1)) == NULL)
			return fail(x, VET_ENOMEM, "out of memory", err);
		memcpy(x->names[i], x->frame, len);
		x->names[i][len] = '\0';
		x->nsheets = i + 1;
	}
	return 0;
}

int
vet_xls__spawn(struct vet_xls **xp, const char *path, size_t max_row,
    vet_xls_child_fn child, void *arg, const struct vet_xls_limits *lim,
    struct vet_error *err)
{
	static const struct vet_xls_limits def = { AS_LIMIT, CPU_LIMIT };
	struct vet_xls *x;
	int sv[2], rc, e;

	*xp = NULL;
	if ((x = calloc(1, sizeof *x)) == NULL)
		return vet_error_nomem(err);
	x->fd = -1;
	x->max_row = max_row;
	if (lim == NULL)
		lim = &def;
	x->quiet_ms = lim->cpu_seconds > 1000000 ? 2000000000 :
	    (int)lim->cpu_seconds * 2000;
	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) != 0) {
		e = errno;
		free(x);
		return vet_error_set(err, e == ENOMEM || e == ENOBUFS ?
		    VET_ENOMEM : VET_EIO, NULL, 0, 0, "cannot start the .xls "
		    "reader: %s", strerror(e));
	}
	if ((x->pid = fork()) < 0) {
		e = errno;
		close(sv[0]);
		close(sv[1]);
		free(x);
		return vet_error_set(err, e == ENOMEM ? VET_ENOMEM : VET_EIO,
		    NULL, 0, 0, "cannot start the .xls reader: %s",
		    strerror(e));
	}
	if (x->pid == 0) {
		close(sv[0]);
		child_limits(lim);
		child(sv[1], path, max_row, arg);
		_exit(CHILD_OK);
	}
	close(sv[1]);
	x->fd = sv[0];
	if ((rc = book(x, err)) < 0) {
		vet_xls_close(x);
		return rc;
	}
	*xp = x;
	return 0;
}

int
vet_xls_open(struct vet_xls **xp, const char *path, size_t max_row,
    struct vet_error *err)
{
	int rc;

	/* In the parent: the reader inherits it, and a broken library is
	 * told as itself, not as a reader that died. */
	*xp = NULL;
	if ((rc = vet_freexl__load(err)) < 0)
		return rc;
	return vet_xls__spawn(xp, path, max_row, vet_xls__serve, NULL, NULL,
	    err);
}

/*
 * A child whose socket closed ends: it is given a second to, so that it
 * ends as itself (and under tests/fault, logs what it did) rather than
 * killed.  0 and its wait status in *st, or -1 when it is still there.
 */
static int
settle(struct vet_xls *x, int *st)
{
	struct timespec ms = { 0, 1000000 };
	int i;
	pid_t p;

	for (i = 0; i < 1000; i++) {
		if ((p = waitpid(x->pid, st, WNOHANG)) == x->pid ||
		    (p < 0 && errno != EINTR)) {
			x->pid = 0;
			return 0;
		}
		nanosleep(&ms, NULL);
	}
	return -1;
}

void
vet_xls_close(struct vet_xls *x)
{
	size_t i;
	int st;

	if (x == NULL)
		return;
	if (x->fd >= 0)
		close(x->fd);
	if (x->pid > 0 && !x->active)
		(void)settle(x, &st);
	/* Half way through a sheet nobody reads, or deaf to the end of
	 * its socket: killed. */
	reap(x, 1);
	for (i = 0; i < x->nsheets; i++)
		free(x->names[i]);
	free(x->names);
	free(x->frame);
	free(x);
}

size_t
vet_xls_nsheets(const struct vet_xls *x)
{
	return x->nsheets;
}

const char *
vet_xls_sheet_name(const struct vet_xls *x, size_t i)
{
	return x->names[i];
}

/* The largest frame of a sheet: a row's head, its bad text, each cell's
 * head and at most max_row bytes of text in all. */
static size_t
row_max(const struct vet_xls *x)
{
	size_t max = ROW_HEAD + MAX_BAD + MAX_COLS * CELL_HEAD;

	if (x->max_row > SIZE_MAX / 2 - max)
		return SIZE_MAX / 2;
	max += x->max_row;
	return max < MAX_MSG + 1 ? MAX_MSG + 1 : max;
}

/* Reads the rest of the sheet asked for, so the next request is
 * answered. */
static int
drain(struct vet_xls *x, struct vet_error *err)
{
	struct vet_sheet_row r;
	int rc;

	while (x->active)
		if ((rc = vet_xls_next(x, &r, err)) <= 0)
			return rc;
	return 0;
}

int
vet_xls_sheet_open(struct vet_xls *x, size_t i, struct vet_error *err)
{
	unsigned char b[4];
	ssize_t k;
	char msg[160];
	size_t len;
	int rc, t;

	if (x->failed)
		return fail(x, 0, NULL, err);
	if ((rc = drain(x, err)) < 0 && x->failed)
		return rc;
	if (i >= x->nsheets)
		return vet_error_set(err, VET_EDATA, NULL, 0, 0, "sheet %zu "
		    "cannot be read", i + 1);
	put32(b, (uint32_t)i);
	/* MSG_NOSIGNAL: a child that has died is an error here, not a
	 * SIGPIPE that kills vet-intake. */
	while ((k = send(x->fd, b, sizeof b, MSG_NOSIGNAL)) < 0 &&
	    errno == EINTR)
		;
	if (k != (ssize_t)sizeof b) {
		if (k < 0 && errno == EPIPE)
			return ended(x, err);
		snprintf(msg, sizeof msg, CHANNEL ": %s", k < 0 ?
		    strerror(errno) : "short write");
		return fail(x, VET_EIO, msg, err);
	}
	x->active = 1;
	x->last = 0;
	/* The first frame says whether the sheet opened: kept for
	 * vet_xls_next() unless it is the sheet's error. */
	if ((t = frame(x, row_max(x), &len, err)) < 0)
		return t;
	if (t == VET_XLS_F_SERR) {
		x->active = 0;
		return told(x, len, err);
	}
	x->pend = t;
	x->pend_len = len;
	return 0;
}

/* Checks a row frame of n bytes and points row at it; 0 or a failure. */
static int
row_of(struct vet_xls *x, size_t n, struct vet_sheet_row *row,
    struct vet_error *err)
{
	const unsigned char *p = x->frame, *end = x->frame + n;
	size_t ncell, nb, i, len, total = 0;
	uint32_t line;

	if (n < ROW_HEAD)
		return hostile(x, err);
	line = le32(p);
	ncell = (size_t)p[4] | (size_t)p[5] << 8;
	nb = p[6];
	p += ROW_HEAD;
	if (line < 1 || line > MAX_ROWS || (long)line <= x->last ||
	    ncell > MAX_COLS || nb > (size_t)(end - p))
		return hostile(x, err);
	if (vet_utf8_valid_prefix((const char *)p, nb) != nb ||
	    memchr(p, '\0', nb) != NULL)
		return hostile(x, err);
	memcpy(x->bad, p, nb);
	x->bad[nb] = '\0';
	p += nb;
	for (i = 0; i < ncell; i++) {
		if ((size_t)(end - p) < CELL_HEAD || p[0] > VET_CELL_ERROR)
			return hostile(x, err);
		x->kinds[i] = p[0];
		len = le32(p + 1);
		p += CELL_HEAD;
		if (len > (size_t)(end - p) || (total += len) > x->max_row ||
		    vet_utf8_valid_prefix((const char *)p, len) != len)
			return hostile(x, err);
		x->spans[i].p = (const char *)p;
		x->spans[i].n = len;
		p += len;
	}
	if (p != end)
		return hostile(x, err);
	x->last = line;
	row->line = line;
	row->cells = x->spans;
	row->kind = x->kinds;
	row->n = ncell;
	row->bad = nb > 0 ? x->bad : NULL;
	return 0;
}

int
vet_xls_next(struct vet_xls *x, struct vet_sheet_row *row,
    struct vet_error *err)
{
	size_t len;
	int t, rc;

	if (x->failed)
		return fail(x, 0, NULL, err);
	if (!x->active)
		return 0;
	if (x->pend) {
		t = x->pend;
		len = x->pend_len;
		x->pend = 0;
	} else if ((t = frame(x, row_max(x), &len, err)) < 0)
		return t;
	switch (t) {
	case VET_XLS_F_ROW:
		if ((rc = row_of(x, len, row, err)) < 0)
			return rc;
		return 1;
	case VET_XLS_F_END:
		if (len != 0)
			return hostile(x, err);
		x->active = 0;
		return 0;
	case VET_XLS_F_SERR:
		x->active = 0;
		return told(x, len, err);
	default:
		return hostile(x, err);
	}
}
