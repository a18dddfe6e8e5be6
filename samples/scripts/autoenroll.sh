#!/usr/bin/env bash
# Autoenrollment from the server's requirements list alone, with curl, openssl and jq: the
# seed's logon script, thin. Run it at logon (or from cron) with a Kerberos ticket (kinit).
#
#   autoenroll.sh SERVER_URL CUSTOMER_URI EMAIL "COMMON NAME" CA_PEM STORE_DIR
#
# It reports what STORE_DIR holds (each <template>.pem with its <template>.key: VALID, EXPIRED, or
# NO_PRIVATE_KEY), asks POST /api/v1/requirements what to do, and does it: ENROLL and REPLACE make
# a new P-256 key and enroll for the template, RENEW enrolls with renewSerial, COLLECT fetches a
# request that was pending. New keys are written 0600 and only replace the old ones once the new
# certificate is in hand. Exits 0 when everything due was done or is pending, 1 otherwise; the
# server's error code and message go to stderr.
set -euo pipefail

if [ $# -ne 6 ]; then
  echo "usage: $0 SERVER_URL CUSTOMER_URI EMAIL COMMON_NAME CA_PEM STORE_DIR" >&2
  exit 2
fi
url=$1 customer=$2 email=$3 cn=$4 cacert=$5 store=$6
mkdir -p "$store"
chmod 700 "$store"
umask 077

api() { # METHOD PATH [JSON]: prints the body, then the HTTP status on the last line
  local args=(-sS --negotiate -u : --cacert "$cacert" -X "$1" -w '\n%{http_code}')
  [ $# -ge 3 ] && args+=(-H 'Content-Type: application/json' --data-binary "$3")
  curl "${args[@]}" "$url$2"
}

held() { # the certificates of the store as the requirements list wants them
  local items=() pem template serial state
  for pem in "$store"/*.pem; do
    [ -e "$pem" ] || continue
    template=$(basename "$pem" .pem)
    serial=$(openssl x509 -in "$pem" -noout -serial | cut -d= -f2)
    if [ ! -s "$store/$template.key" ]; then
      state=NO_PRIVATE_KEY
    elif ! openssl x509 -in "$pem" -noout -checkend 0 >/dev/null; then
      state=EXPIRED
    else
      state=VALID
    fi
    items+=("$(jq -n --arg s "$serial" --arg st "$state" '{serial: $s, state: $st}')")
  done
  if [ ${#items[@]} -eq 0 ]; then echo '[]'; else printf '%s\n' "${items[@]}" | jq -s .; fi
}

save() { # TEMPLATE ANSWER: installs the certificate of an issued answer (and its new key)
  local template=$1 answer=$2
  jq -r .certificate <<<"$answer" > "$store/$template.pem.new"
  [ -s "$store/$template.key.new" ] && mv "$store/$template.key.new" "$store/$template.key"
  mv "$store/$template.pem.new" "$store/$template.pem"
  echo "$template: issued $(jq -r .serial <<<"$answer")"
}

failed=0
body=$(jq -n --arg c "$customer" --argjson h "$(held)" '{customerUri: $c, held: $h}')
response=$(api POST /api/v1/requirements "$body")
status=$(tail -n1 <<<"$response"); answer=$(sed '$d' <<<"$response")
if [ "$status" != 200 ]; then
  echo "requirements refused: $(jq -r '.error | "\(.code) \(.name): \(.message) \(.detail // "")"' <<<"$answer")" >&2
  exit 1
fi
actions=$(jq -c '.actions[]' <<<"$answer")
[ -z "$actions" ] && echo "nothing to do"

while IFS= read -r action; do
  [ -n "$action" ] || continue
  kind=$(jq -r .action <<<"$action")
  template=$(jq -r '.template // empty' <<<"$action")
  case $kind in
    COLLECT)
      id=$(jq -r .requestId <<<"$action")
      response=$(api GET "/api/v1/requests/$id")
      status=$(tail -n1 <<<"$response"); answer=$(sed '$d' <<<"$response")
      case $status in
        200) save "$template" "$answer" ;;
        202) echo "$template: request $id still pending" ;;
        *) echo "$template: collecting $id refused: $(jq -r '.error | "\(.code) \(.name)"' <<<"$answer")" >&2; failed=1 ;;
      esac
      ;;
    ENROLL|REPLACE|RENEW)
      openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$store/$template.key.new" \
        -subj "/CN=$cn" -out "$store/$template.csr" 2>/dev/null
      renew=null
      [ "$kind" = RENEW ] && renew=$(jq .serial <<<"$action")
      body=$(jq -n --arg c "$customer" --arg e "$email" --arg t "$template" --rawfile csr "$store/$template.csr" \
        --argjson r "$renew" '{customerUri: $c, email: $e, template: $t, csr: $csr} + (if $r then {renewSerial: $r} else {} end)')
      response=$(api POST /api/v1/enroll "$body")
      status=$(tail -n1 <<<"$response"); answer=$(sed '$d' <<<"$response")
      rm -f "$store/$template.csr"
      case $status in
        200) save "$template" "$answer" ;;
        202)
          # the key waits with the request: COLLECT installs both
          echo "$template: pending approval, request $(jq -r .requestId <<<"$answer")"
          ;;
        *)
          rm -f "$store/$template.key.new"
          echo "$template: $kind refused: $(jq -r '.error | "\(.code) \(.name): \(.message) \(.detail // "")"' <<<"$answer")" >&2
          failed=1
          ;;
      esac
      ;;
    *) echo "unknown action $kind" >&2; failed=1 ;;
  esac
done <<<"$actions"
exit $failed
