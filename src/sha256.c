/* sha256.c: SHA-256 after FIPS 180-4; see sha256.h. */
#include "sha256.h"

#include <string.h>

static const uint32_t K[64] = {
	0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
	0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
	0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
	0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
	0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
	0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
	0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
	0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

static uint32_t ror(uint32_t x, int n)
{
	return (x >> n) | (x << (32 - n));
}

/* The portable compression function: n 64-byte blocks into h. */
void sha256_blocks_portable(uint32_t h[8], const unsigned char *p, size_t n)
{
	for (; n > 0; n--, p += 64) {
		uint32_t w[64], a, b, cc, d, e, f, g, hh;

		for (int i = 0; i < 16; i++)
			w[i] = (uint32_t)p[4 * i] << 24 | (uint32_t)p[4 * i + 1] << 16 |
			    (uint32_t)p[4 * i + 2] << 8 | p[4 * i + 3];
		for (int i = 16; i < 64; i++) {
			uint32_t s0 = ror(w[i - 15], 7) ^ ror(w[i - 15], 18) ^ (w[i - 15] >> 3);
			uint32_t s1 = ror(w[i - 2], 17) ^ ror(w[i - 2], 19) ^ (w[i - 2] >> 10);

			w[i] = w[i - 16] + s0 + w[i - 7] + s1;
		}
		a = h[0]; b = h[1]; cc = h[2]; d = h[3];
		e = h[4]; f = h[5]; g = h[6]; hh = h[7];
		for (int i = 0; i < 64; i++) {
			uint32_t s1 = ror(e, 6) ^ ror(e, 11) ^ ror(e, 25);
			uint32_t ch = (e & f) ^ (~e & g);
			uint32_t t1 = hh + s1 + ch + K[i] + w[i];
			uint32_t s0 = ror(a, 2) ^ ror(a, 13) ^ ror(a, 22);
			uint32_t maj = (a & b) ^ (a & cc) ^ (b & cc);
			uint32_t t2 = s0 + maj;

			hh = g; g = f; f = e; e = d + t1;
			d = cc; cc = b; b = a; a = t1 + t2;
		}
		h[0] += a; h[1] += b; h[2] += cc; h[3] += d;
		h[4] += e; h[5] += f; h[6] += g; h[7] += hh;
	}
}

#if SHA256_HAVE_SHANI_BUILD
#include <cpuid.h>
#include <immintrin.h>

/* The x86 SHA extensions (SHA-NI): about six times the portable speed,
 * which is what verifying a million-event audit chain inside a report
 * needs.  The state lives as ABEF/CDGH lane pairs, as the instructions
 * want; each turn of the loop does four rounds and, for the first twelve
 * turns, the message words four groups ahead. */
__attribute__((target("sha,sse4.1,ssse3")))
void sha256_blocks_shani(uint32_t h[8], const unsigned char *p, size_t n)
{
	const __m128i bswap = _mm_set_epi64x(0x0c0d0e0f08090a0bLL, 0x0405060700010203LL);
	__m128i tmp = _mm_loadu_si128((const __m128i *)(const void *)&h[0]);
	__m128i st1 = _mm_loadu_si128((const __m128i *)(const void *)&h[4]);
	__m128i st0;

	tmp = _mm_shuffle_epi32(tmp, 0xb1);		/* CDAB */
	st1 = _mm_shuffle_epi32(st1, 0x1b);		/* EFGH */
	st0 = _mm_alignr_epi8(tmp, st1, 8);		/* ABEF */
	st1 = _mm_blend_epi16(st1, tmp, 0xf0);		/* CDGH */
	for (; n > 0; n--, p += 64) {
		__m128i save0 = st0, save1 = st1, m[4];

		for (int i = 0; i < 4; i++)
			m[i] = _mm_shuffle_epi8(_mm_loadu_si128(
			    (const __m128i *)(const void *)(p + 16 * i)), bswap);
#pragma GCC unroll 16
		for (int i = 0; i < 16; i++) {
			__m128i k = _mm_loadu_si128((const __m128i *)(const void *)&K[4 * i]);
			__m128i msg = _mm_add_epi32(m[i & 3], k);

			st1 = _mm_sha256rnds2_epu32(st1, st0, msg);
			st0 = _mm_sha256rnds2_epu32(st0, st1, _mm_shuffle_epi32(msg, 0x0e));
			if (i < 12) {
				__m128i w = _mm_sha256msg1_epu32(m[i & 3], m[(i + 1) & 3]);

				w = _mm_add_epi32(w, _mm_alignr_epi8(m[(i + 3) & 3], m[(i + 2) & 3], 4));
				m[i & 3] = _mm_sha256msg2_epu32(w, m[(i + 3) & 3]);
			}
		}
		st0 = _mm_add_epi32(st0, save0);
		st1 = _mm_add_epi32(st1, save1);
	}
	tmp = _mm_shuffle_epi32(st0, 0x1b);		/* FEBA */
	st1 = _mm_shuffle_epi32(st1, 0xb1);		/* DCHG */
	st0 = _mm_blend_epi16(tmp, st1, 0xf0);		/* DCBA */
	st1 = _mm_alignr_epi8(st1, tmp, 8);		/* HGFE */
	_mm_storeu_si128((__m128i *)(void *)&h[0], st0);
	_mm_storeu_si128((__m128i *)(void *)&h[4], st1);
}

/* Two independent messages of n blocks each, their rounds interleaved:
 * one message's rounds wait on each other, so the other's fill the gaps
 * (the verification of an audit chain hashes its events two at a time). */
__attribute__((target("sha,sse4.1,ssse3")))
void sha256_blocks_shani2(uint32_t ha[8], const unsigned char *pa, uint32_t hb[8],
			  const unsigned char *pb, size_t n)
{
	const __m128i bswap = _mm_set_epi64x(0x0c0d0e0f08090a0bLL, 0x0405060700010203LL);
	uint32_t *h[2] = { ha, hb };
	const unsigned char *p[2] = { pa, pb };
	__m128i st0[2], st1[2];

	for (int j = 0; j < 2; j++) {
		__m128i tmp = _mm_loadu_si128((const __m128i *)(const void *)&h[j][0]);

		st1[j] = _mm_loadu_si128((const __m128i *)(const void *)&h[j][4]);
		tmp = _mm_shuffle_epi32(tmp, 0xb1);
		st1[j] = _mm_shuffle_epi32(st1[j], 0x1b);
		st0[j] = _mm_alignr_epi8(tmp, st1[j], 8);
		st1[j] = _mm_blend_epi16(st1[j], tmp, 0xf0);
	}
	for (size_t b = 0; b < n; b++) {
		__m128i save0[2] = { st0[0], st0[1] }, save1[2] = { st1[0], st1[1] };
		__m128i m[2][4];

		for (int j = 0; j < 2; j++)
			for (int i = 0; i < 4; i++)
				m[j][i] = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)
				    (const void *)(p[j] + 64 * b + 16 * i)), bswap);
