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
#
# What the change means for callers comes from `cargo xtask diff`, in Markdown: the commit
# message carries the report of this regeneration (with the version the generated crate should
# move to), and on GitHub the run's summary page shows the API change since BASE, so a pull
# request's API change is visible even when its author regenerated the client already.
set -euo pipefail
mode=${1:?usage: regenerate.sh commit|check BASE}
base=${2:?usage: regenerate.sh commit|check BASE}
cd "$(git rev-parse --show-toplevel)"
scratch=${RUNNER_TEMP:-/tmp}

# Runs `cargo xtask diff ARGS...` into FILE. Its exit status 0, 2 and 3 say no change,
# compatible changes and breaking changes; any other status is a failure of the command.
api_report() {
  local file=$1 status=0
  shift
  cargo xtask diff "$@" > "$file" || status=$?
  case $status in
    0 | 2 | 3) ;;
    *) echo "::error::cargo xtask diff $* failed with status $status"; exit "$status" ;;
  esac
}

cargo xtask codegen

# The inputs that changed since BASE (a zero or unknown BASE, as on a new branch or in a
# shallow checkout: the last commit's), for the message and the summary page.
if ! git cat-file -e "$base^{commit}" 2>/dev/null; then
  base=HEAD~1
fi
if [ -n "${GITHUB_STEP_SUMMARY:-}" ]; then
  if git cat-file -e "$base:generated-client/openapi.json" 2>/dev/null; then
    api_report "$scratch/api-since-base.md" --rev "$base" --format markdown
    cat "$scratch/api-since-base.md" >> "$GITHUB_STEP_SUMMARY"
  else
    echo "No generated-client/openapi.json at $base to compare the API with." >> "$GITHUB_STEP_SUMMARY"
  fi
fi

if [ -z "$(git status --porcelain -- generated-client)" ]; then
  echo "regenerate: generated-client/ is up to date"
  exit 0
fi

if [ "$mode" = check ]; then
  git --no-pager diff --stat -- generated-client
  git --no-pager diff -- generated-client
  api_report "$scratch/api-change.txt"
  cat "$scratch/api-change.txt"
  echo "::error::generated-client/ is out of date with specs/ and the generator. Run \`cargo xtask codegen\` and commit generated-client/ with your change."
  exit 1
fi

# What this regeneration changes in the API: the committed client (HEAD) against the new one.
api_report "$scratch/api-change.md" --format markdown
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
  echo
  cat "$scratch/api-change.md"
} > "$scratch/regenerate-message.txt"

git add -- generated-client
# `whitespace` keeps the report's Markdown headings, which the default clean-up would take for
# comments.
git -c user.name="github-actions[bot]" \
    -c user.email="41898282+github-actions[bot]@users.noreply.github.com" \
    commit --quiet --cleanup=whitespace --file "$scratch/regenerate-message.txt"
git --no-pager log -1 --stat
