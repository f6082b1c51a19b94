/* watch.c - an observer and an error hook that record, for tests. */
#include "watch.h"

hl_event events[MAX_EVENTS];
int event_count;
int errors;
hl_error_kind first_kind, last_kind;
const void *last_ptr;
char last_op[32];

static void record_event(const hl_event *event, void *arg)
{
    (void)arg;
    if (event_count < MAX_EVENTS)
        events[event_count] = *event;
    event_count++;
}

void watch_events(void)
{
    event_count = 0;
    hl_heap_set_observer(heap, record_event, NULL);
}

int count_events(hl_event_kind kind)
{
    int i, n = 0;

    for (i = 0; i < event_count && i < MAX_EVENTS; i++)
        n += events[i].kind == kind;
    return n;
}

static void note_error(hl_heap *h, hl_error_kind kind, const char *op,
                       const void *ptr, const char *message, void *arg)
{
    (void)h, (void)message, (void)arg;
    if (errors++ == 0)
        first_kind = kind;
    last_kind = kind;
    last_ptr = ptr;
    snprintf(last_op, sizeof last_op, "%s", op);
}

void watch_errors(void)
{
    errors = 0;
    last_ptr = NULL;
    last_op[0] = '\0';
    hl_heap_set_error_hook(heap, note_error, NULL);
}

hl_stats stats(void)
{
    hl_stats s;

    hl_heap_stats(heap, &s);
    return s;
}
