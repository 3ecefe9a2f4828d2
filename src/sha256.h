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
/* A digest's 64 lowercase hex digits and a NUL. */
void sha256_to_hex(const unsigned char md[32], char out[65]);

/* A whole message hashed where it lies, no copy: it ends len bytes into
 * a buffer with room for sha256_padded_len(len) bytes, sha256_pad writes
 * the padding after it, and sha256_padded hashes the padded bytes.
 * sha256_padded2 hashes two padded messages at once, which on the SHA
 * extensions takes less time than one after the other. */
size_t sha256_padded_len(size_t len);
void sha256_pad(unsigned char *msg, size_t len);
void sha256_padded(const unsigned char *msg, size_t padded, unsigned char out[32]);
void sha256_padded2(const unsigned char *a, size_t apadded, const unsigned char *b,
		    size_t bpadded, unsigned char aout[32], unsigned char bout[32]);
/* n padded messages, msg[i] of padded[i] bytes (as sha256_pad leaves
 * them: a multiple of 64, never 0), each digest to out[i]: sixteen at a
 * time where the CPU has AVX-512 (sha256_have_avx512), else two at a
 * time.  Verifying an audit chain hashes its events so. */
void sha256_padded_many(const unsigned char *const msg[], const size_t padded[], size_t n,
			unsigned char *const out[]);

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
/* Two messages' blocks, n each, interleaved (portable: one then other). */
void sha256_blocks_shani2(uint32_t ha[8], const unsigned char *pa, uint32_t hb[8],
			  const unsigned char *pb, size_t n);
int sha256_have_shani(void);
/* Whether the CPU and the system run AVX-512 (F and BW); and the
 * sixteen-lane hashing sha256_padded_many picks then, public so tests can
 * hold it to the others' answers (only where sha256_have_avx512 says so,
 * and only in an SHA-NI build). */
int sha256_have_avx512(void);
#if SHA256_HAVE_SHANI_BUILD
void sha256_padded_x16(const unsigned char *const msg[], const size_t padded[], size_t n,
		       unsigned char *const out[]);
#endif

#endif
