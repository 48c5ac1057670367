/*
 * shim.c - a fault-injection library for LD_PRELOAD (tests/fault/run).
 *
 * It fails the Nth call, counted from the start of main, of one family of
 * functions, as a failing machine would: malloc (malloc, calloc, realloc,
 * posix_memalign, aligned_alloc; NULL and ENOMEM), read (-1, EIO), write
 * (-1, ENOSPC), rename (-1, EIO, nothing renamed), close (the descriptor
 * is closed, then -1 and EIO, as NFS reports a late write error) or fsync
 * (-1, EIO).  Calls made before main (the loader, library constructors)
 * are not counted: a failure there is not the program's to handle.
 *
 * Environment:
 *   VET_FAULT=FUNC:N    fail the Nth call of FUNC (N >= 1); N = 0 counts only
 *   VET_FAULT_PERSIST=1 fail every call from the Nth on, not just the Nth
 *   VET_FAULT_LOG=PATH  at exit, append "malloc=K read=K ... fsync=K hit=H"
 *                       to PATH: the calls of each family, and whether the
 *                       fault was reached (one clean run counts them all)
 *
 * Across fork() (vet-intake's .xls reader runs in a child, xls.c) the
 * child inherits the counts and goes on from them, in its own copy: the
 * Nth call fails in whichever process makes it, or in both (a machine
 * that fails fails for all).  The child ends with _exit(), which this
 * library wraps to log the child's counts too, on a line of its own: the
 * largest count of a family over the lines is the N to go up to.
 *   VET_FAULT_BT=1      print a backtrace to standard error at the fault
 *   VET_FAULT_SPARE=A:B an allocation with a frame on its stack whose
 *                       library's path or whose function's name holds one
 *                       of A, B, ... is neither counted nor failed:
 *                       for libxlsxwriter, which after a failed allocation
 *                       of its own can crash in a later call (1.1.5, seen
 *                       in lxw_get_sst_index and _get_row_list), so a fault
 *                       there tests the library, not vet; and for
 *                       pthread_getattr_np, which AddressSanitizer's
 *                       runtime calls as a thread starts and CHECK-fails
 *                       (aborts) when it fails, so a fault there tests
 *                       the sanitizer, not vet; and for
 *                       unzOpenCurrentFile3, where minizip 1.1 (Debian
 *                       12) leaks its 16 KiB read buffer when
 *                       inflateInit2 fails (it frees the state, not the
 *                       buffer), which LeakSanitizer reports although vet
 *                       says "out of memory" and exits 70 as it should
 *
 * Only calls that reach the dynamic symbols are seen: glibc's stdio writes
 * and reads through its own internal aliases, so fwrite() and fread() on a
 * FILE (stderr, libxlsxwriter's files) are not failed by "write"/"read";
 * /dev/full covers those in the command-line cases.  Under AddressSanitizer
 * the interceptors of strdup and friends allocate without calling malloc,
 * so the malloc count is lower there than in the plain build.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <execinfo.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

enum fam { F_NONE, F_MALLOC, F_READ, F_WRITE, F_RENAME, F_CLOSE, F_FSYNC };

static const char *const famname[] = {
	"none", "malloc", "read", "write", "rename", "close", "fsync"
};

static enum fam fam;
static long target;
static int persist, backtraces, hit;
static volatile int armed;
/*
 * Threads (vet-intake -j): the counts are atomic, and a thread inside
 * this library (unwinding for VET_FAULT_SPARE, printing a backtrace) is
 * marked in its own thread-local flag, so that another thread's
 * allocations are neither uncounted nor served from the early arena
 * meanwhile (they were, by a global flag: the arena is not for them, and
 * a fault run of -j 4 differed from its clean run without a fault).
 */
#define TLS __thread __attribute__((tls_model("initial-exec")))
static TLS int inside;
static long calls[F_FSYNC + 1];
static const char *logpath;
static const char *spare;

static void *(*real_malloc)(size_t);
static void *(*real_calloc)(size_t, size_t);
static void *(*real_realloc)(void *, size_t);
static void (*real_free)(void *);
static int (*real_posix_memalign)(void **, size_t, size_t);
static void *(*real_aligned_alloc)(size_t, size_t);
static ssize_t (*real_read)(int, void *, size_t);
static ssize_t (*real_write)(int, const void *, size_t);
static int (*real_rename)(const char *, const char *);
static int (*real_close)(int);
static int (*real_fsync)(int);
static void (*real__exit)(int);
static int (*real_start)(int (*)(int, char **, char **), int, char **,
    void (*)(void), void (*)(void), void (*)(void), void *);
static int (*real_main)(int, char **, char **);

/*
 * dlsym() may allocate before real_calloc is known: those few early
 * allocations come from here and are never freed.
 */
