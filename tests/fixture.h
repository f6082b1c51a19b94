/* fixture.h - what every Check suite shares: a heap on a static,
 * 4096-aligned buffer, and helpers that compare dumps and run the checker.
 */
#ifndef HL_TEST_FIXTURE_H
#define HL_TEST_FIXTURE_H

#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <stdint.h>
#include <string.h>

#include "heaplab.h"

#define FIXTURE_CAPACITY (1024 * 1024)

extern char fixture_buffer[FIXTURE_CAPACITY];
extern hl_static_grower fixture_grower;
extern hl_heap_space fixture_space;
extern hl_heap *heap;

/* Builds `heap` on the static buffer: a preset, then "key=value" knobs,
 * ended by NULL; the grower's minimum increment is 4096. */
hl_heap *fixture_heap(hl_preset preset, ...);
/* The same with a chosen capacity and increment. */
hl_heap *fixture_heap_sized(hl_preset preset, size_t capacity,
                            size_t increment, ...);

/* The heap's dump as a string (static storage, overwritten each call). */
const char *fixture_dump(void);
/* The dump's block and freelist lines only, one string. */
const char *fixture_blocks(void);
/* Offset of ptr's block header from the heap base. */
size_t block_offset(const void *ptr);

#define ck_assert_heap_ok()                                                    \
    do {                                                                       \
        char why_[256];                                                        \
        ck_assert_msg(hl_heap_check(heap, why_, sizeof why_), "%s", why_);     \
    } while (0)

/* The test is about to read or write [p, p + n), bytes of the heap's own
 * or of a freed object, as a buggy program would: valgrind and ASan, which
 * the library told these bytes are closed (lib/shadow.h), are told to let
 * it.  Returns p. */
void *fixture_expose(void *p, size_t n);

/* A Check suite's main: runs the suite, TAP-friendly, exits 0 on success. */
int fixture_run(Suite *suite);

#endif
