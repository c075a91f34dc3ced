#!/usr/bin/env bash
# A whole OrleansFs HA cluster on one machine: a ZooKeeper ensemble (3 members, or 1 with --zk 1) and
# N silo processes (default 3) on loopback, sharing one journal directory and one under-storage directory.
# With --journal postgres the journal lives in a PostgreSQL 15 server of its own instead (initdb/pg_ctl in
# DIR/postgres, run as the postgres user when root), which status shows and down stops with the rest.
# With --tls every link is TLS (Security:Enabled), with a test CA and certificates made in DIR/tls; ZooKeeper
# member j then also listens for TLS on 22880+j (OFS_LC_ZK_SECURE_BASE), the only port silos and ofs use.
#
#   deploy/local-cluster.sh up [--silos N] [--zk 1|3] [--journal directory|postgres] [--dir DIR] [--tls] [--netns]
#                                                                   start everything, wait until ready
#   deploy/local-cluster.sh status                                  what runs where, and the leader
#   deploy/local-cluster.sh kill-master                             SIGKILL the silo hosting the master
#   deploy/local-cluster.sh restart SILO                            (re)start silo number SILO (1..N)
#   deploy/local-cluster.sh kill SILO                               SIGKILL silo number SILO
#   deploy/local-cluster.sh kill-holder PATH                        SIGKILL the silo holding the file's first block
#   deploy/local-cluster.sh down                                    stop everything by PID (and remove the namespaces)
#
# With --netns (root) every silo runs in a network namespace of its own, its host, on a bridge (ofs-lc-br,
# 10.232.0.1/24; silo i is 10.232.0.(10+i); OFS_LC_NETNS_PREFIX changes 10.232.0), with ZooKeeper and ofs
# outside on the bridge address, as in a data centre. Then a host can vanish, packets dropped without a reset:
#   deploy/local-cluster.sh vanish-master                           set the master's host's link down
#   deploy/local-cluster.sh vanish SILO | return SILO               set silo SILO's link down / up again
#   deploy/local-cluster.sh return-master                           bring the last vanished master's host back
#
# Ports: silo i uses 11110+i (silo), 29999+i (gateway), 19998+i (web: silo 1 on 19999), 8079+i (dashboard);
# ZooKeeper member j uses 21880+j (client), 28880+j and 38880+j (quorum, election); PostgreSQL uses 25432.
# Override with OFS_LC_SILO_BASE, OFS_LC_GATEWAY_BASE, OFS_LC_WEB_BASE, OFS_LC_DASHBOARD_BASE, OFS_LC_ZK_BASE,
# OFS_LC_PG_PORT; OFS_LC_PG_BIN is where initdb and pg_ctl are (Debian's postgresql-15 by default).
# Lineage: the silos run the sample command-line jobs in deploy/lineage-jobs (upper.sh, wordcount.sh) by name;
# OFS_LC_LINEAGE_ALLOWED adds executables of your own (full paths, or names in that directory), space-separated.
# The jobs find `ofs` through OFS_CLI_DLL, which the silos carry (docs/lineage.md, "Try it").
# OFS_LC_LINEAGE_CHECKPOINT_INTERVAL sets Lineage:Checkpoint:Interval (default 30 s: a leaf output is persisted
# within it, after which a loss reloads it instead of re-running its job).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
DIR=${OFS_LC_DIR:-$ROOT/data/local-cluster}
SILOS=3
ZK=3
SILO_BASE=${OFS_LC_SILO_BASE:-11110}
GATEWAY_BASE=${OFS_LC_GATEWAY_BASE:-29999}
WEB_BASE=${OFS_LC_WEB_BASE:-19998}
DASHBOARD_BASE=${OFS_LC_DASHBOARD_BASE:-8079}
ZK_BASE=${OFS_LC_ZK_BASE:-21880}
ZK_SECURE_BASE=${OFS_LC_ZK_SECURE_BASE:-22880}
PG_PORT=${OFS_LC_PG_PORT:-25432}
PG_BIN=${OFS_LC_PG_BIN:-/usr/lib/postgresql/15/bin}
JOURNAL=directory
TLS=0
NETNS=0
NETNS_PREFIX=${OFS_LC_NETNS_PREFIX:-10.232.0}
CONFIGURATION=${OFS_LC_CONFIGURATION:-Release}
LINEAGE_ALLOWED=${OFS_LC_LINEAGE_ALLOWED:-}
LINEAGE_CHECKPOINT_INTERVAL=${OFS_LC_LINEAGE_CHECKPOINT_INTERVAL:-}