static _Alignas(16) char early[1 << 18];
static size_t early_used;
static int resolving;
/* backtrace() loads and caches its unwinder with malloc, once: from the
 * arena too, where LeakSanitizer does not see it as a leak. */
static TLS int unwinding;

static void *
early_alloc(size_t n)
{
	void *p;

	n = (n + 15) & ~(size_t)15;
	size_t at = __atomic_fetch_add(&early_used, n, __ATOMIC_RELAXED);

	if (at > sizeof early || n > sizeof early - at)
		return NULL;
	p = early + at;
	return p;
}

static int
is_early(const void *p)
{
	return (const char *)p >= early && (const char *)p < early + sizeof early;
}

static void
say(const char *s)
{
	(void)syscall(SYS_write, 2, s, strlen(s));
}

static void
resolve(void)
{
	if (real_free != NULL || resolving)
		return;
	resolving = 1;
	real_malloc = (void *(*)(size_t))dlsym(RTLD_NEXT, "malloc");
	real_calloc = (void *(*)(size_t, size_t))dlsym(RTLD_NEXT, "calloc");
	real_realloc = (void *(*)(void *, size_t))dlsym(RTLD_NEXT, "realloc");
	real_posix_memalign = (int (*)(void **, size_t, size_t))dlsym(
	    RTLD_NEXT, "posix_memalign");
	real_aligned_alloc = (void *(*)(size_t, size_t))dlsym(RTLD_NEXT,
	    "aligned_alloc");
	real_read = (ssize_t (*)(int, void *, size_t))dlsym(RTLD_NEXT, "read");
	real_write = (ssize_t (*)(int, const void *, size_t))dlsym(RTLD_NEXT,
	    "write");
	real_rename = (int (*)(const char *, const char *))dlsym(RTLD_NEXT,
	    "rename");
	real_close = (int (*)(int))dlsym(RTLD_NEXT, "close");
	real_fsync = (int (*)(int))dlsym(RTLD_NEXT, "fsync");
	real_free = (void (*)(void *))dlsym(RTLD_NEXT, "free");
	real__exit = (void (*)(int))dlsym(RTLD_NEXT, "_exit");
	resolving = 0;
}

/* Whether s holds one of the colon-separated names of spare. */
static int
names_spared(const char *s)
{
	const char *p, *e;
	size_t k, n;

	if (s == NULL)
		return 0;
	n = strlen(s);
	for (p = spare; *p != '\0'; p = *e == ':' ? e + 1 : e) {
		if ((e = strchr(p, ':')) == NULL)
			e = p + strlen(p);
		if ((k = (size_t)(e - p)) == 0 || k > n)
			continue;
		for (const char *q = s; q + k <= s + n; q++)
			if (memcmp(q, p, k) == 0)
				return 1;
	}
	return 0;
}

/* Whether a frame of a spared library or function is on the stack. */
static int
spared(void)
{
	void *bt[24];
	Dl_info di;
	int n, i, yes = 0;

	inside = 1;
	unwinding = 1;
	n = backtrace(bt, 24);
	for (i = 1; i < n && !yes; i++)
		if (dladdr(bt[i], &di) != 0 &&
		    (names_spared(di.dli_fname) || names_spared(di.dli_sname)))
			yes = 1;
	unwinding = 0;
	inside = 0;
	return yes;
}

/* Whether this call of family f is to fail. */
static int
fault(enum fam f)
{
	long k;

	if (!armed || inside)
		return 0;
	if (f == F_MALLOC && spare != NULL && spared())
		return 0;
	k = __atomic_add_fetch(&calls[f], 1, __ATOMIC_RELAXED);
	if (f != fam || target <= 0 ||
	    (persist ? k < target : k != target))
		return 0;
	if (!hit && backtraces) {
		void *bt[32];
		int n;

		inside = 1;
		say("vet-fault: failing this call:\n");
		n = backtrace(bt, 32);
		backtrace_symbols_fd(bt, n, 2);
		inside = 0;
	}
	hit = 1;
	return 1;
}

static void
report(void)
{
	char line[256];
	char *p = line;
	char digits[24];
	int nd, fd, f;
	const char *s;
	long k;

	armed = 0;
	if (logpath == NULL)
		return;
	/* No stdio here: it may be what failed. */
	for (f = F_MALLOC; f <= F_FSYNC; f++) {
		for (s = famname[f]; *s != '\0'; s++)
			*p++ = *s;
		*p++ = '=';
		k = calls[f];
		nd = 0;
		do
			digits[nd++] = (char)('0' + k % 10);
		while ((k /= 10) > 0);
		while (nd > 0)
			*p++ = digits[--nd];
		*p++ = ' ';
	}
	for (s = hit ? "hit=1\n" : "hit=0\n"; *s != '\0'; s++)
		*p++ = *s;
	fd = (int)syscall(SYS_open, logpath, O_WRONLY | O_CREAT | O_APPEND,
	    0644);
	if (fd >= 0) {
		(void)syscall(SYS_write, fd, line, (size_t)(p - line));
		(void)syscall(SYS_close, fd);
	}
}

