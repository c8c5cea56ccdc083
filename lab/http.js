'use strict';
// What every local stand-in server of the lab does alike (the StatProxies sandbox, the
// Mattermost listener, the scripted chat model): read a request, answer with JSON.

/** The request body as text, and as JSON when it is JSON. */
function readRequest(req) {
	return new Promise((resolve, reject) => {
		const chunks = [];
		req.on('data', (c) => chunks.push(c));
		req.on('end', () => {
			const raw = Buffer.concat(chunks).toString('utf8');
			let json;
			try {
				json = raw ? JSON.parse(raw) : undefined;
			} catch {
				json = undefined;
			}
			resolve({ raw, json });
		});
		req.on('error', reject);
	});
}

/** What a stand-in keeps of a request it received, for the tests to read. */
function recordOf(req, { raw, json }) {
	return {
		method: req.method,
		path: (req.url || '/').split('?')[0],
		headers: { ...req.headers },
		body: raw,
		json,
		at: Date.now(),
	};
}

/** Answers `body` (JSON unless it is text already) with its length. */
function send(res, status, body, type = 'application/json', headers = {}) {
	const text = typeof body === 'string' ? body : JSON.stringify(body ?? {});
	res.writeHead(status, {
		'content-type': type,
		'content-length': Buffer.byteLength(text),
		...headers,
	});
	res.end(text);
}

module.exports = { readRequest, recordOf, send };
