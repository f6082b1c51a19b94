/* quiz_internal.h - what quiz.c and quiz_reason.c share. */
#ifndef HL_QUIZ_INTERNAL_H
#define HL_QUIZ_INTERNAL_H

#include "quiz.h"

/* The step's last event of `kind`, or NULL. */
const hl_event *quiz_find_event(const hl_step_result *res,
                                hl_event_kind kind);

/* quiz_reason.c: why the answer to each kind of question is what it is. */
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
