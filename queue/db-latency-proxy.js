'use strict';
// A TCP proxy between n8n and PostgreSQL that delays every chunk a client sends by a delay
// that can change while n8n runs (setDelay): each query round trip gains that much, as if the
// database were that far away. Answers pass straight through. Each n8n process gets its own
// listening port, so what the proxy sees is attributed to a process.
//
// It also reads the PostgreSQL protocol going by (it never changes a byte) to record the
// statements on n8n's deduplication table (`processed_data`): when each was sent, when the
// server answered ReadyForQuery, which row (context) it touched, and the list of hashes it
// read (a SELECT's answer) or wrote (an UPDATE's or INSERT's parameter). queue/store-calls.js
// pairs them into store calls (findOne then update).
//
// QUEUE_STORE_DUMP=<file> appends, at each take(), the recorded statements with their SQL and
// parameters and a count of every statement n8n sent, by process and SQL: for debugging.
const crypto = require('node:crypto');
const net = require('node:net');
const { freePort } = require('../lab/n8n');
const { messageReader, cstring, bindParameters, dataRow, hashList } = require('./pg-protocol');

const STORE_TABLE = /"?processed_data"?/i;

const digest = (list) => crypto.createHash('sha1').update(list.join('\n')).digest('base64');

const KINDS = [
	[/^\s*select/i, 'read'],
	[/^\s*update/i, 'write'],
	[/^\s*insert/i, 'insert'],
	[/^\s*delete/i, 'delete'],
];

/** What one statement on processed_data did, for store-calls.js. */
function storeRecord(client, statement) {
	const kind = (KINDS.find(([re]) => re.test(statement.sql)) || [null, 'other'])[1];
	const params = statement.params || [];
	// A scope "node" row's context is `n:<node id>`: one row per node, whatever the workflow.
	const context = params.find((p) => typeof p === 'string' && p.startsWith('n:')) ?? '(workflow)';
	let list = null;
	if (kind === 'read')
		list = statement.rows.map((row) => row.map(hashList).find(Boolean)).find(Boolean) ?? [];
	else if (kind === 'write' || kind === 'insert') list = params.map(hashList).find(Boolean) ?? null;
	return {
		client,
		kind,
		...(process.env.QUEUE_STORE_DUMP ? { sql: statement.sql, params } : {}),
		row: context,
		// n8n's TypeORM sets search_path and statement_timeout on every connection it takes from
		// the pool: the statement's cost to n8n starts with those.
		checkoutAt: statement.checkoutAt ?? statement.sentAt,
		sentAt: statement.sentAt,
		doneAt: statement.doneAt,
		error: statement.error || null,
		found: kind === 'read' ? statement.rows.length > 0 : undefined,
		list,
		digest: list ? digest(list) : null,
	};
}

/**
 * Starts one listener per client name, each forwarding to PostgreSQL on 127.0.0.1:`port`.
 * Ports come from the lab's freePort.
 */