say() { printf '%s\n' "$*"; }
die() { printf 'local-cluster: %s\n' "$*" >&2; exit 1; }

parse_flags() {
  while [ $# -gt 0 ]; do
    case "$1" in
      --silos) SILOS=$2; shift 2 ;;
      --zk) ZK=$2; shift 2 ;;
      --journal) JOURNAL=$2; shift 2 ;;
      --dir) DIR=$2; shift 2 ;;
      --tls) TLS=1; shift ;;
      --netns) NETNS=1; shift ;;
      *) die "unknown option $1" ;;
    esac
  done
  [[ "$SILOS" =~ ^[1-9][0-9]*$ ]] || die "--silos takes a positive number"
  [ "$ZK" = 1 ] || [ "$ZK" = 3 ] || die "--zk takes 1 or 3"
  [ "$JOURNAL" = directory ] || [ "$JOURNAL" = postgres ] || die "--journal takes directory or postgres"
}

load_state() {
  [ -f "$DIR/cluster.env" ] || die "no cluster in $DIR (run: $0 up)"
  # shellcheck disable=SC1091
  . "$DIR/cluster.env"
}

silo_dll() { echo "$DIR/bin/silo/OrleansFs.Silo.dll"; }
ofs_dll() { echo "$DIR/bin/ofs/ofs.dll"; }

build() {
  say "building silo and ofs ($CONFIGURATION)"
  dotnet build "$ROOT/Silo/Silo.csproj" -c "$CONFIGURATION" -o "$DIR/bin/silo" -nologo -v q -clp:ErrorsOnly >/dev/null
  dotnet build "$ROOT/Client/Cli/Cli.csproj" -c "$CONFIGURATION" -o "$DIR/bin/ofs" -nologo -v q -clp:ErrorsOnly >/dev/null
}

zk_connection() {
  local hosts="" j base=$ZK_BASE
  [ "${TLS:-0}" = 1 ] && base=$ZK_SECURE_BASE
  for j in $(seq 1 "$ZK"); do hosts+="${hosts:+,}$(zk_host):$((base + j))"; done
  echo "$hosts/orleansfs"
}

# Netty's codec and resolver are not on the class path of Debian's zookeeper.jar; the secure port needs them.
zk_classpath() {
  local cp="/etc/zookeeper/conf:/usr/share/java/zookeeper.jar:/usr/share/java/slf4j-simple.jar"
  [ "${TLS:-0}" = 1 ] && cp+=":/usr/share/java/netty-codec.jar:/usr/share/java/netty-resolver.jar"
  echo "$cp"
}

# The secure client port: ZooKeeper reads the key and certificate from one PEM file. Clients may present a
# certificate (want), so `ofs --tls-ca` alone finds the gateways; the plain port stays for the srvr check.
zk_tls_config() {
  local j=$1 t; t=$(tls_dir)
  echo "serverCnxnFactory=org.apache.zookeeper.server.NettyServerCnxnFactory"
  echo "secureClientPort=$((ZK_SECURE_BASE + j))"; echo "secureClientPortAddress=$(zk_host)"
  echo "ssl.keyStore.location=$t/zookeeper-keystore.pem"; echo "ssl.keyStore.type=PEM"
  echo "ssl.trustStore.location=$t/ca.pem"; echo "ssl.trustStore.type=PEM"
  echo "ssl.clientAuth=want"
}

