/* record.h - what the files of libheaplab-record share.  Not installed.
 *
 * libheaplab-record.so is preloaded into a program by `heaplab record`.
 * It exports the malloc family; each call is forwarded to the allocator
 * that comes next in the lookup order (the C library's, or heaplab's with
 * --on-heaplab), found with dlsym(RTLD_NEXT) in record_next.c, and written
 * down as one line of a heaplab script (record_writer.c), with objects
 * named by small numbers (record_ids.c).  record_shim.c holds the exported
 * functions and the one lock that keeps the lines in the order the calls
 * really happened.
 */
#ifndef HL_RECORD_H
#define HL_RECORD_H

#include <stdbool.h>
#include <stddef.h>

/* record_next.c: the allocator calls are forwarded to. */
typedef struct next_allocator {
    void *(*malloc)(size_t);
    void (*free)(void *);
    void *(*calloc)(size_t, size_t);
    void *(*realloc)(void *, size_t);
    int (*posix_memalign)(void **, size_t, size_t);
    void *(*aligned_alloc)(size_t, size_t);
    void *(*memalign)(size_t, size_t);
    void *(*valloc)(size_t);
    void *(*pvalloc)(size_t);
    size_t (*usable_size)(void *);
} next_allocator;

extern next_allocator next;
/* True once `next` is filled in; false for a call nested inside the
 * lookup itself (dlsym may allocate), which must use the bootstrap buffer. */
bool next_ready(void);

#include "bootstrap.h" /* shared with libheaplab-malloc */

/* record_ids.c: live pointers and their IDs.  Not thread-safe: called
 * under the recorder's lock. */
size_t ids_add(const void *ptr, size_t footprint); /* a new ID */
/* Forgets ptr; its ID stays taken until ids_retire. */
bool ids_take(const void *ptr, size_t *id, size_t *footprint);
void ids_put(const void *ptr, size_t id, size_t footprint); /* ptr is id */
void ids_retire(size_t id);                  /* the ID may be reused */
size_t ids_peak_footprint(void);
void ids_forget_all(void);

/* record_writer.c: the script file.  Not thread-safe either. */
bool writer_start(void);         /* false: nothing is recorded */
void writer_begin_line(char kind); /* 'a', 'f', 'r', 'c', 'm' or '#' */
void writer_number(size_t n);
void writer_text(const char *text);
void writer_end_line(void);
void writer_finish(size_t capacity);
bool writer_start_in_child(void);  /* false: nothing is recorded */

#endif /* HL_RECORD_H */
