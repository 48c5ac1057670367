/*
 * io.h - streaming input with transparent gzip, and checked output that is
 * complete or absent.
 *
 * Ownership: vet_input_open()/vet_output_open() allocate the object and the
 * caller owns it until vet_input_close()/vet_output_close(), which free it
 * whatever they return.  A line span returned by vet_input_line() points
 * into the input's own buffer and is valid until the next call on it.
 *
 * Input: a file or standard input; gzip is detected by its magic bytes
 * (1f 8b), never by the file name; multi-member streams are read whole; a
 * stream that ends inside a member is an error ("truncated gzip stream"),
 * not an early end of file.
 *
 * Output: standard output or a file.  A regular file is written to a
 * temporary file in the same directory, named VET_OUTPUT_TEMP_PREFIX and
 * six random characters, and renamed over the target by
 * vet_output_close(o, 1), so it is complete or absent; anything else
 * (a terminal, a pipe, /dev/full) is written directly.  A name that is a
 * symbolic link is followed: the file it points to is replaced (or
 * created) and the link stays; but /dev/stdout, /dev/stderr, /dev/fd/N
 * and /proc/self/fd/N are written through the descriptor they name (as
 * the shell opened it, appending perhaps).  An existing file keeps its mode, and one
 * that the caller may not write (a read-only file) is refused rather than
 * replaced behind its permissions.  gzip is written when asked for or when
 * the name ends in ".gz".  Every write is checked; the first failure is
 * kept and returned again by every later call.
 */
#ifndef VET_IO_H
#define VET_IO_H

#include <stddef.h>

#include "vet/buf.h"
#include "vet/error.h"

struct vet_input;
struct vet_output;

/* The name of every temporary output file begins so (man pages, FILES). */
#define VET_OUTPUT_TEMP_PREFIX ".vet-tmp."

/*
 * path NULL or "-" means standard input.  0, VET_ENOENT (also for a
 * directory) or VET_ENOMEM.
 */
int vet_input_open(struct vet_input **in, const char *path,
    struct vet_error *err);

/*
 * Reads up to n decoded bytes.  Returns the count (> 0), 0 at the end of the
 * data, or VET_EIO / VET_EDATA (bad or truncated gzip) with err filled.
 */
long vet_input_read(struct vet_input *in, void *p, size_t n,
    struct vet_error *err);

/*
 * Called with the successive chunks of a line longer than the input's
 * limit, the line's first byte in the first chunk; returns 0 or a negative
 * status that stops the reading.
 */
typedef int (*vet_sink_fn)(void *ctx, const char *p, size_t n);

enum {
	VET_LINE_EOF = 0,
	VET_LINE_OK = 1,
	VET_LINE_LONG = 2
};

/*
 * Reads the next line (the '\n' not included; a '\r' before it is left for
 * the caller).  A final line without '\n' is still a line.  Returns:
 *   VET_LINE_OK   with *line set;
 *   VET_LINE_LONG when the line is longer than max bytes: it was not held in
 *                 memory but passed in chunks to sink (which may be NULL to
 *                 skip it), and *line is empty;
 *   VET_LINE_EOF  at the end;
 *   VET_EIO / VET_EDATA / VET_ENOMEM with err filled.
 */
int vet_input_line(struct vet_input *in, struct vet_span *line, size_t max,
    vet_sink_fn sink, void *ctx, struct vet_error *err);

/*
 * After vet_input_line() failed (VET_EIO, VET_EDATA), the bytes of the line
 * it was reading when the input ended badly (a record cut by a truncated
 * gzip stream): they belong to no line returned.  Empty when there are
 * none, or when the line was being passed to a sink.  Valid until the next
 * call on in.
 */
void vet_input_pending(const struct vet_input *in, struct vet_span *line);

/* The name given to open, or "<stdin>". */
const char *vet_input_name(const struct vet_input *in);
/* Line number of the last line returned (1-based). */
long vet_input_lineno(const struct vet_input *in);
/* True when the data was gzip. */
int vet_input_gzip(const struct vet_input *in);
void vet_input_close(struct vet_input *in);

/*
 * Reads a whole file (gzip or not) into out; for policy, map and small
 * side files.  0, VET_ENOENT, VET_EIO, VET_EDATA (also for more than
 * VET_SLURP_MAX decoded bytes: /dev/zero or a gzip bomb named as a policy
 * must not take all memory) or VET_ENOMEM.
 */
#define VET_SLURP_MAX ((size_t)64 << 20)
int vet_input_slurp(const char *path, struct vet_buf *out,
    struct vet_error *err);

/*
 * Opens path (NULL or "-": standard output).  gzip: 1 forces gzip, 0 means
 * "only when the name ends in .gz".  0, VET_EIO or VET_ENOMEM.
 */
int vet_output_open(struct vet_output **o, const char *path, int gzip,
    struct vet_error *err);
/* 0, or VET_EIO (ENOSPC and friends) with err filled. */
int vet_output_write(struct vet_output *o, const void *p, size_t n,
    struct vet_error *err);
int vet_output_flush(struct vet_output *o, struct vet_error *err);
/*
 * The first half of a commit: flushes, ends the gzip stream and syncs the
 * temporary file, so that only the rename is left to vet_output_close(o,
 * 1).  A program with several outputs readies them all before it renames
 * any, so that a failure leaves none committed.  0 or VET_EIO; o stays
 * open either way.
 */
int vet_output_ready(struct vet_output *o, struct vet_error *err);

/*
 * Finishes the output: with commit, flushes, ends the gzip stream, closes
 * and renames the temporary file over the target; without, discards the
 * temporary file.  Frees o.  0 or VET_EIO.
 */
int vet_output_close(struct vet_output *o, int commit, struct vet_error *err);

/*
 * The errno of the first failure of o (EPIPE when the reader of a pipe went
 * away, ENOSPC, ...), or 0 when nothing failed or the failure was not a
 * system call's.
 */
int vet_output_errno(const struct vet_output *o);

/*
 * Unlinks the temporary file of every output still open, so that a program
 * ended by a signal leaves neither a partial target nor a stray temporary.
 * Async-signal-safe: meant for a signal handler that then ends the program
 * (the outputs are unusable afterwards).
 */
void vet_output_unlink_temps(void);

#endif
