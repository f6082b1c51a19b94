/* lesson12_harness.c - lesson 12's harness, compiled here exactly as the
 * learner compiles it, to be linked with the reference solution and with a
 * broken grower (see lesson-programs.sh). */
#include "../lessons/12-your-grower/harness.c"
