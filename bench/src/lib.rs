//! roster's benchmarks: `benches/api.rs` (criterion, through the router in
//! process) and `load.sh` (the release server over loopback with wrk).
