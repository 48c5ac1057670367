#define _GNU_SOURCE	/* F_SETPIPE_SZ */
/*
 * io.c - streaming input with transparent gzip, checked complete-or-absent
 * output (io.h).
 *
 * gzip is handled with zlib's inflate/deflate directly rather than gzread:
 * gzread reports a truncated stream as a plain end of file unless the caller
 * remembers to ask gzerror, and cannot be told apart from a clean end on a
 * pipe; with inflate the end of each member is seen explicitly.
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include "vet/io.h"
#include "zlib_impl.h"

#define IN_CHUNK	(256 * 1024)
#define LINE_INIT	(1024 * 1024)
#define OUT_CHUNK	(256 * 1024)
#define OUT_FIRST	(16 * 1024)	/* the output buffer, grown to OUT_CHUNK */
#define PIPE_WIDTH	(1024 * 1024)

struct vet_input {
	int fd;
	int own_fd;		/* fd was opened here and is closed here */
	char *name;
	long lineno;

	/* raw bytes read from fd, not yet consumed; rawcap is IN_CHUNK, or
	 * less for a small file (small: its size rounded up, else 0) */
	unsigned char *raw;
	size_t rawcap, rpos, rend;
	size_t small;
	int raw_eof;

	int detected;
	int gz;
	int zinit;
	int member_done;	/* inflate saw the end of a member */
	z_stream zs;

	/* line buffer: [pos, end) holds unread decoded bytes */
	char *buf;
	size_t cap, pos, end, scan;
	int eof;

	/* an error met after some data was decoded, returned next */
	int pending;
	struct vet_error perr;
};

struct vet_output {
	int fd;
	int own_fd;		/* fd was opened here and is closed here */
	char *path;		/* name given, NULL for stdout; for messages */
	char *target;		/* the file replaced: path with links followed */
	char *tmp;		/* temporary file, NULL when written directly */
	int slot;		/* index in temps[], or -1 */
	int gz;
	int zinit;
	z_stream zs;
	unsigned char *buf;
	size_t len, cap;
	unsigned char *zbuf;
	int failed;
	int ready;		/* vet_output_ready() succeeded */
	int errnum;		/* errno of the first failure, or 0 */
	struct vet_error err;
};

/*
 * The temporary files of the outputs still open, for
 * vet_output_unlink_temps() in a signal handler: only pointer loads and
 * unlink() happen there.  A program has a few outputs at most; one beyond
 * the table is written as well, only not cleaned up after a signal.
 */
#define NTEMPS 32
static char *volatile temps[NTEMPS];

/*
 * A pipe holds 64 KiB by default, a quarter of one read or write here, so
 * every chunk that passes from one tool to the next in a pipeline costs
 * four sleeps and wake-ups on each side, and on two cores the three tools
 * of a quarter's pipeline spend more time switching than working.  Ask
 * for 1 MiB (Linux's default pipe-max-size); a refusal (an older kernel,
 * the user's pipe quota spent) only leaves the pipe as it was.
 */
static void
widen_pipe(int fd)
{
#ifdef F_SETPIPE_SZ
	struct stat st;

	if (fstat(fd, &st) == 0 && S_ISFIFO(st.st_mode) &&
	    fcntl(fd, F_GETPIPE_SZ) < PIPE_WIDTH)
		(void)fcntl(fd, F_SETPIPE_SZ, PIPE_WIDTH);
#else
	(void)fd;
#endif
}

static int
oom(struct vet_error *err)
{
	return vet_error_set(err, VET_ENOMEM, NULL, 0, 0, "out of memory");
}

