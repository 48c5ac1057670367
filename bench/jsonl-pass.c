/*
 * jsonl-pass.c - the smallest vet filter, for bench/bench-jsonl.sh: reads
 * JSON Lines on standard input, parses and validates each record, appends
 * one owned field ("seq", the line number) and writes the record.
 *
 * It measures the record core (json.c, record.c) alone, so it reads with a
 * plain fread() + memchr() line splitter instead of lib/io.c.  Not a test
 * and not installed.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vet/buf.h"
#include "vet/error.h"
#include "vet/record.h"

#define CHUNK	(1 << 20)

struct pass {
	struct vet_record rec;
	struct vet_fieldset fs;
	struct vet_buf out;
	struct vet_error err;
	long line;
	long rejected;
};

static void
die(const char *msg)
{
	fprintf(stderr, "jsonl-pass: %s\n", msg);
	exit(70);
}

static void
flush(struct pass *ps)
{
	if (ps->out.len > 0 &&
	    fwrite(ps->out.data, 1, ps->out.len, stdout) != ps->out.len)
		die("write error");
	vet_buf_reset(&ps->out);
}

static void
one_line(struct pass *ps, const char *p, size_t n)
{
	char msg[600];
	int rc;

	ps->line++;
	rc = vet_record_parse(&ps->rec, p, n, &ps->err);
	if (rc == VET_EDATA) {
		if (ps->rejected++ < 10) {
			ps->err.line = ps->line;
			snprintf(ps->err.file, sizeof ps->err.file, "-");
			fprintf(stderr, "jsonl-pass: %s\n",
			    vet_error_format(&ps->err, msg, sizeof msg));
		}
		return;
	}
	if (rc < 0)
		die("out of memory");
	vet_fieldset_reset(&ps->fs);
	if (vet_fieldset_add_int(&ps->fs, "seq", ps->line) < 0 ||
	    vet_record_write(&ps->out, &ps->rec, &ps->fs) < 0)
		die("out of memory");
	if (ps->out.len >= CHUNK)
		flush(ps);
}

int
main(void)
{
	struct pass ps;
	size_t cap = 4 * CHUNK, len = 0, got, off;
	char *buf, *nl, *nb;

	memset(&ps, 0, sizeof ps);
	vet_record_init(&ps.rec);
	vet_fieldset_init(&ps.fs);
	vet_buf_init(&ps.out);
	if ((buf = malloc(cap)) == NULL)
		die("out of memory");
	for (;;) {
		if (len == cap) {
			/* A line longer than the buffer: make room. */
			if (cap > SIZE_MAX / 2 ||
			    (nb = realloc(buf, cap * 2)) == NULL)
				die("out of memory");
			buf = nb;
			cap *= 2;
		}
		got = fread(buf + len, 1, cap - len, stdin);
		if (got == 0)
			break;
		len += got;
		off = 0;
		while ((nl = memchr(buf + off, '\n', len - off)) != NULL) {
			one_line(&ps, buf + off, (size_t)(nl - (buf + off)));
			off = (size_t)(nl - buf) + 1;
		}
		memmove(buf, buf + off, len - off);
		len -= off;
	}
	if (ferror(stdin))
		die("read error");
	if (len > 0)
		one_line(&ps, buf, len);
	flush(&ps);
	if (fflush(stdout) != 0)
		die("write error");
	fprintf(stderr, "jsonl-pass: %ld read, %ld written, %ld rejected\n",
	    ps.line, ps.line - ps.rejected, ps.rejected);
	free(buf);
	vet_record_release(&ps.rec);
	vet_fieldset_release(&ps.fs);
	vet_buf_release(&ps.out);
	return ps.rejected > 0 ? 65 : 0;
}
