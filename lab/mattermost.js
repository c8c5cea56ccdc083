'use strict';
// A stand-in for a self-hosted Mattermost server, bound to 127.0.0.1: it answers the call the
// examples' Mattermost node makes (POST /api/v4/posts) and remembers each post, so tests can
// check what the notification said and `npm start` can print it.
const http = require('node:http');
const { readRequest, send: reply } = require('./http');

const CHANNEL = {
	id: 'proxy-orders',
	name: 'proxy-orders',
	display_name: 'Proxy orders',
	team_display_name: 'Local',
	type: 'O',
	delete_at: 0,
};

async function startMattermostListener({ port = 0, onPost } = {}) {
	const posts = [];
	const requests = [];
	let nextId = 1;

	const server = http.createServer(async (req, res) => {
		const { raw, json } = await readRequest(req);
		const path = (req.url || '/').split('?')[0];
		requests.push({ method: req.method, path, headers: { ...req.headers }, json, raw });
		if (req.method === 'POST' && path === '/api/v4/posts' && json) {
			const post = {
				id: `post${nextId++}`,
				create_at: Date.now(),
				channel_id: json.channel_id,
				message: json.message || '',
				props: json.props || {},
			};
			posts.push(post);
			if (onPost) onPost(post);
			return reply(res, 201, post);
		}
		// What the editor asks while one sets up the node: the channel list (paged until
		// empty) and the credential test (GET /users).
		if (req.method === 'GET' && path === '/api/v4/channels') {
			const firstPage = new URL(req.url, 'http://x').searchParams.get('page') === '0';
			return reply(res, 200, firstPage ? [CHANNEL] : []);
		}
		if (req.method === 'GET' && path === '/api/v4/users') return reply(res, 200, []);
		return reply(res, 404, { id: 'api.context.404.app_error', status_code: 404 });
	});

	await new Promise((resolve, reject) => {
		server.once('error', reject);
		server.listen(port, '127.0.0.1', resolve);
	});

	return {
		url: `http://127.0.0.1:${server.address().port}`,
		posts,
		requests,
		reset() {
			posts.length = 0;
			requests.length = 0;
		},
		close() {
			server.closeAllConnections();
			return new Promise((resolve) => server.close(resolve));
		},
	};
}

module.exports = { startMattermostListener };