start_zk_member() {
  local j=$1 d="$DIR/zk/$1"
  mkdir -p "$d/data"
  echo "$j" > "$d/data/myid"
  {
    echo "tickTime=1000"; echo "initLimit=10"; echo "syncLimit=5"
    echo "dataDir=$d/data"; echo "clientPort=$((ZK_BASE + j))"; echo "clientPortAddress=$(zk_host)"
    echo "maxClientCnxns=0"; echo "admin.enableServer=false"
    echo "4lw.commands.whitelist=ruok,srvr,stat,mntr,conf,cons,isro"
    [ "${TLS:-0}" = 1 ] && zk_tls_config "$j"
    if [ "$ZK" -gt 1 ]; then
      local k
      for k in $(seq 1 "$ZK"); do echo "server.$k=127.0.0.1:$((ZK_BASE + 7000 + k)):$((ZK_BASE + 17000 + k))"; done
    fi
  } > "$d/zoo.cfg"
  nohup java -Xmx256m -cp "$(zk_classpath)" org.apache.zookeeper.server.quorum.QuorumPeerMain "$d/zoo.cfg" \
    > "$d/server.log" 2>&1 < /dev/null &
  echo $! > "$d/pid"
}

# PostgreSQL for --journal postgres. initdb refuses to run as root, so as root both tools run as postgres,
# which then owns DIR/postgres (and needs to pass through DIR's parents).
pg_run() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$PG_BIN/$1" "${@:2}"; else "$PG_BIN/$1" "${@:2}"; fi
}

pg_connection() { echo "Host=127.0.0.1;Port=$PG_PORT;Username=postgres;Database=postgres"; }

start_postgres() {
  local d="$DIR/postgres"
  [ -x "$PG_BIN/initdb" ] \
    || die "PostgreSQL 15 is not installed: apt-get install -y --no-install-recommends postgresql-15"
  mkdir -p "$d"
  if [ "$(id -u)" = 0 ]; then
    chown postgres:postgres "$d"
    local p=$DIR
    while [ "$p" != / ]; do chmod o+x "$p"; p=$(dirname "$p"); done
  fi
  [ -f "$d/data/PG_VERSION" ] || pg_run initdb -D "$d/data" -A trust -U postgres -E UTF8 >"$d/initdb.log" 2>&1 \
    || die "initdb failed: see $d/initdb.log"
  pg_run pg_ctl -D "$d/data" -l "$d/server.log" -w -t 60 \
    -o "-p $PG_PORT -k $d -c listen_addresses=127.0.0.1 -c max_connections=200" start >/dev/null \
    || die "PostgreSQL did not start: see $d/server.log"
  head -1 "$d/data/postmaster.pid" > "$d/pid"
}

pg_serving() { alive "$DIR/postgres/pid"; }

zk_serving() { echo srvr | nc -N "$(zk_host)" "$1" 2>/dev/null | grep -q '^Mode:'; }

wait_for() { # seconds description command...
  local limit=$1 what=$2; shift 2
  local deadline=$((SECONDS + limit))
  until "$@"; do
    [ $SECONDS -lt $deadline ] || die "timed out after ${limit}s waiting for $what"
    sleep 0.2
  done
}

start_silo() {
  local i=$1 d="$DIR/silos/$1"
  mkdir -p "$d"
  local web=$((WEB_BASE + i))
  local journal_args=(--Journal:Directory="$DIR/journal")
  [ "$JOURNAL" = postgres ] && journal_args=(--Journal:Kind=PostgreSql --PostgreSql:ConnectionString="$(pg_connection)")
  # exec: the PID written is the silo's own, and no shell lingers holding the caller's stdout open.
  local tls_args; mapfile -t tls_args < <(tls_silo_args)
  local lineage_args; mapfile -t lineage_args < <(lineage_silo_args)
  # The silo's environment is its jobs': OFS_CLI_DLL (and OFS_TLS_CA) let a job's `ofs` reach the cluster.
  export OFS_CLI_DLL; OFS_CLI_DLL=$(ofs_dll)
  [ "${TLS:-0}" = 1 ] && export OFS_TLS_CA="$(tls_dir)/ca.pem"
  local in_host=(); [ "${NETNS:-0}" = 1 ] && in_host=(ip netns exec "$(netns_name "$i")")
  # ip netns exec execs the silo in turn, so the PID stays the silo's.
  (cd "$d" && exec nohup "${in_host[@]}" dotnet "$(silo_dll)" \
      --Cluster:Id=ofs --Cluster:ServiceId=ofs --Cluster:Membership=ZooKeeper \
      --ZooKeeper:ConnectionString="$(zk_connection)" \
      "${journal_args[@]}" --UnderStorage:Directory="$DIR/ufs" \
      --Silo:Port=$((SILO_BASE + i)) --Silo:GatewayPort=$((GATEWAY_BASE + i)) --Silo:AdvertisedAddress="$(silo_host "$i")" \
      --Web:Port="$web" --Dashboard:Port=$((DASHBOARD_BASE + i)) \
      --Worker:MemoryDirectory="/dev/shm/orleansfs-lc/silo$i" "${tls_args[@]}" "${lineage_args[@]}" \
      > "$d/silo.log" 2>&1 < /dev/null) &
  echo $! > "$d/pid"
  echo "$web" > "$d/web.port"
}