int
vet_input_open(struct vet_input **inp, const char *path, struct vet_error *err)
{
	struct vet_input *in;
	struct stat st;
	int fd, own = 1;

	*inp = NULL;
	if (path == NULL || strcmp(path, "-") == 0) {
		fd = STDIN_FILENO;
		path = "<stdin>";
		own = 0;
	} else if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0) {
		return vet_error_set(err, VET_ENOENT, path, 0, 0,
		    "cannot open: %s", strerror(errno));
	}
	/* open() succeeds on a directory and only read() fails, which would
	 * look like an I/O error; it is an input that cannot be opened. */
	if (fstat(fd, &st) != 0)
		memset(&st, 0, sizeof st);	/* neither a directory nor a file */
	if (S_ISDIR(st.st_mode)) {
		if (own)
			close(fd);
		return vet_error_set(err, VET_ENOENT, path, 0, 0,
		    "cannot open: %s", strerror(EISDIR));
	}
	/*
	 * A regular file smaller than a chunk gets buffers of its size, so
	 * that a short run is not given 1.25 MiB of fresh mappings (two
	 * mmaps and munmaps).  A file that grows meanwhile is still read
	 * whole, in smaller reads, and the line buffer grows as ever.
	 */
	if ((in = calloc(1, sizeof *in)) != NULL) {
		in->rawcap = IN_CHUNK;
		if (S_ISREG(st.st_mode) && st.st_size >= 0 &&
		    (size_t)st.st_size < IN_CHUNK / 2) {
			in->small = ((size_t)st.st_size + 1 + 4095) &
			    ~(size_t)4095;
			in->rawcap = in->small;
		}
	}
	if (in == NULL || (in->name = strdup(path)) == NULL ||
	    (in->raw = malloc(in->rawcap)) == NULL) {
		if (own)
			close(fd);
		if (in != NULL) {
			free(in->name);
			free(in);
		}
		return oom(err);
	}
	in->fd = fd;
	in->own_fd = own;
	widen_pipe(fd);
	*inp = in;
	return 0;
}

void
vet_input_pending(const struct vet_input *in, struct vet_span *line)
{
	line->p = "";
	line->n = 0;
	if (in->buf != NULL && in->end > in->pos) {
		line->p = in->buf + in->pos;
		line->n = in->end - in->pos;
	}
}

const char *
vet_input_name(const struct vet_input *in)
{
	return in->name;
}

long
vet_input_lineno(const struct vet_input *in)
{
	return in->lineno;
}

int
vet_input_gzip(const struct vet_input *in)
{
	return in->gz;
}

void
vet_input_close(struct vet_input *in)
{
	if (in == NULL)
		return;
	if (in->zinit)
		inflateEnd(&in->zs);
	if (in->own_fd)
		close(in->fd);
	free(in->raw);
	free(in->buf);
	free(in->name);
	free(in);
}

/* Refills the raw buffer when it is empty.  0 or VET_EIO. */
static int
fill_raw(struct vet_input *in, struct vet_error *err)
{
	ssize_t n;

	if (in->rpos < in->rend || in->raw_eof)
		return 0;
	in->rpos = in->rend = 0;
	do
		n = read(in->fd, in->raw, in->rawcap);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return vet_error_set(err, VET_EIO, in->name, 0, 0,
		    "read error: %s", strerror(errno));
	if (n == 0)
		in->raw_eof = 1;
	in->rend = (size_t)n;
	return 0;
}

/* Looks at the first bytes to tell gzip from plain data. */
static int
detect(struct vet_input *in, struct vet_error *err)
{
	int r;

	in->detected = 1;
	/* A pipe may deliver a single byte first: make sure we see two. */
	while (in->rend - in->rpos < 2 && !in->raw_eof) {
		ssize_t n;

		if (in->rpos > 0) {
			memmove(in->raw, in->raw + in->rpos, in->rend - in->rpos);
			in->rend -= in->rpos;
			in->rpos = 0;
		}
		do
			n = read(in->fd, in->raw + in->rend,
			    in->rawcap - in->rend);
		while (n < 0 && errno == EINTR);
		if (n < 0)
			return vet_error_set(err, VET_EIO, in->name, 0, 0,
			    "read error: %s", strerror(errno));
		if (n == 0)
			in->raw_eof = 1;
		in->rend += (size_t)n;
	}
	if (in->rend - in->rpos >= 2 && in->raw[in->rpos] == 0x1f &&
	    in->raw[in->rpos + 1] == 0x8b) {
		in->gz = 1;
		memset(&in->zs, 0, sizeof in->zs);
		if ((r = vet_zlib__load(err)) < 0)
			return r;
		if ((r = inflateInit2(&in->zs, 15 + 16)) != Z_OK)
			return r == Z_MEM_ERROR ? oom(err) :
			    vet_error_set(err, VET_EINTERNAL, in->name, 0, 0,
			    "cannot start gzip decoder");
		in->zinit = 1;
	}
	return 0;
}

