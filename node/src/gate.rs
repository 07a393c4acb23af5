//! Runs the proof-of-work connection gate (`gpow-pow-gate`) beside the node: it listens on
//! `--gate-listen`, dials every `--gate-peer` (and redials when a connection ends), logs
//! connections, keep-alive rounds and teardowns, and hands each of its own keep-alive proofs to
//! a sink (the node submits them on chain as attestations).

use std::{net::SocketAddr, path::Path, time::Duration};

use gpow_pow_gate::{GateConfig, GateEvent, Identity, KeepAliveConfig, KeepPow};

use gpow_node::metrics::GateMetrics;

/// Log target of the gate integration.
const LOG_TARGET: &str = "gpow::gate";

/// How long to wait before dialing a peer again.
const REDIAL_DELAY: Duration = Duration::from_secs(5);

/// Command-line flags of the connection gate.
#[derive(Debug, Clone, clap::Args)]
pub struct GateParams {
	/// Run the PoW connection gate, listening on this address (e.g. 127.0.0.1:30444).
	#[arg(long, value_name = "ADDR")]
	pub gate_listen: Option<SocketAddr>,

	/// A gate to connect to and keep alive (repeatable).
	#[arg(long = "gate-peer", value_name = "ADDR", requires = "gate_listen")]
	pub gate_peers: Vec<SocketAddr>,

	/// Length of a keep-alive round, in milliseconds. All gates of a network must agree.
	#[arg(long, value_name = "MS", default_value_t = KeepAliveConfig::default().period_ms,
		value_parser = clap::value_parser!(u64).range(1_000..))]
	pub gate_period_ms: u64,

	/// The gate identity as a 32-byte ed25519 seed in hex (for tests and scripted setups).
	/// Without it the identity is generated once and kept in `<base path>/gate-identity`.
	#[arg(long, value_name = "HEX", value_parser = parse_seed)]
	pub gate_seed: Option<[u8; 32]>,
}

fn parse_seed(hex: &str) -> Result<[u8; 32], String> {
	let bytes = array_bytes::hex2bytes(hex).map_err(|_| "not hex".to_string())?;
	bytes
		.try_into()
		.map_err(|_| "a gate seed is 32 bytes (64 hex digits)".to_string())
}

/// The gate identity: the seed given on the command line, else the one stored under
/// `base_path` (created on first use).
pub fn identity(params: &GateParams, base_path: &Path) -> std::io::Result<Identity> {
	if let Some(seed) = params.gate_seed {
		return Ok(Identity::from_seed(&seed));
	}
	let file = base_path.join("gate-identity");
	if let Ok(hex) = std::fs::read_to_string(&file) {
		let seed = parse_seed(hex.trim())
			.map_err(|e| std::io::Error::other(format!("{}: {e}", file.display())))?;
		return Ok(Identity::from_seed(&seed));
	}
	let seed: [u8; 32] = rand::random();
	std::fs::create_dir_all(base_path)?;
	std::fs::write(&file, array_bytes::bytes2hex("", seed))?;
	Ok(Identity::from_seed(&seed))
}

/// Starts the gate and returns the task that drives it; `on_proof` receives every keep-alive
/// proof this gate produces; `metrics` follow its connections and proofs.
pub async fn run(
	params: GateParams,
	identity: Identity,
	mut on_proof: impl FnMut(KeepPow) + Send + 'static,
	metrics: Option<GateMetrics>,
) -> Result<(), String> {
	let Some(listen) = params.gate_listen else { return Ok(()) };
	let config = GateConfig {
		keepalive: KeepAliveConfig::with_period(params.gate_period_ms),
		..Default::default()
	};
	let (gate, mut events) =
		gpow_pow_gate::Gate::new(config, identity).map_err(|e| format!("gate config: {e}"))?;
	let bound = gate
		.run_listener(listen)
		.await
		.map_err(|e| format!("gate listen {listen}: {e}"))?;
	log::info!(target: LOG_TARGET, "🚪 Gate {} listening on {bound}", gate.id());

	for peer in params.gate_peers.iter().copied() {
		tokio::spawn(keep_dialing(gate.clone(), peer));
	}

	while let Some(event) = events.recv().await {
		if let Some(metrics) = &metrics {
			match &event {
				GateEvent::Connected { .. } => metrics.connection(gate.peers().len(), true),
				GateEvent::Disconnected { .. } => metrics.connection(gate.peers().len(), false),
				GateEvent::KeepPowProduced { .. } => metrics.proved(),
				GateEvent::RoundStarted { .. } | GateEvent::PeerProved { .. } => {},
			}
		}
		match event {
			GateEvent::Connected { peer, remote, direction, .. } => {
				log::info!(target: LOG_TARGET, "🚪 Gate connected to {peer} at {remote} ({direction:?})")
			},
			GateEvent::Disconnected { peer, remote, reason, .. } => log::info!(
				target: LOG_TARGET,
				"🚪 Gate connection to {} at {remote} ended: {reason}",
				peer.map(|p| p.to_string()).unwrap_or_else(|| "?".into())
			),
			GateEvent::RoundStarted { round, challenged } => log::info!(
				target: LOG_TARGET,
				"🚪 Gate round {round}: challenged {challenged} peer(s)"
			),
			GateEvent::KeepPowProduced { keep_pow } => {
				log::info!(
					target: LOG_TARGET,
					"🚪 Gate round {}: proved work over {} challenge(s)",
					keep_pow.round,
					keep_pow.challenges.len()
				);
				on_proof(keep_pow);
			},
			GateEvent::PeerProved { peer, keep_pow, .. } => log::debug!(
				target: LOG_TARGET,
				"Gate round {}: {peer} proved its work",
				keep_pow.round
			),
		}
	}
	Ok(())
}

/// Dials `peer` until connected, and again whenever that connection ends.
async fn keep_dialing(gate: gpow_pow_gate::Gate, peer: SocketAddr) {
	loop {
		match gate.dial(peer, None).await {
			Ok(info) => {
				while gate.peers().iter().any(|(id, _)| *id == info.peer) {
					tokio::time::sleep(REDIAL_DELAY).await;
				}
			},
			Err(gpow_pow_gate::DialError::Shutdown) => return,
			Err(e) => {
				log::info!(target: LOG_TARGET, "🚪 Gate dial {peer} failed: {e:?}");
				tokio::time::sleep(REDIAL_DELAY).await;
			},
		}
	}
}