silo_ready() {
  local ca=(); [ "${TLS:-0}" = 1 ] && ca=(--cacert "$(tls_dir)/ca.pem")
  curl -fsS -m 2 "${ca[@]}" "$(web_scheme)://$(silo_host "$1"):$(cat "$DIR/silos/$1/web.port")/health/ready" >/dev/null 2>&1
}

# --tls: a test CA and one certificate for every silo (names localhost and 127.0.0.1), made once per DIR.
tls_dir() { echo "$DIR/tls"; }
make_tls() {
  [ -f "$(tls_dir)/ca.pem" ] || bash "$ROOT/deploy/tls/make-test-ca.sh" "$(tls_dir)" >/dev/null \
    || die "could not make the test CA in $(tls_dir)"
  (umask 077 && cat "$(tls_dir)/server.key" "$(tls_dir)/server.pem" > "$(tls_dir)/zookeeper-keystore.pem")
  say "TLS: test CA $(tls_dir)/ca.pem"
}
tls_silo_args() {
  [ "${TLS:-0}" = 1 ] || return 0
  local t; t=$(tls_dir)
  printf '%s\n' --Security:Enabled=true --Security:CaPath="$t/ca.pem" \
    --Security:CertificatePath="$t/server.pem" --Security:KeyPath="$t/server.key"
}
tls_ofs_args() { [ "${TLS:-0}" = 1 ] && printf '%s\n' --tls-ca "$(tls_dir)/ca.pem"; return 0; }
web_scheme() { if [ "${TLS:-0}" = 1 ]; then echo https; else echo http; fi; }

# Lineage: the sample jobs, and the user's own from OFS_LC_LINEAGE_ALLOWED (kept in cluster.env for restart).
lineage_jobs_dir() { echo "$ROOT/deploy/lineage-jobs"; }
lineage_silo_args() {
  local n=0 job
  printf '%s\n' --Lineage:CommandJobs:Directory="$(lineage_jobs_dir)"
  # shellcheck disable=SC2086 # the list is space-separated on purpose
  for job in upper.sh wordcount.sh ${LINEAGE_ALLOWED:-}; do
    printf '%s\n' "--Lineage:CommandJobs:Allowed:$n=$job"; n=$((n + 1))
  done
  [ -z "${LINEAGE_CHECKPOINT_INTERVAL:-}" ] || printf '%s\n' "--Lineage:Checkpoint:Interval=$LINEAGE_CHECKPOINT_INTERVAL"
}

