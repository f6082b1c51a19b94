/* watch.h - what a test sees of the fixture's heap as it works: every
 * event, every reported misuse, and the stats, for the suites of the
 * cache and of remote frees (watch.c). */
#ifndef HL_TEST_WATCH_H
#define HL_TEST_WATCH_H

#include "fixture.h"

#define MAX_EVENTS 512
extern hl_event events[MAX_EVENTS]; /* the first MAX_EVENTS of them */
extern int event_count;             /* all of them */

/* Records the heap's events from now on, forgetting earlier ones. */
void watch_events(void);
int count_events(hl_event_kind kind);

/* Records misuse instead of aborting: how many reports, and the last. */
extern int errors;
extern hl_error_kind first_kind, last_kind;
extern const void *last_ptr;
extern char last_op[32];
void watch_errors(void);

hl_stats stats(void);

#endif /* HL_TEST_WATCH_H */
