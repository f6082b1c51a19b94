/* fuzz_script.c - a libFuzzer target over the script parser (see fuzz.sh).
 *
 * Any text must either parse or be refused with a message that starts
 * with the script's name; nothing may crash, leak or read out of bounds.
 * A text that parses and is small enough is also replayed on a static
 * heap, with a checkpoint saved halfway and restored at the end, so that
 * the replay engine and the expects are fuzzed too.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "replay.h"
#include "script.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Stops the fuzzer with a crash it will report. */
#define MUST(condition)                                                        \
    do {                                                                       \
        if (!(condition))                                                      \
            abort();                                                           \
    } while (0)

static void check_parsed(const hl_script *s)
{
    size_t i;

    for (i = 0; i < s->nops; i++) {
        const script_op *op = &s->ops[i];
        MUST(op->id == SCRIPT_NO_ID || op->id < s->nids);
        MUST(op->line >= 1 && op->source != NULL);
        if (op->kind == SCRIPT_MEMALIGN)
            MUST(op->align != 0 && (op->align & (op->align - 1)) == 0);
    }
    for (i = 0; i < s->nids; i++)
        MUST(s->id_names[i] != NULL && s->id_names[i][0] != '\0');
}

static void replay_briefly(const hl_script *s)
{
    replay_checkpoint cp = REPLAY_CHECKPOINT_INIT;
    hl_step_result res;
    char err[256];
    replay *r;

    if (s->heap.grower != SCRIPT_GROWER_STATIC ||
        script_capacity(s) > ((size_t)1 << 20) || s->nops > 512)
        return;
    r = replay_new(s, err, sizeof err);
    if (!r)
        return;
    while (replay_position(r) < s->nops / 2 && replay_step(r, &res))
        MUST(res.passed || res.message[0] != '\0');
    MUST(replay_save(r, &cp) == 0);
    while (replay_step(r, &res))
        MUST(res.passed || res.message[0] != '\0');
    MUST(replay_restore(r, &cp) == 0);
    MUST(replay_position(r) == cp.position);
    while (replay_step(r, &res))
        ;
    replay_checkpoint_release(&cp);
    replay_free(r);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = malloc(size + 1), err[512];
    hl_script *s;

    if (!text)
        return 0;
    memcpy(text, data, size);
    text[size] = '\0';
    s = script_parse_string("fuzz", text, err, sizeof err);
    if (!s) {
        MUST(strncmp(err, "fuzz:", 5) == 0);
    } else {
        check_parsed(s);
        if (script_apply_heap_options(s, text, err, sizeof err) != 0)
            MUST(err[0] != '\0');
        replay_briefly(s);
        script_free(s);
    }
    free(text);
    return 0;
}
