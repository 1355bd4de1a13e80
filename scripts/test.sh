#!/usr/bin/env bash
# Runs every test of roster: formatting, lints, and the whole test suite
# (Table conformance, the API rules through the router, the real server over
# HTTP). Needs only a Rust toolchain for now; the AWS backend's emulator is
# installed and started here too once that backend lands.
set -euo pipefail
cd "$(dirname "$0")/.."

echo "== cargo fmt --check"
cargo fmt --all -- --check

echo "== cargo clippy"
cargo clippy --workspace --all-targets --locked -- -D warnings

echo "== cargo test"
cargo test --workspace --locked
