//! A minimal blocking JSON-RPC 2.0 client over HTTP POST, for the node's `ssk_*` and `chain_*`
//! methods.

use std::{io::Read, net::IpAddr, time::Duration};

use serde::de::DeserializeOwned;
use serde_json::{json, Value};

use crate::files::io_reason;

/// Time allowed to connect, and for the whole request.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);
/// Responses larger than this are refused (an envelope answer is a few hundred bytes).
const MAX_RESPONSE: usize = 1 << 20;

/// A node's JSON-RPC endpoint.
pub struct Rpc {
	url: String,
	local: bool,
}

impl Rpc {
	/// An endpoint at `url` (`http://host:port`).
	pub fn new(url: &str) -> Result<Self, String> {
		let url = url.trim().to_string();
		let rest = if let Some(rest) = url.strip_prefix("http://") {
			rest
		} else if url.starts_with("https://") {
			return Err(format!(
				"--rpc {url}: https is not supported; use the node's plain http:// RPC port"
			));
		} else if url.starts_with("ws://") || url.starts_with("wss://") {
			return Err(format!("--rpc {url}: give the http:// form of the RPC address"));
		} else {
			return Err(format!("--rpc {url}: expected an http://HOST:PORT address"));
		};
		let authority = rest.split('/').next().unwrap_or_default();
		let host = match authority.strip_prefix('[') {
			Some(v6) => v6.split(']').next().unwrap_or_default(),
			None => authority.rsplit_once(':').map_or(authority, |(host, _)| host),
		};
		if host.is_empty() {
			return Err(format!("--rpc {url}: no host"));
		}
		let local = host.eq_ignore_ascii_case("localhost")
			|| host.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback());
		Ok(Self { url, local })
	}

	/// Calls `method` with `params`; `Ok(None)` for a JSON `null` result.
	pub fn call<T: DeserializeOwned>(
		&self,
		method: &str,
		params: Value,
	) -> Result<Option<T>, String> {
		let body =
			json!({ "jsonrpc": "2.0", "id": 1, "method": method, "params": params }).to_string();
		let mut request = attohttpc::RequestBuilder::try_new(attohttpc::Method::POST, &self.url)
			.map_err(|e| format!("--rpc {}: not a valid URL ({e})", self.url))?
			.header("content-type", "application/json")
			.connect_timeout(CONNECT_TIMEOUT)
			.timeout(REQUEST_TIMEOUT)
			.follow_redirects(false);
		if self.local {
			// A proxy from the environment cannot reach the caller's loopback.
			request = request.proxy_settings(attohttpc::ProxySettings::builder().build());
		}
		let response = request.text(body).send().map_err(|e| self.transport_error(e))?;
		let (status, _, reader) = response.split();
		let mut bytes = Vec::new();
		reader.take(MAX_RESPONSE as u64 + 1).read_to_end(&mut bytes).map_err(|e| {
			format!("cannot read the answer of the node at {}: {}", self.url, io_reason(&e))
		})?;
		if bytes.len() > MAX_RESPONSE {
			return Err(format!("{method}: the node at {} sent an oversized answer", self.url));
		}
		if !status.is_success() {
			let text = String::from_utf8_lossy(&bytes);
			return Err(format!(
				"{method}: the node at {} answered HTTP {status}: {}",
				self.url,
				one_line(&text, 200)
			));
		}
		let answer: Value = serde_json::from_slice(&bytes).map_err(|e| {
			format!("{method}: the node at {} answered with invalid JSON: {e}", self.url)
		})?;
		if let Some(error) = answer.get("error") {
			let code = error.get("code").and_then(Value::as_i64).unwrap_or_default();
			let message = error.get("message").and_then(Value::as_str).unwrap_or("unknown error");
			let data = error.get("data").map(|d| match d {
				Value::String(s) => s.clone(),
				other => other.to_string(),
			});
			let hint =
				if code == -32601 { " (is this a GPoW node with the SSK pallet?)" } else { "" };
			return Err(format!(
				"{method} failed: {message}{}{hint}",
				data.map(|d| format!(": {}", one_line(&d, 300))).unwrap_or_default()
			));
		}
		let result = answer
			.get("result")
			.ok_or_else(|| format!("{method}: the node's answer has neither result nor error"))?;
		if result.is_null() {
			return Ok(None);
		}
		serde_json::from_value(result.clone())
			.map(Some)
			.map_err(|e| format!("{method}: unexpected answer from the node: {e}"))
	}

	fn transport_error(&self, e: attohttpc::Error) -> String {
		let reason = match e.kind() {
			attohttpc::ErrorKind::Io(io) => io_reason(io),
			_ => e.to_string(),
		};
		format!("cannot reach the node's RPC at {}: {reason}", self.url)
	}
}

/// Shortens `text` to one line of at most `max` characters.
pub fn one_line(text: &str, max: usize) -> String {
	let flat: String =
		text.chars().map(|c| if c.is_control() { ' ' } else { c }).take(max).collect();
	if text.chars().count() > max {
		format!("{flat}…")
	} else {
		flat
	}
}