async function startDbLatencyProxy({ port, host = '127.0.0.1', clients }) {
	const state = { delayMs: 0 };
	const sockets = new Set();
	const servers = [];
	const listeners = {};
	let records = [];
	const counts = {};
	const sqlCounts = {};

	function connection(client, socket) {
		const upstream = net.connect(port, host);
		sockets.add(socket);
		sockets.add(upstream);
		socket.setNoDelay(true);
		upstream.setNoDelay(true);
		const closeBoth = () => {
			socket.destroy();
			upstream.destroy();
			sockets.delete(socket);
			sockets.delete(upstream);
		};
		socket.on('error', closeBoth).on('close', closeBoth);
		upstream.on('error', closeBoth).on('close', closeBoth);

		// Statements sent and not yet answered by ReadyForQuery, oldest first.
		const pending = [];
		const named = new Map();
		let checkoutAt = null;
		let open = null;
		let lastSql = '';
		const statement = (now) => {
			if (!open) {
				open = { sql: '', params: null, sentAt: now, rows: [], doneAt: null };
				pending.push(open);
			}
			return open;
		};
		let now = 0;
		const backend = messageReader(
			(type, payload) => {
				const head = pending[0];
				if (type === 'D' && head && STORE_TABLE.test(head.sql)) head.rows.push(dataRow(payload));
				else if (type === 'E' && head) head.error = 'error';
				else if (type === 'Z') {
					if (!head) return; // the one after authentication
					pending.shift();
					if (head === open) open = null;
					head.doneAt = Date.now();
					counts[client] = (counts[client] || 0) + 1;
					if (process.env.QUEUE_STORE_DUMP) {
						const line = `${client} ${head.sql.replace(/\s+/g, ' ').slice(0, 70)}`;
						sqlCounts[line] = (sqlCounts[line] || 0) + 1;
					}
					if (/^SET search_path/i.test(head.sql)) {
						checkoutAt ??= head.sentAt;
						return;
					}
					if (/^SET /i.test(head.sql)) return;
					head.checkoutAt = checkoutAt;
					checkoutAt = null;
					if (STORE_TABLE.test(head.sql)) records.push(storeRecord(client, head));
				}
			},
			{ frontend: false },
		);
		const frontend = messageReader(
			(type, payload) => {
				if (type === 'ssl') backend.skip += 1;
				else if (type === 'Q') {
					const s = statement(now);
					s.sql = cstring(payload, 0).text;
					open = null;
				} else if (type === 'P') {
					const name = cstring(payload, 0);
					const sql = cstring(payload, name.next).text;
					if (name.text) named.set(name.text, sql);
					lastSql = sql;
					statement(now).sql = sql;
				} else if (type === 'B') {
					const s = statement(now);
					const bound = bindParameters(payload);
					s.sql = bound.statement ? (named.get(bound.statement) ?? '') : lastSql;
					if (STORE_TABLE.test(s.sql)) s.params = bound.params;
				} else if (type === 'S') {
					statement(now);
					open = null;
				} else if (type === 'E' || type === 'D' || type === 'H' || type === 'C') {
					statement(now);
				}
			},
			{ frontend: true },
		);

		// Chunks leave in the order they came, each no earlier than its arrival + the delay.
		const queue = [];
		let timer = null;
		let lastDue = 0;
		const flush = () => {
			timer = null;
			const t = Date.now();
			while (queue.length && queue[0].due <= t) upstream.write(queue.shift().chunk);
			if (queue.length) timer = setTimeout(flush, queue[0].due - t);
		};
		socket.on('data', (chunk) => {
			now = Date.now();
			try {
				frontend.push(chunk);
			} catch {
				// A message this reader does not understand: forwarding matters, recording does not.
			}
			const due = Math.max(now + state.delayMs, lastDue);
			lastDue = due;
			if (queue.length === 0 && due <= now) {
				upstream.write(chunk);
				return;
			}
			queue.push({ chunk, due });
			if (!timer) timer = setTimeout(flush, Math.max(0, queue[0].due - now));
		});
		upstream.on('data', (chunk) => {
			try {
				backend.push(chunk);
			} catch {
				// As above.
			}
			socket.write(chunk);
		});
	}

	for (const client of clients) {
		const listenPort = await freePort();
		const server = net.createServer((socket) => connection(client, socket));
		await new Promise((resolve, reject) => {
			server.once('error', reject);
			server.listen(listenPort, '127.0.0.1', resolve);
		});
		servers.push(server);
		listeners[client] = listenPort;
	}

	return {
		/** client name -> the port that client's n8n process must use as DB_POSTGRESDB_PORT. */
		ports: listeners,
		get delayMs() {
			return state.delayMs;
		},
		setDelay(ms) {
			state.delayMs = ms;
		},
		/** The processed_data statements recorded since the last call, and statements per client. */
		take() {
			const taken = { records, statements: { ...counts } };
			if (process.env.QUEUE_STORE_DUMP) {
				require('node:fs').appendFileSync(
					process.env.QUEUE_STORE_DUMP,
					`${JSON.stringify({ ...taken, sqlCounts })}\n`,
				);
				for (const key of Object.keys(sqlCounts)) delete sqlCounts[key];
			}
			records = [];
			for (const key of Object.keys(counts)) delete counts[key];
			return taken;
		},
		close() {
			for (const socket of sockets) socket.destroy();
			return Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
		},
	};
}

module.exports = { startDbLatencyProxy, digest };
