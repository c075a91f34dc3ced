#!/usr/bin/env bash
# A test CA and certificates for an OrleansFs cluster, with openssl. For trying TLS out and for tests, not for
# production (use your organisation's CA there; the files have the same shape).
#
#   deploy/tls/make-test-ca.sh OUTDIR [hostname-or-ip ...]
#
# Writes into OUTDIR (created if missing):
#   ca.pem, ca.key          the CA (self-signed, 1 year): give ca.pem to every silo (Security:CaPath) and client (--tls-ca)
#   server.pem, server.key  a silo's certificate (30 days by default), for serverAuth and clientAuth (silos dial each
#                           other), with subject alternative names localhost, 127.0.0.1, ::1 and the names given
#   client.pem, client.key  a client's certificate (clientAuth), for Security:RequireClientCertificate (--tls-cert/--tls-key)
# Keys are ECDSA P-256 in PKCS#8 PEM (-----BEGIN PRIVATE KEY-----), unencrypted, mode 0600: .NET and ZooKeeper
# read them as they are. An existing ca.pem/ca.key in OUTDIR is reused, so running it again renews the server and
# client certificates under the same CA (what a renewal looks like: the silos pick the new files up, no restart).
# OFS_TLS_DAYS sets the leaf lifetime in days (default 30).
set -euo pipefail

if [[ $# -lt 1 || $1 == -h || $1 == --help ]]; then
    awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"
    exit $([[ $# -lt 1 ]] && echo 2 || echo 0)
fi
command -v openssl >/dev/null || { echo "make-test-ca.sh: openssl is not installed (apt-get install openssl)" >&2; exit 1; }

OUT=$1
shift
DAYS=${OFS_TLS_DAYS:-30}
mkdir -p "$OUT"
umask 077
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

san="DNS:localhost,IP:127.0.0.1,IP:::1"
for name in "$@"; do
    if [[ $name =~ ^[0-9.]+$ || $name == *:* ]]; then san+=",IP:$name"; else san+=",DNS:$name"; fi
done

key() { openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1" 2>/dev/null; }

if [[ ! -f $OUT/ca.pem || ! -f $OUT/ca.key ]]; then
    key "$OUT/ca.key"
    openssl req -x509 -new -key "$OUT/ca.key" -sha256 -days 365 -subj "/O=OrleansFs/CN=OrleansFs Test CA" \
        -addext "basicConstraints=critical,CA:TRUE,pathlen:0" -addext "keyUsage=critical,keyCertSign,cRLSign" \
        -addext "subjectKeyIdentifier=hash" -out "$OUT/ca.pem"
    echo "make-test-ca.sh: new CA $OUT/ca.pem"
else
    echo "make-test-ca.sh: reusing the CA in $OUT/ca.pem"
fi

# issue NAME CN EXTENSIONS: NAME.key and NAME.pem, written next to the old ones and moved into place (key first),
# so a running silo never reads half a file.
issue() {
    local name=$1 cn=$2 ext=$3
    key "$WORK/$name.key"
    openssl req -new -key "$WORK/$name.key" -subj "/O=OrleansFs/CN=$cn" -out "$WORK/$name.csr"
    printf '%b' "$ext" > "$WORK/$name.ext"
    openssl x509 -req -in "$WORK/$name.csr" -CA "$OUT/ca.pem" -CAkey "$OUT/ca.key" -CAcreateserial \
        -CAserial "$WORK/ca.srl" -days "$DAYS" -sha256 -extfile "$WORK/$name.ext" -out "$WORK/$name.pem" 2>/dev/null
    cp "$WORK/$name.key" "$OUT/.$name.key.new" && mv -f "$OUT/.$name.key.new" "$OUT/$name.key"
    cp "$WORK/$name.pem" "$OUT/.$name.pem.new" && chmod 644 "$OUT/.$name.pem.new" && mv -f "$OUT/.$name.pem.new" "$OUT/$name.pem"
}

common="basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature,keyAgreement\nsubjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid\n"
issue server ofs-server "${common}extendedKeyUsage=serverAuth,clientAuth\nsubjectAltName=$san\n"
issue client ofs-client "${common}extendedKeyUsage=clientAuth\n"
chmod 644 "$OUT/ca.pem"

echo "make-test-ca.sh: server certificate $OUT/server.pem (SAN $san), client certificate $OUT/client.pem, valid $DAYS days"