static long
read_gzip(struct vet_input *in, unsigned char *p, size_t n,
    struct vet_error *err)
{
	int r;

	if (n > UINT_MAX)
		n = UINT_MAX;
	for (;;) {
		if (fill_raw(in, err) < 0)
			return VET_EIO;
		if (in->member_done) {
			/* Between members: the end of data, or another member. */
			if (in->rpos == in->rend && in->raw_eof)
				return 0;
			if (in->raw[in->rpos] != 0x1f)
				return vet_error_set(err, VET_EDATA, in->name,
				    0, 0, "trailing garbage after gzip data");
			inflateReset(&in->zs);
			in->member_done = 0;
		}
		if (in->rpos == in->rend && in->raw_eof)
			return vet_error_set(err, VET_EDATA, in->name, 0, 0,
			    "truncated gzip stream");
		in->zs.next_in = in->raw + in->rpos;
		in->zs.avail_in = (uInt)(in->rend - in->rpos);
		in->zs.next_out = p;
		in->zs.avail_out = (uInt)n;
		r = inflate(&in->zs, Z_NO_FLUSH);
		in->rpos = in->rend - in->zs.avail_in;
		if (r == Z_STREAM_END)
			in->member_done = 1;
		else if (r == Z_MEM_ERROR)
			return oom(err);
		else if (r != Z_OK && r != Z_BUF_ERROR) {
			vet_error_set(&in->perr, VET_EDATA, in->name, 0, 0,
			    "corrupt gzip data: %s",
			    in->zs.msg != NULL ? in->zs.msg : "inflate failed");
			in->pending = VET_EDATA;
			/* What was decoded before the damage is good data:
			 * hand it over now and the error with the next
			 * call, so that the records before it are kept. */
			if (in->zs.avail_out < n)
				return (long)(n - in->zs.avail_out);
			if (err != NULL)
				*err = in->perr;
			return VET_EDATA;
		}
		if (in->zs.avail_out < n)
			return (long)(n - in->zs.avail_out);
	}
}

long
vet_input_read(struct vet_input *in, void *p, size_t n, struct vet_error *err)
{
	size_t k;
	ssize_t r;
	int rc;

	if (in->pending) {
		if (err != NULL)
			*err = in->perr;
		return in->pending;
	}
	if (n == 0)
		return 0;
	if (n > LONG_MAX)
		n = LONG_MAX;
	if (!in->detected && (rc = detect(in, err)) < 0)
		return rc;
	if (in->gz)
		return read_gzip(in, p, n, err);
	if (in->rpos < in->rend) {
		k = in->rend - in->rpos;
		if (k > n)
			k = n;
		memcpy(p, in->raw + in->rpos, k);
		in->rpos += k;
		return (long)k;
	}
	if (in->raw_eof)
		return 0;
	do
		r = read(in->fd, p, n);
	while (r < 0 && errno == EINTR);
	if (r < 0)
		return vet_error_set(err, VET_EIO, in->name, 0, 0,
		    "read error: %s", strerror(errno));
	if (r == 0)
		in->raw_eof = 1;
	return (long)r;
}

/* Streams an over-long line to sink: what is buffered, then everything up
 * to the next newline. */
static int
overflow(struct vet_input *in, vet_sink_fn sink, void *ctx,
    struct vet_error *err)
{
	char *nl;
	long n;
	int r;

