#!/usr/bin/env bash
# Installs the Debian packages factframe needs (see docs/DESIGN: drawing, fonts, OCR for tests).
# Idempotent: only missing packages are installed. Without root or apt-get it says so and
# leaves the machine alone (e.g. macOS: install fonts and tesseract with your package manager).
set -euo pipefail
runtime="libgl1 libegl1 fontconfig fonts-noto-core fonts-noto-cjk fonts-noto-color-emoji"
tests="tesseract-ocr tesseract-ocr-deu tesseract-ocr-vie tesseract-ocr-ell tesseract-ocr-rus \
tesseract-ocr-chi-sim tesseract-ocr-chi-tra tesseract-ocr-jpn tesseract-ocr-kor \
tesseract-ocr-ara tesseract-ocr-heb tesseract-ocr-hin tesseract-ocr-tha"
want="$runtime"
[ "${1:-}" = "--tests" ] && want="$runtime $tests"

if ! command -v apt-get >/dev/null 2>&1; then
  echo "system-deps: no apt-get here; install the equivalents of: $want"; exit 0
fi
missing=""
for p in $want; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
if [ -z "$missing" ]; then echo "system-deps: all Debian packages present"; exit 0; fi
if [ "$(id -u)" != 0 ]; then
  echo "system-deps: not root; please install:$missing"; exit 0
fi
echo "system-deps: installing$missing"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $missing >/dev/null