#pragma GCC unroll 16
		for (int i = 0; i < 16; i++) {
			__m128i k = _mm_loadu_si128((const __m128i *)(const void *)&K[4 * i]);
			__m128i msg0 = _mm_add_epi32(m[0][i & 3], k);
			__m128i msg1 = _mm_add_epi32(m[1][i & 3], k);

			st1[0] = _mm_sha256rnds2_epu32(st1[0], st0[0], msg0);
			st1[1] = _mm_sha256rnds2_epu32(st1[1], st0[1], msg1);
			st0[0] = _mm_sha256rnds2_epu32(st0[0], st1[0], _mm_shuffle_epi32(msg0, 0x0e));
			st0[1] = _mm_sha256rnds2_epu32(st0[1], st1[1], _mm_shuffle_epi32(msg1, 0x0e));
			if (i < 12) {
				for (int j = 0; j < 2; j++) {
					__m128i w = _mm_sha256msg1_epu32(m[j][i & 3], m[j][(i + 1) & 3]);

					w = _mm_add_epi32(w, _mm_alignr_epi8(m[j][(i + 3) & 3],
					    m[j][(i + 2) & 3], 4));
					m[j][i & 3] = _mm_sha256msg2_epu32(w, m[j][(i + 3) & 3]);
				}
			}
		}
		for (int j = 0; j < 2; j++) {
			st0[j] = _mm_add_epi32(st0[j], save0[j]);
			st1[j] = _mm_add_epi32(st1[j], save1[j]);
		}
	}
	for (int j = 0; j < 2; j++) {
		__m128i tmp = _mm_shuffle_epi32(st0[j], 0x1b);

		st1[j] = _mm_shuffle_epi32(st1[j], 0xb1);
		_mm_storeu_si128((__m128i *)(void *)&h[j][0], _mm_blend_epi16(tmp, st1[j], 0xf0));
		_mm_storeu_si128((__m128i *)(void *)&h[j][4], _mm_alignr_epi8(st1[j], tmp, 8));
	}
}

