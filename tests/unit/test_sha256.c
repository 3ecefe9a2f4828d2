/* test_sha256.c: FIPS 180-4 test vectors. */
#include <criterion/criterion.h>
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
