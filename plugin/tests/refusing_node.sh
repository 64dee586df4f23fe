#!/bin/sh
# A node that answers its init with "fail", as itself (the init's "dest").
read -r line
me=$(printf '%s\n' "$line" | sed 's/.*"dest":"\(r[0-9]*\)".*/\1/')
printf '{"src":"%s","dest":"harness","body":{"type":"fail","reason":"mutation not planted"}}\n' "$me"
