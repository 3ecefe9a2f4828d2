/* test_sha256.c: FIPS 180-4 test vectors, and the SHA-NI compression
 * function held to the portable one. */
#include <criterion/criterion.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sha256.h"

Test(sha256, known_vectors)
{
	static const struct { const char *in, *want; } rows[] = {
		{ "", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855" },
		{ "abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad" },
		{ "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
		  "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1" },
	};
	char out[65];

	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		sha256_hex(rows[i].in, strlen(rows[i].in), out);
		cr_expect_str_eq(out, rows[i].want, "row %zu", i);
	}
}

Test(sha256, million_a_in_pieces)
{
	struct sha256 c;
	char chunk[1000], out[65];

	memset(chunk, 'a', sizeof chunk);
	sha256_init(&c);
	for (int i = 0; i < 1000; i++)
		sha256_update(&c, chunk, sizeof chunk);
	sha256_final_hex(&c, out);
	cr_expect_str_eq(out, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

/* Lengths around the padding boundary, fed whole and in uneven pieces;
 * expected values from Python's hashlib. */
Test(sha256, padding_edges_and_pieces)
{
	static const struct { size_t n; const char *want; } rows[] = {
		{ 55, "1deace58c745f3ecadde68a5923f494c3703fa73f0306483ccb898a5826e8d70" },
		{ 56, "06dbe23685750e4d3881ded95047abaf93fa8f9c5d3501dc57c717a72ff1398e" },
		{ 57, "011f4bced20a249afb834d24b3e4eca31ad5ea2bdd1d8a1a564c2d2410398e69" },
		{ 63, "47fb38b12335c9298d09280515c0666489a189d1554bb0ac1a0740806ce9d8b6" },
		{ 64, "dfa798724b1a8014994f363e5da7474ed26ce3757fb29e07aa47ad5a9352d37b" },
		{ 65, "dd2eab5a5507d7717c63ce953d9ac61752c21e664425ad1227054722a0d97f69" },
		{ 119, "c6e0f435df5d7d265baacca31e0602c00aa22fa6d3819aed664649294c743756" },
		{ 120, "17eb8960823a644bde3065620bb9d45931fe8993fd8eb692a17aff0fd725db6a" },
		{ 128, "3a9c1e22e20578eebe442238f431befd688bd56698eb7c77d95d3f97d8f58207" },
	};
	unsigned char data[128];
	char out[65];

	for (size_t i = 0; i < sizeof data; i++)
		data[i] = (unsigned char)((i * 7 + 3) % 251);
	for (size_t r = 0; r < sizeof rows / sizeof rows[0]; r++) {
		struct sha256 c;

		sha256_hex(data, rows[r].n, out);
		cr_expect_str_eq(out, rows[r].want, "whole, %zu bytes", rows[r].n);
		sha256_init(&c);
		for (size_t off = 0, step = 1; off < rows[r].n; off += step, step = step * 2 + 1)
			sha256_update(&c, data + off, off + step > rows[r].n ? rows[r].n - off : step);
		sha256_final_hex(&c, out);
		cr_expect_str_eq(out, rows[r].want, "pieces, %zu bytes", rows[r].n);
	}
}

/* Both compression functions over the same blocks from the same state:
 * on a CPU with the SHA extensions this is the whole test of the fast
 * path (the vectors above ran through it already); elsewhere _shani is
 * the portable function and this checks that it says so. */
Test(sha256, shani_matches_portable)
{
	unsigned char data[64 * 40];
	uint32_t seed = 12345;

	for (size_t i = 0; i < sizeof data; i++) {
		seed = seed * 1103515245u + 12345u;
		data[i] = (unsigned char)(seed >> 16);
	}
	for (size_t nblocks = 1; nblocks <= 40; nblocks += 3) {
		uint32_t a[8], b[8];

		for (int k = 0; k < 8; k++)
			a[k] = b[k] = (uint32_t)(0x9e3779b9u * (unsigned)(k + 1) + nblocks);
		sha256_blocks_portable(a, data, nblocks);
		sha256_blocks_shani(b, data, nblocks);
		cr_expect_arr_eq(a, b, sizeof a, "%zu blocks", nblocks);
	}
	if (!SHA256_HAVE_SHANI_BUILD)
		cr_expect_eq(sha256_have_shani(), 0);
	cr_log_info("SHA-NI %s", sha256_have_shani() ? "in use" : "not available");
}

/* Every length from 0 to 300 bytes, whole: the dispatching update against
 * a digest built block by block with the portable function. */
Test(sha256, update_matches_portable_blocks)
{
	unsigned char data[300];

	for (size_t i = 0; i < sizeof data; i++)
		data[i] = (unsigned char)(i * 31 + 7);
	for (size_t n = 0; n <= sizeof data; n++) {
		static const uint32_t iv[8] = {
			0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
			0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
		};
		unsigned char last[128], want[32], got[32];
		uint32_t h[8];
		size_t full = n / 64, tail = n % 64, nlast = tail < 56 ? 64 : 128;
		uint64_t bits = (uint64_t)n * 8;
		struct sha256 c;

		memcpy(h, iv, sizeof h);
		sha256_blocks_portable(h, data, full);
		memset(last, 0, sizeof last);
		memcpy(last, data + full * 64, tail);
		last[tail] = 0x80;
		for (int i = 0; i < 8; i++)
			last[nlast - 1 - i] = (unsigned char)(bits >> (8 * i));
		sha256_blocks_portable(h, last, nlast / 64);
		for (int i = 0; i < 8; i++)
			for (int k = 0; k < 4; k++)
				want[4 * i + k] = (unsigned char)(h[i] >> (24 - 8 * k));
		sha256_init(&c);
		sha256_update(&c, data, n);
		sha256_final(&c, got);
		cr_expect_arr_eq(got, want, sizeof got, "%zu bytes", n);
	}
}

/* The in-place padding against the streaming digest, every length from
 * 0 to 300 bytes; and two messages at once (sha256_padded2) against one
 * after the other, lengths apart so one runs blocks past the other. */
Test(sha256, padded_and_pairs_match_streaming)
{
	static unsigned char a[400], b[400];
	unsigned char want_a[32], want_b[32], got_a[32], got_b[32];

	for (size_t n = 0; n <= 300; n++) {
		size_t m = 300 - n;
		struct sha256 c;

		for (size_t i = 0; i < n; i++)
			a[i] = (unsigned char)(i * 13 + n);
		for (size_t i = 0; i < m; i++)
			b[i] = (unsigned char)(i * 7 + 3 * n);
		sha256_init(&c);
		sha256_update(&c, a, n);
		sha256_final(&c, want_a);
		sha256_init(&c);
		sha256_update(&c, b, m);
		sha256_final(&c, want_b);
		cr_assert_leq(sha256_padded_len(n), sizeof a);
		cr_expect_eq(sha256_padded_len(n) % 64, 0);
		cr_expect_gt(sha256_padded_len(n), n + 8, "%zu bytes leave room for the length", n);
		sha256_pad(a, n);
		sha256_pad(b, m);
		sha256_padded(a, sha256_padded_len(n), got_a);
		cr_expect_arr_eq(got_a, want_a, 32, "one, %zu bytes", n);
		memset(got_a, 0, sizeof got_a);
		sha256_padded2(a, sha256_padded_len(n), b, sha256_padded_len(m), got_a, got_b);
		cr_expect_arr_eq(got_a, want_a, 32, "first of a pair, %zu bytes", n);
		cr_expect_arr_eq(got_b, want_b, 32, "second of a pair, %zu bytes", m);
	}
}

/* The interleaved compression against the portable one, both lanes. */
Test(sha256, shani2_matches_portable)
{
	unsigned char x[64 * 9], y[64 * 9];

	for (size_t i = 0; i < sizeof x; i++) {
		x[i] = (unsigned char)(i * 29 + 1);
		y[i] = (unsigned char)(i * 17 + 5);
	}
	for (size_t n = 0; n <= 9; n++) {
		uint32_t ha[8], hb[8], pa[8], pb[8];

		for (int k = 0; k < 8; k++) {
			ha[k] = pa[k] = 0x01000193u * (unsigned)(k + 3);
			hb[k] = pb[k] = 0x9e3779b9u * (unsigned)(k + 1) + (unsigned)n;
		}
		sha256_blocks_portable(pa, x, n);
		sha256_blocks_portable(pb, y, n);
		sha256_blocks_shani2(ha, x, hb, y, n);
		cr_expect_arr_eq(ha, pa, sizeof ha, "first lane, %zu blocks", n);
		cr_expect_arr_eq(hb, pb, sizeof hb, "second lane, %zu blocks", n);
	}
}

/* Every byte value in every position of the hex encoding. */
Test(sha256, to_hex_every_byte)
{
	static const char hex[] = "0123456789abcdef";

	for (int base = 0; base < 256; base += 32) {
		unsigned char md[32];
		char out[65], want[65];

		for (int i = 0; i < 32; i++) {
			md[i] = (unsigned char)(base + i * 9 % 32);
			want[2 * i] = hex[md[i] >> 4];
			want[2 * i + 1] = hex[md[i] & 15];
		}
		want[64] = '\0';
		memset(out, 'x', sizeof out);
		sha256_to_hex(md, out);
		cr_expect_str_eq(out, want, "bytes from %d", base);
	}
}

/* n messages of lengths that vary (so lanes finish at different blocks
 * and take the next message mid-way), each against streaming. */
static void many_case(size_t n, size_t seed,
		      void (*many)(const unsigned char *const *, const size_t *, size_t,
				   unsigned char *const *), const char *what)
{
	enum { MAXN = 300, ROOM = 1200 };
	static unsigned char text[MAXN][ROOM], md[MAXN][32];
	const unsigned char *msg[MAXN];
	unsigned char *out[MAXN];
	size_t padded[MAXN];

	cr_assert_leq(n, MAXN);
	for (size_t i = 0; i < n; i++) {
		/* 0 .. 1100 bytes: one to eighteen blocks */
		size_t len = (i * 379 + seed * 101) % 1101;

		for (size_t k = 0; k < len; k++)
			text[i][k] = (unsigned char)(k * 31 + i * 7 + seed);
		sha256_pad(text[i], len);
		msg[i] = text[i];
		padded[i] = sha256_padded_len(len);
		out[i] = md[i];
		memset(md[i], 0, 32);
	}
	many(msg, padded, n, out);
	for (size_t i = 0; i < n; i++) {
		unsigned char want[32];

		sha256_padded(text[i], padded[i], want);
		cr_expect_arr_eq(md[i], want, 32, "%s: message %zu of %zu (%zu bytes padded)", what,
		    i, n, padded[i]);
	}
}

/* Any number of messages hashed together equals each on its own: fewer
 * than a lane set, exactly sixteen, and many more (lanes refilled, the
 * last few finished on the SHA extensions). */
Test(sha256, many_match_one_by_one)
{
	static const size_t counts[] = { 0, 1, 2, 3, 15, 16, 17, 31, 33, 128, 300 };

	for (size_t c = 0; c < sizeof counts / sizeof *counts; c++)
		for (size_t seed = 0; seed < 3; seed++)
			many_case(counts[c], seed, sha256_padded_many, "many");
}

/* The sixteen-lane version itself, where the CPU runs it (else there is
 * nothing of it to run: sha256_padded_many takes pairs). */
Test(sha256, x16_matches_one_by_one)
{
#if SHA256_HAVE_SHANI_BUILD
	if (!sha256_have_avx512()) {
		cr_log_warn("no AVX-512 here: the sixteen-lane version is not run");
		return;
	}
	for (size_t n = 1; n <= 40; n++)
		many_case(n, n, sha256_padded_x16, "x16");
	many_case(300, 7, sha256_padded_x16, "x16");
#endif
}