	for (;;) {
		nl = memchr(in->buf + in->pos, '\n', in->end - in->pos);
		if (nl != NULL) {
			if (sink != NULL && (r = sink(ctx, in->buf + in->pos,
			    (size_t)(nl - (in->buf + in->pos)))) < 0)
				return r;
			in->pos = in->scan = (size_t)(nl - in->buf) + 1;
			return VET_LINE_LONG;
		}
		if (sink != NULL && in->end > in->pos &&
		    (r = sink(ctx, in->buf + in->pos, in->end - in->pos)) < 0)
			return r;
		in->pos = in->end = in->scan = 0;
		if (in->eof)
			return VET_LINE_LONG;
		if ((n = vet_input_read(in, in->buf, in->cap, err)) < 0)
			return (int)n;
		if (n == 0)
			in->eof = 1;
		in->end = (size_t)n;
	}
}

int
vet_input_line(struct vet_input *in, struct vet_span *line, size_t max,
    vet_sink_fn sink, void *ctx, struct vet_error *err)
{
	char *nl, *p;
	size_t len, want;
	long n;
	int r;

	line->p = "";
	line->n = 0;
	if (in->buf == NULL) {
		in->cap = in->small ? in->small : LINE_INIT;
		if ((in->buf = malloc(in->cap)) == NULL)
			return oom(err);
	}
	for (;;) {
		nl = memchr(in->buf + in->scan, '\n', in->end - in->scan);
		if (nl != NULL) {
			len = (size_t)(nl - (in->buf + in->pos));
			in->lineno++;
			if (len > max) {
				if (sink != NULL && (r = sink(ctx,
				    in->buf + in->pos, len)) < 0)
					return r;
				in->pos = in->scan = (size_t)(nl - in->buf) + 1;
				return VET_LINE_LONG;
			}
			line->p = in->buf + in->pos;
			line->n = len;
			in->pos = in->scan = (size_t)(nl - in->buf) + 1;
			return VET_LINE_OK;
		}
		in->scan = in->end;
		if (in->end - in->pos > max) {
			in->lineno++;
			return overflow(in, sink, ctx, err);
		}
		if (in->eof) {
			if (in->pos == in->end)
				return VET_LINE_EOF;
			in->lineno++;
			line->p = in->buf + in->pos;
			line->n = in->end - in->pos;
			in->pos = in->scan = in->end;
			return VET_LINE_OK;
		}
		if (in->pos > 0) {
			memmove(in->buf, in->buf + in->pos, in->end - in->pos);
			in->end -= in->pos;
			in->scan -= in->pos;
			in->pos = 0;
		}
		/* Room for a read of a quarter chunk, or of a quarter of a
		 * small file's buffer. */
		if (in->cap - in->end < (in->small && in->cap < IN_CHUNK ?
		    in->cap / 4 : IN_CHUNK / 4)) {
			want = in->cap * 2;
			if ((p = realloc(in->buf, want)) == NULL)
				return oom(err);
			in->buf = p;
			in->cap = want;
		}
		if ((n = vet_input_read(in, in->buf + in->end,
		    in->cap - in->end, err)) < 0)
			return (int)n;
		if (n == 0)
			in->eof = 1;
		in->end += (size_t)n;
	}
}

int
vet_input_slurp(const char *path, struct vet_buf *out, struct vet_error *err)
{
	struct vet_input *in;
	size_t start = out->len;
	long n;
	int r;

	if ((r = vet_input_open(&in, path, err)) < 0)
		return r;
	for (;;) {
		if (out->len - start > VET_SLURP_MAX) {
			r = vet_error_set(err, VET_EDATA, vet_input_name(in),
			    0, 0, "file larger than %zu MiB",
			    VET_SLURP_MAX >> 20);
			vet_input_close(in);
			return r;
		}
		if (vet_buf_grow(out, IN_CHUNK) < 0) {
			vet_input_close(in);
			return oom(err);
		}
		n = vet_input_read(in, out->data + out->len,
		    out->cap - out->len - 1, err);
		if (n < 0) {
			vet_input_close(in);
			return (int)n;
		}
		if (n == 0)
			break;
		out->len += (size_t)n;
		out->data[out->len] = '\0';
	}
	vet_input_close(in);
	return 0;
}

/* Output. */

