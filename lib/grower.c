/* grower.c - what all growers share: the check of a minimum increment.
 *
 * The reference lets any minimum increment through, and one that is not a
 * multiple of 8 silently breaks its tag bit.  heaplab's growers take only
 * multiples of 16 (so every heap alignment is kept) up to HL_MAX_INCREMENT.
 */
#include <errno.h>

#include "heaplab.h"

int hl_grower_check_increment(size_t min_increment)
{
    if (min_increment % 16 != 0 || min_increment > HL_MAX_INCREMENT)
        return EINVAL;
    return 0;
}
