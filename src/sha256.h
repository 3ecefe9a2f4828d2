/* sha256.h: SHA-256 (FIPS 180-4), for the audit chain and calendar
 * digests.  No allocation, no I/O. */
#ifndef SLATRACK_SHA256_H
#define SLATRACK_SHA256_H

#include <stddef.h>
#include <stdint.h>

struct sha256 {
	uint32_t h[8];
	uint64_t len;		/* bytes hashed so far */
	unsigned char block[64];
	size_t fill;
};

void sha256_init(struct sha256 *c);
void sha256_update(struct sha256 *c, const void *data, size_t len);
void sha256_final(struct sha256 *c, unsigned char out[32]);
/* One call: hex digest of data (65 bytes with the NUL). */
void sha256_hex(const void *data, size_t len, char out[65]);
void sha256_final_hex(struct sha256 *c, char out[65]);

/* The compression function, n 64-byte blocks into the state h.
 * sha256_update picks the x86 SHA-extension version when the CPU has it
 * (sha256_have_shani); both are public so tests can hold them to the same
 * answers.  Where the build has no SHA-NI version, _shani is _portable. */
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define SHA256_HAVE_SHANI_BUILD 1
#else
#define SHA256_HAVE_SHANI_BUILD 0
#endif
void sha256_blocks_portable(uint32_t h[8], const unsigned char *p, size_t n);
void sha256_blocks_shani(uint32_t h[8], const unsigned char *p, size_t n);
int sha256_have_shani(void);

#endif