static int
out_fail(struct vet_output *o, struct vet_error *err, const char *what,
    int errnum)
{
	if (!o->failed) {
		o->failed = 1;
		o->errnum = errnum;
		vet_error_set(&o->err, VET_EIO,
		    o->path != NULL ? o->path : "<stdout>", 0, 0, "%s: %s",
		    what, strerror(errnum));
	}
	if (err != NULL)
		*err = o->err;
	return VET_EIO;
}

static int
write_all(struct vet_output *o, const unsigned char *p, size_t n,
    struct vet_error *err)
{
	ssize_t w;

	while (n > 0) {
		w = write(o->fd, p, n);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			return out_fail(o, err, "write error", errno);
		}
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

static int
deflate_out(struct vet_output *o, const unsigned char *p, size_t n,
    int flush, struct vet_error *err)
{
	int r;

	o->zs.next_in = (unsigned char *)p;
	o->zs.avail_in = (uInt)n;
	do {
		o->zs.next_out = o->zbuf;
		o->zs.avail_out = OUT_CHUNK;
		r = deflate(&o->zs, flush);
		if (r == Z_STREAM_ERROR)
			return out_fail(o, err, "gzip error", EIO);
		if (write_all(o, o->zbuf, OUT_CHUNK - o->zs.avail_out, err) < 0)
			return VET_EIO;
	} while (o->zs.avail_out == 0 || (flush == Z_FINISH && r != Z_STREAM_END));
	return 0;
}

int
vet_output_flush(struct vet_output *o, struct vet_error *err)
{
	int r;

	if (o->failed) {
		if (err != NULL)
			*err = o->err;
		return VET_EIO;
	}
	if (o->len == 0)
		return 0;
	if (o->gz)
		r = deflate_out(o, o->buf, o->len, Z_NO_FLUSH, err);
	else
		r = write_all(o, o->buf, o->len, err);
	o->len = 0;
	return r;
}

static int
ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), k = strlen(suffix);

	return n >= k && strcmp(s + n - k, suffix) == 0;
}

/*
 * Follows symbolic links from path to the file that is to be replaced, so
 * that writing through a link replaces what it points to (creating it when
 * the link dangles) instead of turning the link into a plain file.
 * Returns a malloc'd name, or NULL with errno set.
 */
static char *
resolve_target(const char *path)
{
	char link[PATH_MAX], *cur, *next;
	const char *slash;
	struct stat st;
	ssize_t n;
	size_t k;
	int hops;

	if ((cur = strdup(path)) == NULL)
		return NULL;
	for (hops = 0;; hops++) {
		if (lstat(cur, &st) < 0 || !S_ISLNK(st.st_mode))
			return cur;
		if (hops == 40 ||
		    (n = readlink(cur, link, sizeof link - 1)) < 0) {
			if (hops == 40)
				errno = ELOOP;
			free(cur);
			return NULL;
		}
		link[n] = '\0';
		/* A relative link is relative to the link's directory. */
		slash = strrchr(cur, '/');
		k = link[0] == '/' || slash == NULL ? 0 :
		    (size_t)(slash - cur) + 1;
		if ((next = malloc(k + (size_t)n + 1)) == NULL) {
			free(cur);
			return NULL;
		}
		memcpy(next, cur, k);
		memcpy(next + k, link, (size_t)n + 1);
		free(cur);
		cur = next;
	}
}

/*
 * /dev/stdout, /dev/stderr, /dev/fd/N and /proc/self/fd/N name a
 * descriptor the program already has, which the shell may have opened for
 * appending: it is written as it is.  Following the link to a file and
 * renaming over that would clobber an appended log, and where the name is
 * not a link it would replace /dev/stdout itself with a plain file.
 * Returns the descriptor, or -1 when path names none that is open.
 */
static int
named_fd(const char *path)
{
	const char *p = NULL;
	char *end;
	long n;

	if (strcmp(path, "/dev/stdout") == 0)
		return STDOUT_FILENO;
	if (strcmp(path, "/dev/stderr") == 0)
		return STDERR_FILENO;
	if (strncmp(path, "/dev/fd/", 8) == 0)
		p = path + 8;
	else if (strncmp(path, "/proc/self/fd/", 14) == 0)
		p = path + 14;
	if (p == NULL || *p < '0' || *p > '9')
		return -1;
	errno = 0;
	n = strtol(p, &end, 10);
	if (*end != '\0' || errno != 0 || n > INT_MAX ||
	    fcntl((int)n, F_GETFD) < 0)
		return -1;
	return (int)n;
}

