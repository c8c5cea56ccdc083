'use strict';
// A listener that answers every request with one fixed answer (status, headers, raw body),
// for answers the sandbox does not make: a 303 without Location, a body that echoes the key.
// Plain JS: n8n's lint forbids node:http in .ts files.
const http = require('node:http');

async function startRawServer() {
	const state = { requests: [], answer: { status: 200, headers: {}, body: '' } };
	const server = http.createServer((req, res) => {
		const chunks = [];
		req.on('data', (c) => chunks.push(c));
		req.on('end', () => {
			state.requests.push({
				method: req.method,
				path: req.url,
				headers: { ...req.headers },
				body: Buffer.concat(chunks).toString('utf8'),
			});
			const { status, headers, body } =
				typeof state.answer === 'function' ? state.answer(req) : state.answer;
			res.writeHead(status, { 'content-length': Buffer.byteLength(body), ...headers });
			res.end(body);
		});
	});
	await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address();
	return {
		url: `http://127.0.0.1:${port}`,
		get requests() {
			return state.requests;
		},
		answer(answer) {
			state.answer = answer;
		},
		reset() {
			state.requests.length = 0;
		},
		async close() {
			server.closeAllConnections();
			await new Promise((resolve) => server.close(resolve));
		},
	};
}

module.exports = { startRawServer };
