/* run_report.h - what run.c prints through run_report.c. */
#ifndef HL_RUN_REPORT_H
#define HL_RUN_REPORT_H

#include <stddef.h>

#include "heaplab.h"
#include "quiz.h"
#include "replay.h"
#include "script.h"

/* The heap dump after step `step` (0: before the first), after a line
 * '## step N: SOURCE'; with a heap per thread, every heap's. */
void dump_step(replay *r, size_t step, const char *source);
/* --stats: the statistics of one heap; `number` is the heap's number with
 * a heap per thread, 0 with one heap. */
void print_stats(const char *name, unsigned number, hl_heap *heap);
/* The line of a script that held: "FILE: passed: ...". */
void print_summary(const char *name, size_t operations,
                   size_t checks, size_t failures, size_t skipped);
/* On stderr: an allocation failed when the script did not expect it. */
void report_failure(const hl_script *script, const hl_step_result *res,
                    replay *r);
/* --answers: the quiz's questions about the step just run, answered. */
void print_answers(const hl_script *script, const quiz_before *before,
                   const hl_step_result *res);

#endif
