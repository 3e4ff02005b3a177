#!/usr/bin/env bash
# Certificates for mutual TLS between fedprune nodes (the tls-tcp profile, docs/SECURITY.md).
# Usage: scripts/make-certs.sh OUT NODE [NODE...]
#   OUT/ca/             the certificate authority: ca.p12 (its private key: keep it off the nodes)
#                       and ca.crt (its certificate, PEM)
#   OUT/NODE/           what node NODE needs, and all it needs (fedprune node ... --tls OUT/NODE):
#     keystore.p12      the node's private key and its certificate, signed by the CA (chain included)
#     truststore.p12    the CA's certificate only: a peer is accepted iff the CA signed its certificate
#     password          the password of both stores (mode 600)
#     node.crt          its certificate (PEM; public)
# An existing CA in OUT/ca is reused, so nodes added later join the same cluster; a node whose
# folder exists is left alone. Names go into the certificate's CN and SAN; Pekko does not check
# host names (hostname-verification = off): trust comes from the CA signature alone, so the CA
# must sign only fedprune nodes. Needs keytool (part of every JDK); nothing else.
# Environment: FEDPRUNE_CERT_DAYS (default 825), FEDPRUNE_CERT_SAN (extra SAN entries, e.g.
# "dns:agg.example.org,ip:10.0.0.5"; default dns:localhost,ip:127.0.0.1 plus dns:NODE).
set -euo pipefail
if [ $# -lt 2 ]; then
  echo "usage: $0 OUT NODE [NODE...]" >&2
  exit 2
fi
out="$1"; shift
days="${FEDPRUNE_CERT_DAYS:-825}"
command -v keytool >/dev/null || { echo "$0: keytool not found (it comes with the JDK)" >&2; exit 2; }
umask 077
mkdir -p "$out/ca"

# keytool is a JVM per call: the quickest start, no JIT beyond C1
kt() {
  local err
  if ! err="$(keytool -J-XX:TieredStopAtLevel=1 -J-XX:+UseSerialGC -J-Xshare:auto "$@" 2>&1 >/dev/null)"; then
    echo "$0: keytool $1 failed: $err" >&2
    return 1
  fi
}
random_password() { head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n'; }

ca_store="$out/ca/ca.p12"
if [ ! -f "$ca_store" ]; then
  random_password > "$out/ca/password"
  ca_pw="$(cat "$out/ca/password")"
  kt -genkeypair -alias ca -keyalg EC -groupname secp384r1 -sigalg SHA384withECDSA \
    -dname "CN=fedprune CA" -ext bc:c=ca:true,pathlen:0 -ext ku:c=keyCertSign,cRLSign \
    -validity "$days" -keystore "$ca_store" -storetype PKCS12 -storepass "$ca_pw" -keypass "$ca_pw"
  kt -exportcert -rfc -alias ca -keystore "$ca_store" -storepass "$ca_pw" -file "$out/ca/ca.crt"
  echo "made CA $out/ca/ca.crt"
fi
ca_pw="$(cat "$out/ca/password")"

for node in "$@"; do
  if ! [[ "$node" =~ ^[A-Za-z0-9._-]+$ ]]; then
    echo "$0: node name '$node': use letters, digits, '.', '_' and '-' only" >&2
    exit 2
  fi
  dir="$out/$node"
  if [ -e "$dir/keystore.p12" ]; then
    echo "kept $dir (exists)"
    continue
  fi
  mkdir -p "$dir"
  random_password > "$dir/password"
  pw="$(cat "$dir/password")"
  san="dns:$node,dns:localhost,ip:127.0.0.1${FEDPRUNE_CERT_SAN:+,$FEDPRUNE_CERT_SAN}"
  kt -genkeypair -alias node -keyalg EC -groupname secp256r1 -sigalg SHA256withECDSA \
    -dname "CN=$node, O=fedprune" -validity "$days" \
    -keystore "$dir/keystore.p12" -storetype PKCS12 -storepass "$pw" -keypass "$pw"
  kt -certreq -alias node -keystore "$dir/keystore.p12" -storepass "$pw" -file "$dir/node.csr"
  kt -gencert -alias ca -keystore "$ca_store" -storepass "$ca_pw" -infile "$dir/node.csr" \
    -outfile "$dir/node.crt" -rfc -validity "$days" -sigalg SHA384withECDSA \
    -ext "san=$san" -ext ku:c=digitalSignature,keyAgreement -ext eku=serverAuth,clientAuth
  # the signed certificate and the CA's above it go back under the key's alias as its chain
  cat "$dir/node.crt" "$out/ca/ca.crt" > "$dir/chain.pem"
  kt -importcert -noprompt -trustcacerts -alias node -keystore "$dir/keystore.p12" -storepass "$pw" \
    -file "$dir/chain.pem"
  kt -importcert -noprompt -alias ca -keystore "$dir/truststore.p12" -storetype PKCS12 \
    -storepass "$pw" -file "$out/ca/ca.crt"
  rm -f "$dir/node.csr" "$dir/chain.pem"
  echo "made $dir (keystore.p12, truststore.p12, password)"
done
