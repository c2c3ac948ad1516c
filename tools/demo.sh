#!/bin/sh
# demo.sh - placeholder until the agents land (replaced as they do).
echo "demo: not yet"
