#!/usr/bin/env bash
# Regenerates generated-client/ and, when that changed it, either commits the result (mode
# `commit`, for branches of this repository; the workflow pushes the commit) or fails showing
# the diff and the command to run (mode `check`, for forks, which the workflow cannot push to).
#
#   .github/scripts/regenerate.sh commit|check BASE
#
# BASE is the revision the branch's inputs are compared with, to name in the commit message the
# specs, generator and xtask files that changed. Runs from anywhere inside the repository; the
# same commands work locally in a scratch clone.
set -euo pipefail
mode=${1:?usage: regenerate.sh commit|check BASE}
base=${2:?usage: regenerate.sh commit|check BASE}
cd "$(git rev-parse --show-toplevel)"

cargo xtask codegen

if [ -z "$(git status --porcelain -- generated-client)" ]; then
  echo "regenerate: generated-client/ is up to date"
  exit 0
fi

if [ "$mode" = check ]; then
  git --no-pager diff --stat -- generated-client
  git --no-pager diff -- generated-client
  echo "::error::generated-client/ is out of date with specs/ and the generator. Run \`cargo xtask codegen\` and commit generated-client/ with your change."
  exit 1
fi

# The inputs that changed since BASE (a zero or unknown BASE, as on a new branch: the last
# commit's), for the message.
if ! git cat-file -e "$base^{commit}" 2>/dev/null; then
  base=HEAD~1
fi
inputs=$(git diff --name-only "$base" HEAD -- specs generator xtask | head -n 20)
changed=$(git status --porcelain -- generated-client | awk '{print $2}')
{
  echo "Regenerate generated-client/ from the changed specs and generator"
  echo
  echo "cargo xtask codegen, run by the regenerate workflow. Inputs changed since ${base}:"
  printf '%s\n' "${inputs:-(none found; the checked-in client was stale)}" | sed 's/^/  /'
  echo
  echo "Files regenerated:"
  printf '%s\n' "$changed" | sed 's/^/  /'
} > "${RUNNER_TEMP:-/tmp}/regenerate-message.txt"

git add -- generated-client
git -c user.name="github-actions[bot]" \
    -c user.email="41898282+github-actions[bot]@users.noreply.github.com" \
    commit --quiet --file "${RUNNER_TEMP:-/tmp}/regenerate-message.txt"
git --no-pager log -1 --stat
