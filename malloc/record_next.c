/* record_next.c - finding the allocator that comes after the recorder.
 *
 * dlsym(RTLD_NEXT, "malloc") finds the malloc of the next library in the
 * lookup order: the C library's, or libheaplab-malloc's when `heaplab
 * record --on-heaplab` preloads it right after this one.  dlsym itself may
 * call malloc or calloc (glibc does, to keep its error state); such a
 * nested call cannot wait for the lookup it is part of, so start_once.h
 * tells it apart and the shim serves it from the bootstrap buffer.
 */
#include "config.h"

#include <dlfcn.h>
#include <stdint.h>
#include <stdlib.h>
#include <unistd.h>

#include "record.h"
#include "start_once.h"

next_allocator next;
static start_once lookup_once;

/* dlsym returns a data pointer; C needs a detour to make it a function. */
#define LOOK_UP(field, name)                                                   \
    (*(void **)(void *)&next.field = dlsym(RTLD_NEXT, name))

static void look_up_all(void)
{
    static const char missing[] =
        "heaplab record: no malloc to forward to after the recorder\n";

    LOOK_UP(malloc, "malloc");
    LOOK_UP(free, "free");
    LOOK_UP(calloc, "calloc");
    LOOK_UP(realloc, "realloc");
    LOOK_UP(posix_memalign, "posix_memalign");
    LOOK_UP(aligned_alloc, "aligned_alloc");
    LOOK_UP(memalign, "memalign");
    LOOK_UP(valloc, "valloc");
    LOOK_UP(pvalloc, "pvalloc");
    LOOK_UP(usable_size, "malloc_usable_size");
    if (!next.malloc || !next.free || !next.calloc || !next.realloc ||
        !next.posix_memalign || !next.memalign || !next.usable_size) {
        if (write(STDERR_FILENO, missing, sizeof missing - 1) < 0)
            _exit(127);
        _exit(127);
    }
}

bool next_ready(void)
{
    switch (start_once_enter(&lookup_once)) {
    case START_READY:
        return true;
    case START_NESTED:
        return false;
    default:
        look_up_all();
        start_once_done(&lookup_once);
        return true;
    }
}
