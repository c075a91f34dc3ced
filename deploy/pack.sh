#!/usr/bin/env bash
# Builds the NuGet packages and writes them to artifacts/packages (docs/packages.md):
#   OrleansFs.Client (with its dependencies OrleansFs.Grains.Interfaces and OrleansFs.Format),
#   OrleansFs.ZooKeeper, OrleansFs.Clustering.ZooKeeper, and the .NET tool `ofs`; each with its symbols (.snupkg).
#
#   deploy/pack.sh [--output DIR] [--version-suffix SUFFIX] [--configuration Release|Debug] [--no-build]
#
# The version is VersionPrefix in Directory.Build.props, plus `-SUFFIX` when given (a pre-release). The projects
# packed are those of deploy/packages.slnf. OFS_REPOSITORY_URL, when set, is the repository URL written into the
# packages for Source Link (otherwise the git remote `origin`, if any). --no-build packs what `dotnet build` left
# in bin/CONFIGURATION (the tests use it; a release is built here, in Release).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
OUTPUT=$ROOT/artifacts/packages
CONFIGURATION=Release
SUFFIX=
NO_BUILD=()

usage() { sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }
while [ $# -gt 0 ]; do
  case "$1" in
    --output) OUTPUT=${2:?--output needs a directory}; shift 2 ;;
    --version-suffix) SUFFIX=${2:?--version-suffix needs a value}; shift 2 ;;
    --configuration|-c) CONFIGURATION=${2:?--configuration needs Release or Debug}; shift 2 ;;
    --no-build) NO_BUILD=(--no-build); shift ;;
    -h|--help) usage ;;
    *) echo "pack.sh: unknown argument '$1'" >&2; usage ;;
  esac
done

properties=(-p:ContinuousIntegrationBuild=true)
[ -n "$SUFFIX" ] && properties+=("-p:VersionSuffix=$SUFFIX")
[ -n "${OFS_REPOSITORY_URL:-}" ] && properties+=("-p:RepositoryUrl=$OFS_REPOSITORY_URL")

mkdir -p "$OUTPUT"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
dotnet pack "$ROOT/deploy/packages.slnf" -c "$CONFIGURATION" -o "$OUTPUT" -nologo -v q -clp:ErrorsOnly \
  "${NO_BUILD[@]}" "${properties[@]}"
echo "packages in $OUTPUT:"
ls -1 "$OUTPUT" | sed 's/^/  /'
