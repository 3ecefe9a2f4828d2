/* cli/timefmt.h: moved to the core (src/timefmt.h) so that the TUI shares
 * it; this name stays for the CLI files that include it. */
#include "../timefmt.h"
