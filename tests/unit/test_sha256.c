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
