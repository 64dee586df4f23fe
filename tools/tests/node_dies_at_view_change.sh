#!/bin/sh
# A node that dies at its first VIEW-CHANGE input (replica_cmd.sh): a
# failure at a known point of a run, for the trace up to it.
sed -u '/"type":"view_change"/Q3' | exec "$1" node
