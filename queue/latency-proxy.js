'use strict';
// A small latency proxy in front of the sandbox, so that orders are "in flight" long enough
// for a worker to be killed while holding them.
const http = require('node:http');

/**
 * A forwarding proxy in front of the sandbox that holds each Create Order answer for
 * `delayMs` after the sandbox has sold the order: the window in which the order is paid
 * for but the n8n process that asked for it does not know yet. Everything else passes
 * straight through.
 */
async function startLatencyProxy(targetUrl) {
	const target = new URL(targetUrl);
	const state = { delayMs: 0, inFlight: 0, answered: 0, aborted: 0 };
	const server = http.createServer((req, res) => {
		const chunks = [];
		req.on('data', (c) => chunks.push(c));
		req.on('end', () => {
			const isOrder = req.method === 'POST' && (req.url || '').startsWith('/api/v2/order/newscale');
			const upstream = http.request(
				{
					host: target.hostname,
					port: target.port,
					method: req.method,
					path: req.url,
					headers: { ...req.headers, host: target.host },
				},
				(up) => {
					const body = [];
					up.on('data', (c) => body.push(c));
					up.on('end', () => {
						const send = () => {
							if (isOrder) state.inFlight--;
							if (res.destroyed || req.socket.destroyed) {
								state.aborted++;
								return;
							}
							state.answered++;
							res.writeHead(up.statusCode, up.headers);
							res.end(Buffer.concat(body));
						};
						if (isOrder && state.delayMs > 0) setTimeout(send, state.delayMs);
						else send();
					});
				},
			);
			if (isOrder) state.inFlight++;
			upstream.on('error', () => {
				if (isOrder) state.inFlight--;
				req.socket.destroy();
			});
			upstream.end(Buffer.concat(chunks));
		});
	});
	server.keepAliveTimeout = 5000;
	await new Promise((resolve, reject) => {
		server.once('error', reject);
		server.listen(0, '127.0.0.1', resolve);
	});
	return {
		url: `http://127.0.0.1:${server.address().port}`,
		state,
		setDelay(ms) {
			state.delayMs = ms;
		},
		close() {
			server.closeAllConnections();
			return new Promise((resolve) => server.close(resolve));
		},
	};
}

module.exports = { startLatencyProxy };
