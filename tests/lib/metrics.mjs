// The node's Prometheus endpoint (`--prometheus-port`), read as a test or a dashboard would.

/**
 * Scrapes http://127.0.0.1:`port`/metrics. Returns `metric(name)`: the value of the sample named
 * `name` (without labels, or the first with labels), or `undefined` when the node does not export
 * it.
 */
export async function scrapeMetrics(port) {
  const res = await fetch(`http://127.0.0.1:${port}/metrics`);
  if (!res.ok) throw new Error(`GET /metrics on port ${port}: HTTP ${res.status}`);
  const text = await res.text();
  const samples = new Map();
  for (const line of text.split('\n')) {
    const m = line.match(/^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{[^}]*\})? (\S+)$/);
    if (m && !samples.has(m[1])) samples.set(m[1], Number(m[2]));
  }
  return (name) => samples.get(name);
}
