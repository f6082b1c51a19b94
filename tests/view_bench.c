/* view_bench.c - how long `heaplab view` takes to reach any step of a
 * long trace.  Not a test (times depend on the machine): build and run it
 * with `make -C tests view-bench && tests/view-bench [OPS [FILE [reuse]]]`.
 *
 * It generates a trace of OPS operations (a million by default; with FILE
 * it is also written there, to open in the viewer; with `reuse`, freed IDs
 * are allocated again), opens a timeline on it
 * with the viewer's own checkpoint settings, then jumps to random steps,
 * forward and back, and reports the first pass and the jumps' times.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "script.h"
#include "view_timeline.h"

static double now_ms(void)
{
    struct timespec t;

    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

/* About a thousand live objects of 1 to 512 bytes, allocated and freed in
 * a random order that is the same on every run.  Each allocation gets a new
 * ID, as in malloc-lab traces, unless `reuse`: then IDs are slots 0..999,
 * taken again once freed, as a program's variables are. */
static char *generate(size_t ops, int reuse)
{
    size_t cap = 64 + ops * 24, len = 0, next_id = 0, nlive = 0, i;
    size_t *live = malloc(ops * sizeof *live), nfree = 0;
    size_t *free_ids = malloc(ops * sizeof *free_ids);
    char *text = malloc(cap);
    unsigned long x = 42;

    if (!live || !free_ids || !text)
        exit(1);
    len += (size_t)snprintf(text, cap, "heap preset=reference capacity=64M "
                                       "increment=4096\n");
    for (i = 0; i < ops; i++) {
        x = x * 6364136223846793005UL + 1442695040888963407UL;
        if (nlive == 0 || (nlive < 1000 && (x >> 33) % 10 < 6)) {
            size_t id = reuse && nfree > 0 ? free_ids[--nfree] : next_id++;
            live[nlive++] = id;
            len += (size_t)snprintf(text + len, cap - len, "a %zu %lu\n",
                                    id, 1 + (x >> 40) % 512);
        } else {
            size_t k = (x >> 20) % nlive;
            len += (size_t)snprintf(text + len, cap - len, "f %zu\n",
                                    live[k]);
            free_ids[nfree++] = live[k];
            live[k] = live[--nlive];
        }
    }
    free(live);
    free(free_ids);
    return text;
}

int main(int argc, char **argv)
{
    size_t ops = argc > 1 ? strtoul(argv[1], NULL, 10) : 1000000, i;
    size_t jumps = 200, count, interval, bytes;
    int reuse = argc > 3 && !strcmp(argv[3], "reuse");
    char err[512], *text = generate(ops, reuse);
    double start, total = 0, worst = 0;
    unsigned long x = 7;
    hl_script *script;
    timeline *tl;

    if (argc > 2 && strcmp(argv[2], "-") != 0) {
        FILE *f = fopen(argv[2], "w");
        if (!f || fputs(text, f) < 0 || fclose(f) != 0)
            return perror(argv[2]), 1;
    }
    start = now_ms();
    script = script_parse_string("bench", text, err, sizeof err);
    if (!script)
        return fprintf(stderr, "%s\n", err), 1;
    printf("parse %zu operations: %.0f ms\n", ops, now_ms() - start);
    start = now_ms();
    tl = timeline_open(script, TL_INTERVAL, TL_BUDGET, err, sizeof err);
    if (!tl)
        return fprintf(stderr, "%s\n", err), 1;
    timeline_memory(tl, &count, &interval, &bytes);
    printf("first pass: %.0f ms; %zu checkpoints every %zu steps, %.1f MiB\n",
           now_ms() - start, count, interval, bytes / 1048576.0);
    for (i = 0; i < jumps; i++) {
        size_t to;
        double t;
        x = x * 6364136223846793005UL + 1442695040888963407UL;
        to = (x >> 20) % (ops + 1);
        t = now_ms();
        timeline_go(tl, to);
        t = now_ms() - t;
        total += t;
        if (t > worst)
            worst = t;
    }
    printf("%zu jumps to random steps: mean %.2f ms, worst %.2f ms\n", jumps,
           total / jumps, worst);
    timeline_close(tl);
    script_free(script);
    free(text);
    return 0;
}
