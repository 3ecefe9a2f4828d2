/* cli/ticketfmt.h: moved to the core (src/ticketfmt.h) so that the TUI
 * shares it; this name stays for the CLI files that include it. */
#include "../ticketfmt.h"
