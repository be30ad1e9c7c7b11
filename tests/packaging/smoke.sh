#!/usr/bin/env bash
# Packaging smoke test (`make packaging`, run by `make test`, so CI). As a new user would:
#
#   1. a clean copy of the tree (the files git knows, as they are now, uncommitted edits
#      included), committed in a fresh repository so `git+file://` and `pre-commit try-repo`
#      work on it;
#   2. the sdist, and the wheel built FROM the sdist, with isolated builds (PyPA `build`: pip
#      cannot build an sdist); what each holds;
#   3. the wheel installed into a fresh virtualenv outside the checkout: at most 3
#      distributions; load, get, query, cost, the read-only commands, the missing-extra errors;
#   4. the [tokens,authoring] extras from the wheel file: count_tokens, `llmaestro validate` on
#      a small private catalog (valid, and broken);
#   5. `pip install git+file://<copy>` and `pip install <copy>` (pip's isolated build);
#   6. the exported pre-commit hook: `pre-commit try-repo <copy> llmaestro-validate` in a
#      private catalog repository, passing on valid files and failing with located errors.
#   (5 and 6 build the package again; they run in the background during 3 and 4.)
#
# Any packaging mistake fails loudly. KEEP=1 keeps the work folder for a look afterwards.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
PY="${PYTHON:-$ROOT/.venv/bin/python}"          # has `build` and `pre-commit` (the dev extra)
case "$PY" in /*) ;; */*) PY="$PWD/$PY" ;; *) PY="$(command -v "$PY")" ;; esac
WORK="$(mktemp -d "${TMPDIR:-/tmp}/llmaestro-packaging.XXXXXX")"
cleanup() {
  local pids
  pids="$(jobs -p)"
  [ -z "$pids" ] || { kill $pids 2>/dev/null || true; wait 2>/dev/null || true; }
  if [ "${KEEP:-0}" = 1 ]; then echo "work folder kept: $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT
# nothing of the checkout's environment may leak into the installs
unset PYTHONPATH LLMAESTRO_BUNDLE LLMAESTRO_CATALOG_PATH VIRTUAL_ENV
export LLMAESTRO_CACHE_DIR="$WORK/cache" PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_INPUT=1
export PRE_COMMIT_HOME="$WORK/pre-commit-home"
SMOKE="$WORK/smoke.py"
cp "$ROOT/tests/packaging/smoke.py" "$SMOKE"
start=$SECONDS
step() { printf '\n== %s (%ss)\n' "$*" "$((SECONDS - start))"; }
die() { echo "PACKAGING SMOKE TEST FAILED: $*" >&2; exit 1; }
venv() { "$PY" -m venv --without-pip "$1"; }
pip_into() { local target="$1"; shift; "$PY" -m pip --python "$target/bin/python" -q "$@"; }

step "a clean copy of the tree"
SRC="$WORK/src"
mkdir "$SRC"
git -C "$ROOT" ls-files -z --cached --others --exclude-standard |
  while IFS= read -r -d '' f; do [ -e "$ROOT/$f" ] && printf '%s\0' "$f"; done |
  (cd "$ROOT" && xargs -0 cp -P --parents -t "$SRC")
git -C "$SRC" init -q
git -C "$SRC" add -A
git -C "$SRC" -c user.name=smoke -c user.email=smoke@localhost -c commit.gpgsign=false \
  commit -q --no-verify -m "snapshot"
echo "$(git -C "$SRC" ls-files | wc -l) files"

step "sdist, then the wheel from the sdist (isolated builds)"
"$PY" -m build --outdir "$WORK/dist" "$SRC" >"$WORK/build.log" 2>&1 ||
  { tail -40 "$WORK/build.log"; die "python -m build failed (log above)"; }
SDIST="$(ls "$WORK"/dist/llmaestro-*.tar.gz)"
WHEEL="$(ls "$WORK"/dist/llmaestro-*.whl)"
ls -l "$SDIST" "$WHEEL"
"$PY" "$SMOKE" artifacts "$SDIST" "$WHEEL"

# The installs from source and the hook build the package again (each in its own isolated
# environment): they run in the background while the wheel is checked, each with its own log.
jobs_started=()
background() {  # background NAME COMMAND...: run COMMAND, log in $WORK/NAME.log
  local name="$1"; shift
  ( "$@" ) >"$WORK/$name.log" 2>&1 &
  jobs_started+=("$name:$!")
}
finish() {
  local failed=0 job name
  for job in "${jobs_started[@]}"; do
    name="${job%%:*}"
    if wait "${job##*:}"; then
      grep -h "^  ok:" "$WORK/$name.log" || true
    else
      echo "---- $name failed:"; tail -40 "$WORK/$name.log"; failed=1
    fi
  done
  [ "$failed" = 0 ] || die "see the failures above"
}

from_git() {
  venv "$WORK/from-git"
  pip_into "$WORK/from-git" install "git+file://$SRC"
  cd "$WORK" && "$WORK/from-git/bin/python" "$SMOKE" installed
}
from_folder() {
  venv "$WORK/from-folder"
  pip_into "$WORK/from-folder" install "$SRC"
  cd "$WORK" && "$WORK/from-folder/bin/python" "$SMOKE" installed
}

# another repository with a private catalog (and a deploy/models/ folder that is not one)
REPO="$WORK/private-repo"
mkdir -p "$REPO/deploy/models"
"$PY" "$SMOKE" private "$REPO" >/dev/null
echo "replicas: 2" >"$REPO/deploy/models/values.yaml"
git -C "$REPO" init -q
git -C "$REPO" add -A
hook() { cd "$REPO" && "$PY" -m pre_commit try-repo "$SRC" llmaestro-validate --verbose "$@"; }
hook_passes() {
  local out
  out="$(hook --files private/providers/acme/provider.yaml \
    private/providers/acme/models/gpt-4o-mini.yaml deploy/models/values.yaml 2>&1)" ||
    { echo "$out"; echo "the hook failed on a valid private catalog"; return 1; }
  echo "$out" | grep -q "llmaestro validate\.*Passed" ||
    { echo "$out"; echo "the hook did not run on the valid files"; return 1; }
  echo "  ok: the hook (pre-commit try-repo) passes a valid private catalog"
}
hook_fails() {
  local out
  if out="$(hook --files broken/providers/acme/provider.yaml \
      broken/providers/acme/models/gpt-4o-mini.yaml 2>&1)"; then
    echo "$out"; echo "the hook passed a broken private catalog"; return 1
  fi
  echo "$out" | grep -Eq 'broken/providers/acme/models/gpt-4o-mini\.yaml:[0-9]+:[0-9]+: LM[0-9]{3} ' ||
    { echo "$out"; echo "the hook's failure names no file:line:col"; return 1; }
  echo "  ok: the hook fails a broken private catalog with a located error"
}

step "in the background: pip install git+file://, pip install <folder>, pre-commit try-repo"
background from-git from_git
background from-folder from_folder
background hook-passes hook_passes
background hook-fails hook_fails

step "the wheel alone, in a fresh virtualenv outside the checkout"
venv "$WORK/core"
pip_into "$WORK/core" install "$WHEEL"
(cd "$WORK" && "$WORK/core/bin/python" "$SMOKE" core)

step "the [tokens,authoring] extras from the wheel file"
pip_into "$WORK/core" install "$WHEEL[tokens,authoring]"
(cd "$WORK" && "$WORK/core/bin/python" "$SMOKE" extras "$WORK/catalogs")

step "waiting for the installs from source and the pre-commit hook"
finish

step "packaging smoke test passed"
