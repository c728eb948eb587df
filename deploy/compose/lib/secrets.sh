# The compose deployment's secrets (sourced, not run): make_secrets DIR fills DIR (mode 0700) once with what the
# compose files mount as `secrets:` under /run/secrets; files already there are kept, so a second `up` reuses them
# and deleting some (then `up` again) renews just those. Keys and passwords are mode 0600; nothing is printed.
#   ca.crt, ca.key                  a private CA (EC P-256, 10 years) that signs everything below
#   etcd-<host>.crt/.key            etcd member <host> (node3, etcd1, etcd2): server and peer certificate,
#                                   SANs <host>, localhost, 127.0.0.1
#   etcd-client.crt/.key            the etcd client certificate of the agents, bulwarkctl and etcdctl
#   rest-<node>.crt/.key            the REST API of agent <node> (node1, node2): SANs <node>, localhost, 127.0.0.1
#   superuser-password, replication-password, rest-password
#                                   from BULWARK_SUPERUSER_PASSWORD, BULWARK_REPLICATION_PASSWORD and
#                                   BULWARK_REST_PASSWORD when set, else random (only when the file is missing)
# Leaf certificates are valid for 825 days. Your own CA: put its ca.crt and ca.key here before the first `up`
# (or sign the leaf files yourself and put them here; then ca.key is not needed). See docs/deployment.md.
# A layout with other hosts (dr.yml: node4, node5, node6) sets these before sourcing this file.
declare -p SECRET_ETCD_HOSTS >/dev/null 2>&1 || SECRET_ETCD_HOSTS=(node3 etcd1 etcd2)
declare -p SECRET_AGENTS >/dev/null 2>&1 || SECRET_AGENTS=(node1 node2)

make_secrets() { # make_secrets DIR
    local dir=$1 h v file
    command -v openssl >/dev/null || { echo "error: openssl is needed to make the deployment's certificates (apt-get install openssl)" >&2; return 1; }
    mkdir -p "$dir"; chmod 0700 "$dir"
    for v in superuser:BULWARK_SUPERUSER_PASSWORD replication:BULWARK_REPLICATION_PASSWORD rest:BULWARK_REST_PASSWORD; do
        file=$dir/${v%%:*}-password; [ ! -s "$file" ] || continue
        v=${v#*:}
        ( umask 077; if [ -n "${!v:-}" ]; then printf '%s\n' "${!v}"; else head -c 18 /dev/urandom | base64 | tr -d '/+=\n'; echo; fi > "$file.tmp" )
        mv "$file.tmp" "$file"
    done
    if [ ! -s "$dir/ca.crt" ]; then
        [ ! -e "$dir/ca.key" ] || { echo "error: $dir/ca.key exists without ca.crt; remove it or add its certificate" >&2; return 1; }
        secret_key "$dir/ca.key"
        openssl req -x509 -new -key "$dir/ca.key" -out "$dir/ca.crt" -days 3650 -subj "/CN=Bulwark compose CA $(basename "$dir")" \
            -config <(printf '%s\n' '[req]' 'distinguished_name = dn' 'x509_extensions = ca' '[dn]' '[ca]' \
                'basicConstraints = critical, CA:TRUE' 'keyUsage = critical, keyCertSign, cRLSign' 'subjectKeyIdentifier = hash') \
            2>/dev/null || { echo "error: openssl could not make the CA in $dir" >&2; return 1; }
    fi
    for h in "${SECRET_ETCD_HOSTS[@]}"; do secret_leaf "$dir" "etcd-$h" "$h" serverAuth,clientAuth "DNS:$h,DNS:localhost,IP:127.0.0.1"; done
    secret_leaf "$dir" etcd-client bulwark-etcd-client clientAuth ""
    for h in "${SECRET_AGENTS[@]}"; do secret_leaf "$dir" "rest-$h" "$h" serverAuth "DNS:$h,DNS:localhost,IP:127.0.0.1"; done
}

remove_secrets() { # remove_secrets DIR: the files make_secrets makes (nothing else), then DIR if it is empty
    local dir=$1 h
    rm -f "$dir"/{ca,etcd-client}.{crt,key} "$dir"/{superuser,replication,rest}-password
    for h in "${SECRET_ETCD_HOSTS[@]}"; do rm -f "$dir/etcd-$h".{crt,key}; done
    for h in "${SECRET_AGENTS[@]}"; do rm -f "$dir/rest-$h".{crt,key}; done
    rmdir "$dir" 2>/dev/null || true
}

secret_key() { # secret_key FILE: a new EC P-256 key, PKCS#8 PEM, mode 0600
    ( umask 077; openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1" 2>/dev/null ) \
        || { echo "error: openssl could not make the key $1" >&2; return 1; }
}

secret_leaf() { # secret_leaf DIR NAME CN EKU SANS: NAME.crt and NAME.key signed by DIR/ca, unless NAME.crt exists
    local dir=$1 name=$2 cn=$3 eku=$4 sans=$5
    [ ! -s "$dir/$name.crt" ] || return 0
    [ -s "$dir/ca.key" ] || { echo "error: $dir/$name.crt is missing and there is no $dir/ca.key to sign it with" >&2; return 1; }
    secret_key "$dir/$name.key"
    openssl req -new -key "$dir/$name.key" -subj "/CN=$cn" 2>/dev/null \
        | openssl x509 -req -CA "$dir/ca.crt" -CAkey "$dir/ca.key" -set_serial "0x$(openssl rand -hex 16)" -days 825 \
            -out "$dir/$name.crt" -extfile <(printf '%s\n' 'basicConstraints = critical, CA:FALSE' \
                'keyUsage = critical, digitalSignature, keyEncipherment' "extendedKeyUsage = $eku" \
                ${sans:+"subjectAltName = $sans"}) 2>/dev/null \
        || { rm -f "$dir/$name.crt"; echo "error: openssl could not sign $dir/$name.crt" >&2; return 1; }
}