int sha256_have_shani(void)
{
	static int known = -1;	/* a cache of what cpuid said, not state */
	unsigned a, b, c, d;

	if (known < 0) {
		int sha = __get_cpuid_count(7, 0, &a, &b, &c, &d) && (b >> 29 & 1);
		int sse41 = __get_cpuid(1, &a, &b, &c, &d) && (c >> 19 & 1) && (c >> 9 & 1);

		known = sha && sse41;
	}
	return known;
}

int sha256_have_avx512(void)
{
	static int known = -1;	/* a cache of what cpuid said, not state */
	unsigned a, b, c, d, xcr0_lo, xcr0_hi;

	if (known < 0) {
		known = 0;
		/* the CPU has AVX-512 F and BW, and the system saves the
		 * mask registers and all of the ZMM ones (XCR0 bits 1-2, 5-7) */
		if (__get_cpuid(1, &a, &b, &c, &d) && (c >> 27 & 1) &&
		    __get_cpuid_count(7, 0, &a, &b, &c, &d) && (b >> 16 & 1) && (b >> 30 & 1)) {
			__asm__ volatile("xgetbv" : "=a"(xcr0_lo), "=d"(xcr0_hi) : "c"(0));
			(void)xcr0_hi;
			known = (xcr0_lo & 0xe6) == 0xe6;
		}
	}
	return known;
}

#define X16_TARGET __attribute__((target("avx512f,avx512bw")))

/* The sixteen blocks at p[0..15] as sixteen vectors of message words:
 * w[i] holds word i of every lane, each as a big-endian number. */
X16_TARGET static void x16_words(const unsigned char *const p[16], __m512i w[16])
{
	const __m512i bswap = _mm512_broadcast_i32x4(_mm_setr_epi8(3, 2, 1, 0, 7, 6, 5, 4,
	    11, 10, 9, 8, 15, 14, 13, 12));
	/* quadword picks: 128-bit lanes 0 and 1 of two vectors (lo), or 2 and 3 */
	const __m512i pair_lo = _mm512_set_epi64(11, 10, 3, 2, 9, 8, 1, 0);
	const __m512i pair_hi = _mm512_set_epi64(15, 14, 7, 6, 13, 12, 5, 4);
	const __m512i half_lo = _mm512_set_epi64(11, 10, 9, 8, 3, 2, 1, 0);
	const __m512i half_hi = _mm512_set_epi64(15, 14, 13, 12, 7, 6, 5, 4);
	__m512i r[16], t[16];

	for (int j = 0; j < 16; j++)
		r[j] = _mm512_shuffle_epi8(_mm512_loadu_si512((const void *)p[j]), bswap);
	/* within each 128-bit lane L, rows 4q..4q+3: r[4q+k] gets word 4L+k */
	for (int j = 0; j < 16; j += 2) {
		t[j] = _mm512_unpacklo_epi32(r[j], r[j + 1]);
		t[j + 1] = _mm512_unpackhi_epi32(r[j], r[j + 1]);
	}
	for (int j = 0; j < 16; j += 4) {
		r[j] = _mm512_unpacklo_epi64(t[j], t[j + 2]);
		r[j + 1] = _mm512_unpackhi_epi64(t[j], t[j + 2]);
		r[j + 2] = _mm512_unpacklo_epi64(t[j + 1], t[j + 3]);
		r[j + 3] = _mm512_unpackhi_epi64(t[j + 1], t[j + 3]);
	}
	/* then the 128-bit lanes gathered: word 4L+k from rows 0-3, 4-7,
	 * 8-11 and 12-15 */
	for (int k = 0; k < 4; k++) {
		t[k] = _mm512_permutex2var_epi64(r[k], pair_lo, r[k + 4]);
		t[k + 4] = _mm512_permutex2var_epi64(r[k], pair_hi, r[k + 4]);
		t[k + 8] = _mm512_permutex2var_epi64(r[k + 8], pair_lo, r[k + 12]);
		t[k + 12] = _mm512_permutex2var_epi64(r[k + 8], pair_hi, r[k + 12]);
	}
	for (int k = 0; k < 4; k++) {
		w[k] = _mm512_permutex2var_epi64(t[k], half_lo, t[k + 8]);
		w[k + 4] = _mm512_permutex2var_epi64(t[k], half_hi, t[k + 8]);
		w[k + 8] = _mm512_permutex2var_epi64(t[k + 4], half_lo, t[k + 12]);
		w[k + 12] = _mm512_permutex2var_epi64(t[k + 4], half_hi, t[k + 12]);
	}
}

