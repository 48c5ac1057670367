/*
 * xls_impl.h - the two halves of the .xls reader (xls.h), private to
 * lib/xls*.c, the unit tests and the fuzz targets.
 *
 * xls_read.c is the reader itself: libfreexl and the cell walk, in the
 * process that calls it.  xls.c runs it in a child process (fork, no exec)
 * with bounded resources and reads the cells it streams over a socket;
 * the public vet_xls_* functions are that parent's.
 *
 * Ownership as in xls.h: vet_xls__read_open() allocates, _close() frees;
 * names live until close, a row until the next call.
 */
#ifndef VET_XLS_IMPL_H
#define VET_XLS_IMPL_H

#include <stddef.h>

#include "vet/error.h"
#include "vet/sheet.h"
#include "vet/xls.h"

struct vet_xls_read;

/* The in-process reader, with the contract of vet_xls_open() and friends
 * (xls.h). */
int vet_xls__read_open(struct vet_xls_read **x, const char *path,
    size_t max_row, struct vet_error *err);
void vet_xls__read_close(struct vet_xls_read *x);
size_t vet_xls__read_nsheets(const struct vet_xls_read *x);
const char *vet_xls__read_sheet_name(const struct vet_xls_read *x, size_t i);
int vet_xls__read_sheet_open(struct vet_xls_read *x, size_t i,
    struct vet_error *err);
int vet_xls__read_next(struct vet_xls_read *x, struct vet_sheet_row *row,
    struct vet_error *err);

/*
 * What runs in the child: fd is its end of the socket, the rest what
 * vet_xls__spawn() was given.  It must end with _exit(), never return
 * into the caller's code (it would run the parent's atexit handlers).
 */
typedef void (*vet_xls_child_fn)(int fd, const char *path, size_t max_row,
    void *arg);

/* The reader's limits in the child: address space (not set under the
 * sanitizers, which reserve terabytes) and CPU seconds. */
struct vet_xls_limits {
	unsigned long long as_bytes;
	unsigned long cpu_seconds;
};

/*
 * vet_xls_open() with child in place of the real reader (vet_xls__serve),
 * for the unit tests and fuzz_xls_frames: a child that crashes, loops or
 * writes garbage.  lim NULL: the defaults of xls.c.
 */
int vet_xls__spawn(struct vet_xls **x, const char *path, size_t max_row,
    vet_xls_child_fn child, void *arg, const struct vet_xls_limits *lim,
    struct vet_error *err);

/* The real child: opens path with vet_xls__read_open() and serves the
 * parent's requests until it closes the socket. */
void vet_xls__serve(int fd, const char *path, size_t max_row, void *arg);

/* The frames, as the child writes them (xls.c says what each holds). */
enum {
	VET_XLS_F_BOOK = 'B',	/* u32 sheet count; then that many NAME */
	VET_XLS_F_NAME = 'N',	/* a sheet's name, UTF-8 */
	VET_XLS_F_FAIL = 'E',	/* u8 status, message: the open failed */
	VET_XLS_F_SERR = 'e',	/* u8 status, message: a sheet failed */
	VET_XLS_F_ROW = 'R',	/* a row (xls.c) */
	VET_XLS_F_END = 'Z'	/* the sheet's last row was sent */
};

/* The header of a frame: its type, then the payload's length, 32 bits
 * little-endian. */
#define VET_XLS_FRAME_HEAD 5

#endif
