#!/bin/sh
# A fresh machine builds the first time: `make demo` and `make check` must
# install the -dev packages (deps) BEFORE anything reads pkg-config.
#
# The machine here already has the packages, so a fresh one is simulated:
# a pkg-config on PATH that knows no package until a stand-in deps script
# has "installed" them (touched a marker), over a copy of the sources in a
# build directory of its own.  A Makefile that asks pkg-config when it is
# read gets empty flags and fails on wcwidth (-Werror), as on a real fresh
# machine.
. "$(dirname "$0")/../lib.sh"
unset MAKEFLAGS MFLAGS MAKELEVEL MAKEOVERRIDES

real=$(command -v pkg-config) || { not_ok "pkg-config is installed"; exit 1; }
mkdir -p fake copy
cat >fake/pkg-config <<SH
#!/bin/sh
[ -e "$TMP/installed" ] || exit 1
exec "$real" "\$@"
SH
cat >fake/deps.sh <<SH
#!/bin/sh
echo "fake-deps: installing"
touch "$TMP/installed"
SH
chmod +x fake/pkg-config fake/deps.sh
(cd "$TOP" && cp -r Makefile src tui db scripts calendars "$TMP/copy/")
mkdir -p copy/tests/unit
cp "$TOP/tests/unit/test_text.c" copy/tests/unit/
# `make check` here proves the build phase; the suites run in the real one
printf '#!/bin/sh\necho "suites: not run in the build test"\n' >copy/tests/run.sh
PATH=$TMP/fake:$PATH
export PATH

m() { make -C "$TMP/copy" -j2 DEPS_SCRIPT="$TMP/fake/deps.sh" "$@" </dev/null; }

run m BUILD="$TMP/b0" all
if [ "$rc" -ne 0 ] && grep -q "make deps" "$TMP/err" && ! grep -q "wcwidth" "$TMP/err"; then
	ok "without the packages a plain make says to run make deps"
else
	not_ok "without the packages a plain make says to run make deps" "exit $rc" \
		"$(tail -n 5 "$TMP/err")"
fi

run m BUILD="$TMP/b1" demo
if [ "$rc" -eq 0 ] && grep -q "^fake-deps: installing" "$TMP/out" &&
	grep -q "^demo: not on a terminal" "$TMP/out"; then
	ok "the first make demo on a fresh machine builds and runs"
else
	not_ok "the first make demo on a fresh machine builds and runs" "exit $rc" \
		"$(tail -n 8 "$TMP/err")" "$(tail -n 3 "$TMP/out")"
fi
expect_grep "make demo ran the demo database's queue" "^demo: +[0-9]+ " "$TMP/out"

rm -f "$TMP/installed"
run m BUILD="$TMP/b2" UNIT_SRCS=tests/unit/test_text.c check
if [ "$rc" -eq 0 ] && grep -q "^fake-deps: installing" "$TMP/out" &&
	[ -x "$TMP/b2/slatrack" ] && [ -x "$TMP/b2/tests/test_text" ]; then
	ok "the first make check on a fresh machine builds the binary and the units"
else
	not_ok "the first make check on a fresh machine builds the binary and the units" \
		"exit $rc" "$(tail -n 8 "$TMP/err")"
fi
run "$TMP/b2/tests/test_text"
expect_status "a unit built by that make check runs" 0 "$TMP/b2/tests/test_text"
