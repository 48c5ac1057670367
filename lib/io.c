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

#define IN_CHUNK	(256 * 1024)
#define LINE_INIT	(1024 * 1024)
#define OUT_CHUNK	(256 * 1024)

struct vet_input {
	int fd;
	char *name;
	long lineno;

	/* raw bytes read from fd, not yet consumed */
	unsigned char *raw;
	size_t rpos, rend;
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
};

struct vet_output {
	int fd;
	char *path;		/* target, NULL for stdout */
	char *tmp;		/* temporary file, NULL when written directly */
	int gz;
	int zinit;
	z_stream zs;
	unsigned char *buf;
	size_t len;
	unsigned char *zbuf;
	int failed;
	struct vet_error err;
};

static int
oom(struct vet_error *err)
{
	return vet_error_set(err, VET_ENOMEM, NULL, 0, 0, "out of memory");
}

int
vet_input_open(struct vet_input **inp, const char *path, struct vet_error *err)
{
	struct vet_input *in;
	int fd;

	*inp = NULL;
	if (path == NULL || strcmp(path, "-") == 0) {
		fd = STDIN_FILENO;
		path = "<stdin>";
	} else if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0) {
		return vet_error_set(err, VET_ENOENT, path, 0, 0,
		    "cannot open: %s", strerror(errno));
	}
	if ((in = calloc(1, sizeof *in)) == NULL ||
	    (in->name = strdup(path)) == NULL ||
	    (in->raw = malloc(IN_CHUNK)) == NULL) {
		if (fd != STDIN_FILENO)
			close(fd);
		if (in != NULL) {
			free(in->name);
			free(in);
		}
		return oom(err);
	}
	in->fd = fd;
	*inp = in;
	return 0;
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
	if (in->fd != STDIN_FILENO)
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
		n = read(in->fd, in->raw, IN_CHUNK);
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
			n = read(in->fd, in->raw + in->rend, IN_CHUNK - in->rend);
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
		else if (r != Z_OK && r != Z_BUF_ERROR)
			return vet_error_set(err, VET_EDATA, in->name, 0, 0,
			    "corrupt gzip data: %s",
			    in->zs.msg != NULL ? in->zs.msg : "inflate failed");
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
		in->cap = LINE_INIT;
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
		if (in->cap - in->end < IN_CHUNK / 4) {
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
	long n;
	int r;

	if ((r = vet_input_open(&in, path, err)) < 0)
		return r;
	for (;;) {
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

int
vet_output_open(struct vet_output **op, const char *path, int gzip,
    struct vet_error *err)
{
	struct vet_output *o;
	struct stat st;
	mode_t mask;
	int direct;

	*op = NULL;
	if ((o = calloc(1, sizeof *o)) == NULL ||
	    (o->buf = malloc(OUT_CHUNK)) == NULL) {
		free(o);
		return oom(err);
	}
	if (path == NULL || strcmp(path, "-") == 0) {
		o->fd = STDOUT_FILENO;
	} else {
		if ((o->path = strdup(path)) == NULL)
			goto nomem;
		direct = stat(path, &st) == 0 && !S_ISREG(st.st_mode);
		if (direct) {
			o->fd = open(path, O_WRONLY | O_CLOEXEC);
		} else {
			if ((o->tmp = malloc(strlen(path) + 16)) == NULL)
				goto nomem;
			sprintf(o->tmp, "%s.tmp.XXXXXX", path);
			o->fd = mkstemp(o->tmp);
			if (o->fd >= 0) {
				/* mkstemp makes 0600; give the file the mode
				 * a plain create would have. */
				mask = umask(0);
				umask(mask);
				fchmod(o->fd, 0666 & ~mask);
			}
		}
		if (o->fd < 0) {
			vet_error_set(err, VET_EIO, path, 0, 0,
			    "cannot create: %s", strerror(errno));
			free(o->tmp);
			free(o->path);
			free(o->buf);
			free(o);
			return VET_EIO;
		}
	}
	o->gz = gzip || (path != NULL && ends_with(path, ".gz"));
	if (o->gz) {
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
nomem:
	free(o->path);
	free(o->buf);
	free(o);
	return oom(err);
}

int
vet_output_write(struct vet_output *o, const void *p, size_t n,
    struct vet_error *err)
{
	const unsigned char *s = p;
	size_t k;

	if (o->failed) {
		if (err != NULL)
			*err = o->err;
		return VET_EIO;
	}
	while (n > 0) {
		if (o->len == OUT_CHUNK && vet_output_flush(o, err) < 0)
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
		k = OUT_CHUNK - o->len;
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
vet_output_close(struct vet_output *o, int commit, struct vet_error *err)
{
	int r = 0;

	if (o == NULL)
		return 0;
	if (commit) {
		if (vet_output_flush(o, err) < 0)
			r = VET_EIO;
		else if (o->gz && deflate_out(o, NULL, 0, Z_FINISH, err) < 0)
			r = VET_EIO;
		/* A file must be on disk before it replaces the target. */
		if (r == 0 && o->tmp != NULL && fsync(o->fd) < 0)
			r = out_fail(o, err, "write error", errno);
	}
	if (o->zinit)
		deflateEnd(&o->zs);
	if (o->fd != STDOUT_FILENO && o->fd >= 0 && close(o->fd) < 0 &&
	    commit && r == 0)
		r = out_fail(o, err, "write error", errno);
	if (o->tmp != NULL) {
		if (commit && r == 0 && rename(o->tmp, o->path) < 0)
			r = out_fail(o, err, "cannot rename into place", errno);
		if (!commit || r < 0)
			unlink(o->tmp);
	}
	free(o->tmp);
	free(o->path);
	free(o->buf);
	free(o->zbuf);
	free(o);
	return r;
}