/*
 * Creates the temporary file beside o->target, in the same directory
 * because that is what makes rename() atomic.  Its name is
 * VET_OUTPUT_TEMP_PREFIX and six random characters, whatever the target:
 * a run killed by SIGKILL leaves such a file holding personal records,
 * and one fixed, documented prefix is what lets an operator find them
 * (find DIR -name '.vet-tmp.*').  Returns the descriptor, or -1 with
 * errno set.
 */
static int
make_temp(struct vet_output *o)
{
	static const char suffix[] = VET_OUTPUT_TEMP_PREFIX "XXXXXX";
	const char *slash = strrchr(o->target, '/');
	size_t k = slash != NULL ? (size_t)(slash - o->target) + 1 : 0;

	if ((o->tmp = malloc(k + sizeof suffix)) == NULL)
		return -1;
	memcpy(o->tmp, o->target, k);
	memcpy(o->tmp + k, suffix, sizeof suffix);
	return mkstemp(o->tmp);
}

static void
temp_register(struct vet_output *o)
{
	int i;

	o->slot = -1;
	for (i = 0; i < NTEMPS; i++) {
		if (temps[i] == NULL) {
			temps[i] = o->tmp;
			o->slot = i;
			return;
		}
	}
}

static void
temp_forget(struct vet_output *o)
{
	if (o->slot >= 0)
		temps[o->slot] = NULL;
	o->slot = -1;
}

void
vet_output_unlink_temps(void)
{
	char *t;
	int i;

	for (i = 0; i < NTEMPS; i++)
		if ((t = temps[i]) != NULL)
			unlink(t);
}

int
vet_output_errno(const struct vet_output *o)
{
	return o->errnum;
}

/* Frees an output that never got an open descriptor. */
static void
free_output(struct vet_output *o)
{
	free(o->tmp);
	free(o->target);
	free(o->path);
	free(o->buf);
	free(o);
}

int
vet_output_open(struct vet_output **op, const char *path, int gzip,
    struct vet_error *err)
{
	struct vet_output *o;
	struct stat st;
	mode_t mode, mask;
	int direct, exists, e;

	*op = NULL;
	if ((o = calloc(1, sizeof *o)) == NULL ||
	    (o->buf = malloc(OUT_FIRST)) == NULL) {
		free(o);
		return oom(err);
	}
	o->cap = OUT_FIRST;
	o->slot = -1;
	if (path == NULL || strcmp(path, "-") == 0) {
		o->fd = STDOUT_FILENO;
		widen_pipe(o->fd);
	} else {
		if ((o->path = strdup(path)) == NULL) {
			free_output(o);
			return oom(err);
		}
		if ((o->fd = named_fd(path)) >= 0)
			goto opened;
		if ((o->target = resolve_target(path)) == NULL) {
			e = errno;
			free_output(o);
			if (e == ENOMEM)
				return oom(err);
			return vet_error_set(err, VET_EIO, path, 0, 0,
			    "cannot create: %s", strerror(e));
		}
		exists = stat(o->target, &st) == 0;
		direct = exists && !S_ISREG(st.st_mode);
		/*
		 * rename() needs only the directory to be writable, so it
		 * would replace a read-only file that a plain create could
		 * not open: refuse it as the shell's '>' would.
		 */
		if (exists && !direct && access(o->target, W_OK) < 0) {
			e = errno;
			free_output(o);
			return vet_error_set(err, VET_EIO, path, 0, 0,
			    "cannot write: %s", strerror(e));
		}
		if (direct) {
			o->fd = open(o->target, O_WRONLY | O_CLOEXEC);
		} else if ((o->fd = make_temp(o)) >= 0) {
			/* mkstemp makes 0600; give the file the mode of
			 * the file it replaces, or the one a plain create
			 * would have. */
			if (exists)
				mode = st.st_mode & 07777;
			else {
				mask = umask(0);
				umask(mask);
				mode = 0666 & ~mask;
			}
			if (fchmod(o->fd, mode) < 0) {
				e = errno;
				close(o->fd);
				unlink(o->tmp);
				errno = e;
				o->fd = -1;
			} else
				temp_register(o);
		}
		if (o->fd < 0) {
			e = errno;
			free_output(o);
			if (e == ENOMEM)
				return oom(err);
			return vet_error_set(err, VET_EIO, path, 0, 0,
			    "cannot create: %s", strerror(e));
		}
		o->own_fd = 1;
	}
opened:
	o->gz = gzip || (path != NULL && ends_with(path, ".gz"));
	if (o->gz) {
		if ((e = vet_zlib__load(err)) < 0) {
			vet_output_close(o, 0, NULL);
			return e;
		}
		if ((o->zbuf = malloc(OUT_CHUNK)) == NULL ||
		    deflateInit2(&o->zs, 6, Z_DEFLATED, 15 + 16, 8,
		    Z_DEFAULT_STRATEGY) != Z_OK) {
			vet_output_close(o, 0, NULL);
			return oom(err);
		}
		o->zinit = 1;
	}
	*op = o;
	return 0;
}