static int
fault_main(int argc, char **argv, char **envp)
{
	const char *v = getenv("VET_FAULT"), *c;
	int i;

	if (v != NULL && (c = strchr(v, ':')) != NULL) {
		for (i = 1; i < (int)(sizeof famname / sizeof famname[0]); i++)
			if (strlen(famname[i]) == (size_t)(c - v) &&
			    memcmp(famname[i], v, (size_t)(c - v)) == 0)
				fam = (enum fam)i;
		target = strtol(c + 1, NULL, 10);
	}
	persist = getenv("VET_FAULT_PERSIST") != NULL &&
	    strcmp(getenv("VET_FAULT_PERSIST"), "1") == 0;
	backtraces = getenv("VET_FAULT_BT") != NULL;
	logpath = getenv("VET_FAULT_LOG");
	if ((spare = getenv("VET_FAULT_SPARE")) != NULL && *spare == '\0')
		spare = NULL;
	if (spare != NULL) {
		/* The unwinder is loaded now, not inside a later call that
		 * holds a lock of its own (iconv_open's, dlopen's). */
		void *bt[2];

		unwinding = 1;
		(void)backtrace(bt, 2);
		unwinding = 0;
	}
	atexit(report);
	armed = 1;
	return real_main(argc, argv, envp);
}

int
__libc_start_main(int (*main)(int, char **, char **), int argc, char **argv,
    void (*init)(void), void (*fini)(void), void (*rtld_fini)(void),
    void *stack_end)
{
	real_start = (int (*)(int (*)(int, char **, char **), int, char **,
	    void (*)(void), void (*)(void), void (*)(void), void *))dlsym(
	    RTLD_NEXT, "__libc_start_main");
	real_main = main;
	return real_start(fault_main, argc, argv, init, fini, rtld_fini,
	    stack_end);
}

void *
malloc(size_t n)
{
	resolve();
	if (real_malloc == NULL || unwinding)
		return early_alloc(n);
	if (fault(F_MALLOC)) {
		errno = ENOMEM;
		return NULL;
	}
	return real_malloc(n);
}

void *
calloc(size_t k, size_t n)
{
	void *p;

	resolve();
	if (real_calloc == NULL || unwinding) {
		if (n != 0 && k > SIZE_MAX / n)
			return NULL;
		if ((p = early_alloc(k * n)) != NULL)
			memset(p, 0, k * n);
		return p;
	}
	if (fault(F_MALLOC)) {
		errno = ENOMEM;
		return NULL;
	}
	return real_calloc(k, n);
}

void *
realloc(void *p, size_t n)
{
	void *q;

	resolve();
	if (is_early(p)) {
		/* Never freed, so copying what fits is enough. */
		if ((q = malloc(n)) != NULL)
			memcpy(q, p, n < sizeof early ? n : sizeof early);
		return q;
	}
	if (fault(F_MALLOC)) {
		errno = ENOMEM;
		return NULL;
	}
	return real_realloc(p, n);
}

void
free(void *p)
{
	if (p == NULL || is_early(p))
		return;
	resolve();
	real_free(p);
}

int
posix_memalign(void **pp, size_t a, size_t n)
{
	resolve();
	if (fault(F_MALLOC))
		return ENOMEM;
	return real_posix_memalign(pp, a, n);
}

void *
aligned_alloc(size_t a, size_t n)
{
	resolve();
	if (fault(F_MALLOC)) {
		errno = ENOMEM;
		return NULL;
	}
	return real_aligned_alloc(a, n);
}

ssize_t
read(int fd, void *p, size_t n)
{
	resolve();
	if (fault(F_READ)) {
		errno = EIO;
		return -1;
	}
	return real_read(fd, p, n);
}

ssize_t
write(int fd, const void *p, size_t n)
{
	resolve();
	if (fault(F_WRITE)) {
		errno = ENOSPC;
		return -1;
	}
	return real_write(fd, p, n);
}

int
rename(const char *from, const char *to)
{
	resolve();
	if (fault(F_RENAME)) {
		errno = EIO;
		return -1;
	}
	return real_rename(from, to);
}

int
close(int fd)
{
	resolve();
	if (fault(F_CLOSE)) {
		(void)real_close(fd);
		errno = EIO;
		return -1;
	}
	return real_close(fd);
}

int
fsync(int fd)
{
	resolve();
	if (fault(F_FSYNC)) {
		errno = EIO;
		return -1;
	}
	return real_fsync(fd);
}

/* A forked child's end (xls.c): its counts are logged as exit() would. */
void
_exit(int status)
{
	resolve();
	report();
	if (real__exit != NULL)
		real__exit(status);
	for (;;)
		(void)syscall(SYS_exit_group, status);
}