#define X16_ROR(x, n) _mm512_ror_epi32((x), (n))
#define X16_XOR3(a, b, c) _mm512_ternarylogic_epi32((a), (b), (c), 0x96)

/* One block of each of sixteen messages into the states s, lane j's
 * word k in s[k]: the rounds of FIPS 180-4 on all lanes at once. */
X16_TARGET static void x16_block(__m512i s[8], const unsigned char *const p[16])
{
	__m512i w[16], a = s[0], b = s[1], c = s[2], d = s[3];
	__m512i e = s[4], f = s[5], g = s[6], h = s[7];

	x16_words(p, w);
#pragma GCC unroll 64
	for (int i = 0; i < 64; i++) {
		__m512i t1, t2;

		if (i >= 16) {
			__m512i x = w[(i - 15) & 15], y = w[(i - 2) & 15];
			__m512i s0 = X16_XOR3(X16_ROR(x, 7), X16_ROR(x, 18), _mm512_srli_epi32(x, 3));
			__m512i s1 = X16_XOR3(X16_ROR(y, 17), X16_ROR(y, 19), _mm512_srli_epi32(y, 10));

			w[i & 15] = _mm512_add_epi32(_mm512_add_epi32(w[i & 15], s0),
			    _mm512_add_epi32(w[(i - 7) & 15], s1));
		}
		/* ch = e ? f : g (0xca), maj = majority of a, b, c (0xe8) */
		t1 = _mm512_add_epi32(_mm512_add_epi32(h, X16_XOR3(X16_ROR(e, 6), X16_ROR(e, 11),
		    X16_ROR(e, 25))), _mm512_add_epi32(_mm512_ternarylogic_epi32(e, f, g, 0xca),
		    _mm512_add_epi32(_mm512_set1_epi32((int)K[i]), w[i & 15])));
		t2 = _mm512_add_epi32(X16_XOR3(X16_ROR(a, 2), X16_ROR(a, 13), X16_ROR(a, 22)),
		    _mm512_ternarylogic_epi32(a, b, c, 0xe8));
		h = g;
		g = f;
		f = e;
		e = _mm512_add_epi32(d, t1);
		d = c;
		c = b;
		b = a;
		a = _mm512_add_epi32(t1, t2);
	}
	s[0] = _mm512_add_epi32(s[0], a);
	s[1] = _mm512_add_epi32(s[1], b);
	s[2] = _mm512_add_epi32(s[2], c);
	s[3] = _mm512_add_epi32(s[3], d);
	s[4] = _mm512_add_epi32(s[4], e);
	s[5] = _mm512_add_epi32(s[5], f);
	s[6] = _mm512_add_epi32(s[6], g);
	s[7] = _mm512_add_epi32(s[7], h);
}
#else
void sha256_blocks_shani(uint32_t h[8], const unsigned char *p, size_t n)
{
	sha256_blocks_portable(h, p, n);
}

void sha256_blocks_shani2(uint32_t ha[8], const unsigned char *pa, uint32_t hb[8],
			  const unsigned char *pb, size_t n)
{
	sha256_blocks_portable(ha, pa, n);
	sha256_blocks_portable(hb, pb, n);
}

int sha256_have_shani(void)
{
	return 0;
}

int sha256_have_avx512(void)
{
	return 0;
}
#endif

/* The state h as the digest's 32 bytes, big-endian words. */
static void state_bytes(const uint32_t h[8], unsigned char out[32])
{
	for (int i = 0; i < 8; i++) {
		out[4 * i] = (unsigned char)(h[i] >> 24);
		out[4 * i + 1] = (unsigned char)(h[i] >> 16);
		out[4 * i + 2] = (unsigned char)(h[i] >> 8);
		out[4 * i + 3] = (unsigned char)h[i];
	}
}

/* n blocks into h, through the SHA extensions where the CPU has them. */
static void blocks(uint32_t h[8], const unsigned char *p, size_t n)
{
	if (sha256_have_shani())
		sha256_blocks_shani(h, p, n);
	else
		sha256_blocks_portable(h, p, n);
}

static void sha256_blocks(struct sha256 *c, const unsigned char *p, size_t n)
{
	blocks(c->h, p, n);
}

static const uint32_t IV[8] = {
	0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
	0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
};

void sha256_init(struct sha256 *c)
{
	memcpy(c->h, IV, sizeof IV);
	c->len = 0;
	c->fill = 0;
}

