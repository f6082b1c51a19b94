/* start_once.h - a once-flag for code that runs inside malloc.
 *
 * pthread_once() cannot start an allocator: if the start-up code ends up
 * calling malloc on the same thread (dlsym does, so can pthread_atfork),
 * pthread_once waits for itself forever.  This flag remembers which thread
 * is starting, so that such a nested call can be told apart from another
 * thread that arrived at the same moment:
 *
 *   START_READY     everything is set up: the fast path, one atomic load.
 *   START_NESTED    this very thread is starting: serve the call some other
 *                   way (a static bootstrap buffer), do not wait.
 *   START_ME        the caller won the race and must start, then call
 *                   start_once_done().
 * Other threads that arrive while one is starting spin (yielding) until it
 * is done.  Nothing here allocates; the thread id comes from gettid(2).
 */
#ifndef HL_START_ONCE_H
#define HL_START_ONCE_H

#include <sched.h>
#include <stdatomic.h>
#include <sys/syscall.h>
#include <unistd.h>

typedef struct start_once {
    atomic_int state;   /* 0 not started, 1 starting, 2 ready */
    atomic_long starter; /* the thread id of the starting thread */
} start_once;

enum { START_READY, START_NESTED, START_ME };

static inline long start_once_thread_id(void)
{
    return (long)syscall(SYS_gettid);
}

static inline int start_once_enter(start_once *once)
{
    int expected = 0;

    if (atomic_load_explicit(&once->state, memory_order_acquire) == 2)
        return START_READY;
    if (atomic_compare_exchange_strong(&once->state, &expected, 1)) {
        atomic_store(&once->starter, start_once_thread_id());
        return START_ME;
    }
    if (atomic_load(&once->starter) == start_once_thread_id())
        return START_NESTED;
    while (atomic_load_explicit(&once->state, memory_order_acquire) != 2)
        sched_yield();
    return START_READY;
}

static inline void start_once_done(start_once *once)
{
    atomic_store(&once->starter, 0);
    atomic_store_explicit(&once->state, 2, memory_order_release);
}

#endif /* HL_START_ONCE_H */
