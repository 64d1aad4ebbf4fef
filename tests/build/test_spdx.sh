#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# test_spdx — every source file, script and unit says its licence on its first
# lines (SPDX-License-Identifier: MIT, as LICENSE), so a file copied out of the
# tree still carries it. Data (voice clips, fuzz inputs, images, example
# configs whose line numbers tests quote) and documentation are not checked.
set -euo pipefail
: "${JH_SOURCE_DIR:?}"
cd "$JH_SOURCE_DIR"

files() {
  find . \( -path ./.git -o -path './build*' -o -path ./out -o -path ./node_modules \
            -o -path ./fuzz/corpus -o -path ./fuzz/regressions -o -path ./assets \) -prune -o -type f \
       \( -name '*.c' -o -name '*.h' -o -name '*.sh' -o -name '*.py' -o -name '*.js' -o -name '*.css' \
          -o -name '*.html' -o -name '*.cmake' -o -name CMakeLists.txt -o -name '*.service' \
          -o -name '*.service.in' -o -path './scripts/*' -o -path './bench/run-*' -o -path ./.ci/run \
          -o -path ./debian/rules -o -path ./debian/postinst -o -path ./debian/postrm \
          -o -path ./debian/prerm -o -path './deploy/image/*' \) -print
}

n=0 missing=()
while IFS= read -r f; do
  n=$((n + 1))
  head -n 3 "$f" | grep -q 'SPDX-License-Identifier: MIT' || missing+=("$f")
done < <(files | sort)

[ "$n" -gt 200 ] || { echo "FAIL: only $n files found: is JH_SOURCE_DIR the source tree?" >&2; exit 1; }
if [ ${#missing[@]} -gt 0 ]; then
  echo "FAIL: ${#missing[@]} of $n files have no SPDX-License-Identifier line:" >&2
  printf '  %s\n' "${missing[@]}" >&2
  exit 1
fi
echo "spdx: all $n files carry SPDX-License-Identifier: MIT"