void sha256_update(struct sha256 *c, const void *data, size_t len)
{
	const unsigned char *p = data;

	c->len += len;
	if (c->fill > 0) {
		size_t n = 64 - c->fill;

		if (n > len)
			n = len;
		memcpy(c->block + c->fill, p, n);
		c->fill += n;
		p += n;
		len -= n;
		if (c->fill < 64)
			return;
		sha256_blocks(c, c->block, 1);
		c->fill = 0;
	}
	if (len >= 64)	/* whole blocks in place */
		sha256_blocks(c, p, len / 64);
	p += len / 64 * 64;
	len %= 64;
	memcpy(c->block, p, len);
	c->fill = len;
}

void sha256_final(struct sha256 *c, unsigned char out[32])
{
	uint64_t bits = c->len * 8;

	c->block[c->fill++] = 0x80;
	if (c->fill > 56) {
		memset(c->block + c->fill, 0, 64 - c->fill);
		sha256_blocks(c, c->block, 1);
		c->fill = 0;
	}
	memset(c->block + c->fill, 0, 56 - c->fill);
	for (int i = 0; i < 8; i++)
		c->block[56 + i] = (unsigned char)(bits >> (56 - 8 * i));
	sha256_blocks(c, c->block, 1);
	state_bytes(c->h, out);
}

void sha256_final_hex(struct sha256 *c, char out[65])
{
	unsigned char md[32];

	sha256_final(c, md);
	sha256_to_hex(md, out);
}

#if SHA256_HAVE_SHANI_BUILD
/* Sixteen bytes at a time: each nibble looked up by a byte shuffle. */
__attribute__((target("ssse3")))
static void to_hex_ssse3(const unsigned char md[32], char out[65])
{
	const __m128i digits = _mm_setr_epi8('0', '1', '2', '3', '4', '5', '6', '7', '8', '9',
	    'a', 'b', 'c', 'd', 'e', 'f');
	const __m128i low = _mm_set1_epi8(0x0f);

	for (int i = 0; i < 2; i++) {
		__m128i x = _mm_loadu_si128((const __m128i *)(const void *)(md + 16 * i));
		__m128i hi = _mm_shuffle_epi8(digits, _mm_and_si128(_mm_srli_epi16(x, 4), low));
		__m128i lo = _mm_shuffle_epi8(digits, _mm_and_si128(x, low));

		_mm_storeu_si128((__m128i *)(void *)(out + 32 * i), _mm_unpacklo_epi8(hi, lo));
		_mm_storeu_si128((__m128i *)(void *)(out + 32 * i + 16), _mm_unpackhi_epi8(hi, lo));
	}
	out[64] = '\0';
}
#endif

void sha256_to_hex(const unsigned char md[32], char out[65])
{
	static const char hex[] = "0123456789abcdef";

#if SHA256_HAVE_SHANI_BUILD
	if (sha256_have_shani()) {	/* the SHA extensions come with SSSE3 */
		to_hex_ssse3(md, out);
		return;
	}
#endif
	for (int i = 0; i < 32; i++) {
		out[2 * i] = hex[md[i] >> 4];
		out[2 * i + 1] = hex[md[i] & 15];
	}
	out[64] = '\0';
}

size_t sha256_padded_len(size_t len)
{
	return (len + 8) / 64 * 64 + 64;
}

void sha256_pad(unsigned char *msg, size_t len)
{
	size_t end = sha256_padded_len(len);
	uint64_t bits = (uint64_t)len * 8;

	msg[len] = 0x80;
	memset(msg + len + 1, 0, end - 8 - len - 1);
	for (int i = 0; i < 8; i++)
		msg[end - 8 + i] = (unsigned char)(bits >> (56 - 8 * i));
}

void sha256_padded(const unsigned char *msg, size_t padded, unsigned char out[32])
{
	uint32_t h[8];

	memcpy(h, IV, sizeof IV);
	blocks(h, msg, padded / 64);
	state_bytes(h, out);
}

