#!/usr/bin/env bash
# The steps of the Trafficinator GitHub Action (action.yml), in one script
# so that they run the same on a runner and in a local test
# (cmd/trafficinator/action_test.go). Inputs come as INPUT_* variables
# (action.yml maps each input to one); GitHub's files are
# GITHUB_STEP_SUMMARY, GITHUB_OUTPUT and GITHUB_PATH.
#
#   1. install: INPUT_BINARY, or the release asset of INPUT_VERSION for
#      this runner's OS and architecture, checked against SHA256SUMS;
#   2. validate INPUT_VALIDATE with --format github (annotations), and
#      write SARIF to INPUT_SARIF when it is set;
#   3. when INPUT_APPLY is set: apply it with --junit and --out, then
#      append the report as markdown to the step summary;
#   4. set the outputs exit-code, report and binary, and exit with the
#      exit code, which fails the job when it is not 0.
set -uo pipefail

# die fails the step as a usage error (exit code 2) before any traffic.
die() {
  echo "::error title=trafficinator action::$*"
  echo "exit-code=2" >>"${GITHUB_OUTPUT:-/dev/null}"
  exit 2
}

: "${GITHUB_OUTPUT:?GITHUB_OUTPUT is not set}"
: "${GITHUB_STEP_SUMMARY:?GITHUB_STEP_SUMMARY is not set}"
repo="${INPUT_REPOSITORY:-trafficinator/trafficinator}"
# TRAFFICINATOR_DOWNLOAD_BASE replaces GitHub for a mirror (and the test).
download_base="${TRAFFICINATOR_DOWNLOAD_BASE:-https://github.com/$repo/releases}"
workdir="${RUNNER_TEMP:-${TMPDIR:-/tmp}}/trafficinator-action"
mkdir -p "$workdir" || die "cannot create $workdir"

# fetch URL FILE: curl where there is one, wget otherwise.
fetch() {
  if command -v curl >/dev/null 2>&1; then
    curl -fsSL --retry 3 -o "$2" "$1"
  else
    wget -q -O "$2" "$1"
  fi
}

# latest_tag: the tag the releases/latest page redirects to.
latest_tag() {
  local url
  if command -v curl >/dev/null 2>&1; then
    url=$(curl -fsSLI -o /dev/null -w '%{url_effective}' "$download_base/latest") || return 1
  else
    url=$(wget -q -S --spider "$download_base/latest" 2>&1 | sed -n 's/^ *[Ll]ocation: *//p' | tail -n1 | tr -d '\r') || return 1
  fi
  [ -n "$url" ] && [ "${url##*/}" != latest ] || return 1
  echo "${url##*/}"
}

# install_release sets bin to the release binary, downloaded and checked.
install_release() {
  local os arch ext="" version="${INPUT_VERSION:-latest}" asset dir sum
  case "${RUNNER_OS:-$(uname -s)}" in
    Linux | linux) os=linux ;;
    macOS | Darwin) os=darwin ;;
    Windows | MINGW* | MSYS* | CYGWIN*) os=windows ext=.exe ;;
    *) die "no release binary for the OS ${RUNNER_OS:-$(uname -s)}" ;;
  esac
  case "${RUNNER_ARCH:-$(uname -m)}" in
    X64 | x86_64 | amd64) arch=amd64 ;;
    ARM64 | aarch64 | arm64) arch=arm64 ;;
    *) die "no release binary for the architecture ${RUNNER_ARCH:-$(uname -m)}" ;;
  esac
  if [ "$version" = latest ]; then
    version=$(latest_tag) || die "cannot find the latest release at $download_base/latest"
  fi
  asset="trafficinator_${version}_${os}_${arch}${ext}"
  dir="$workdir/bin"
  mkdir -p "$dir"
  fetch "$download_base/download/$version/$asset" "$dir/$asset" || die "cannot download $asset of release $version"
  fetch "$download_base/download/$version/SHA256SUMS" "$dir/SHA256SUMS" || die "cannot download SHA256SUMS of release $version"
  # The release's SHA256SUMS names the asset; anything else is refused.
  sum=$(awk -v f="$asset" '$2 == f || $2 == "*" f { print $1 }' "$dir/SHA256SUMS")
  [ -n "$sum" ] || die "SHA256SUMS of release $version does not list $asset"
  if command -v sha256sum >/dev/null 2>&1; then
    (cd "$dir" && echo "$sum  $asset" | sha256sum -c --quiet -) || die "checksum mismatch for $asset"
  else
    (cd "$dir" && echo "$sum  $asset" | shasum -a 256 -c --quiet -) || die "checksum mismatch for $asset"
  fi
  mv "$dir/$asset" "$dir/trafficinator$ext" && chmod +x "$dir/trafficinator$ext" || die "cannot install $asset"
  bin="$dir/trafficinator$ext"
}

if [ -n "${INPUT_BINARY:-}" ]; then
  [ -x "$INPUT_BINARY" ] || die "binary $INPUT_BINARY is not an executable file"
  bin="$INPUT_BINARY"
else
  install_release
fi
[ -n "${GITHUB_PATH:-}" ] && dirname "$bin" >>"$GITHUB_PATH"
echo "binary=$bin" >>"$GITHUB_OUTPUT"
"$bin" version 2>/dev/null || "$bin" --version

# Word-split on whitespace, no quotes: paths with spaces go in a list
# input of their own (docs/ci.md).
read -r -a validate_paths <<<"${INPUT_VALIDATE:-.}"
read -r -a extra_args <<<"${INPUT_ARGS:-}"

code=0
echo "::group::trafficinator validate ${validate_paths[*]}"
"$bin" validate --format github "${validate_paths[@]}"
code=$?
echo "::endgroup::"
if [ -n "${INPUT_SARIF:-}" ]; then
  "$bin" validate --format sarif "${validate_paths[@]}" >"$INPUT_SARIF"
fi
if [ "$code" -ne 0 ]; then
  {
    echo "### Trafficinator: validation FAILED"
    echo
    echo "\`trafficinator validate ${validate_paths[*]}\` exited with code $code; the errors are annotations on the files."
  } >>"$GITHUB_STEP_SUMMARY"
fi

report=""
if [ "$code" -eq 0 ] && [ -n "${INPUT_APPLY:-}" ]; then
  report="${INPUT_REPORT:-trafficinator-report.json}"
  junit="${INPUT_JUNIT:-trafficinator-junit.xml}"
  mkdir -p "$(dirname "$report")" "$(dirname "$junit")" || die "cannot create the folders of $report and $junit"
  echo "::group::trafficinator apply $INPUT_APPLY ${extra_args[*]-}"
  # ${a[@]+...}: bash 3.2 (macOS) calls an empty array unbound under set -u.
  "$bin" apply "$INPUT_APPLY" --junit "$junit" --out "$report" ${extra_args[@]+"${extra_args[@]}"}
  code=$?
  echo "::endgroup::"
  if [ -s "$report" ]; then
    "$bin" report show --format markdown "$report" >>"$GITHUB_STEP_SUMMARY"
  else
    echo "### Trafficinator: apply exited with code $code before writing a report" >>"$GITHUB_STEP_SUMMARY"
    report=""
  fi
fi

{
  echo "exit-code=$code"
  echo "report=$report"
} >>"$GITHUB_OUTPUT"
if [ "$code" -ne 0 ]; then
  echo "::error title=trafficinator::exit code $code"
fi
exit "$code"
