/*
 * spawn-median.c - the median wall time of R runs of a command (posix_spawn
 * and wait, stdout to /dev/null), and the median CPU time (user + system,
 * from wait4) of the same runs, in milliseconds: the start-up figure of
 * bench-table.sh, without the cost of a shell or an interpreter around each
 * run.  On a loaded machine the wall time holds the wait for a core; the
 * CPU time does not.
 *
 *   spawn-median R COMMAND [ARG...]
 */
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

int
main(int argc, char **argv)
{
	posix_spawn_file_actions_t fa;
	struct timespec t0, t1;
	struct rusage ru;
	double *ms, *cpu;
	pid_t pid;
	int i, n, st;

	if (argc < 3 || (n = atoi(argv[1])) < 1) {
		fprintf(stderr, "usage: spawn-median R COMMAND [ARG...]\n");
		return 2;
	}
	if ((ms = calloc((size_t)n, sizeof *ms)) == NULL ||
	    (cpu = calloc((size_t)n, sizeof *cpu)) == NULL)
		return 1;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
	for (i = 0; i < n; i++) {
		clock_gettime(CLOCK_MONOTONIC, &t0);
		if (posix_spawn(&pid, argv[2], &fa, NULL, argv + 2,
		    environ) != 0) {
			perror(argv[2]);
			return 1;
		}
		if (wait4(pid, &st, 0, &ru) < 0 || !WIFEXITED(st) ||
		    WEXITSTATUS(st) != 0) {
			fprintf(stderr, "spawn-median: %s failed\n", argv[2]);
			return 1;
		}
		clock_gettime(CLOCK_MONOTONIC, &t1);
		ms[i] = (double)(t1.tv_sec - t0.tv_sec) * 1e3 +
		    (double)(t1.tv_nsec - t0.tv_nsec) / 1e6;
		cpu[i] = (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) *
		    1e3 + (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) /
		    1e3;
	}
	qsort(ms, (size_t)n, sizeof *ms, cmp_double);
	qsort(cpu, (size_t)n, sizeof *cpu, cmp_double);
	printf("%.3f %.3f\n", ms[n / 2], cpu[n / 2]);
	return 0;
}