void sha256_padded2(const unsigned char *a, size_t apadded, const unsigned char *b,
		    size_t bpadded, unsigned char aout[32], unsigned char bout[32])
{
	size_t both = (apadded < bpadded ? apadded : bpadded) / 64;
	uint32_t ha[8], hb[8];

	if (!sha256_have_shani()) {
		sha256_padded(a, apadded, aout);
		sha256_padded(b, bpadded, bout);
		return;
	}
	memcpy(ha, IV, sizeof IV);
	memcpy(hb, IV, sizeof IV);
	sha256_blocks_shani2(ha, a, hb, b, both);
	if (apadded / 64 > both)
		sha256_blocks_shani(ha, a + 64 * both, apadded / 64 - both);
	if (bpadded / 64 > both)
		sha256_blocks_shani(hb, b + 64 * both, bpadded / 64 - both);
	state_bytes(ha, aout);
	state_bytes(hb, bout);
}

#if SHA256_HAVE_SHANI_BUILD
/* Sixteen lanes, each hashing one message after another. */
struct x16_lanes {
	const unsigned char *p[16];	/* the lane's next block */
	size_t left[16];		/* its message's blocks still to do */
	size_t job[16];			/* the message's index */
	unsigned active;		/* lanes with a message */
};

/* Lane j starts message i (its state set to the IV). */
X16_TARGET static void x16_take(struct x16_lanes *l, __m512i s[8], int j, size_t i,
				const unsigned char *const msg[], const size_t padded[])
{
	for (int k = 0; k < 8; k++)
		s[k] = _mm512_mask_mov_epi32(s[k], (__mmask16)(1u << j),
		    _mm512_set1_epi32((int)IV[k]));
	l->p[j] = msg[i];
	l->left[j] = padded[i] / 64;
	l->job[j] = i;
	l->active |= 1u << j;
}

/* Lane j's state, from the states stored word by word. */
static void x16_lane_state(const uint32_t st[8][16], int j, uint32_t h[8])
{
	for (int k = 0; k < 8; k++)
		h[k] = st[k][j];
}

/* The sixteen lanes' states word by word: st[k][j] is lane j's word k. */
X16_TARGET static void x16_store(const __m512i s[8], uint32_t st[8][16])
{
	for (int k = 0; k < 8; k++)
		_mm512_storeu_si512((void *)st[k], s[k]);
}

/* The messages, sixteen at a time: every lane takes the next message as
 * soon as its own is done.  When none is left and few lanes are still
 * busy, those finish on the SHA extensions, not with idle lanes beside. */
X16_TARGET void sha256_padded_x16(const unsigned char *const msg[], const size_t padded[],
				  size_t n, unsigned char *const out[])
{
	static const unsigned char idle[64];	/* what a lane without a message hashes */
	struct x16_lanes l = { .active = 0 };
	uint32_t st[8][16], h[8];
	__m512i s[8];
	size_t next = 0;

	for (int k = 0; k < 8; k++)
		s[k] = _mm512_setzero_si512();
	for (int j = 0; j < 16; j++) {
		l.p[j] = idle;
		if (next < n)
			x16_take(&l, s, j, next++, msg, padded);
	}
	while (next < n || __builtin_popcount(l.active) > 4) {
		unsigned done = 0;

		x16_block(s, l.p);
		for (int j = 0; j < 16; j++)
			if (l.active >> j & 1) {
				l.p[j] += 64;
				done |= (--l.left[j] == 0) << j;
			}
		if (done == 0)
			continue;
		x16_store(s, st);
		for (int j = 0; j < 16; j++) {
			if (!(done >> j & 1))
				continue;
			x16_lane_state(st, j, h);
			state_bytes(h, out[l.job[j]]);
			l.active &= ~(1u << j);
			l.p[j] = idle;
			if (next < n)
				x16_take(&l, s, j, next++, msg, padded);
		}
	}
	x16_store(s, st);
	for (int j = 0; j < 16; j++)
		if (l.active >> j & 1) {
			x16_lane_state(st, j, h);
			blocks(h, l.p[j], l.left[j]);
			state_bytes(h, out[l.job[j]]);
		}
}

#endif

void sha256_padded_many(const unsigned char *const msg[], const size_t padded[], size_t n,
			unsigned char *const out[])
{
	size_t i = 0;

#if SHA256_HAVE_SHANI_BUILD
	if (n >= 16 && sha256_have_avx512()) {
		sha256_padded_x16(msg, padded, n, out);
		return;
	}
#endif
	for (; i + 1 < n; i += 2)
		sha256_padded2(msg[i], padded[i], msg[i + 1], padded[i + 1], out[i], out[i + 1]);
	if (i < n)
		sha256_padded(msg[i], padded[i], out[i]);
}

void sha256_hex(const void *data, size_t len, char out[65])
{
	struct sha256 c;

	sha256_init(&c);
	sha256_update(&c, data, len);
	sha256_final_hex(&c, out);
}
