/* quiz_internal.h - what quiz.c, quiz_reason.c and quiz_reason_offset.c
 * share. */
#ifndef HL_QUIZ_INTERNAL_H
#define HL_QUIZ_INTERNAL_H

#include "quiz.h"

/* The step's last event of `kind`, or NULL. */
const hl_event *quiz_find_event(const hl_step_result *res,
                                hl_event_kind kind);

/* quiz_reason.c: the pieces every reason is written with, which
 * quiz_reason_offset.c uses too. */
/* Appends to buf (which holds a string), cutting at size. */
void say(char *buf, size_t size, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* The bytes the step's allocation asked for, or 0. */
size_t requested_of(const hl_step_result *res);
/* "the freelist was empty", or that no free block could hold `requested`. */
void say_no_block_fits(char *buf, size_t size, const quiz_before *before,
                       size_t requested);

/* quiz_reason.c (quiz_reason_offset.c for the offset): why the answer to
 * each kind of question is what it is. */
void quiz_reason_grow(char *buf, size_t size, const quiz_before *before,
                      const hl_step_result *res);
void quiz_reason_offset(char *buf, size_t size, const quiz_before *before,
                        const hl_step_result *res);
void quiz_reason_merge(char *buf, size_t size, const quiz_before *before,
                       const hl_step_result *res);
void quiz_reason_heap(char *buf, size_t size, const quiz_before *before,
                      const hl_step_result *res);
void quiz_reason_remote(char *buf, size_t size, const quiz_before *before,
                        const char *id_name, const hl_step_result *res);

#endif