int
vet_output_write(struct vet_output *o, const void *p, size_t n,
    struct vet_error *err)
{
	const unsigned char *s = p;
	unsigned char *q;
	size_t k;

	if (o->failed) {
		if (err != NULL)
			*err = o->err;
		return VET_EIO;
	}
	while (n > 0) {
		/* The buffer starts small, for a short run's sake (no fresh
		 * mapping), and doubles to OUT_CHUNK as the output goes on;
		 * without the memory to grow, it is written as it is. */
		if (o->len == o->cap && o->cap < OUT_CHUNK &&
		    (q = realloc(o->buf, 2 * o->cap)) != NULL) {
			o->buf = q;
			o->cap *= 2;
		}
		if (o->len == o->cap && vet_output_flush(o, err) < 0)
			return VET_EIO;
		if (o->len == 0 && n >= OUT_CHUNK) {
			/* Large writes skip the copy. */
			k = n > UINT_MAX ? UINT_MAX : n;
			if ((o->gz ? deflate_out(o, s, k, Z_NO_FLUSH, err) :
			    write_all(o, s, k, err)) < 0)
				return VET_EIO;
			s += k;
			n -= k;
			continue;
		}
		k = o->cap - o->len;
		if (k > n)
			k = n;
		memcpy(o->buf + o->len, s, k);
		o->len += k;
		s += k;
		n -= k;
	}
	return 0;
}

int
vet_output_ready(struct vet_output *o, struct vet_error *err)
{
	int r = 0;

	if (o == NULL || o->ready)
		return 0;
	if (vet_output_flush(o, err) < 0)
		r = VET_EIO;
	else if (o->gz && deflate_out(o, NULL, 0, Z_FINISH, err) < 0)
		r = VET_EIO;
	/* A file must be on disk before it replaces the target. */
	if (r == 0 && o->tmp != NULL && fsync(o->fd) < 0)
		r = out_fail(o, err, "write error", errno);
	o->ready = r == 0;
	return r;
}

int
vet_output_close(struct vet_output *o, int commit, struct vet_error *err)
{
	int r = 0;

	if (o == NULL)
		return 0;
	if (commit)
		r = vet_output_ready(o, err);
	if (o->zinit)
		deflateEnd(&o->zs);
	if (o->own_fd && close(o->fd) < 0 && commit && r == 0)
		r = out_fail(o, err, "write error", errno);
	if (o->tmp != NULL) {
		if (commit && r == 0 && rename(o->tmp, o->target) < 0)
			r = out_fail(o, err, "cannot rename into place", errno);
		if (!commit || r < 0)
			unlink(o->tmp);
		temp_forget(o);
	}
	free(o->zbuf);
	free_output(o);
	return r;
}
