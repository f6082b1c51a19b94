/* atfork.c - fork() in a threaded program.
 *
 * fork() copies the whole address space but only the calling thread.  Had
 * another thread been in the middle of a heap operation, the child would
 * inherit a heap half-way through a split, and a mutex held by a thread
 * that does not exist there.  So, as glibc does for its own malloc, the
 * shared heap's mutex and the registry's are taken just before the fork
 * and released right after it in the parent and in the child, where the
 * thread that forked is the one that holds them.  Per-thread heaps have no
 * lock to take: in the child, the heaps of the threads that did not come
 * along are set aside for good (heaps.c), since one of them may have been
 * caught in the middle of an operation.
 *
 * pthread_atfork() may allocate (glibc keeps its handlers in a growing
 * array), so it is called only once the heap is ready (init.c), and never
 * with the heap's mutex held.  Prepare handlers run in the reverse order
 * of registration: registered early, ours runs last, after those of
 * libraries that still allocate in theirs; the parent and child handlers
 * run in order, so ours runs first and the heap is usable in theirs.
 * Mappings and the bootstrap buffer need no lock: they are lock-free.
 */
#include <pthread.h>
#include <stdatomic.h>

#include "global.h"

void atfork_register(void)
{
    static atomic_flag registered = ATOMIC_FLAG_INIT;

    if (!atomic_flag_test_and_set(&registered))
        pthread_atfork(heaps_before_fork, heaps_after_fork_parent,
                       heaps_after_fork_child);
}