alive() { [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }

stop_pid_file() { # file signal
  local f=$1 sig=${2:-TERM}
  alive "$f" || return 0
  local pid; pid=$(cat "$f")
  kill "-$sig" "$pid" 2>/dev/null || true
  for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.1; done
  kill -KILL "$pid" 2>/dev/null || true
}

ofs() {
  local tls_args; mapfile -t tls_args < <(tls_ofs_args)
  dotnet "$(ofs_dll)" --gateway "$(silo_host 1):$((GATEWAY_BASE + 1))" --zookeeper "$(zk_connection)" "${tls_args[@]}" "$@"
}

# --netns: one namespace per silo host on a bridge; ZooKeeper and ofs stay outside, on the bridge address.
BRIDGE=ofs-lc-br
netns_name() { echo "ofs-lc-$1"; }
veth_name() { echo "ofs-lc-v$1"; }
silo_host() { if [ "${NETNS:-0}" = 1 ]; then echo "$NETNS_PREFIX.$((10 + $1))"; else echo 127.0.0.1; fi; }
zk_host() { if [ "${NETNS:-0}" = 1 ]; then echo "$NETNS_PREFIX.1"; else echo 127.0.0.1; fi; }
link_state() { ip -br link show "$(veth_name "$1")" 2>/dev/null | awk '{ print $2 }'; }

make_hosts() {
  [ "$(id -u)" = 0 ] || die "--netns needs root (ip netns)"
  command -v ip >/dev/null || die "--netns needs iproute2: apt-get install -y iproute2"
  remove_hosts
  ip link add "$BRIDGE" type bridge
  ip addr add "$NETNS_PREFIX.1/24" dev "$BRIDGE"
  ip link set "$BRIDGE" up
  local i ns veth
  for i in $(seq 1 "$SILOS"); do
    ns=$(netns_name "$i"); veth=$(veth_name "$i")
    ip netns add "$ns"
    ip link add "$veth" type veth peer name eth0 netns "$ns"
    ip link set "$veth" master "$BRIDGE" up
    ip -n "$ns" addr add "$(silo_host "$i")/24" dev eth0
    ip -n "$ns" link set eth0 up
    ip -n "$ns" link set lo up
  done
  say "hosts: bridge $BRIDGE $NETNS_PREFIX.1/24, silo i in namespace $(netns_name i) at $NETNS_PREFIX.(10+i)"
}

# Also what a killed run left behind: every ofs-lc- namespace and the bridge.
remove_hosts() {
  local ns
  for ns in $(ip netns list 2>/dev/null | awk '{ print $1 }' | grep '^ofs-lc-' || true); do ip netns del "$ns"; done
  ip link del "$BRIDGE" 2>/dev/null || true
}

need_netns() { [ "${NETNS:-0}" = 1 ] || die "the silos do not run in namespaces (up --netns)"; }

cmd_vanish() {
  load_state; need_netns
  local i=${1:?vanish takes a silo number}
  ip link set "$(veth_name "$i")" down
  say "silo $i's host $(silo_host "$i") vanished at $(date -u +%H:%M:%S.%3N) (link down: packets dropped, no reset)"
}

cmd_return() {
  load_state; need_netns
  local i=${1:?return takes a silo number}
  ip link set "$(veth_name "$i")" up
  say "silo $i's host $(silo_host "$i") is back"
}

cmd_vanish_master() {
  load_state; need_netns
  local i; i=$(leader_index)
  echo "$i" > "$DIR/vanished-master"
  local vanished_ms; vanished_ms=$(date +%s%3N)
  cmd_vanish "$i"
  local start=$SECONDS
  wait_for 60 "a new leader" ofs_leader_elsewhere "$i"
  say "new leader: $(ofs leader) (seen by ofs after about $((SECONDS - start))s: each ofs run connects afresh and may try the vanished gateway first)"
  say_takeover "$(leader_index)" "$vanished_ms"
}

# The new master's own takeover line, and how long after the fault it was written (both clocks are this host's).
say_takeover() { # silo-index fault-epoch-ms
  local line stamp at
  line=$(grep -h 'Master takeover' "$DIR/silos/$1/silo.log" 2>/dev/null | tail -1) || return 0
  [ -n "$line" ] || return 0
  stamp=${line%% *}
  at=$(date -d "$(date +%F) $stamp" +%s%3N 2>/dev/null) || return 0
  say "the new master took over $((at - $2)) ms after the fault: ${line#* info: }"
}

cmd_return_master() {
  [ -f "$DIR/vanished-master" ] || die "no master host has vanished (vanish-master first)"
  cmd_return "$(cat "$DIR/vanished-master")"
  rm -f "$DIR/vanished-master"
}

cmd_up() {
  parse_flags "$@"
  [ -f "$DIR/cluster.env" ] && alive "$DIR/silos/1/pid" && die "a cluster already runs in $DIR (down first)"
  command -v java >/dev/null && [ -f /usr/share/java/zookeeper.jar ] \
    || die "ZooKeeper is not installed: apt-get install -y --no-install-recommends zookeeper netcat-openbsd"
  mkdir -p "$DIR"
  printf 'SILOS=%s\nZK=%s\nDIR=%s\nJOURNAL=%s\nTLS=%s\nNETNS=%s\nNETNS_PREFIX=%s\n' \
    "$SILOS" "$ZK" "$DIR" "$JOURNAL" "$TLS" "$NETNS" "$NETNS_PREFIX" > "$DIR/cluster.env"
  printf 'LINEAGE_ALLOWED=%q\nLINEAGE_CHECKPOINT_INTERVAL=%q\n' "$LINEAGE_ALLOWED" "$LINEAGE_CHECKPOINT_INTERVAL" \
    >> "$DIR/cluster.env"
  build
  [ "$TLS" = 1 ] && make_tls
  mkdir -p "$DIR/journal" "$DIR/ufs"
  [ "$NETNS" = 1 ] && make_hosts
  local j i
  for j in $(seq 1 "$ZK"); do start_zk_member "$j"; done
  for j in $(seq 1 "$ZK"); do wait_for 60 "ZooKeeper member $j" zk_serving $((ZK_BASE + j)); done
  say "ZooKeeper: $(zk_connection)"
  if [ "$JOURNAL" = postgres ]; then
    start_postgres
    say "PostgreSQL: $(pg_connection) (pid $(cat "$DIR/postgres/pid"))"
  fi
  for i in $(seq 1 "$SILOS"); do start_silo "$i"; done
  for i in $(seq 1 "$SILOS"); do wait_for 120 "silo $i" silo_ready "$i"; done
  cmd_status
}

cmd_status() {
  load_state
  local j i
  for j in $(seq 1 "$ZK"); do
    local mode; mode=$(echo srvr | nc -N "$(zk_host)" $((ZK_BASE + j)) 2>/dev/null | sed -n 's/^Mode: //p')
    say "zookeeper $j  $(zk_host):$((ZK_BASE + j))  pid $(cat "$DIR/zk/$j/pid" 2>/dev/null)  ${mode:-down}"
  done
  for i in $(seq 1 "$SILOS"); do
    local state=down; alive "$DIR/silos/$i/pid" && state=running
    local link=""; [ "${NETNS:-0}" = 1 ] && link="  host $(netns_name "$i") link $(link_state "$i")"
    say "silo $i  silo $(silo_host "$i"):$((SILO_BASE + i))  gateway $((GATEWAY_BASE + i))  web $(web_scheme)://$(silo_host "$i"):$(cat "$DIR/silos/$i/web.port")  pid $(cat "$DIR/silos/$i/pid" 2>/dev/null)  $state$link"
  done
  if [ "${JOURNAL:-directory}" = postgres ]; then
    local pg=down; pg_serving && pg=running
    say "postgresql  127.0.0.1:$PG_PORT  pid $(cat "$DIR/postgres/pid" 2>/dev/null)  $pg   data $DIR/postgres/data  log $DIR/postgres/server.log"
    say "journal PostgreSQL $(pg_connection)   under-storage $DIR/ufs   logs $DIR/silos/*/silo.log"
    say "dump: ofs journal dump --postgres '$(pg_connection)'   psql: psql -h 127.0.0.1 -p $PG_PORT -U postgres"
  else
    say "journal $DIR/journal   under-storage $DIR/ufs   logs $DIR/silos/*/silo.log"
  fi
  local tls_env=""; [ "${TLS:-0}" = 1 ] && tls_env=" OFS_TLS_CA=$(tls_dir)/ca.pem"
  # OFS_ZOOKEEPER alone: ofs prefers OFS_GATEWAY when both are set, and one gateway dies with its silo.
  say "env: export OFS_ZOOKEEPER=$(zk_connection)$tls_env"
  if [ "${TLS:-0}" = 1 ]; then say "ofs: dotnet $(ofs_dll) --zookeeper '$(zk_connection)' --tls-ca $(tls_dir)/ca.pem ls /"
  else say "ofs: alias ofs='dotnet $(ofs_dll)'"; fi
  say "leader: $(ofs leader 2>&1 || true)"
  say "lineage: ofs lineage create --input /in --output /out -- upper.sh   (jobs: $(lineage_jobs_dir); then: $0 kill-holder /out; ofs lineage show 1)"
}

# The silo index whose silo port the leader's address names.
leader_index() {
  local line port
  line=$(ofs leader) || die "no leader: $line"
  port=$(grep -oE '[0-9]+\.[0-9]+\.[0-9]+\.[0-9]+:[0-9]+' <<<"$line" | head -1 | cut -d: -f2)
  [ -n "$port" ] || die "cannot read the leader's address from: $line"
  echo $((port - SILO_BASE))
}

cmd_kill_master() {
  load_state
  local i; i=$(leader_index)
  say "SIGKILL silo $i (pid $(cat "$DIR/silos/$i/pid")), which hosts the master"
  kill -KILL "$(cat "$DIR/silos/$i/pid")"
  local start=$SECONDS
  wait_for 60 "a new leader" ofs_leader_elsewhere "$i"
  say "new leader after $((SECONDS - start))s: $(ofs leader)"
}

ofs_leader_elsewhere() { local n; n=$(leader_index 2>/dev/null) && [ "$n" != "$1" ]; }

cmd_restart() {
  load_state
  local i=${1:?restart takes a silo number}
  stop_pid_file "$DIR/silos/$i/pid" TERM
  start_silo "$i"
  wait_for 120 "silo $i" silo_ready "$i"
  say "silo $i is back (pid $(cat "$DIR/silos/$i/pid"))"
}

cmd_kill() {
  load_state
  local i=${1:?kill takes a silo number}
  alive "$DIR/silos/$i/pid" || die "silo $i is not running"
  kill -KILL "$(cat "$DIR/silos/$i/pid")"
  say "silo $i killed"
}

# The silo index whose silo port holds block 0 of PATH (`ofs location`: Block, Block Id, Length, Worker, Tier).
holder_index() {
  local out port
  out=$(ofs location "$1" 2>&1) || die "$out"
  port=$(awk 'NR == 2 { print $4 }' <<<"$out" | grep -oE '[0-9]+\.[0-9]+\.[0-9]+\.[0-9]+:[0-9]+' | cut -d: -f2)
  [ -n "$port" ] || die "no worker holds the first block of $1 in memory:"$'\n'"$out"
  echo $((port - SILO_BASE))
}

cmd_kill_holder() {
  load_state
  local path=${1:?kill-holder takes a file path}
  local i; i=$(holder_index "$path")
  alive "$DIR/silos/$i/pid" || die "silo $i, which holds $path, is not running"
  kill -KILL "$(cat "$DIR/silos/$i/pid")"
  say "SIGKILL silo $i (pid $(cat "$DIR/silos/$i/pid")), which held the first block of $path"
}

cmd_down() {
  [ -f "$DIR/cluster.env" ] || { say "nothing runs in $DIR"; return 0; }
  load_state
  local i j
  for i in $(seq 1 "$SILOS"); do stop_pid_file "$DIR/silos/$i/pid" TERM; done
  for j in $(seq 1 "$ZK"); do stop_pid_file "$DIR/zk/$j/pid" TERM; done
  # SIGINT is PostgreSQL's fast shutdown; the data directory stays for the next up.
  [ "${JOURNAL:-directory}" = postgres ] && stop_pid_file "$DIR/postgres/pid" INT
  [ "${NETNS:-0}" = 1 ] && remove_hosts
  rm -f "$DIR/cluster.env"
  say "stopped"
}

case "${1:-}" in
  up) shift; cmd_up "$@" ;;
  status) cmd_status ;;
  kill-master) cmd_kill_master ;;
  restart) shift; cmd_restart "$@" ;;
  kill) shift; cmd_kill "$@" ;;
  down) cmd_down ;;
  kill-holder) shift; cmd_kill_holder "$@" ;;
  vanish-master) cmd_vanish_master ;;
  return-master) cmd_return_master ;;
  vanish) shift; cmd_vanish "$@" ;;
  return) shift; cmd_return "$@" ;;
  *) sed -n '2,33p' "$0" | sed 's/^# \{0,1\}//'; exit 2 ;;
esac
