/*
 * replay.c - a main for the libFuzzer targets of this directory, so that
 * their corpora run as regression tests with any compiler (gcc, no
 * libFuzzer): each argument, a file or a directory of files (one level,
 * then recursively), is read whole into a buffer of exactly its size (so
 * that AddressSanitizer sees a read past the end) and passed to
 * LLVMFuzzerTestOneInput.  Prints the count; exits 1 when a path cannot be
 * read.  A crash is the target's abort() or a sanitizer's report.
 */
#define _XOPEN_SOURCE 700
#include <ftw.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static long nfiles;
static int bad;

static int
one(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
	FILE *f;
	uint8_t *p;
	size_t n;

	if (type != FTW_F)
		return 0;
	if ((f = fopen(path, "rb")) == NULL) {
		fprintf(stderr, "replay: cannot open '%s'\n", path);
		bad = 1;
		return 0;
	}
	n = (size_t)st->st_size;
	/* One byte more for malloc(0); the target sees only n. */
	if ((p = malloc(n + 1)) == NULL || fread(p, 1, n, f) != n) {
		fprintf(stderr, "replay: cannot read '%s'\n", path);
		bad = 1;
	} else {
		uint8_t *q = malloc(n ? n : 1);

		if (q == NULL)
			abort();
		memcpy(q, p, n);
		LLVMFuzzerTestOneInput(q, n);
		free(q);
		nfiles++;
	}
	free(p);
	fclose(f);
	return 0;
}

int
main(int argc, char **argv)
{
	int i;

	for (i = 1; i < argc; i++)
		if (nftw(argv[i], one, 16, FTW_PHYS) != 0) {
			fprintf(stderr, "replay: cannot read '%s'\n", argv[i]);
			bad = 1;
		}
	printf("%s: %ld inputs\n", argv[0], nfiles);
	return bad;
}
